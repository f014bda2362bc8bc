"""Hand each fetched record to its agent's buffer without four asyncio tasks per record.

faust's consumer loop delivers every record with `wait_first(callback(message),
suspend_flow.wait())`: four tasks (the callback, the suspend event, the service's stopped and
crashed events) and an `asyncio.wait`, so each record costs at least one event-loop turn. A turn
of the ingest agent lasts a story's pipeline time (~13 ms), so the consumer loop moved about one
record per story processed, shared by the raw input and the identity hand-offs: at 90% of a
worker's rate the identity stage fell behind ingest by thousands of hand-offs.

The callback (faust's conductor) normally completes without suspending: it puts the event into
the agent's buffer. So this runs it one step inline first; only if it suspends (flow control
during a rebalance, a full buffer, a producer buffer over its limit) does the rest of it run as a
task under faust's own `wait_first`, which abandons it when a rebalance suspends the flow: the
same semantics as before, with the tasks paid only when they are needed.

This reaches into faust's consumer (pinned in pyproject.toml); `tests/unit/test_delivery.py`
checks the inline step and the fall-back against the installed faust.
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Coroutine, Generator
from typing import Any

from faust.transport import consumer as faust_consumer

_installed = False


@types.coroutine
def resume(coro: Coroutine[Any, Any, Any], awaiting: Any) -> Generator[Any, Any, Any]:
    """Carry on a coroutine that was stepped by hand and suspended on `awaiting`.

    It hands what the coroutine yielded to the task running this generator, exactly as the
    coroutine's own `await` would have, and passes the task's wake-ups (or cancellation) back in.
    """
    while True:
        try:
            yield awaiting
        except BaseException as error:  # cancellation included: the coroutine gets to clean up
            try:
                awaiting = coro.throw(error)
            except StopIteration as done:
                return done.value
        else:
            try:
                awaiting = coro.send(None)
            except StopIteration as done:
                return done.value


async def _rest(coro: Coroutine[Any, Any, Any], awaiting: Any) -> Any:
    return await resume(coro, awaiting)


def _is_suspend_wait(consumer: Any, awaitable: Any) -> bool:
    """True for the `suspend_flow.wait()` coroutine faust's consumer loop races each delivery with."""
    frame = getattr(awaitable, "cr_frame", None)
    return frame is not None and frame.f_locals.get("self") is getattr(consumer, "suspend_flow", None)


def deliver_inline() -> None:
    """Install the inline first step for faust's record delivery (idempotent, process-wide)."""
    global _installed
    if _installed:
        return
    base: Any = faust_consumer.Consumer
    original = base.wait_first

    async def wait_first(self: Any, *coros: Any, timeout: Any = None) -> Any:
        if len(coros) != 2 or timeout is not None or not _is_suspend_wait(self, coros[1]):
            return await original(self, *coros, timeout=timeout)
        delivery, suspended = coros
        if self.suspend_flow.is_set() or not asyncio.iscoroutine(delivery):
            return await original(self, delivery, suspended)
        try:
            awaiting = delivery.send(None)
        except StopIteration:
            suspended.close()  # never started: closing it avoids a "never awaited" warning
            return None  # faust's loop ignores what wait_first returns
        except BaseException:
            suspended.close()
            raise
        return await original(self, asyncio.ensure_future(_rest(delivery, awaiting)), suspended)

    base.wait_first = wait_first
    _installed = True
