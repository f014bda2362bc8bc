"""Every alert links a runbook section that exists, and the feed alerts agree with the service's bars."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import yaml

from newswire.ops import feeds
from tests.conftest import REPO_ROOT

RUNBOOKS = REPO_ROOT / "docs" / "runbooks.md"


def _alerts() -> list[dict[str, Any]]:
    loaded = yaml.safe_load((REPO_ROOT / "deploy" / "prometheus" / "alerts.yml").read_text(encoding="utf-8"))
    return [rule for group in loaded["groups"] for rule in group["rules"] if "alert" in rule]


def _anchors() -> set[str]:
    """GitHub's anchors for the runbook's `## ` headings (lower case, spaces to dashes, punctuation dropped)."""
    headings = re.findall(r"^## (.+)$", RUNBOOKS.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def test_every_alert_links_an_existing_runbook_section() -> None:
    anchors = _anchors()
    for rule in _alerts():
        url = urlparse(rule["annotations"]["runbook_url"])
        assert url.scheme == "https" and url.path.endswith("/docs/runbooks.md"), rule["alert"]
        assert url.fragment == rule["alert"].lower(), f"{rule['alert']} links #{url.fragment}"
        assert url.fragment in anchors, f"docs/runbooks.md has no section for {rule['alert']}"


def test_every_runbook_section_says_meaning_confirm_act() -> None:
    text = RUNBOOKS.read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    assert {section.split("\n", 1)[0].strip() for section in sections} == {rule["alert"] for rule in _alerts()}
    for section in sections:
        for part in ("**Meaning.**", "**Confirm.**", "**Act.**"):
            assert part in section, f"{section.splitlines()[0]}: no {part}"


def test_feed_alerts_use_the_service_bars() -> None:
    alerts = {rule["alert"]: rule for rule in _alerts()}
    ratio = alerts["FeedDeadLetterRatio"]["expr"]
    assert f") > {feeds.DEADLETTER_RATIO_BAR}" in ratio
    assert f">= {feeds.DEADLETTER_MIN_COUNT}" in ratio
    assert f"[{feeds.WINDOW_S // 60}m]" in ratio
    silent = alerts["FeedSilent"]["expr"]
    assert "newswire_feed_expected_interval_seconds" in silent and "newswire_feed_quiet" in silent


def test_the_dashboard_shows_feed_health() -> None:
    import json

    dashboard = json.loads((REPO_ROOT / "deploy" / "grafana" / "dashboards" / "newswire.json").read_text("utf-8"))
    exprs = " ".join(target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", []))
    for metric in (
        "newswire_feed_last_message_timestamp_seconds",
        "newswire_feed_expected_interval_seconds",
        "newswire_feed_messages_total",
    ):
        assert metric in exprs, f"no dashboard panel shows {metric}"
