"""`newswire feeds`: the feeds table, from the workers' `/status` documents (merged across workers)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from newswire.ops.feeds import merge_snapshots

BAD_STATES = frozenset({"silent", "failing"})


def fetch_status(url: str, timeout: float = 5.0) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        loaded: dict[str, Any] = json.loads(response.read())
        return loaded


def feed_rows(documents: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return merge_snapshots(row for doc in documents for row in doc["feeds"])


def _ago(row: dict[str, Any]) -> str:
    if not row["last_seen"]:
        return "never"
    stamp = datetime.fromtimestamp(row["last_seen"], tz=UTC).strftime("%H:%M:%S")
    return f"{stamp} ({int(row['silent_s'])}s ago)"


def render_table(rows: list[dict[str, Any]]) -> str:
    """Fixed-width columns: feed, last seen, rate, dead-letter ratio, state."""
    header = ("FEED", "LAST SEEN (UTC)", "RATE/MIN", "DEAD-LETTER", "STATE")
    cells = [
        (row["feed"], _ago(row), f"{row['rate_per_min']:.1f}", f"{row['deadletter_ratio']:.1%}", row["state"])
        for row in rows
    ]
    widths = [max(len(str(line[i])) for line in [header, *cells]) for i in range(len(header))]
    return "\n".join(
        "  ".join(str(v).ljust(w) for v, w in zip(line, widths, strict=True)).rstrip() for line in [header, *cells]
    )
