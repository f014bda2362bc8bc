"""Cost per message of feed health bookkeeping and trace-context propagation (issue 22).

    PYTHONPATH=services .venv/bin/python tests/eval/bench_ops.py

Best of 7 repeats of 20,000 calls each (a shared machine: the minimum is the cost, the rest is noise).
"""

from __future__ import annotations

import timeit

from newswire.metrics import Metrics
from newswire.ops.feeds import FeedHealth, parse_feeds
from newswire.stream.envelope import Record
from newswire.stream.tracing import traced

feeds = FeedHealth(parse_feeds("efe=10m, ap=2m, afp=5m"), Metrics())
rec = [Record("news.stories", b"k", b"v" * 3000, [("ce_id", b"x")] * 9)]
hdrs = {"traceparent": b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "source": b"efe"}
N = 20_000
t1 = min(timeit.repeat(lambda: feeds.record("efe", "published", 1.8e9), number=N, repeat=7)) / N
t2 = min(timeit.repeat(lambda: traced(rec, hdrs), number=N, repeat=7)) / N
print(f"feed health record: {t1 * 1e6:.1f} us per message; traced(): {t2 * 1e6:.1f} us per message")
