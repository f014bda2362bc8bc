"""JSON that no JSON wire format claims: refused as `unrecognised_format`, naming what it holds.

Each JSON format (ninjs, EFE's API, AP's Media API) detects its own structure. A document none of them
recognises is not guessed at: this detector answers for any JSON with the lowest score, so that it is
chosen only when nothing else is, and its dead letter says what it saw (the top-level keys, or an array of
what) for whoever adds the format.
"""

from __future__ import annotations

from typing import ClassVar

from newswire.wire.errors import WireError
from newswire.wire.formats._json import describe, is_json
from newswire.wire.model import ParsedItem
from newswire.wire.registry import WireInput, register


@register
class UnknownJsonParser:
    """The last resort for JSON: never a story, always a reason."""

    name: ClassVar[str] = "json"
    content_types: ClassVar[tuple[str, ...]] = ("application/json",)
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        return 1 if is_json(head) else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        raise WireError(
            "unrecognised_format",
            f"JSON that no wire format recognises (ninjs, EFE API, AP Media API): {describe(wire.data)}",
        )
