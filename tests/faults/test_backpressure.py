"""Backpressure: a burst of 20,000 raw messages at a worker whose downstream (acks=all publishing) is
slower than the burst. The in-flight window stays within NEWSWIRE_MAX_IN_FLIGHT, memory stays bounded,
and the backlog waits in Kafka (consumer lag) instead of in the worker.

Normalise-only profile (NEWSWIRE_ENRICH_STAGES=""), and identity off (NEWSWIRE_IDENTITY=false) so the
ingest stage publishes stories itself: the worker has no in-flight gauge, and with one stage
`consumed - outcomes` (both counters on /metrics) is exactly the number of messages in flight.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.faults.conftest import (
    Ledger,
    RssSampler,
    drop_topics,
    make_topics,
    metric_total,
    report,
    worker,
)

N = 20_000
LIMIT = 10  # small, so that the window, not the broker, is what holds the consumer back
RSS_GROWTH_LIMIT_MB = 150  # above the idle worker: faust's fetch buffers + the window, not the backlog


@pytest.mark.faults
@pytest.mark.timeout(240)
def test_burst_stays_bounded(kafka_bootstrap: str, tmp_path: Path, rss: RssSampler) -> None:
    topics = make_topics(kafka_bootstrap)
    ledger = Ledger(kafka_bootstrap, topics, n=N, seed=11)
    service = worker(kafka_bootstrap, topics, tmp_path, NEWSWIRE_MAX_IN_FLIGHT=str(LIMIT), NEWSWIRE_IDENTITY="false")
    rss.watch(service)
    time.sleep(1.0)
    rss.sample()
    idle_mb = round(max(rss.last.values()) / 2**20, 1)
    in_flight: list[float] = []
    lag: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                samples = service.metrics()
            except OSError:
                continue
            consumed = metric_total(samples, "newswire_messages_consumed_total")
            done = metric_total(samples, "newswire_messages_outcome_total")
            in_flight.append(consumed - done)
            lag.append(metric_total(samples, "newswire_consumer_lag"))
            stop.wait(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    try:
        ledger.publish()  # the burst: as fast as the producer goes
        burst_s = time.monotonic() - started
        accounting = ledger.wait_accounted(timeout=180)
        drained_s = time.monotonic() - started
    finally:
        stop.set()
        watcher.join(5)
        service.stop()
        ledger.close()
        drop_topics(kafka_bootstrap, topics)
    growth = round(rss.peak_mb - idle_mb, 1)
    report(
        "backpressure",
        {
            **accounting.figures(),
            "max_in_flight_setting": LIMIT,
            "in_flight_peak": max(in_flight, default=-1),
            "consumer_lag_peak": max(lag, default=-1),
            "burst_publish_s": round(burst_s, 1),
            "drained_s": round(drained_s, 1),
            "throughput_per_s": round(N / drained_s),
            "idle_rss_mb": idle_mb,
            "peak_rss_mb": rss.peak_mb,
            "rss_growth_mb": growth,
        },
    )
    accounting.assert_exact()
    assert in_flight and max(in_flight) <= LIMIT + 1, f"in flight beyond the window: {max(in_flight)}"
    assert max(lag) > 1000, "the burst never outran the worker: backpressure was not exercised"
    assert max(in_flight) >= LIMIT // 2, "the in-flight window never filled: backpressure was not exercised"
    assert growth < RSS_GROWTH_LIMIT_MB, f"RSS grew {growth} MB under the burst"
