"""Two workers share the raw topic; the one that also owns the identity stage is killed -9 mid-stream.

The survivor must take over the victim's raw partitions AND the one-partition identity topic with its
faust tables (recovered from the changelog), and finish the stream: loss 0, no duplicate after de-dup.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.faults.conftest import (
    Ledger,
    RssSampler,
    drop_topics,
    kill9,
    make_topics,
    metric_total,
    report,
    wait_until,
    worker,
)
from tests.integration.conftest import Service

N = 2000
PARTITIONS = 4


def sample(service: Service, name: str) -> float:
    try:
        samples = service.metrics()
    except OSError:
        return -1
    return metric_total(samples, name)


def assigned(service: Service) -> float:
    return sample(service, "newswire_assigned_partitions")


def consumed(service: Service) -> float:
    return sample(service, "newswire_messages_consumed_total")


def published(service: Service) -> float:
    """Stories this worker published: only the identity stage's owner publishes stories."""
    try:
        return service.metrics().get('newswire_messages_outcome_total{outcome="published"}', 0.0)
    except OSError:
        return -1


@pytest.mark.faults
@pytest.mark.timeout(240)
def test_survivor_takes_over_a_killed_workers_partitions(kafka_bootstrap: str, tmp_path: Path, rss: RssSampler) -> None:
    topics = make_topics(kafka_bootstrap, partitions=PARTITIONS)
    ledger = Ledger(kafka_bootstrap, topics, n=N)
    first = worker(kafka_bootstrap, topics, tmp_path)
    second = worker(kafka_bootstrap, topics, tmp_path)
    rss.watch(first)
    rss.watch(second)
    try:
        # Both hold raw partitions before the stream starts.
        wait_until(lambda: assigned(first) > 0 and assigned(second) > 0, 60, 0.3, "both workers assigned")
        split = (assigned(first), assigned(second))
        publisher = ledger.publish_paced(30)
        wait_until(lambda: consumed(first) > 100 and consumed(second) > 100, 60, 0.2, "both workers busy")
        wait_until(lambda: published(first) > 0 or published(second) > 0, 30, 0.2, "stories published")
        # The victim is the identity owner: the harder hand-over (raw partitions, identity topic, tables).
        victim, survivor = (first, second) if published(first) > 0 else (second, first)
        victim_consumed = consumed(victim)
        kill9(victim)
        killed = time.monotonic()
        takeover = wait_until(lambda: assigned(survivor) == PARTITIONS, 60, 0.2, "survivor holds every partition")
        wait_until(lambda: published(survivor) > 0, 60, 0.2, "survivor publishing after takeover")
        resumed = time.monotonic() - killed
        publisher.finish()
        accounting = ledger.wait_accounted(timeout=120)
        survivor_consumed = consumed(survivor)
    finally:
        first.stop()
        second.stop()
        ledger.close()
        drop_topics(kafka_bootstrap, topics)
    report(
        "rebalance",
        {
            **accounting.figures(),
            "partitions": PARTITIONS,
            "assignment_before": split,
            "victim_consumed_at_kill": victim_consumed,
            "survivor_consumed_total": survivor_consumed,
            "recovery_s_kill_to_full_assignment": round(takeover, 1),
            "recovery_s_kill_to_publishing": round(resumed, 1),
            "peak_rss_mb": rss.peak_mb,
        },
    )
    accounting.assert_exact()
    assert accounting.inputs == N
