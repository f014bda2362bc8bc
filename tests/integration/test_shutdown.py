"""SIGTERM in the middle of a stream: the worker stops taking messages, lets what is in flight be
published and acknowledged, commits, and exits 0; a restarted worker finishes the rest, and every
input comes out as one story."""

from __future__ import annotations

import time
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition

from tests.integration.conftest import Topics, payload, start_service
from tests.integration.test_scaling import publish

N = 800
WORKER_ENV = {"NEWSWIRE_ENRICH_STAGES": ""}


def test_sigterm_mid_stream_finishes_in_flight_work_and_loses_nothing(
    kafka_bootstrap: str, topics: Topics, tmp_path: Path
) -> None:
    first = start_service(kafka_bootstrap, topics, tmp_path, **WORKER_ENV)
    publish(kafka_bootstrap, topics.raw, range(N))
    deadline = time.monotonic() + 60
    while (
        time.monotonic() < deadline
        and sum(value for key, value in first.metrics().items() if key.startswith("newswire_messages_outcome_total"))
        < N // 8
    ):
        time.sleep(0.05)
    assert first.stop() == 0, "SIGTERM: graceful stop, exit 0"
    log = first.log_path.read_text(errors="replace")
    assert "sink used before start" not in log
    assert "still in flight at shutdown" not in log

    expected = {f"Scaling test story {number:06d}" for number in range(N)}
    second = start_service(kafka_bootstrap, topics, tmp_path, **WORKER_ENV)
    consumer = KafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=None)
    partitions = [TopicPartition(topics.stories, p) for p in consumer.partitions_for_topic(topics.stories) or []]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    headlines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while set(headlines) != expected and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                headlines.extend(payload(record)["headlines"][0]["value"] for record in batch)
    finally:
        consumer.close()
        assert second.stop() == 0
    assert set(headlines) == expected, f"lost: {sorted(expected - set(headlines))[:5]}"
    # Offsets were committed for everything finished before the stop: the restart redid little or nothing.
    assert len(headlines) - N <= 50, f"{len(headlines) - N} stories published twice"
