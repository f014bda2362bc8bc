"""The exactly-once commit gate: a commit never falls between a story's publication and its input's ack."""

from __future__ import annotations

import asyncio

from faust.types import TP

from newswire.stream.transactional import CommitGate

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
