"""The benchmark runs end to end on the real broker and reports sane, non-zero figures (not speed)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from kafka import KafkaAdminClient

from newswire.bench.runner import run


def test_bench_smoke_reports_every_phase(kafka_bootstrap: str, tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    report = run(
        kafka_bootstrap,
        stories=60,
        partitions=3,
        profiles=["normalise"],
        worker_counts=[1],
        latency_seconds=0,
        out=out,
        soak_stories=40,
    )
    assert json.loads(out.read_text()) == report
    assert report["corpus"]["messages"] == 60
    assert report["corpus"]["words_min"] >= 200
    assert report["ceiling"]["messages"] == 60 and report["ceiling"]["per_s"] > 0
    figures = report["profiles"]["normalise"]
    assert figures["in_process"]["stories"] == 60
    assert figures["in_process"]["stories_per_s"] > 0 and figures["in_process"]["cpu_ms_per_story"] > 0
    assert {"parse", "normalise"} <= set(figures["in_process"]["stages"])
    assert figures["baseline"]["messages"] == 60 and figures["baseline"]["per_s"] > 0
    service = figures["service"]["1"]
    assert service["peak_rss_mb"][0] > 20
    assert 0 <= service["machine_busy_share"] <= 1  # 0 when the load was done before the window opened
    assert report["machine"]["cores"] >= 1 and report["machine"]["versions"]["newswire"] != "absent"
    soak = report["soak"]
    assert soak["stories"] == 40 and soak["stories_per_s"] > 0
    assert soak["peak_rss_mb"] > 20 and len(soak["rss_mb_every_tenth"]) == 9
    # The run cleans up after itself: its topics and its worker groups' internal topics are gone.
    run_id = report["run"]
    deleted = set(report["topics_deleted"])
    assert f"bench.{run_id}.raw" in deleted and f"bench.{run_id}.stories" in deleted
    assert any(name.endswith(".identity") for name in deleted), "the service phase's hand-off topic"
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    try:
        deadline = time.monotonic() + 60
        while (left := [name for name in admin.list_topics() if run_id in name]) and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        admin.close()
    assert not left, f"topics of the run still listed: {left}"
