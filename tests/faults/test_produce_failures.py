"""Produce failures: the stories topic deleted, stories over max.message.bytes, the dead-letter topic unwritable.

One worker, one ledger of N inputs (5% bad, and every 40th good input a story too large for the
stories topic), in phases:

A. normal flow (oversized stories become `too_large` dead letters written by the identity stage);
B. the stories topic is deleted mid-stream: the worker retries, and never commits the identity
   hand-off past a story it could not publish; the topic is re-created and publishing resumes;
C. the dead-letter topic refuses everything (max.message.bytes=64): the worker must stop consuming
   (bounded in-flight window) rather than drop the bad input, commit nothing past it, and answer 503
   on /readyz; the topic is repaired and the same worker resumes by itself (no restart): the stalled
   inputs and the later ones (D) are all accounted for.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.faults.conftest import (
    Ledger,
    RssSampler,
    commits_past_unfinished,
    create_topic,
    delete_topic,
    drop_topics,
    make_topics,
    metric_total,
    report,
    set_topic_config,
    worker,
)
from tests.integration.conftest import Service

N = 2000
STORIES_MAX_BYTES = "20000"  # above aiokafka's 16 kB batches, below the oversized stories (~40 kB)
IN_FLIGHT = 100


def consumed(service: Service) -> float:
    try:
        return metric_total(service.metrics(), "newswire_messages_consumed_total")
    except OSError:
        return -1


def settle(service: Service, quiet: float = 3.0, timeout: float = 40.0) -> float:
    """Wait until the worker's consumed count stops moving for `quiet` seconds; returns it."""
    last, since, started = consumed(service), time.monotonic(), time.monotonic()
    while time.monotonic() - started < timeout:
        time.sleep(0.5)
        now = consumed(service)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return now
    raise AssertionError(f"worker kept consuming for {timeout}s")


@pytest.mark.faults
@pytest.mark.timeout(300)
def test_produce_failures_never_commit_past_unpublished(kafka_bootstrap: str, tmp_path: Path, rss: RssSampler) -> None:
    stories_config = {"max.message.bytes": STORIES_MAX_BYTES}
    topics = make_topics(kafka_bootstrap, stories_config=stories_config)
    ledger = Ledger(kafka_bootstrap, topics, n=N, oversized_every=40)
    a, b, rest = ledger.inputs[:800], ledger.inputs[800:1300], ledger.inputs[1300:]
    # Phase C stalls on ingest-stage dead letters; the rest's oversized stories follow the restart (D).
    c = [item for item in rest if item.reason != "too_large"]
    d = [item for item in rest if item.reason == "too_large"]
    service = worker(kafka_bootstrap, topics, tmp_path, NEWSWIRE_MAX_IN_FLIGHT=str(IN_FLIGHT))
    rss.watch(service)
    figures: dict[str, object] = {}
    try:
        # A: normal flow, with oversized stories.
        ledger.publish(a)
        acc_a = ledger.wait_accounted(timeout=90, keys={item.key for item in a})
        figures["too_large_dead_letters_a"] = sum(1 for item in a if item.reason == "too_large")

        # B: the stories topic disappears mid-stream.
        delete_topic(kafka_bootstrap, topics.stories)
        ledger.publish(b)
        time.sleep(8)
        past_b = commits_past_unfinished(ledger, {item.key for item in a + b})
        figures["b_commits_past_unpublished"] = {k: len(v) for k, v in past_b.items()}
        create_topic(kafka_bootstrap, topics.stories, 3, stories_config)
        recreated = time.monotonic()
        ledger.close()
        ledger._outputs = None  # the new topic: read it from its beginning
        acc_b = ledger.wait_accounted(timeout=90, keys={item.key for item in b})
        figures["b_recovery_s_topic_back_to_accounted"] = round(time.monotonic() - recreated, 1)

        # C: the dead-letter topic refuses every record.
        set_topic_config(kafka_bootstrap, topics.deadletter, {"max.message.bytes": "64"})
        before = consumed(service)
        ledger.publish(c)
        stalled_at = settle(service)
        figures["c_published"] = len(c)
        figures["c_consumed_before_stall"] = stalled_at - before
        past_c = commits_past_unfinished(ledger, {item.key for item in b + c})  # a: in the old stories topic
        figures["c_commits_past_unfinished"] = {k: len(v) for k, v in past_c.items()}
        ready_while_stalled = service.get("/readyz")[0]
        figures["c_readyz_while_stalled"] = ready_while_stalled
        set_topic_config(kafka_bootstrap, topics.deadletter, {"max.message.bytes": "1048588"})
        repaired = time.monotonic()
        ledger.publish(d)
        acc_cd = ledger.wait_accounted(timeout=120, keys={item.key for item in b + c + d})
        figures["c_recovery_s_topic_repaired_to_accounted"] = round(time.monotonic() - repaired, 1)
        figures["c_readyz_after_repair"] = service.get("/readyz")[0]
    finally:
        service.stop()
        ledger.close()
        drop_topics(kafka_bootstrap, topics)
    total = {  # phases A and B+C+D cover the N inputs once
        key: acc_a.figures()[key] + acc_cd.figures()[key]
        for key in ("N", "lost", "duplicates_before_dedup", "duplicates_after_dedup", "raw_redeliveries")
    }
    report(
        "produce_failures",
        {
            **total,
            "phase_a": acc_a.figures(),
            "phase_b": acc_b.figures(),
            "phase_bcd": acc_cd.figures(),
            **figures,
            "peak_rss_mb": rss.peak_mb,
        },
    )
    assert not past_b["raw"] and not past_b["identity"], f"committed past unpublished input: {past_b}"
    assert not past_c["raw"] and not past_c["identity"], f"committed past unfinished input: {past_c}"
    assert stalled_at - before < len(c), "the worker must stop consuming while it cannot dead-letter"
    assert ready_while_stalled == 503, "/readyz must report the worker not ready while it cannot dead-letter"
    assert figures["c_readyz_after_repair"] == 200, "/readyz must recover once the dead-letter topic does"
    for accounting in (acc_a, acc_b, acc_cd):
        accounting.assert_exact()
