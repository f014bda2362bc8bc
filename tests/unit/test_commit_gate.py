"""The exactly-once commit gate: a commit never falls between a story's publication and its input's ack."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from faust.types import TP

from newswire.stream.transactional import CommitGate, SendBuffer

RAW0, RAW1 = TP("raw", 0), TP("raw", 1)


def test_commit_waits_for_deliveries_and_holds_new_ones_back() -> None:
    async def scenario() -> list[str]:
        gate, order = CommitGate(), []
        await gate.enter()  # an event is being delivered

        async def commit() -> bool:
            order.append("commit")
            return True

        committing = asyncio.ensure_future(gate.commit(commit))
        await asyncio.sleep(0.01)
        assert not committing.done(), "the commit ran while an event was still in delivery"
        late = asyncio.ensure_future(gate.enter())  # arrives while the commit waits
        await asyncio.sleep(0.01)
        assert not late.done(), "a new delivery started while a commit was waiting"
        order.append("ack")
        await gate.leave()
        await committing
        await late
        order.append("late delivery")
        await gate.leave()
        return order

    assert asyncio.run(scenario()) == ["ack", "commit", "late delivery"]


def test_offsets_are_the_next_after_the_last_ack_of_owned_partitions_only() -> None:
    gate = CommitGate()
    gate.own({RAW0, RAW1})
    gate.acked(RAW0, 41)
    gate.acked(RAW0, 42)
    gate.acked(RAW1, 7)
    gate.acked(TP("raw", 2), 99)  # not ours: never committed
    assert gate.take() == {RAW0: 43, RAW1: 8}
    assert gate.take() == {}, "offsets are taken once"


def test_a_revoked_partition_is_not_committed_past_what_its_next_owner_rereads() -> None:
    gate = CommitGate()
    gate.own({RAW0, RAW1})
    gate.acked(RAW0, 10)
    gate.acked(RAW1, 20)
    gate.disown({RAW1})
    gate.acked(RAW1, 21)  # a late ack from the old generation
    assert gate.take() == {RAW0: 11}


class _FakeSendBuffer:
    """The shape of faust's ProducerBuffer that SendBuffer relies on: a queue, and a slow send."""

    def __init__(self) -> None:
        self.pending: asyncio.Queue[str] = asyncio.Queue()
        self.sent: list[str] = []

    @property
    def size(self) -> int:
        return self.pending.qsize()

    async def _send_pending(self, fut: str) -> None:
        await asyncio.sleep(0.05)
        self.sent.append(fut)

    async def handle_pending(self) -> None:  # faust's sender task: binds the send when it starts
        send_pending = self._send_pending
        while True:
            await send_pending(await self.pending.get())


def test_send_buffer_is_drained_only_once_the_send_taken_off_the_queue_is_done() -> None:
    async def scenario() -> None:
        fake = _FakeSendBuffer()
        buffer = SendBuffer(SimpleNamespace(producer=SimpleNamespace(buffer=fake)))  # type: ignore[arg-type]
        sender = asyncio.ensure_future(fake.handle_pending())
        fake.pending.put_nowait("changelog write")
        await asyncio.sleep(0.01)
        assert fake.size == 0 and buffer.busy, "taken off the queue but not sent yet: still busy"
        await buffer.drained()
        assert fake.sent == ["changelog write"] and not buffer.busy
        sender.cancel()

    asyncio.run(scenario())
