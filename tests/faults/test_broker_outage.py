"""A PRIVATE broker is stopped for 30 s mid-stream and restarted on the same port and data directory.

The worker keeps running and retrying; /readyz answers 503 while it is cut off and 200 again after;
it resumes without a restart and every input is accounted for.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.faults.conftest import (
    Ledger,
    PrivateKafka,
    RssSampler,
    make_topics,
    outcomes,
    report,
    wait_until,
    worker,
)

N = 2000
OUTAGE_S = 30.0


def ready_status(service) -> int:  # type: ignore[no-untyped-def]
    try:
        return service.get("/readyz")[0]
    except OSError:
        return -1


@pytest.mark.faults
@pytest.mark.timeout(360)
def test_worker_rides_out_a_30s_broker_outage(private_kafka: PrivateKafka, tmp_path: Path, rss: RssSampler) -> None:
    bootstrap = private_kafka.bootstrap
    topics = make_topics(bootstrap)
    ledger = Ledger(bootstrap, topics, n=N)
    # Small in-flight window and paced input, so the outage lands mid-stream with work queued.
    service = worker(bootstrap, topics, tmp_path, NEWSWIRE_MAX_IN_FLIGHT="100")
    rss.watch(service)
    pid = service.process.pid
    statuses: list[tuple[float, int]] = []
    try:
        ledger.publish(ledger.inputs[: N // 2])
        wait_until(lambda: outcomes(service) >= N // 4, 60, 0.1, "mid-stream")
        at_outage = outcomes(service)
        private_kafka.down()
        stopped = time.monotonic()
        while time.monotonic() - stopped < OUTAGE_S:
            statuses.append((round(time.monotonic() - stopped, 1), ready_status(service)))
            time.sleep(0.5)
        stuck = outcomes(service)
        restart_took = private_kafka.up()
        back = time.monotonic()
        ledger.publish(ledger.inputs[N // 2 :])  # the rest of the stream arrives once the broker is back
        ready_again = wait_until(lambda: ready_status(service) == 200, 90, 0.3, "/readyz 200 after the outage")
        wait_until(lambda: outcomes(service) > stuck, 90, 0.3, "processing after the outage")
        resumed = time.monotonic() - back
        accounting = ledger.wait_accounted(timeout=120)
        same_process = service.process.poll() is None and service.process.pid == pid
        log = service.log_path.read_text(errors="replace")
    finally:
        service.stop()
        ledger.close()
    codes_while_down = [code for _, code in statuses]
    first_503 = next((t for t, code in statuses if code == 503), None)
    report(
        "broker_outage",
        {
            **accounting.figures(),
            "outage_s": OUTAGE_S,
            "outcomes_at_outage": at_outage,
            "outcomes_at_end_of_outage": stuck,
            "readyz_first_503_after_s": first_503,
            "readyz_503_share_while_down": round(codes_while_down.count(503) / max(1, len(codes_while_down)), 2),
            "broker_restart_s": round(restart_took, 1),
            "recovery_s_broker_up_to_ready": round(ready_again, 1),
            "recovery_s_broker_up_to_processing": round(resumed, 1),
            "retry_warnings_in_log": log.count("will retry") + log.count("retrying"),
            "worker_restarted": not same_process,
            "peak_rss_mb": rss.peak_mb,
        },
    )
    assert same_process, "the worker must ride out the outage without a restart"
    assert first_503 is not None and first_503 <= 15, f"/readyz never (or late) 503 while cut off: {statuses}"
    # Once it noticed, it stays not-ready for the rest of the outage.
    assert all(code == 503 for t, code in statuses if t >= first_503), statuses
    accounting.assert_exact()
