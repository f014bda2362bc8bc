"""A worker killed with kill -9 and restarted at once publishes again within 15 s, at the production
defaults (group timing, full enrichment), and loses nothing.

Measured from the kill to the first story the restarted worker publishes (the stories topic grows
again; nothing else writes to it). Before NEWSWIRE_SESSION_TIMEOUT_S existed faust's 60 s session
applied, and this took ~96 s: the restarted worker's join waited for the dead one's session to end.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.faults.conftest import Ledger, RssSampler, drop_topics, kill9, make_topics, outcomes, report, wait_until
from tests.integration.conftest import end_offsets, start_service

N = 300
BAR_S = 15.0
# Only what the fault harness needs (dead letters of 200 kB inputs); every group setting and the
# enrichment stages are the defaults.
ENV = {"NEWSWIRE_MAX_MESSAGE_BYTES": "200000"}


@pytest.mark.faults
@pytest.mark.timeout(420)
@pytest.mark.parametrize("membership", ["dynamic", "static"])
def test_a_restarted_worker_publishes_again_within_15s(
    kafka_bootstrap: str, tmp_path: Path, rss: RssSampler, membership: str
) -> None:
    topics = make_topics(kafka_bootstrap)
    ledger = Ledger(kafka_bootstrap, topics, n=N)
    # static: NEWSWIRE_GROUP_INSTANCE_ID, the same name before and after the restart (as a pod keeps its name)
    env = {**ENV, **({"NEWSWIRE_GROUP_INSTANCE_ID": f"{topics.group}-worker-0"} if membership == "static" else {})}
    service = start_service(kafka_bootstrap, topics, tmp_path, **env)
    rss.watch(service)
    publisher = ledger.publish_paced(60)  # a stream that is still flowing when the worker comes back
    try:
        wait_until(lambda: outcomes(service) > 5, 90, 0.2, "worker processing")
        kill9(service)
        killed = time.monotonic()
        before = sum(end_offsets(kafka_bootstrap, topics.stories).values())
        # Started in a thread: start_service returns once /readyz says ready, and the worker may publish
        # before that (readiness also waits for the broker check), so publication is watched meanwhile.
        with ThreadPoolExecutor(1) as pool:
            starting = pool.submit(start_service, kafka_bootstrap, topics, tmp_path, **env)
            published = lambda: sum(end_offsets(kafka_bootstrap, topics.stories).values()) > before  # noqa: E731
            try:
                wait_until(published, 120, 0.1, "a story from the restarted worker")
                publishing_s = time.monotonic() - killed
            finally:
                service = starting.result(timeout=120)  # stopped below, whatever happened
        ready_s = max(0.0, time.monotonic() - killed)
        rss.watch(service)
        publisher.finish()
        accounting = ledger.wait_accounted(timeout=240)
    finally:
        service.stop()
        ledger.close()
        drop_topics(kafka_bootstrap, topics)
    report(
        f"restart_time_{membership}",
        {
            **accounting.figures(),
            "kill_to_publishing_s": round(publishing_s, 1),
            "kill_to_ready_by_s": round(ready_s, 1),
        },
    )
    accounting.assert_exact()
    assert publishing_s < BAR_S, f"kill -9 to publishing again took {publishing_s:.1f} s"
