"""The inline first step of faust's record delivery (stream/delivery.py), against the installed faust."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from faust.transport import consumer as faust_consumer

from newswire.stream.delivery import _rest, deliver_inline


class _LoopOwner:
    """What faust's consumer loop gives `wait_first`: its flow event and the service's own events."""

    def __init__(self) -> None:
        self.suspend_flow = asyncio.Event()
        self._stopped = asyncio.Event()
        self._crashed = asyncio.Event()
        self.loop = asyncio.get_running_loop()


async def _turns_until(condition: Any, limit: int = 20) -> int:
    turns = 0
    while not condition() and turns < limit:
        await asyncio.sleep(0)
        turns += 1
    return turns


def _delivery_waiting_for_room() -> tuple[_LoopOwner, asyncio.Future[None], list[str], asyncio.Future[Any]]:
    """faust's loop delivering one event into an agent buffer that is full until `room` is set."""
    owner = _LoopOwner()
    room: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    delivered: list[str] = []

    async def deliver() -> None:
        await room
        delivered.append("event")

    waiting = asyncio.ensure_future(
        faust_consumer.Consumer.wait_first(owner, deliver(), owner.suspend_flow.wait())  # type: ignore[arg-type]
    )
    return owner, room, delivered, waiting


def test_a_stepped_coroutine_resumed_in_a_task_gets_its_future_result_and_returns() -> None:
    async def main() -> None:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        trace: list[str] = []

        async def work() -> int:
            trace.append("before")
            value = await future
            trace.append("after")
            return value + 1

        coro = work()
        awaiting = coro.send(None)  # runs to its first suspension, inline
        assert trace == ["before"] and awaiting is future
        task = asyncio.ensure_future(_rest(coro, awaiting))
        await asyncio.sleep(0)
        assert not task.done()
        future.set_result(41)
        assert await task == 42 and trace == ["before", "after"]

    asyncio.run(main())


def test_cancelling_the_resumed_task_cancels_the_coroutine_inside_it() -> None:
    async def main() -> None:
        cleaned: list[bool] = []

        async def work() -> None:
            try:
                await asyncio.get_running_loop().create_future()
            finally:
                cleaned.append(True)

        coro = work()
        task = asyncio.ensure_future(_rest(coro, coro.send(None)))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert cleaned == [True]

    asyncio.run(main())


def test_a_delivery_that_does_not_suspend_completes_within_the_call() -> None:
    deliver_inline()

    async def main() -> None:
        owner = _LoopOwner()
        delivered: list[str] = []

        async def deliver() -> None:
            delivered.append("event")  # what faust's conductor does: a put into the agent's buffer

        await faust_consumer.Consumer.wait_first(owner, deliver(), owner.suspend_flow.wait())  # type: ignore[arg-type]
        assert delivered == ["event"]
        assert not [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]  # no task was made

    asyncio.run(main())


def test_a_delivery_that_suspends_is_abandoned_when_the_flow_is_suspended_as_before() -> None:
    deliver_inline()

    async def main() -> None:
        owner, _room, delivered, waiting = _delivery_waiting_for_room()
        await _turns_until(lambda: False, limit=3)
        assert not waiting.done()
        owner.suspend_flow.set()  # a rebalance: faust's loop stops waiting for this delivery
        assert await _turns_until(waiting.done) < 20
        assert delivered == []

    asyncio.run(main())


def test_a_delivery_that_suspends_then_completes_is_delivered() -> None:
    deliver_inline()

    async def main() -> None:
        _, room, delivered, waiting = _delivery_waiting_for_room()
        await asyncio.sleep(0)
        room.set_result(None)
        await asyncio.wait_for(waiting, 5)
        assert delivered == ["event"]

    asyncio.run(main())
