"""Exactly-once (optional): test 1 (kill -9 five times) with faust's processing_guarantee="exactly_once";
a read_committed reader of the outputs must then see no raw redelivery at all.

newswire has no such option today, and it cannot be a configuration flag alone: stories and dead
letters are written by the service's own idempotent, non-transactional producer (stream/sink.py) with
manual in-order acks. faust's exactly_once wraps only faust's producer (table changelogs, the identity
hand-off would need to move onto it too) and the consumer offsets in transactions; a story written by
the sink is visible to read_committed readers at once, outside any transaction, so a crash between its
acknowledgement and the offset commit still redelivers the raw message. Exactly-once needs the sink to
publish through the transactional producer of the input's partition, so that each story and the
offset of its input commit together (one transaction per commit interval, per partition) — a redesign
of the publishing path. Until then this test is an expected failure, and turns into an XPASS on its
own once a `processing_guarantee` setting exists and delivers.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from newswire.config import Settings
from tests.faults.conftest import (
    Ledger,
    RssSampler,
    drop_topics,
    kill9,
    make_topics,
    outcomes,
    report,
    wait_until,
    worker,
)

N = 2000
KILLS = 5
REASON = (
    "no exactly-once mode: the sink publishes with its own non-transactional idempotent producer and manual "
    "acks, outside faust's transactions (see the module docstring)"
)


@pytest.mark.faults
@pytest.mark.xfail(reason=REASON, strict=False)
@pytest.mark.timeout(300)
def test_exactly_once_kill9_read_committed_sees_no_redelivery(
    kafka_bootstrap: str, tmp_path: Path, rss: RssSampler
) -> None:
    if "processing_guarantee" not in Settings.model_fields:
        pytest.xfail("newswire.config.Settings has no processing_guarantee setting")
    topics = make_topics(kafka_bootstrap)
    ledger = Ledger(kafka_bootstrap, topics, n=N, isolation_level="read_committed")
    env = {"NEWSWIRE_PROCESSING_GUARANTEE": "exactly_once"}
    rng = random.Random()
    service = worker(kafka_bootstrap, topics, tmp_path, **env)
    rss.watch(service)
    publisher = ledger.publish_paced(45)
    recoveries: list[float] = []
    try:
        for _ in range(KILLS):
            wait_until(lambda s=service: outcomes(s) > 0, 60, 0.2, "worker processing")
            time.sleep(rng.uniform(0.5, 4.0))
            kill9(service)
            killed = time.monotonic()
            service = worker(kafka_bootstrap, topics, tmp_path, **env)
            rss.watch(service)
            wait_until(lambda s=service: outcomes(s) > 0, 90, 0.2, "processing after restart")
            recoveries.append(round(time.monotonic() - killed, 1))
        publisher.finish()
        accounting = ledger.wait_accounted(timeout=150)
    finally:
        service.stop()
        ledger.close()
        drop_topics(kafka_bootstrap, topics)
    report(
        "exactly_once_kill9",
        {**accounting.figures(), "kills": KILLS, "recovery_s": recoveries, "peak_rss_mb": rss.peak_mb},
    )
    accounting.assert_exact()
    assert accounting.duplicates_before_dedup == 0, "a read_committed reader saw duplicate outputs"
    assert accounting.raw_redeliveries == 0, "raw messages were processed more than once"
