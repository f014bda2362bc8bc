"""Downstream first: buffered identity hand-offs reach their agent before more raw input.

faust hands fetched records to the agents one per event-loop turn, and a turn of the ingest
agent lasts a story's pipeline time (~13 ms). aiokafka returns buffered partitions in the
order it fetched them, draining each before the next, so with a raw backlog buffered the
hand-off partition waited behind every raw record fetched before it: a worker started on a
2,000-story backlog published its first story after 30 s, and nearly all of them only once the
backlog was gone. A burst or a replay then showed nothing downstream for minutes.

With `PRIORITY_POLL_RECORDS` records per poll, each call here first moves the buffered
partitions of the priority topics (the hand-off) to the front of aiokafka's buffer, and the
raw partitions it just took from to the back (round robin between them).

This reaches into faust's aiokafka driver and aiokafka's fetcher buffer (both pinned in
pyproject.toml); if either changes shape the patch turns itself off and logs it once, and
`tests/integration/test_fairness.py` fails.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka

from newswire.stream.guard import replacing

log = logging.getLogger(__name__)

PRIORITY_POLL_RECORDS = 50  # records per poll: ~0.7 s of ingest work before the hand-off is looked at again
# Records buffered per agent (faust's default is 4,096). When the raw buffer is 80% full faust stops
# handing out raw records, so the hand-offs get every turn until it is down to 40%: the identity
# stage keeps up with ingest, and a backlog is held in Kafka, not in the worker (4,096 hand-offs of
# ~15 KB each were 60 MB).
STREAM_BUFFER_RECORDS = 4 * PRIORITY_POLL_RECORDS

_priority_topics: set[str] = set()
_installed = False


def prioritise(topics: Iterable[str]) -> None:
    """Serve these topics' buffered records first (idempotent; process-wide, like faust's driver)."""
    global _installed
    _priority_topics.update(topics)
    if _installed:
        return
    driver: Any = faust_aiokafka.AIOKafkaConsumerThread
    original = getattr(driver, "_fetch_records", None)
    if original is None:
        log.warning("faust's aiokafka driver has no _fetch_records; hand-off priority is off")
        return

    async def fetch_records_downstream_first(
        self: Any, consumer: Any, active_partitions: Any, timeout: float | None = None, max_records: int | None = None
    ) -> Any:
        buffered = getattr(getattr(consumer, "_fetcher", None), "_records", None)
        if isinstance(buffered, OrderedDict):
            for tp in [tp for tp in buffered if tp.topic in _priority_topics]:
                buffered.move_to_end(tp, last=False)
        records = await original(self, consumer, active_partitions, timeout=timeout, max_records=max_records)
        if isinstance(buffered, OrderedDict):
            for tp in records:
                if tp in buffered and tp.topic not in _priority_topics:
                    buffered.move_to_end(tp)
        return records

    driver._fetch_records = replacing(fetch_records_downstream_first, original)
    _installed = True
