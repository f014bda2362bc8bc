"""The Grafana dashboard asks only for metrics the service exports, and shows what operators need.

The exported names come from `newswire.metrics.Metrics()` itself (its registry, with the
suffixes the exposition format adds), not from a hand-written list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from newswire.metrics import Metrics
from tests.conftest import REPO_ROOT

GRAFANA_DIR = REPO_ROOT / "deploy" / "grafana"
DASHBOARD = GRAFANA_DIR / "dashboards" / "newswire.json"
# Series Prometheus adds to every target itself.
PROMETHEUS_SERIES = {"up"}

_SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "gauge": ("",),
    "info": ("_info",),
    "stateset": ("",),
    "gaugehistogram": ("_bucket", "_gcount", "_gsum"),
    "unknown": ("",),
}
_KEYWORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "and",
    "or",
    "unless",
    "offset",
    "inf",
    "nan",
    "atan2",
}


def exported_metric_names(metrics: Metrics | None = None) -> set[str]:
    """Every series name Metrics() can expose: from each family's type, plus the samples present."""
    registry = (metrics or Metrics()).registry
    names: set[str] = set()
    for family in registry.collect():
        names.update(family.name + suffix for suffix in _SUFFIXES[family.type])
        names.update(sample.name for sample in family.samples)
    return names


def metric_names_in(expr: str) -> set[str]:
    """Metric names a PromQL expression selects (functions, keywords, labels and durations removed)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)  # strings
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # ranges and subqueries
    text = re.sub(r"\$\{?\w+\}?", "", text)  # Grafana variables
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)  # label lists
    names = set()
    for match in re.finditer(r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?", text):
        name, call = match.group(1), match.group(2)
        if call or name.lower() in _KEYWORDS:
            continue
        names.add(name)
    return names


def _panels(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from _panels(item.get("panels", []))


def _dashboard() -> dict[str, Any]:
    loaded = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _exprs() -> list[tuple[str, str]]:
    return [
        (panel["title"], target["expr"])
        for panel in _panels(_dashboard()["panels"])
        for target in panel.get("targets", [])
        if target.get("expr")
    ]


def test_exported_names_come_from_the_registry() -> None:
    names = exported_metric_names()
    assert {"newswire_messages_consumed_total", "newswire_end_to_end_seconds_bucket", "newswire_ready"} <= names
    assert "newswire_messages_consumed" not in names  # counters are exposed with _total


def test_metric_name_extraction() -> None:
    expr = (
        'histogram_quantile(0.99, sum by (le, stage) (rate(newswire_stage_seconds_bucket{stage!="x"}[5m]))) '
        '/ on(instance) group_left(version) up{job="newswire"} offset 5m and $__rate_interval'
    )
    assert metric_names_in(expr) == {"newswire_stage_seconds_bucket", "up"}


def test_every_panel_query_names_only_exported_metrics() -> None:
    exported = exported_metric_names() | PROMETHEUS_SERIES
    exprs = _exprs()
    assert exprs
    for title, expr in exprs:
        names = metric_names_in(expr)
        assert names, f"{title}: no metric in {expr!r}"
        unknown = names - exported
        assert not unknown, f"panel {title!r} names metrics the service does not export: {sorted(unknown)}"


def test_dashboard_covers_what_operators_need() -> None:
    used = set().union(*(metric_names_in(expr) for _, expr in _exprs()))
    needed = {
        "newswire_messages_consumed_total",  # throughput in
        "newswire_stories_published_total",  # throughput out, by language and source
        "newswire_messages_outcome_total",
        "newswire_deadletters_total",
        "newswire_duplicates_total",
        "newswire_end_to_end_seconds_bucket",
        "newswire_stage_seconds_bucket",
        "newswire_consumer_lag",
        "newswire_enrichment_errors_total",
        "newswire_ready",
        "up",
    }
    assert needed <= used, sorted(needed - used)
    all_text = " ".join(expr for _, expr in _exprs())
    assert "histogram_quantile(0.5," in all_text and "histogram_quantile(0.99," in all_text
    for label in ("reason", "language", "source", "partition", "stage", "kind"):
        assert re.search(rf"by \([^)]*\b{label}\b", all_text), f"nothing broken down by {label}"
    # Routing is not built yet: only chart it once the service exports it.
    if "newswire_routed_total" not in exported_metric_names():
        assert "newswire_routed_total" not in used


def test_panels_are_well_formed() -> None:
    dashboard = _dashboard()
    assert dashboard["uid"] == "newswire"
    panels = list(_panels(dashboard["panels"]))
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    variables = {item["name"] for item in dashboard["templating"]["list"]}
    for panel in panels:
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"].strip("${}") in variables
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        ref_ids = [target["refId"] for target in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids))


def test_provisioning_points_at_the_dashboard_and_prometheus() -> None:
    datasources = yaml.safe_load((GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml").read_text())
    (source,) = datasources["datasources"]
    assert source["type"] == "prometheus" and source["url"] == "http://prometheus:9090"
    providers = yaml.safe_load((GRAFANA_DIR / "provisioning" / "dashboards" / "newswire.yml").read_text())
    (provider,) = providers["providers"]
    assert provider["type"] == "file"
    compose = yaml.safe_load((REPO_ROOT / "deploy" / "docker-compose.yml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    assert f"./grafana/dashboards:{provider['options']['path']}:ro" in mounts
