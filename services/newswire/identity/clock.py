"""The identity stage's clock: stream time, not the time a story happens to be processed.

The identity window ("duplicates and versions within 72 h") is about when stories reached the
wire. Measured by the wall clock at processing time, a backlog worked off at full speed (a
replay after an outage, a worker catching up) would crowd far more stories into one window than
the feed ever put there, and the state would grow with the backlog instead of with the feed.
So "now" is the newest raw broker timestamp seen: it never goes back (a late or redelivered
message does not rewind expiry) and never runs ahead of the wall clock (a producer whose clock
is fast cannot expire everyone else's stories).
"""

from __future__ import annotations


class StreamClock:
    """The newest event time seen, capped by the wall clock (seconds since the epoch)."""

    def __init__(self) -> None:
        self._watermark: float | None = None

    def now(self, event_ms: int | None, wall: float) -> float:
        """Advance with one message's broker timestamp (ms; None or <= 0 when it has none)."""
        if event_ms is not None and event_ms > 0:
            event = min(event_ms / 1000.0, wall)
            if self._watermark is None or event > self._watermark:
                self._watermark = event
        # A message without a timestamp, before any with one: the wall clock is all there is.
        return wall if self._watermark is None else self._watermark
