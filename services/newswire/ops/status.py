"""The worker's status document (`GET /status`) and the same as a small HTML page (`GET /`).

Feeds and their state, outcomes, recent dead letters (reason, stage, a short detail and where it
sat; never the message's text), consumer lag, readiness, build and versions. Rendered on the
server from the document alone: no scripts, no front-end build.
"""

from __future__ import annotations

import html
import importlib.metadata
import os
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from newswire import __version__
from newswire.metrics import Metrics
from newswire.ops.feeds import OUTCOMES, FeedHealth

_PACKAGES = ("faust-streaming", "aiokafka", "kafka-python", "pydantic", "prometheus-client", "cloudevents")


def versions() -> dict[str, str]:
    found = {"newswire": __version__, "python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def _sample(metrics: Metrics, name: str, labels: dict[str, str]) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


def status_document(
    feeds: FeedHealth,
    metrics: Metrics,
    readiness: Callable[[], tuple[bool, dict[str, object]]],
    group: str = "",
) -> dict[str, Any]:
    feeds.refresh()
    ready, detail = readiness()
    lag = [
        {"topic": sample.labels["topic"], "partition": int(sample.labels["partition"]), "lag": int(sample.value)}
        for family in metrics.lag.collect()
        for sample in family.samples
    ]
    return {
        "service": "newswire",
        "group": group,
        "time": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "uptime_s": round(time.time() - feeds.started, 1),
        "ready": ready,
        "readiness": detail,
        "feeds": feeds.snapshot(),
        "outcomes": {o: int(_sample(metrics, "newswire_messages_outcome_total", {"outcome": o})) for o in OUTCOMES},
        "recent_deadletters": [
            {
                "at": note.at,
                "feed": note.feed,
                "reason": note.reason,
                "stage": note.stage,
                "detail": note.detail,
                "where": note.where,
            }
            for note in feeds.recent
        ],
        "lag": sorted(lag, key=lambda row: (row["topic"], row["partition"])),
        "build": {"version": __version__, "commit": os.environ.get("NEWSWIRE_BUILD_COMMIT", "")},
        "versions": versions(),
    }


def _when(epoch: float | None) -> str:
    if not epoch:
        return "never"
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _age(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h {seconds % 3600 // 60}m"


def _table(headers: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in headers)
    body = []
    for index, row in enumerate(rows):
        cls = f' class="{html.escape(classes[index])}"' if classes else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(headers)}">none</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}.ok td:nth-child(2){color:#137333}.silent,.failing{background:#fde8e8}
.silent td:nth-child(2),.failing td:nth-child(2){color:#b00020;font-weight:bold}.quiet,.waiting{background:#f6f6f6}
.badge{padding:.1em .5em;border-radius:.3em;color:#fff}.up{background:#137333}.down{background:#b00020}
"""


def render_page(doc: dict[str, Any]) -> str:
    """The status document as one HTML page (every value escaped)."""
    feed_rows = [
        [
            row["feed"],
            row["state"],
            _when(row["last_seen"]),
            _age(row["silent_s"]),
            "-" if row["cadence_s"] is None else _age(row["cadence_s"]),
            f"{row['rate_per_min']:.1f}/min",
            f"{row['deadletter_ratio']:.1%}",
        ]
        for row in doc["feeds"]
    ]
    dead_rows = [
        [_when(note["at"]), note["feed"], note["reason"], note["stage"], note["detail"], note["where"]]
        for note in doc["recent_deadletters"]
    ]
    lag_rows = [[row["topic"], str(row["partition"]), str(row["lag"])] for row in doc["lag"]]
    outcome_rows = [[name, str(count)] for name, count in doc["outcomes"].items()]
    version_rows = [[name, value] for name, value in doc["versions"].items()]
    ready = '<span class="badge up">ready</span>' if doc["ready"] else '<span class="badge down">not ready</span>'
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>newswire status</title><style>{_STYLE}</style></head><body>"
        f"<h1>newswire {html.escape(doc['build']['version'])} {ready}</h1>"
        f"<p>group {html.escape(doc['group'])} &middot; up {_age(doc['uptime_s'])}"
        f" &middot; {html.escape(doc['time'])}</p>"
        "<h2>Feeds</h2>"
        + _table(
            ["feed", "state", "last seen", "silent for", "cadence", "rate (15 min)", "dead letters (15 min)"],
            feed_rows,
            [row["state"] for row in doc["feeds"]],
        )
        + "<h2>Outcomes</h2>"
        + _table(["outcome", "messages"], outcome_rows)
        + "<h2>Recent dead letters</h2>"
        + _table(["time", "feed", "reason", "stage", "detail", "where"], dead_rows)
        + "<h2>Consumer lag</h2>"
        + _table(["topic", "partition", "lag"], lag_rows)
        + "<h2>Versions</h2>"
        + _table(["component", "version"], version_rows)
        + "</body></html>"
    )
