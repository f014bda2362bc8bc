"""Exactly-once publishing: stories commit in one Kafka transaction with the offsets of their inputs.

Used when `processing_guarantee=exactly_once`. faust then runs one transactional producer per
input partition (transactional id `<group>-<topic group>-<partition>`), consumes with
`isolation.level=read_committed`, and at each commit sends the consumed offsets into that
partition's transaction and commits it. What faust leaves out, done here:

- **Where a story goes.** faust's own send picks the transaction from the *output's* partition,
  which is only right for co-partitioned topics. Our outputs (stories keyed by uri, the one-
  partition identity hand-off, route topics) are not, so `TransactionalSink` publishes through
  the transactional producer of the *input's* partition: the partition of the event being
  processed (faust's `current_event`, the same rule faust uses for table changelogs).
- **What a commit covers.** A commit must not take a story whose input is not yet acked (its
  offset would miss the transaction that made the story visible: a crash right after would
  publish it twice), nor an input whose table writes are still buffered. `CommitGate` lets
  any number of events be in delivery at once, and makes a commit wait until none is, holding
  new ones back meanwhile; the commit then flushes faust's send buffer first, and commits the
  offsets the gate recorded (faust's own reckoning stalls at transaction markers).
- **Rebalances.** An event fetched before a rebalance is neither published nor counted as acked
  after it (faust's `generation_id`): its partition's transaction is gone and the partition is read
  again from the committed offset, so publishing it would put it there twice.

A crash before the commit aborts the open transaction (the restarted worker's producer with the
same transactional id fences the old one): read_committed readers never see its stories, and the
inputs are processed again. A publish failure inside a transaction cannot be retried record by
record; it fails the worker (the transaction aborts, the supervisor restarts it) rather than
commit past a story that is not there. Records Kafka refuses before sending (too large) still
raise `Undeliverable`, so the caller dead-letters them.

Records delivered twice in one generation: after a restart with table state to recover, faust
resumed the flow before its seek to the committed offsets, and records fetched in between came
again after the seek; both copies were processed and committed (4 of 9 kill -9 runs showed an
input twice to a read_committed reader). The seek now comes first (stream/offsets.py), and the
agents take each offset once per generation (stream/rereads.py) as a second guard.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import faust
from aiokafka.errors import KafkaError, MessageSizeTooLargeError, RecordTooLargeError
from faust.exceptions import ProducerSendError
from faust.streams import current_event
from faust.types import TP, EventT

from newswire.stream.envelope import Record
from newswire.stream.sink import Undeliverable

log = logging.getLogger(__name__)


class Revoked(Exception):
    """The input's partition left this worker: its transaction is gone, the next owner redoes it."""


class CommitGate:
    """Many deliveries at once, or one commit; a waiting commit holds new deliveries back.

    It also keeps the offsets to commit: the next offset after each input acked in order, per
    partition this worker owns. faust's own reckoning stops at the offsets taken by transaction
    markers (each commit writes one into every partition its transactions wrote to, the identity
    hand-off included), so the committed offset lagged the published stories and a crash repeated
    them; the agents ack in offset order, so the last ack is the committable point.
    """

    def __init__(self) -> None:
        self._delivering = 0
        self._committing = False
        self._changed = asyncio.Condition()
        self._acked: dict[TP, int] = {}
        self._owned: set[TP] = set()

    def own(self, assigned: set[TP]) -> None:
        self._owned = set(assigned)
        self._acked = {tp: offset for tp, offset in self._acked.items() if tp in self._owned}

    def disown(self, revoked: set[TP]) -> None:
        self._owned -= revoked
        for tp in revoked:
            self._acked.pop(tp, None)  # never committed past what the next generation re-reads

    def acked(self, tp: TP, offset: int) -> None:
        if tp in self._owned:
            self._acked[tp] = offset + 1

    def take(self) -> dict[TP, int]:
        taken, self._acked = self._acked, {}
        return taken

    async def enter(self) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: not self._committing)
            self._delivering += 1

    async def leave(self) -> None:
        async with self._changed:
            self._delivering -= 1
            self._changed.notify_all()

    async def commit(self, run: Callable[[], Awaitable[bool]]) -> bool:
        async with self._changed:
            await self._changed.wait_for(lambda: not self._committing)
            self._committing = True
            try:
                await self._changed.wait_for(lambda: self._delivering == 0)
            except BaseException:
                self._committing = False
                self._changed.notify_all()
                raise
        try:
            return await run()
        finally:
            async with self._changed:
                self._committing = False
                self._changed.notify_all()


class SendBuffer:
    """faust's send-soon buffer (table changelog writes), with the one send it may be in the middle of.

    The buffer's own flush returns once its queue is empty, but its sender task takes a message off
    the queue before sending it, and the flush gives up after 0.1 s without a send: a changelog
    write made for an acked input could then join the *next* transaction, after the commit of the
    story it belongs to (a crash in between kept the story but lost the state that de-duplicates
    it). `drained` waits for both the queue and the send in progress.
    """

    def __init__(self, app: faust.App) -> None:
        producer: Any = app.producer
        self._buffer: Any = producer.buffer
        self._sending = 0
        original = self._buffer._send_pending

        async def counted(fut: Any) -> None:
            self._sending += 1  # taken off the queue: counted before the first await
            try:
                await original(fut)
            finally:
                self._sending -= 1

        # The sender task binds this attribute when it starts, so install before the worker starts.
        self._buffer._send_pending = counted

    @property
    def busy(self) -> bool:
        return bool(self._buffer.size or self._sending)

    async def drained(self, timeout: float = 60.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while self.busy:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("faust's send buffer did not drain; not committing")
            await asyncio.sleep(0.001)


def install_gate(app: faust.App, gate: CommitGate, buffer: SendBuffer | None) -> None:
    """Replace the consumer's commit with one through the gate, of the gate's offsets (once)."""
    consumer: Any = app.consumer
    if getattr(consumer, "_newswire_gated", False):
        return

    async def gated(topics: Any = None, start_new_transaction: bool = True) -> bool:
        async def run() -> bool:
            if buffer is not None:
                await buffer.drained()  # table changelog writes of the acked inputs join this transaction
            await app.producer.flush()
            offsets = gate.take()
            _forget_acks(consumer, offsets)
            if not offsets:
                return False
            # faust's commit of given offsets: skips revoked partitions, commits the transactions, tables.
            return bool(await consumer._commit_offsets(offsets, start_new_transaction=start_new_transaction))

        return await gate.commit(run)

    consumer.force_commit = gated
    consumer._newswire_gated = True


def _forget_acks(consumer: Any, offsets: dict[TP, int]) -> None:
    """Drop faust's own ack records up to the committed offsets (its reckoning is not used here)."""
    for tp, offset in offsets.items():
        acked = consumer._acked.get(tp)
        if acked:
            consumer._acked[tp] = [o for o in acked if o >= offset]
            consumer._acked_index[tp] = {o for o in consumer._acked_index[tp] if o >= offset}


def fresh(app: faust.App, event: EventT[Any]) -> bool:
    """Whether the event was fetched in the consumer group generation this worker is in now."""
    return bool(event.message.generation_id == app.consumer_generation_id)


def transactional_id(app: faust.App, source: TP) -> str:
    """faust's id for the transaction of an input partition (see faust.transport.consumer)."""
    group = app.assignor.group_for_topic(source.topic)
    return f"{app.conf.id}-{group}-{source.partition}"


class TransactionalSink:
    """`Sink`'s interface, publishing inside the transaction of the input being processed."""

    def __init__(self, app: faust.App, on_connectivity: Callable[[bool], None] | None = None) -> None:
        self._app = app
        self._on_connectivity = on_connectivity or (lambda ok: None)

    async def start(self) -> None:
        """faust starts the transactional producers (one per assigned input partition)."""

    async def stop(self) -> None:
        """faust commits and stops them."""

    def _event(self) -> EventT[Any]:
        event = current_event()
        if event is None:
            raise RuntimeError("exactly-once publish outside of an event's processing")
        return event

    async def deliver(self, records: Sequence[Record]) -> None:
        event = self._event()
        if not fresh(self._app, event):
            # Fetched before a rebalance: its partition's transaction was aborted or handed over, and
            # the partition is read again from its committed offset. Publishing it now would put it
            # in the next transaction as well as its re-read copy.
            raise Revoked(f"{event.message.tp} from generation {event.message.generation_id}")
        tid = transactional_id(self._app, TP(event.message.topic, event.message.partition))
        futures = []
        try:
            for record in records:
                futures.append(
                    await self._app.producer.send(
                        record.topic, record.key, record.value, None, None, record.headers, transactional_id=tid
                    )
                )
            await asyncio.gather(*futures)
        except (MessageSizeTooLargeError, RecordTooLargeError) as error:
            # aiokafka refuses these before they join the transaction: dead-letter instead.
            raise Undeliverable(f"{type(error).__name__}") from error
        except ProducerSendError as error:
            if isinstance(error.__cause__, MessageSizeTooLargeError | RecordTooLargeError):
                raise Undeliverable(f"{type(error.__cause__).__name__}") from error
            if not fresh(self._app, event):
                raise Revoked(tid) from error
            # A current input whose partition's producer is gone (fenced, or failed to start): not
            # skipped (later acks would commit past it), the worker stops and its successor redoes it.
            await self._fail(error)
        except KafkaError as error:
            if not fresh(self._app, event):  # e.g. fenced by this worker's own producer of the new generation
                raise Revoked(tid) from error
            await self._fail(error)
        self._on_connectivity(True)

    async def _fail(self, error: BaseException) -> None:
        log.error("exactly-once publish failed (%s); the transaction aborts and the worker stops", error)
        self._on_connectivity(False)
        await self._app.crash(error)
        raise error

    async def reachable(self, timeout: float = 3.0) -> bool:
        producer: Any = getattr(self._app.producer, "_producer", None)
        if producer is None:
            return False
        try:
            await asyncio.wait_for(producer.client.fetch_all_metadata(), timeout)
            return True
        except (KafkaError, TimeoutError, OSError, RuntimeError):
            return False
