"""What goes into the pipeline (a raw message) and what comes out (an outcome)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from newswire.events.deadletter import Rejection
from newswire.events.ninjs import NinjsStory


@dataclass(frozen=True)
class RawMessage:
    """One raw wire message as received, from Kafka or from a file."""

    value: bytes | None
    headers: Mapping[str, bytes] = field(default_factory=dict)
    key: bytes | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp_ms: int | None = None
    path: str | None = None

    def header(self, name: str) -> str | None:
        value = self.headers.get(name)
        return value.decode("utf-8", errors="replace") if value is not None else None


@dataclass(frozen=True)
class Accepted:
    """The message became one story, or several for multi-item containers."""

    stories: tuple[NinjsStory, ...]


@dataclass(frozen=True)
class Rejected:
    """The message cannot become a story; it goes to the dead-letter topic with this reason."""

    rejection: Rejection


Outcome = Accepted | Rejected
