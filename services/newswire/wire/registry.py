"""The parser registry: each wire format is one module that registers one `WireParser`.

Adding a format means writing a module with a parser class and decorating it with
`@register`; `newswire.wire.formats` imports every module so that registration happens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol, TypeVar

from newswire.wire.errors import WireError
from newswire.wire.model import ParsedItem

SNIFF_BYTES = 4096


@dataclass(frozen=True)
class WireInput:
    """What a parser gets: the raw bytes, the decoded text (for text formats) and hints."""

    data: bytes
    text: str
    content_type: str | None = None
    filename: str | None = None
    feed_timezone: str = "UTC"


class WireParser(Protocol):
    """One wire format. `sniff` scores the first bytes (0 = not mine, 100 = certainly mine)."""

    name: ClassVar[str]
    content_types: ClassVar[tuple[str, ...]]
    binary: ClassVar[bool]  # True: parse from bytes (XML with its own encoding rules)

    def sniff(self, head: bytes) -> int: ...

    def parse(self, wire: WireInput) -> list[ParsedItem]: ...


_PARSERS: dict[str, WireParser] = {}
P = TypeVar("P", bound=Callable[[], WireParser])


def register(cls: P) -> P:
    """Class decorator: instantiate the parser once and file it under its name."""
    parser = cls()
    if parser.name in _PARSERS:
        raise ValueError(f"wire format {parser.name!r} registered twice")
    _PARSERS[parser.name] = parser
    return cls


def parsers() -> Sequence[WireParser]:
    return tuple(_PARSERS.values())


def get_parser(name: str) -> WireParser:
    try:
        return _PARSERS[name]
    except KeyError:
        known = ", ".join(sorted(_PARSERS))
        raise WireError("unrecognised_format", f"unknown format {name!r}; known: {known}") from None


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def choose_parser(head: bytes, content_type: str | None = None) -> WireParser:
    """Pick the parser: a known `content-type` wins over sniffing; otherwise the best sniff."""
    if content_type:
        media_type = _media_type(content_type)
        # A declared type wins unless the bytes plainly are not that format (JSON that is not ninjs); where
        # several formats share the type (`application/json`: ninjs, EFE's and AP's APIs) the best sniff decides.
        declared = [
            (parser.sniff(head[:SNIFF_BYTES]), parser.name)
            for parser in _PARSERS.values()
            if media_type in parser.content_types
        ]
        best = max(declared, default=(0, ""))
        if best[0] > 0:
            return _PARSERS[best[1]]
    scored = sorted(((parser.sniff(head[:SNIFF_BYTES]), parser.name) for parser in _PARSERS.values()), reverse=True)
    if not scored or scored[0][0] <= 0:
        raise WireError("unrecognised_format", "no wire format recognises these bytes")
    return _PARSERS[scored[0][1]]
