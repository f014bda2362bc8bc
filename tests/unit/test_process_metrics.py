"""/metrics carries the process: resident memory, CPU and open files, and the dashboard shows memory."""

from __future__ import annotations

import json

from prometheus_client import generate_latest

from newswire.metrics import Metrics
from tests.conftest import REPO_ROOT


def test_metrics_page_has_the_process_collector_series() -> None:
    page = generate_latest(Metrics().registry).decode()
    samples = {line.split(" ")[0]: float(line.split(" ")[1]) for line in page.splitlines() if line[:1] != "#"}
    assert samples["process_resident_memory_bytes"] > 10 * 1024 * 1024  # this Python process, at least 10 MB
    assert samples["process_cpu_seconds_total"] > 0
    assert samples["process_open_fds"] >= 3


def test_the_dashboard_has_a_memory_panel() -> None:
    dashboard = json.loads((REPO_ROOT / "deploy" / "grafana" / "dashboards" / "newswire.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    assert any(expr.startswith("process_resident_memory_bytes") for expr in exprs)
