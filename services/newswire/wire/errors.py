"""The one exception parsers raise: a rejection with a dead-letter reason."""

from __future__ import annotations

from newswire.events.deadletter import DeadLetterReason


class WireError(Exception):
    """Raised by a parser (or the stages around it) when an input cannot become a story."""

    def __init__(self, reason: DeadLetterReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason: DeadLetterReason = reason
        self.detail = detail
