"""What the identity state's upkeep costs with many stories inside the window (72 h holds hundreds
of thousands): one `expire` call (the worker makes one every 1,000 stories) when nothing is due,
one when a tenth is due, and a `rebuild` (once per rebalance). Not a test: it prints figures.

    PYTHONPATH=services .venv/bin/python tests/eval/bench_identity_expire.py [states]
"""

from __future__ import annotations

import sys
import time

from newswire.identity.stage import IdentityStage
from newswire.identity.state import StoryState

NOW = 1_756_900_000.0
WINDOW_S = 72 * 3600.0


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    # A tenth was last seen just outside the window, the rest spread over it.
    states = {
        f"urn:newswire:bench:{index}".encode(): StoryState(
            1,
            1,
            {f"{index:016x}": NOW},
            index,
            last_seen=NOW - WINDOW_S - 60 if index < count // 10 else NOW - WINDOW_S * (count - index) / count,
            handoff=(0, index),
        ).to_json()
        for index in range(count)
    }
    stage = IdentityStage(states, {})
    started = time.perf_counter()
    stage.rebuild(NOW)
    rebuilt = time.perf_counter() - started
    started = time.perf_counter()
    dropped = stage.expire(NOW, limit=count)
    due = time.perf_counter() - started
    started = time.perf_counter()
    none_due = stage.expire(NOW + 1)
    idle = time.perf_counter() - started
    print(f"{count} states: rebuild {rebuilt * 1000:.0f} ms")
    print(f"expire with {dropped} due: {due * 1000:.1f} ms; with {none_due} due: {idle * 1000:.3f} ms")


if __name__ == "__main__":
    main()
