"""`NEWSWIRE_TRACE_OFFSETS=true`: one log line (JSON under `serve`) per fetch, ack, seek, commit and gap.

The at-least-once losses fixed in stream/offsets.py were found with hand-made hooks that logged these
five events; this makes them a setting. Each line is logged by `newswire.offsets` at INFO with a
`trace` mapping that logs.JsonFormatter merges into the JSON object:

    {"trace": "fetch",  "topic", "partition", "first", "last", "count"}   records a fetch handed to faust
    {"trace": "ack",    "topic", "partition", "offset", "counted"}        counted: it may be committed
    {"trace": "seek",   "topic", "partition", "offset", "to"?}            aiokafka's next read position
    {"trace": "commit", "topic", "partition", "offset", "committed"}      the offset sent to Kafka
    {"trace": "gap",    "topic", "partition", "first", "last"}            offsets faust will commit over

Installed after the delivery patches, so a fetch line shows what faust really gets and an ack line
whether the processed-acks-only rule counted it. Costs a log line per record: for investigations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer
from faust.transport import consumer as faust_consumer
from faust.transport.drivers import aiokafka as faust_aiokafka

from newswire.stream.guard import replacing

TRACE = logging.getLogger("newswire.offsets")
_installed = False
# (owner, attribute, what was there before the trace wrapped it): for `uninstall`
_replaced: list[tuple[Any, str, Any]] = []


def trace(event: str, topic: str, partition: int, **fields: object) -> None:
    where = f"{topic}/{partition}"
    detail = " ".join(f"{name}={value}" for name, value in fields.items())
    TRACE.info(
        "%s %s %s",
        event,
        where,
        detail,
        extra={"trace": {"trace": event, "topic": topic, "partition": partition, **fields}},
    )


def fetched(records: Mapping[Any, Sequence[Any]]) -> None:
    for tp, batch in records.items():
        if batch:
            trace("fetch", tp.topic, tp.partition, first=batch[0].offset, last=batch[-1].offset, count=len(batch))


def _wrap(owner: Any, name: str, make: Callable[[Any], Any]) -> None:
    original = getattr(owner, name)
    _replaced.append((owner, name, original))
    setattr(owner, name, replacing(make(original), original))


def uninstall() -> None:
    """Put back what `install` wrapped (tests: the wrappers are process-wide and would outlive the test)."""
    global _installed
    while _replaced:
        owner, name, original = _replaced.pop()
        setattr(owner, name, original)
    _installed = False


def install() -> None:
    """Trace every fetch, ack, seek, commit and gap from now on (idempotent; process-wide)."""
    global _installed
    if _installed:
        return

    def getmany(original: Any) -> Any:
        async def traced(self: Any, active_partitions: Any, timeout: float) -> Any:
            records = await original(self, active_partitions, timeout)
            fetched(records)
            return records

        return traced

    def ack(original: Any) -> Any:
        def traced(self: Any, message: Any) -> bool:
            counted = bool(original(self, message))
            trace("ack", message.topic, message.partition, offset=message.offset, counted=counted)
            return counted

        return traced

    def seek(original: Any) -> Any:
        def traced(self: Any, partition: Any, offset: int) -> Any:
            trace("seek", partition.topic, partition.partition, offset=offset)
            return original(self, partition, offset)

        return traced

    def seek_to_committed(original: Any) -> Any:
        async def traced(self: Any, *partitions: Any) -> Any:
            committed = await original(self, *partitions)
            for tp, offset in committed.items():  # aiokafka seeks only where a commit exists (else: reset)
                trace("seek", tp.topic, tp.partition, offset=offset, to="committed" if offset else "reset policy")
            return committed

        return traced

    def commit(original: Any) -> Any:
        async def traced(self: Any, offsets: Mapping[Any, int], *args: Any, **kwargs: Any) -> bool:
            committed = bool(await original(self, offsets, *args, **kwargs))
            for tp, offset in offsets.items():
                trace("commit", tp.topic, tp.partition, offset=offset, committed=committed)
            return committed

        return traced

    def gap(original: Any) -> Any:
        async def traced(self: Any, tp: Any, offset_from: int, offset_to: int) -> None:
            trace("gap", tp.topic, tp.partition, first=offset_from, last=offset_to)
            await original(self, tp, offset_from, offset_to)

        return traced

    _wrap(faust_aiokafka.AIOKafkaConsumerThread, "getmany", getmany)
    _wrap(faust_consumer.Consumer, "ack", ack)
    _wrap(AIOKafkaConsumer, "seek", seek)
    _wrap(AIOKafkaConsumer, "seek_to_committed", seek_to_committed)
    _wrap(faust_consumer.Consumer, "_commit_offsets", commit)
    _wrap(faust_consumer.Consumer, "_add_gap", gap)
    _installed = True
