"""NEWSWIRE_TRACE_OFFSETS: fetch, ack, seek, commit and gap each log one JSON line with its offsets."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import faust
import pytest
from faust.types import TP

from newswire.logs import JsonFormatter
from newswire.stream import guard, offset_trace, offsets

GUARDED = "trace-test.raw"


def _record(offset: int) -> Any:
    fields = {"topic": GUARDED, "partition": 2, "offset": offset, "timestamp": 0, "timestamp_type": 0}
    fields |= {"headers": [], "key": b"k", "value": b"v", "checksum": None}
    return SimpleNamespace(**fields, serialized_key_size=1, serialized_value_size=1)


class _Lines(logging.Handler):
    """The trace's records, as the JSON objects `serve` would write."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[dict[str, Any]] = []
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def traced() -> Iterator[list[dict[str, Any]]]:
    offsets.count_processed_acks_only([GUARDED])
    offset_trace.install()
    handler, logger = _Lines(), offset_trace.TRACE
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        offset_trace.uninstall()


def test_an_ack_line_says_whether_the_ack_counted(traced: list[dict[str, Any]]) -> None:
    app = faust.App("trace-test", broker="kafka://localhost:1")
    app.topics.acking_topics.add(GUARDED)
    stream = app.stream(app.channel())
    skipped, processed = (
        faust.Event(app, b"k", b"v", {}, app.consumer._to_message(TP(GUARDED, 2), _record(o))) for o in (7, 8)
    )

    async def scenario() -> None:
        skipped.ack()  # what a stream does with an event it skips
        await offsets.ack_processed(stream, processed)

    asyncio.run(scenario())
    acks = [line for line in traced if line["trace"] == "ack"]
    assert [(line["offset"], line["counted"]) for line in acks] == [(7, False), (8, True)]
    assert all(line["topic"] == GUARDED and line["partition"] == 2 for line in acks)
    assert all(line["logger"] == "newswire.offsets" for line in acks)


def test_a_gap_line_names_the_offsets_committed_over(traced: list[dict[str, Any]]) -> None:
    app = faust.App("trace-test-gap", broker="kafka://localhost:1")
    asyncio.run(app.consumer._add_gap(TP(GUARDED, 2), 11, 13))
    (gap,) = [line for line in traced if line["trace"] == "gap"]
    assert (gap["topic"], gap["partition"], gap["first"], gap["last"]) == (GUARDED, 2, 11, 13)


def test_a_fetch_line_per_partition(traced: list[dict[str, Any]]) -> None:
    offset_trace.fetched({TP(GUARDED, 2): [_record(3), _record(4), _record(6)], TP(GUARDED, 0): []})
    (fetch,) = [line for line in traced if line["trace"] == "fetch"]
    assert (fetch["first"], fetch["last"], fetch["count"]) == (3, 6, 3)


def test_the_trace_wrappers_leave_the_guard_seeing_the_library_code(traced: list[dict[str, Any]]) -> None:
    assert guard.problems() == []
