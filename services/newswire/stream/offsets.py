"""faust's offset bookkeeping, made to count only records an agent processed.

faust commits, per partition, the offsets its consumer has seen acked. Two of faust's own paths
acked or dropped records no agent had processed, and a commit then went past them: an input
lost. A trace of every fetch, ack, seek and commit in the at-least-once kill -9 test (which lost
1 or 2 inputs of 2,000 in about one run of three, never a hand-off made for them) showed both.

1. **Recovery resumed the stream partitions before seeking them to the committed offsets**
   (`Recovery.on_recovery_completed`; `_resume_streams` when there is no table to restore).
   Records fetched in between were delivered to the agents; the seek set the consumer's read
   offset back to the committed offset; the rest of the batch fetched before the seek set it
   forward again; and the same records fetched once more after the seek fell below it and were
   dropped as already read (`Consumer._drain_messages`). One of them, still in the agent's buffer
   when the flow resumed (faust clears those buffers then), was never processed. The records after
   it were, and faust's commit passes one missing offset at the head of its acked list
   (`_new_offset`: `min(acked) - committed > 1`, room left for a transaction marker).
   `seek_before_resume` makes the seek come first, so nothing is fetched from a position the seek
   then abandons, and nothing fetched waits in a buffer that is cleared.
2. **A fetch could take records of paused partitions.** faust passes its live set of active
   partitions to aiokafka's `fetched_records`, which waits for records of those partitions; when
   faust paused the last of them meanwhile (the changelogs, at the end of recovery), the set was
   empty, and aiokafka reads an empty set as "every partition": it returned the input records it
   had prefetched from before the seek, and faust delivered them once the input partitions were
   resumed. `fetch_only_active` hands aiokafka a copy taken when the fetch starts.
3. **A stream acks the events it skips.** faust's `Stream.__aiter__` acks an event it skips
   because flow control is suspended (a rebalance starting) or because it was fetched in an older
   generation, even on a `noack()` stream, so that offset can be committed before any agent
   processed it. With `count_processed_acks_only`, an ack of a record of the given topics counts
   only when it comes through `ack_processed`, which the agents call once the event's outcome is
   acknowledged by Kafka. (faust also acks a record it cannot decode; the guarded topics use raw
   bytes serializers, which cannot fail, so no record of theirs is left waiting for that ack.)

4. **A fetch could take records faust then dropped.** aiokafka fetches in faust's consumer thread
   while faust's main thread rebalances. A fetch that started before a rebalance returned, in one
   traced run, records of the new assignment that it took right after the recovery's seek (which
   awaits each partition's committed offset in turn), while faust still held those partitions
   paused. faust dropped them (not active), but aiokafka's position had moved past them, so the
   next fetch began after them; faust took the jump for a gap in the log (transaction markers) and
   committed over it. The one record never processed was lost (in the scaling test, the worker
   that kept its partitions through a rebalance: one or two inputs of 3,000 in 3 of 6 local runs).
   `unread_undelivered` gives such records back to aiokafka (a seek to the first of them, in the
   consumer thread, before anything else can fetch), and drops a whole fetch that returns to
   faust after the generation changed (taken before the change, so the new generation's seek
   reads them again).

5. **One ack path.** faust iterates a stream with its compiled `StreamIterator` when the extension is
   built, else with the pure-Python `Stream._py_aiter`. The compiled iterator's `after` writes faust's
   ack bookkeeping (`_acked`, `_acked_index`) itself instead of calling `Consumer.ack`, so an ack made
   there never meets `count_processed_acks_only`; and the two paths differ (the compiled one leaves an
   event skipped by flow control unacked, the Python one acks it through `Consumer.ack`, where the rule
   drops it). Its source, a compiled module, cannot be fingerprinted either (stream/guard.py).
   `python_stream_iterator` turns the compiled path off on purpose, so every ack of every stream goes
   through `Consumer.ack`: one path, the one the tests run. It costs nothing measurable here: 21-33 µs
   an item either way on this machine (a story's pipeline takes ~11,000 µs).

All five patch faust (pinned exactly in pyproject.toml); `newswire serve` refuses to start when faust,
aiokafka or mode, or any function these patches rely on, differ from what they were written for
(stream/guard.py). `tests/unit/test_offsets.py` covers each patch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from aiokafka.errors import IllegalStateError
from faust import streams as faust_streams
from faust.tables import recovery as faust_recovery
from faust.transport import consumer as faust_consumer
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import EventT, StreamT

from newswire.stream.guard import replacing

log = logging.getLogger(__name__)

_PROCESSED: ContextVar[bool] = ContextVar("newswire_processed_ack", default=False)
_guarded_topics: set[str] = set()
_installed: set[str] = set()


async def ack_processed(stream: StreamT[Any], event: EventT[Any]) -> bool:
    """Ack an event an agent has finished with: the only kind of ack that counts for guarded topics."""
    token = _PROCESSED.set(True)
    try:
        return bool(await stream.ack(event))
    finally:
        _PROCESSED.reset(token)


def count_processed_acks_only(topics: Iterable[str]) -> None:
    """Ignore acks of these topics' records that do not come through `ack_processed` (idempotent)."""
    _guarded_topics.update(topics)
    if "ack" in _installed:
        return
    consumer_class: Any = faust_consumer.Consumer
    original = consumer_class.ack

    def ack(self: Any, message: Any) -> bool:
        if message.topic in _guarded_topics and not _PROCESSED.get():
            return False  # skipped by a stream, not processed: its offset must not be committed
        return bool(original(self, message))

    consumer_class.ack = replacing(ack, original)
    _installed.add("ack")


def python_stream_iterator() -> None:
    """Iterate every faust stream with the pure-Python iterator, whose acks all go through
    `Consumer.ack` (see item 5 of the module docstring). Process-wide, like faust's own choice."""
    faust_streams._CStreamIterator = None  # type: ignore[attr-defined]  # read by Stream.__aiter__ per iteration


def fetch_only_active() -> None:
    """Give aiokafka a copy of faust's active partitions when a fetch starts, and fetch nothing for
    none (aiokafka takes an empty set to mean every partition, paused ones included)."""
    if "fetch" in _installed:
        return
    driver: Any = faust_aiokafka.AIOKafkaConsumerThread
    original = driver.getmany

    async def getmany(self: Any, active_partitions: Any, timeout: float) -> Any:
        if active_partitions is not None:
            active_partitions = set(active_partitions)  # faust's live set may be emptied during the wait
            if not active_partitions:
                return {}
        return await original(self, active_partitions, timeout)

    driver.getmany = replacing(getmany, original)
    _installed.add("fetch")


def undelivered(
    records: Mapping[Any, Sequence[Any]], deliverable: Callable[[Any], bool], same_generation: bool
) -> dict[Any, int]:
    """The partitions of a fetch that faust will not hand to an agent, each with the offset to fetch
    it again from: all of them when the generation changed during the fetch, else those faust no
    longer takes records of (paused by a rebalance)."""
    return {tp: batch[0].offset for tp, batch in records.items() if batch and not (same_generation and deliverable(tp))}


def _deliverable(faust_consumer: Any) -> Callable[[Any], bool]:
    """faust's own test in `Consumer.getmany`: an active partition, or one whose agent buffer is full."""
    active = faust_consumer._active_partitions
    buffered = faust_consumer._buffered_partitions
    return lambda tp: active is None or tp in active or tp in buffered


def unread_undelivered() -> None:
    """Seek aiokafka back over fetched records faust would drop, and drop (unread) a fetch that comes
    back to faust in a newer generation than it started in (idempotent)."""
    if "unread" in _installed:
        return
    driver: Any = faust_aiokafka.AIOKafkaConsumerThread
    fetch_original = getattr(driver, "_fetch_records", None)
    getmany_original = driver.getmany
    if fetch_original is None:
        log.warning("faust's aiokafka driver has no _fetch_records; unread-undelivered is off")
        return

    async def getmany(self: Any, active_partitions: Any, timeout: float) -> Any:
        app = self.consumer.app
        generation = app.consumer_generation_id
        self._newswire_fetch_generation = generation  # one fetch at a time: faust's single fetcher loop
        records = await getmany_original(self, active_partitions, timeout)
        if records and app.consumer_generation_id != generation:
            # Taken before the generation changed (else `fetch_records` gave them back): the new
            # generation's recovery seeks to the committed offsets after the change.
            log.info("dropped a fetch of %d partition(s) that spanned a rebalance", len(records))
            return {}
        return records

    async def fetch_records(
        self: Any, consumer: Any, active_partitions: Any, timeout: float | None = None, max_records: int | None = None
    ) -> Any:
        records = await fetch_original(self, consumer, active_partitions, timeout=timeout, max_records=max_records)
        faust_consumer = self.consumer
        started = getattr(self, "_newswire_fetch_generation", None)
        same_generation = started is None or started == faust_consumer.app.consumer_generation_id
        unread = undelivered(records, _deliverable(faust_consumer), same_generation)
        for tp, offset in unread.items():
            # Revoked meanwhile: its next owner reads from the committed offset. Otherwise this thread,
            # with no await since the fetch returned: nothing can be fetched in between.
            with contextlib.suppress(IllegalStateError):
                consumer.seek(tp, offset)
        if unread:
            where = ", ".join(f"{tp.topic}/{tp.partition}@{offset}" for tp, offset in unread.items())
            log.info("gave back records fetched while a rebalance paused their partitions: %s", where)
            return {tp: batch for tp, batch in records.items() if tp not in unread}
        return records

    driver.getmany = replacing(getmany, getmany_original)
    driver._fetch_records = replacing(fetch_records, fetch_original)
    _installed.add("unread")


def seek_before_resume() -> None:
    """Make faust's recovery seek the stream partitions to their committed offsets before it
    resumes fetching them (faust 0.15 does it the other way round, in both of its paths: after
    restoring tables, and with nothing to restore)."""
    if "resume" in _installed:
        return
    recovery_class: Any = faust_recovery.Recovery
    wanted = {"resume_partitions", "perform_seek", "on_rebalance_complete", "flow_control"}
    for name in ("on_recovery_completed", "_resume_streams"):
        if not wanted <= set(getattr(recovery_class, name).__code__.co_names):
            log.warning("faust's Recovery.%s changed shape; seek-before-resume is off", name)
            return
    recovery_class.on_recovery_completed = replacing(recovery_completed, recovery_class.on_recovery_completed)
    recovery_class._resume_streams = replacing(resume_streams, recovery_class._resume_streams)
    _installed.add("resume")


async def _seek_then_resume(recovery: Any) -> None:
    """Seek the stream partitions, then resume them, then the flow: with no await between the resume
    and the flow's resume, which clears the agents' buffers, nothing fetched can be cleared unread."""
    app, consumer = recovery.app, recovery.app.consumer
    assignment = consumer.assignment()
    if assignment:
        recovery.log.info("Seek stream partitions to committed offsets.")
        await recovery._wait(consumer.perform_seek(), timeout=app.conf.broker_request_timeout)
        consumer.resume_partitions({tp for tp in assignment if not recovery._is_changelog_tp(tp)})
    else:
        recovery.log.info("Resuming streams with empty assignment")
    recovery.completed.set()
    recovery.log.info("Resuming flow...")
    app.flow_control.resume()
    consumer.resume_flow()
    await app._fetcher.maybe_start()


async def recovery_completed(self: Any, generation_id: int = 0) -> None:
    """faust 0.15's `Recovery.on_recovery_completed` (tables restored) with the seek first."""
    self.log.info("Restore complete!")
    await self.app.on_rebalance_complete.send()
    self._set_recovery_ended()
    callbacks = [
        asyncio.ensure_future(
            table.on_recovery_completed(self.actives_for_table[table], self.standbys_for_table[table])
        )
        for table in self.tables.values()
    ]
    if callbacks:
        await asyncio.wait(callbacks)
    if self.app.consumer_generation_id != generation_id:
        self.log.warning(f"Recovery rebalancing again app id {self.app.consumer_generation_id} param {generation_id}")
        return
    await _seek_then_resume(self)
    self.tables.on_actives_ready()
    if not self.app.assignor.assigned_standbys():
        self.tables.on_standbys_ready()
    self.app.on_rebalance_end()
    self.log.info("Worker ready")


async def resume_streams(self: Any, generation_id: int = 0) -> None:
    """faust 0.15's `Recovery._resume_streams` (nothing to restore) with the seek first."""
    await self.app.on_rebalance_complete.send()
    if self.app.consumer_generation_id != generation_id:
        self.log.warning("Recovery rebalancing again")
        return
    await _seek_then_resume(self)
    self.tables.on_actives_ready()
    self.tables.on_standbys_ready()
    self.app.on_rebalance_end()
    self.log.info("Worker ready")
