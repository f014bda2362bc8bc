"""Only records an agent processed count as acked, and recovery seeks before it fetches (stream/offsets.py).

These run faust's own consumer and recovery objects, without a broker: the consumer's broker calls
in the recovery test are replaced by recorders of their order.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import SimpleNamespace
from typing import Any

import faust
import pytest
from faust.types import TP

from newswire.stream import offsets

GUARDED, OTHER = "offsets-test.raw", "offsets-test.other"


def _record(topic: str, offset: int) -> Any:
    fields = {"topic": topic, "partition": 0, "offset": offset, "timestamp": 0, "timestamp_type": 0}
    fields |= {"headers": [], "key": b"k", "value": b"v", "checksum": None}
    return SimpleNamespace(**fields, serialized_key_size=1, serialized_value_size=1)


@pytest.fixture
def app() -> Any:
    made = faust.App("offsets-test", broker="kafka://localhost:1")  # never connects
    offsets.count_processed_acks_only([GUARDED])
    for topic in (GUARDED, OTHER):
        made.topics.acking_topics.add(topic)  # as faust does for a topic an agent consumes
    return made


def _event(app: Any, topic: str, offset: int) -> Any:
    message = app.consumer._to_message(TP(topic, 0), _record(topic, offset))
    return faust.Event(app, b"k", b"v", {}, message)


def test_a_stream_skip_ack_does_not_count_but_a_processed_ack_does(app: Any) -> None:
    async def scenario() -> tuple[bool, bool, list[int]]:
        stream = app.stream(app.channel())
        skipped, processed = _event(app, GUARDED, 5), _event(app, GUARDED, 6)
        # What faust's Stream.__aiter__ does with an event it skips (flow control suspended, or
        # fetched in an older generation): it acks it.
        skip_counted = skipped.ack()
        processed_counted = await offsets.ack_processed(stream, processed)
        return skip_counted, processed_counted, app.consumer._acked[TP(GUARDED, 0)]

    skip_counted, processed_counted, acked = asyncio.run(scenario())
    assert not skip_counted
    assert processed_counted
    assert acked == [6], "only the processed record's offset may be committed"


def test_topics_not_guarded_are_acked_as_faust_does(app: Any) -> None:
    event = _event(app, OTHER, 9)
    assert event.ack()
    assert app.consumer._acked[TP(OTHER, 0)] == [9]


@pytest.mark.parametrize("path", ["on_recovery_completed", "_resume_streams"])
def test_recovery_seeks_the_stream_partitions_before_it_resumes_them(app: Any, path: str) -> None:
    """Both of faust's ways out of recovery (tables restored; nothing to restore)."""
    calls: list[str] = []
    consumer = app.consumer
    stream_tp, changelog_tp = TP(GUARDED, 0), TP("offsets-test-state-changelog", 0)

    async def perform_seek() -> None:
        calls.append("seek")

    async def maybe_start() -> None:
        calls.append("fetcher")

    consumer.assignment = lambda: {stream_tp, changelog_tp}
    consumer.perform_seek = perform_seek
    consumer.resume_partitions = lambda tps: calls.append(f"resume {sorted(tp.topic for tp in tps)}")
    consumer.resume_flow = lambda: calls.append("flow")
    app.flow_control.resume = lambda: calls.append("flow control (clears the agents' buffers)")
    app._fetcher.maybe_start = maybe_start
    recovery = app.tables.recovery
    recovery._is_changelog_tp = lambda tp: tp == changelog_tp
    recovery._wait = lambda coro, timeout=None: coro  # the service is not started: await the call itself
    offsets.seek_before_resume()

    asyncio.run(getattr(recovery, path)(generation_id=app.consumer_generation_id))

    resume = f"resume {[GUARDED]}"
    assert calls.index("seek") < calls.index(resume), calls
    # Nothing can be fetched into a buffer between the resume and the clearing of the buffers.
    assert calls[calls.index(resume) + 1 :] == ["flow control (clears the agents' buffers)", "flow", "fetcher"], calls


def test_a_fetch_takes_a_copy_of_the_active_partitions_and_none_for_none(app: Any) -> None:
    """aiokafka's `fetched_records` reads an empty set as "every partition"; faust's live set can be
    emptied while a fetch waits (the changelogs paused at the end of recovery)."""
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    offsets.fetch_only_active()
    thread: Any = AIOKafkaConsumerThread(app.consumer)
    thread._consumer = SimpleNamespace(_max_poll_records=50)
    handed: list[Any] = []

    async def call_thread(method: Any, consumer: Any, partitions: Any, **_: Any) -> dict[str, str]:
        handed.append(partitions)
        return {"fetched": "records"}

    thread.call_thread = call_thread
    live = {TP(GUARDED, 0)}

    fetched = asyncio.run(thread.getmany(live, timeout=1.0))
    live.clear()  # faust pauses the partition while aiokafka waits
    assert fetched == {"fetched": "records"}
    assert handed == [{TP(GUARDED, 0)}], "aiokafka must see the partitions active when the fetch started"
    assert asyncio.run(thread.getmany(live, timeout=1.0)) == {}
    assert len(handed) == 1, "nothing may be fetched for an empty set of active partitions"


def _batch(topic: str, partition: int, *offsets: int) -> list[Any]:
    return [SimpleNamespace(topic=topic, partition=partition, offset=offset) for offset in offsets]


def test_undelivered_names_paused_partitions_from_their_first_fetched_offset() -> None:
    paused, active = TP(GUARDED, 0), TP(GUARDED, 1)
    records = {paused: _batch(GUARDED, 0, 359, 360, 367), active: _batch(GUARDED, 1, 12), TP(GUARDED, 2): []}
    unread = offsets.undelivered(records, deliverable=lambda tp: tp == active, same_generation=True)
    assert unread == {paused: 359}
    everything = offsets.undelivered(records, deliverable=lambda tp: True, same_generation=False)
    assert everything == {paused: 359, active: 12}, "a fetch that spanned a rebalance is read again whole"
    assert offsets.undelivered(records, deliverable=lambda tp: True, same_generation=True) == {}


class _Fetcher:
    """aiokafka's fetcher as faust's `_fetch_records` uses it; `during` runs while the fetch waits."""

    def __init__(self, records: dict[Any, list[Any]], during: Any) -> None:
        self._records, self._during, self._closed = records, during, False
        self._subscriptions = SimpleNamespace(fetch_context=contextlib.nullcontext)

    async def fetched_records(self, partitions: Any, timeout: Any = None, max_records: Any = None) -> Any:
        self._during()
        return self._records


def _fetching_thread(app: Any, records: dict[Any, list[Any]], during: Any) -> tuple[Any, list[tuple[Any, int]]]:
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    offsets.fetch_only_active()
    offsets.unread_undelivered()
    seeks: list[tuple[Any, int]] = []
    consumer = SimpleNamespace(_fetcher=_Fetcher(records, during), _closed=False, _max_poll_records=50)
    consumer.seek = lambda tp, offset: seeks.append((tp, offset))
    thread: Any = AIOKafkaConsumerThread(app.consumer)
    thread._consumer = consumer

    async def call_thread(method: Any, *args: Any, **kwargs: Any) -> Any:
        return await method(*args, **kwargs)  # the consumer thread's loop, run here

    thread.call_thread = call_thread
    return thread, seeks


def test_records_of_a_partition_paused_during_the_fetch_are_given_back_to_aiokafka(app: Any) -> None:
    """The traced loss: a fetch returned records of a partition faust had paused for recovery; faust
    dropped them, and aiokafka's next fetch began after them."""
    paused, active = TP(GUARDED, 0), TP(GUARDED, 3)
    app.consumer._set_active_tps({paused, active})
    records = {paused: _batch(GUARDED, 0, 359, 360), active: _batch(GUARDED, 3, 376)}
    thread, seeks = _fetching_thread(app, records, during=lambda: app.consumer.pause_partitions({paused}))

    fetched = asyncio.run(thread.getmany(app.consumer._get_active_partitions(), timeout=1.0))

    assert seeks == [(paused, 359)]
    assert fetched == {active: records[active]}


def test_a_fetch_that_spans_a_rebalance_is_read_again_whole(app: Any) -> None:
    tps = {TP(GUARDED, 0), TP(GUARDED, 1)}
    app.consumer._set_active_tps(tps)
    records = {TP(GUARDED, 0): _batch(GUARDED, 0, 40), TP(GUARDED, 1): _batch(GUARDED, 1, 7, 8)}

    def rebalance() -> None:
        app.consumer_generation_id += 1

    thread, seeks = _fetching_thread(app, records, during=rebalance)
    fetched = asyncio.run(thread.getmany(app.consumer._get_active_partitions(), timeout=1.0))

    assert fetched == {}
    assert sorted(seeks) == [(TP(GUARDED, 0), 40), (TP(GUARDED, 1), 7)]


def test_a_fetch_of_active_partitions_in_one_generation_is_delivered_untouched(app: Any) -> None:
    tps = {TP(GUARDED, 0)}
    app.consumer._set_active_tps(tps)
    records = {TP(GUARDED, 0): _batch(GUARDED, 0, 1, 2, 3)}
    thread, seeks = _fetching_thread(app, records, during=lambda: None)
    assert asyncio.run(thread.getmany(app.consumer._get_active_partitions(), timeout=1.0)) == records
    assert seeks == []


def test_the_worker_iterates_its_streams_with_the_pure_python_iterator(monkeypatch: pytest.MonkeyPatch) -> None:
    """build_app turns faust's compiled iterator off: its acks bypass Consumer.ack (offsets.py, item 5)."""
    from faust import streams
    from faust._cython.streams import StreamIterator  # built for this platform: what faust would use

    from newswire.config import load_settings
    from newswire.stream.service import build_app

    monkeypatch.setattr(streams, "_CStreamIterator", StreamIterator)  # as faust starts out
    app, _ = build_app(load_settings(enrich_stages=()))
    iterator = app.stream(app.channel()).noack().__aiter__()
    assert iterator.ag_code.co_name == "_py_aiter"  # type: ignore[attr-defined]


def test_on_the_iterator_that_runs_a_skipped_event_is_not_counted_and_a_processed_one_is(app: Any) -> None:
    """The agents' own loop (`stream.noack()`, `events()`) over a channel, on the path build_app chooses:
    an event skipped because it was fetched in an older generation is acked by faust's iterator, and that
    ack must not count; the next event, processed and acked through `ack_processed`, counts."""
    offsets.python_stream_iterator()

    async def scenario() -> tuple[list[int], bool]:
        channel = app.channel()
        manual = app.stream(channel).noack()
        skipped, processed = _event(app, GUARDED, 5), _event(app, GUARDED, 6)
        skipped.message.generation_id = app.consumer_generation_id - 1  # fetched before a rebalance
        app.flow_control.resume()
        await channel.put(skipped)
        await channel.put(processed)
        seen: list[int] = []

        async def agent() -> None:
            async for event in manual.events():
                seen.append(event.message.offset)
                await offsets.ack_processed(manual, event)
                return

        await asyncio.wait_for(agent(), 5)
        assert seen == [6], "the older generation's event is skipped, never handed to the agent"
        return list(app.consumer._acked[TP(GUARDED, 0)]), skipped.message.acked

    acked, skipped_marked = asyncio.run(scenario())
    assert acked == [6], "only the processed record's offset may be committed"
    assert not skipped_marked, "the skipped record stays unacked, so a later processed ack can count"
