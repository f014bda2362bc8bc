"""In-flight events are acked in arrival order, and never when fetched before a rebalance."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from newswire.stream.service import InFlight


class _Stream:
    def __init__(self) -> None:
        self.acked: list[int] = []

    async def ack(self, event: Any) -> bool:
        self.acked.append(event.message.offset)
        return True


def _event(offset: int, generation: int) -> Any:
    return SimpleNamespace(message=SimpleNamespace(offset=offset, generation_id=generation, tp=("raw", 0)))


def test_acks_follow_arrival_order_not_completion_order() -> None:
    async def scenario() -> list[int]:
        stream = _Stream()
        in_flight = InFlight(stream, limit=10)  # type: ignore[arg-type]
        outcomes = [asyncio.get_running_loop().create_future() for _ in range(3)]
        for offset, outcome in enumerate(outcomes):
            await in_flight.add(_event(offset, 1), outcome)
        outcomes[2].set_result("published")
        outcomes[1].set_result("published")
        await asyncio.sleep(0.01)
        assert stream.acked == [], "acked before the first event's outcome was known"
        outcomes[0].set_result("published")
        await in_flight.drain(1.0)
        return stream.acked

    assert asyncio.run(scenario()) == [0, 1, 2]


def test_an_event_fetched_before_a_rebalance_is_not_acked() -> None:
    async def scenario() -> list[int]:
        stream, generation = _Stream(), {"now": 1}
        in_flight = InFlight(
            stream,  # type: ignore[arg-type]
            limit=10,
            fresh=lambda event: bool(event.message.generation_id == generation["now"]),
        )
        first, second = asyncio.get_running_loop().create_future(), asyncio.get_running_loop().create_future()
        await in_flight.add(_event(7, 1), first)
        await in_flight.add(_event(8, 1), second)
        first.set_result("published")
        await asyncio.sleep(0.01)
        generation["now"] = 2  # a rebalance: offset 8 will be read again from the committed offset
        second.set_result("published")
        reread = asyncio.get_running_loop().create_future()
        await in_flight.add(_event(8, 2), reread)
        reread.set_result("published")
        await in_flight.drain(1.0)
        return stream.acked

    assert asyncio.run(scenario()) == [7, 8], "the old generation's offset 8 acked, or the re-read one not"


def test_a_second_delivery_in_one_generation_is_a_reread_and_a_new_generation_is_not() -> None:
    in_flight = InFlight(_Stream(), limit=10)  # type: ignore[arg-type]
    assert [in_flight.reread(_event(offset, 3)) for offset in (40, 41, 42)] == [False, False, False]
    # faust's seek to the committed offset (40) after recovery delivers them again
    assert [in_flight.reread(_event(offset, 3)) for offset in (40, 41, 42, 43)] == [True, True, True, False]
    assert in_flight.reread(_event(41, 4)) is False  # the next generation reads from the committed offset


def test_at_least_once_takes_every_delivery() -> None:
    in_flight = InFlight(_Stream(), limit=10, skip_rereads=False)  # type: ignore[arg-type]
    assert [in_flight.reread(_event(offset, 3)) for offset in (40, 41, 40, 41)] == [False] * 4
