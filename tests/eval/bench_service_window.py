"""One `newswire serve` worker on a preloaded backlog: outcomes/s and the worker's CPU per outcome
over a fixed window, with worker settings given on the command line (for A/B runs such as the
identity step on or off). Needs the local broker (`deploy/local/kafka up`). Not a test: it prints
one JSON line.

    PYTHONPATH=services .venv/bin/python tests/eval/bench_service_window.py 7000 60 NEWSWIRE_IDENTITY=false

Outcomes are counted where the service counts them (published by the identity step, dead-lettered,
or suppressed), so with identity on, a hand-off backlog shows as fewer outcomes than stories read.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

from newswire.bench import phases
from newswire.bench.corpus import generate
from newswire.bench.runner import _create_topics

BOOTSTRAP = "localhost:9092"
SETTLE_S = 8.0  # after the worker holds its partitions: lingua's first models load, the fetcher fills


def main() -> None:
    stories, window_s = int(sys.argv[1]), float(sys.argv[2])
    worker_env = dict(arg.split("=", 1) for arg in sys.argv[3:])
    run = uuid.uuid4().hex[:6]
    topics = {name: f"window.{run}.{name}" for name in ("raw", "stories", "deadletter")}
    _create_topics(BOOTSTRAP, list(topics.values()), 4)
    phases.load(BOOTSTRAP, topics["raw"], generate(stories, seed=3))
    log_dir = Path(tempfile.mkdtemp())
    workers = phases.start_workers(BOOTSTRAP, topics, 1, f"window-{run}", None, log_dir, extra_env=worker_env)
    try:
        phases._wait_ready(workers, log_dir)
        time.sleep(SETTLE_S)
        worker = workers[0]
        cpu, done, started = worker.cpu_seconds(), worker.outcomes(), time.perf_counter()
        time.sleep(window_s)
        cpu, done = worker.cpu_seconds() - cpu, worker.outcomes() - done
        elapsed = time.perf_counter() - started
    finally:
        phases.stop_workers(workers)
    print(
        json.dumps(
            {
                "worker_env": worker_env,
                "outcomes_per_s": round(done / elapsed, 1),
                "cpu_ms_per_outcome": round(cpu / done * 1000, 2) if done else None,
                "worker_busy_share": round(cpu / elapsed, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
