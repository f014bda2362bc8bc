"""kill -9 the worker five times at random moments mid-stream; nothing is lost, nothing doubled after de-dup.

Run twice: at-least-once (the default; a crash may publish a story again, the same uri, version and
ce_id) and exactly-once (`NEWSWIRE_PROCESSING_GUARANTEE=exactly_once`: stories commit in Kafka
transactions with their inputs' offsets, so a read_committed reader sees no repeat at all, and no
raw input handed to the identity stage twice).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

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


@pytest.mark.faults
@pytest.mark.timeout(420)
@pytest.mark.parametrize("guarantee", ["at_least_once", "exactly_once"])
def test_kill9_mid_stream_five_times(kafka_bootstrap: str, tmp_path: Path, rss: RssSampler, guarantee: str) -> None:
    exactly_once = guarantee == "exactly_once"
    env = {"NEWSWIRE_PROCESSING_GUARANTEE": guarantee}
    topics = make_topics(kafka_bootstrap)
    ledger = Ledger(
        kafka_bootstrap, topics, n=N, isolation_level="read_committed" if exactly_once else "read_uncommitted"
    )
    rng = random.Random()
    service = worker(kafka_bootstrap, topics, tmp_path, **env)
    rss.watch(service)
    # A stream long enough that every kill lands while input is still arriving (5 kills of ~15-25 s each).
    publisher = ledger.publish_paced(150)
    recoveries: list[float] = []
    done_at_kill: list[float] = []
    try:
        for _ in range(KILLS):
            # A random moment once the worker is busy again: 0.5-4 s into processing.
            busy = lambda s=service: outcomes(s) > 0 or not publisher.is_alive()  # noqa: E731
            wait_until(busy, 60, 0.2, "worker processing")
            time.sleep(rng.uniform(0.5, 4.0))
            done_at_kill.append(outcomes(service))
            kill9(service)
            killed = time.monotonic()
            service = worker(kafka_bootstrap, topics, tmp_path, **env)
            rss.watch(service)
            # Processing resumes, or (on a slow machine) the stream already ended and nothing is left.
            resumed = lambda s=service: outcomes(s) > 0 or not publisher.is_alive()  # noqa: E731
            wait_until(resumed, 90, 0.2, "processing after restart")
            recoveries.append(round(time.monotonic() - killed, 1))
        publisher.finish()
        accounting = ledger.wait_accounted(timeout=150)
    finally:
        service.stop()
        ledger.close()
        drop_topics(kafka_bootstrap, topics)
    report(
        "kill9" if not exactly_once else "kill9_exactly_once",
        {
            **accounting.figures(),
            "kills": KILLS,
            "outcomes_in_worker_at_each_kill": done_at_kill,
            "recovery_s_kill_to_first_outcome": recoveries,
            "peak_rss_mb": rss.peak_mb,
            "repeated_inputs": accounting.repeats[:5],  # where each repeat's records sit
        },
    )
    accounting.assert_exact()
    assert accounting.inputs == N
    if exactly_once:
        repeats = "; ".join(accounting.repeats[:5])
        assert accounting.duplicates_before_dedup == 0, f"a read_committed reader saw a story twice: {repeats}"
        assert accounting.raw_redeliveries == 0, f"a raw input was handed to the identity stage twice: {repeats}"
