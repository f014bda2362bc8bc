"""Operating the service against the real broker: one of two feeds stops and shows as silent in
`newswire feeds`, /status and the HTML page (opened in headless Chromium, screenshot kept); a raw
message's traceparent reaches its story as ce_traceparent with the same trace id."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from newswire.samples import SAMPLES_DIR
from tests.conftest import REPO_ROOT
from tests.integration.conftest import Service, Topics, consume, newswire_cmd, produce, start_service

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
# CI keeps this file as an artifact (the directory is in .gitignore).
SCREENSHOT = REPO_ROOT / ".artifacts" / "status-page.png"
INSTALL_CHROMIUM = REPO_ROOT / "deploy" / "ci" / "install-chromium.sh"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BAD_BODY = b"<weather><reading>this is not a news story at all</reading></weather>"


def _chromium() -> str:
    if shutil.which("chromium") is None:
        result = subprocess.run([str(INSTALL_CHROMIUM)], capture_output=True, text=True, timeout=600, check=False)
        if result.returncode != 0:
            pytest.skip(f"chromium not installed and {INSTALL_CHROMIUM.name} failed: {result.stderr.strip()[-300:]}")
    found = shutil.which("chromium")
    assert found is not None
    return found


def _browse(url: str, profile: Path, *action: str) -> subprocess.CompletedProcess[str]:
    command = [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1000", *action, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _headers(record: Any) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers}


def _rows(service: Service) -> dict[str, dict[str, Any]]:
    _, body = service.get("/status")
    return {row["feed"]: row for row in json.loads(body)["feeds"]}


def test_a_stopped_feed_shows_silent_and_traces_reach_the_story(
    kafka_bootstrap: str, topics: Topics, tmp_path: Path
) -> None:
    service = start_service(kafka_bootstrap, topics, tmp_path, NEWSWIRE_FEEDS="alpha=5s, beta=60s")
    try:
        efe, ap = (SAMPLES_DIR / "01_efe_cumbre.txt").read_bytes(), (SAMPLES_DIR / "02_ap_storm.txt").read_bytes()
        produce(
            kafka_bootstrap,
            topics.raw,
            [
                (b"a1", efe, [("source", b"alpha"), ("traceparent", TRACEPARENT.encode()), ("tracestate", b"desk=1")]),
                (b"b1", ap, [("source", b"beta")]),
            ],
        )
        stories = {_headers(r)["ce_subject"]: r for r in consume(kafka_bootstrap, topics.stories, 2)}
        assert len(stories) == 2
        traced = [_headers(r) for r in stories.values() if "efe" in _headers(r)["ce_subject"]]
        assert len(traced) == 1
        version, trace_id, parent, flags = traced[0]["ce_traceparent"].split("-")
        assert (version, trace_id, flags) == ("00", TRACE_ID, "01") and parent != "00f067aa0ba902b7"
        assert traced[0]["ce_tracestate"] == "desk=1"
        untraced = next(_headers(r) for r in stories.values() if "efe" not in _headers(r)["ce_subject"])
        assert len(untraced["ce_traceparent"].split("-")[1]) == 32  # a new trace was started
        assert untraced["ce_traceparent"].split("-")[1] != TRACE_ID

        # beta keeps sending (repeats: counted duplicates) and one bad message; alpha has stopped.
        for second in range(8):
            messages = [(b"b1", ap, [("source", b"beta")])]
            if second == 0:
                messages.append((b"bad", BAD_BODY, [("source", b"beta"), ("content-type", b"application/xml")]))
            produce(kafka_bootstrap, topics.raw, messages)
            time.sleep(1)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _rows(service)["beta"]["outcomes"]["deadlettered"] < 1:
            time.sleep(0.5)
        rows = _rows(service)
        assert rows["alpha"]["state"] == "silent", rows
        assert rows["beta"]["state"] == "ok", rows
        assert rows["alpha"]["outcomes"]["published"] == 1
        assert rows["beta"]["outcomes"]["duplicate"] >= 1 and rows["beta"]["outcomes"]["deadlettered"] == 1

        _, body = service.get("/status")
        doc = json.loads(body)
        (letter,) = [note for note in doc["recent_deadletters"] if note["feed"] == "beta"]
        assert letter["reason"] and letter["where"].startswith(topics.raw)
        assert b"not a news story" not in body.encode()
        metrics = service.metrics()
        assert metrics['newswire_feed_expected_interval_seconds{feed="alpha"}'] == 5
        assert metrics['newswire_feed_messages_total{feed="beta",outcome="deadlettered"}'] == 1

        table = subprocess.run(
            newswire_cmd("feeds", "--url", service.url("/status"), "--check"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env=service.env,
        )
        assert table.returncode == 1, table.stderr  # a silent feed
        lines = {line.split()[0]: line for line in table.stdout.splitlines()[1:]}
        assert lines["alpha"].split()[-1] == "silent" and lines["beta"].split()[-1] == "ok"
        assert table.stdout.splitlines()[0].split()[:3] == ["FEED", "LAST", "SEEN"]

        # The HTML page, as a browser renders it.
        dom = _browse(service.url("/"), tmp_path / "profile-dom", "--dump-dom")
        assert dom.returncode == 0, dom.stderr[-2000:]
        assert "<h2>Feeds</h2>" in dom.stdout and '<tr class="silent"><td>alpha</td><td>silent</td>' in dom.stdout
        assert '<tr class="ok"><td>beta</td><td>ok</td>' in dom.stdout
        assert "not a news story" not in dom.stdout
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        SCREENSHOT.unlink(missing_ok=True)
        shot = _browse(service.url("/"), tmp_path / "profile-shot", f"--screenshot={SCREENSHOT}")
        assert shot.returncode == 0, shot.stderr[-2000:]
        png = SCREENSHOT.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1280
        assert len(png) > 10_000  # a rendered page, not a blank one
    finally:
        service.stop()
