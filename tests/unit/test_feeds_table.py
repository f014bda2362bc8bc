"""`newswire feeds` without a broker: two workers' /status documents merged into one table."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from newswire.cli import main
from newswire.metrics import Metrics
from newswire.ops.feeds import FeedHealth, parse_feeds
from newswire.ops.table import feed_rows, render_table

NOW = 1_800_000_000.0


def _doc(records: list[tuple[str, str, float]], now: float) -> dict[str, Any]:
    clock = [NOW]
    feeds = FeedHealth(parse_feeds("efe=10m, ap=2m"), Metrics(), clock=lambda: clock[0])
    for feed, outcome, at in records:
        clock[0] = at
        feeds.record(feed, outcome)
    clock[0] = now
    return {"feeds": feeds.snapshot()}


@pytest.fixture
def workers() -> Iterator[list[str]]:
    # worker 1 saw efe recently; worker 2 saw ap long ago and efe never
    docs = [
        _doc([("efe", "published", NOW + 100), ("efe", "deadlettered", NOW + 110)], NOW + 120),
        _doc([("ap", "published", NOW + 1)], NOW + 400),
    ]
    servers = []
    for doc in docs:
        body = json.dumps(doc).encode()

        class Handler(BaseHTTPRequestHandler):
            payload = body

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(self.payload)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield [f"http://127.0.0.1:{s.server_address[1]}/status" for s in servers]
    for server in servers:
        server.shutdown()


def test_table_merges_workers_and_flags_the_silent_feed(workers: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    args = ["feeds", "--check"] + [arg for url in workers for arg in ("--url", url)]
    assert main(args) == 1  # ap is silent
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["FEED", "LAST", "SEEN", "(UTC)", "RATE/MIN", "DEAD-LETTER", "STATE"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) == {"efe", "ap"}
    assert rows["efe"][-1] == "ok" and rows["efe"][-2] == "50.0%"
    assert rows["ap"][-1] == "silent"
    assert main(["feeds", "--json", "--url", workers[0]]) == 0
    parsed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {row["feed"]: row["state"] for row in parsed} == {"efe": "ok", "ap": "waiting"}


def test_unreachable_worker_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feeds", "--url", "http://127.0.0.1:9/status"]) == 1
    assert "cannot read a worker's status" in capsys.readouterr().err


def test_render_table_aligns_columns() -> None:
    rows = feed_rows([_doc([("efe", "published", NOW)], NOW + 5)])
    text = render_table(rows)
    header, efe, ap = text.splitlines()
    assert header.index("STATE") == efe.index("ok") == ap.index("waiting")
    assert "never" in ap
