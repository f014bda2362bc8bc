"""Prometheus alert rules: `promtool check rules`, `promtool test rules`, and the metrics they name.

promtool comes from Debian's `prometheus` package (deploy/prometheus/install-promtool.sh);
the promtool tests are skipped, saying so, only where it is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest
import yaml

from tests.conftest import REPO_ROOT
from tests.ops.test_dashboard import exported_metric_names, metric_names_in

PROMETHEUS_DIR = REPO_ROOT / "deploy" / "prometheus"
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool not installed: run deploy/prometheus/install-promtool.sh"
)
# Series Prometheus itself adds to every scrape target.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run(
        [PROMTOOL, *args], cwd=PROMETHEUS_DIR, capture_output=True, text=True, timeout=120, check=False
    )


def _rules() -> list[dict[str, Any]]:
    loaded = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text(encoding="utf-8"))
    return [rule for group in loaded["groups"] for rule in group["rules"]]


@needs_promtool
def test_promtool_check_rules() -> None:
    result = _promtool("check", "rules", "alerts.yml")
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_promtool_check_config() -> None:
    result = _promtool("check", "config", "prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_promtool_unit_tests_pass() -> None:
    result = _promtool("test", "rules", "alerts_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_required_alerts_exist() -> None:
    alerts = {rule["alert"]: rule for rule in _rules()}
    assert {
        "NewswireConsumerLagGrowing",
        "NewswireDeadLetterRateHigh",
        "NewswireNoStoriesPublished",
        "NewswireLatencySLOBreach",
        "NewswireWorkerDown",
    } <= set(alerts)
    assert alerts["NewswireConsumerLagGrowing"]["for"] == "10m"
    assert "15m" in alerts["NewswireNoStoriesPublished"]["expr"]
    assert re.search(r"histogram_quantile\(0\.99,.*\) > 5\b", alerts["NewswireLatencySLOBreach"]["expr"], re.S)
    assert alerts["NewswireWorkerDown"]["expr"].strip() == 'up{job="newswire"} == 0'
    for rule in alerts.values():
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert rule["annotations"]["summary"]


def test_every_alert_has_unit_tests() -> None:
    tests = yaml.safe_load((PROMETHEUS_DIR / "alerts_test.yml").read_text(encoding="utf-8"))["tests"]
    tested = {case["alertname"] for test in tests for case in test.get("alert_rule_test", [])}
    firing = {case["alertname"] for test in tests for case in test.get("alert_rule_test", []) if case.get("exp_alerts")}
    quiet = {
        case["alertname"] for test in tests for case in test.get("alert_rule_test", []) if not case.get("exp_alerts")
    }
    names = {rule["alert"] for rule in _rules()}
    assert tested == names
    assert firing == names, "every alert needs a case where it fires"
    assert quiet == names, "every alert needs a case where it stays quiet"


def test_rules_name_only_exported_metrics() -> None:
    exported = exported_metric_names() | PROMETHEUS_SERIES
    for rule in _rules():
        unknown = metric_names_in(rule["expr"]) - exported
        assert not unknown, f"{rule['alert']} names metrics the service does not export: {sorted(unknown)}"
