"""PR Newswire AsiaNet media releases, as AAP receives them (Windows-1252 plain text).

Source: Example Corp.                      the issuer (may wrap onto a second line)
MEDIA RELEASE PR12345                      the release number
Headline of the release, possibly          the headline (may wrap)
wrapped onto a second line

AUSTIN, Texas, Feb. 1, 2017 /PRNewswire-AsiaNet/ --

Text of the release ...

SOURCE Example Corp.                       closing source line
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import ClassVar
from zoneinfo import ZoneInfo

from newswire.wire.datelines import split_dateline
from newswire.wire.errors import WireError
from newswire.wire.formats.agency_text import split_paragraphs
from newswire.wire.model import ParsedItem
from newswire.wire.registry import WireInput, register

_SOURCE = re.compile(r"^\s*source\s*:?\s*(?P<issuer>.*)$", re.IGNORECASE)
_RELEASE = re.compile(r"^\s*(?:media|press)\s+release\b\s*(?P<number>\S*)", re.IGNORECASE)
_CLOSING_SOURCE = re.compile(r"^\s*SOURCE\s+\S")
_BLOCKS = re.compile(r"\n\s*\n")


@register
class AsiaNetParser:
    """`Source:` / `MEDIA RELEASE` header, a slashed wire dateline, then the release."""

    name: ClassVar[str] = "asianet"
    content_types: ClassVar[tuple[str, ...]] = ("text/x-asianet",)
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        lines = head[:2000].decode("latin-1").replace("\r", "").lstrip("\n").split("\n")
        if len(lines) < 3 or not _SOURCE.match(lines[0]):
            return 0
        # The issuer can wrap: the release line comes second or third.
        return 94 if any(_RELEASE.match(line) for line in lines[1:3]) else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        text = wire.text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
        blocks = _BLOCKS.split(text, maxsplit=2)
        if len(blocks) < 2:
            raise WireError("malformed", "AsiaNet release without a header block and text")
        header = blocks[0].split("\n")
        release_at = next((i for i, line in enumerate(header) if _RELEASE.match(line)), None)
        if release_at is None:
            raise WireError("malformed", "no MEDIA RELEASE line")
        issuer = " ".join(line.strip() for line in header[:release_at])
        found = _SOURCE.match(issuer)
        release = _RELEASE.match(header[release_at])
        item = ParsedItem(
            headline=" ".join(line.strip() for line in header[release_at + 1 :] if line.strip()) or None,
            slugline=(found["issuer"].strip() if found else issuer) or None,
            agency_id=(release["number"] if release else "") or None,
        )
        rest = "\n\n".join(blocks[1:])
        split = split_dateline(" ".join(rest.split("\n\n", 1)[0].split()))
        if split:
            item.dateline, after = split
            rest = after + "\n\n" + (rest.split("\n\n", 1)[1] if "\n\n" in rest else "")
            item.agency = item.dateline.agency
            if item.dateline.date:
                moment = datetime.combine(item.dateline.date, time(0, 0), tzinfo=ZoneInfo(wire.feed_timezone))
                item.firstcreated = item.versioncreated = moment
                item.assumed_timezone = wire.feed_timezone
        paragraphs = split_paragraphs(rest) if rest.strip() else []
        while paragraphs and _CLOSING_SOURCE.match(paragraphs[-1]):
            paragraphs.pop()
        item.paragraphs = paragraphs
        if not item.headline and not item.paragraphs:
            raise WireError("missing_content", "AsiaNet release without headline or text")
        return [item]
