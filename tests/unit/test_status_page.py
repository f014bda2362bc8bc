"""The status document and page without a broker: content, no story text, escaping, the HTTP routes."""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.request

from newswire.events.deadletter import Rejection
from newswire.metrics import Metrics
from newswire.ops.feeds import FeedHealth, parse_feeds
from newswire.ops.status import render_page, status_document
from newswire.stream.web import HealthServer

STORY_TEXT = "The minister said the harbour would reopen on Tuesday"


def _ready() -> tuple[bool, dict[str, object]]:
    return True, {"joined": True, "broker": True}


def _document() -> dict[str, object]:
    metrics = Metrics()
    feeds = FeedHealth(parse_feeds("efe=10m, ap=2m"), metrics)
    feeds.record("efe", "published")
    feeds.record(
        "<b>odd</b>",
        "deadlettered",
        rejection=Rejection(reason="malformed", stage="parse", detail="bad <tag> at line 2"),
        where="wire.raw/1/42",
    )
    metrics.outcomes.labels(outcome="published").inc()
    metrics.outcomes.labels(outcome="deadlettered").inc()
    metrics.lag.labels(topic="wire.raw", partition="1").set(7)
    return status_document(feeds, metrics, _ready, group="newsroom")


def test_status_document_has_feeds_outcomes_deadletters_lag_versions() -> None:
    doc = _document()
    feeds = {row["feed"]: row for row in doc["feeds"]}  # type: ignore[attr-defined]
    assert set(feeds) == {"efe", "ap", "other"}
    assert feeds["efe"]["state"] == "ok" and feeds["ap"]["state"] == "waiting"
    assert doc["outcomes"] == {"published": 1, "deadlettered": 1, "duplicate": 0}
    assert doc["recent_deadletters"] == [  # type: ignore[comparison-overlap]
        {
            "at": doc["recent_deadletters"][0]["at"],
            "feed": "<b>odd</b>",
            "reason": "malformed",  # type: ignore[index]
            "stage": "parse",
            "detail": "bad <tag> at line 2",
            "where": "wire.raw/1/42",
        }
    ]
    assert doc["lag"] == [{"topic": "wire.raw", "partition": 1, "lag": 7}]
    assert doc["versions"]["newswire"] and doc["versions"]["python"]  # type: ignore[index]
    assert doc["ready"] is True and doc["group"] == "newsroom"
    json.dumps(doc)  # serialisable as is


def test_page_shows_the_same_and_escapes_everything() -> None:
    page = render_page(_document())
    assert "<h2>Feeds</h2>" in page and "wire.raw/1/42" in page and "malformed" in page
    assert "&lt;b&gt;odd&lt;/b&gt;" in page and "<b>odd</b>" not in page
    assert "bad &lt;tag&gt; at line 2" in page
    assert "<script" not in page


def test_routes_serve_json_and_html() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = HealthServer(Metrics(), _ready, "127.0.0.1", port, status=_document)

    async def fetch() -> tuple[dict[str, object], str, str]:
        await server.start()
        try:
            loop = asyncio.get_running_loop()

            def get(path: str) -> tuple[str, str]:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                    return response.headers["Content-Type"], response.read().decode()

            (_, body), (kind, page) = (
                await loop.run_in_executor(None, get, "/status"),
                await loop.run_in_executor(None, get, "/"),
            )
            return json.loads(body), kind, page
        finally:
            await server.stop()

    doc, kind, page = asyncio.run(fetch())
    assert [row["feed"] for row in doc["feeds"]] == ["efe", "ap", "other"]  # type: ignore[attr-defined]
    assert kind.startswith("text/html") and "newswire" in page
    assert STORY_TEXT not in json.dumps(doc) + page
