"""Agency plain text: a headline, a dateline-led body and a sign-off.

The EFE shape (`../shared/seed`):

    date 2025-09-03 <headline>

    Pekín, 3 sep (EFE).- <first paragraph>
    <paragraphs>
    <last paragraph>.EFE

and the common `CITY, Month D (Agency) -`, `CITY (AP) _`, `Berlin (dpa) -` shapes.
Without a `date` line, a short first paragraph followed by more text is the headline.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import ClassVar
from zoneinfo import ZoneInfo

from newswire.wire.datelines import split_dateline
from newswire.wire.errors import WireError
from newswire.wire.model import Dateline, ParsedItem
from newswire.wire.registry import WireInput, register

_HEADER_LINE = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<headline>\S.*?)\s*$")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_MAX_HEADLINE_CHARS = 300

# Agencies whose bare name closes a story (`...siglo.EFE`, `(AP)`, `dpa`).
KNOWN_AGENCIES = ("EFE", "AFP", "AP", "Reuters", "dpa", "DPA", "ANSA", "Lusa", "AAP", "TT", "EP", "Europa Press")
# Trailing editor initials: `EFE jm/ab`, `dpa xy yy`, `afp/mb`.
_INITIALS = r"(?:\s+[a-zA-Z]{1,4}(?:[/-][a-zA-Z]{1,4})+|\s+[a-z]{2,3}(?:\s+[a-z]{2,3})?)?"
_CREDIT_LINE = re.compile(
    r"^\s*(?:\((?:Reporting|Writing|Editing|Additional reporting|Compiled|Redacción)\b[^\n]*\)"
    r"|(?:©|\(c\)|Copyright)\s[^\n]*"
    r"|[a-z]{1,4}(?:[/-][a-z]{1,4})+"
    r"|-+\s*(?:END|FIN|ENDE)\s*-*"
    r"|#+)\s*$",
    re.IGNORECASE,
)


def _signoff_pattern(agencies: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(name) for name in agencies), key=len, reverse=True))
    # Glued (`siglo.EFE`) or spaced (`siglo. EFE`), optionally bracketed, optionally with initials.
    return re.compile(rf"(?<=[\s.!?»”\"')\]])\s*\(?(?:{names})\)?{_INITIALS}\s*$")


def strip_signoff(paragraphs: list[str], agency: str | None) -> list[str]:
    """Drop credit lines and the agency sign-off that closes the last paragraph."""
    agencies = KNOWN_AGENCIES + ((agency,) if agency and agency not in KNOWN_AGENCIES else ())
    signoff = _signoff_pattern(agencies)
    kept = list(paragraphs)
    while kept and (_CREDIT_LINE.match(kept[-1]) or signoff.fullmatch(" " + kept[-1].strip())):
        kept.pop()
    if kept:
        kept[-1] = signoff.sub("", kept[-1]).rstrip()
        if not kept[-1]:
            kept.pop()
    return kept


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single newlines inside one are folded into spaces."""
    blocks = _PARAGRAPH_BREAK.split(text.strip())
    if len(blocks) == 1 and "\n" in blocks[0]:
        # No blank lines at all: each line is a paragraph (common in wire dumps).
        blocks = blocks[0].split("\n")
    return [" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks if block.strip()]


@register
class AgencyTextParser:
    """Plain-text agency stories (EFE, AP, AFP, Reuters, dpa, Lusa, ANSA ... styles)."""

    name: ClassVar[str] = "agency_text"
    content_types: ClassVar[tuple[str, ...]] = ("text/plain", "text/x-agency")
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        stripped = head.lstrip()
        if not stripped or stripped[:1] in (b"<", b"{", b"[") or stripped[:1] < b" " and stripped[:1] not in (b"\t",):
            return 0
        text = stripped.decode("utf-8", errors="replace")
        if _HEADER_LINE.match(text.split("\n", 1)[0]):
            return 90
        if any(split_dateline(paragraph) for paragraph in split_paragraphs(text)[:3]):
            return 70
        return 10  # any other prose: the fallback format

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        text = wire.text.replace("\r\n", "\n").replace("\r", "\n")
        paragraphs = split_paragraphs(text)
        if not paragraphs:
            raise WireError("missing_content", "no text")
        headline, message_date = self._headline(paragraphs)
        dateline, paragraphs = self._dateline(paragraphs, message_date)
        paragraphs = strip_signoff(paragraphs, dateline.agency if dateline else None)
        zone = ZoneInfo(wire.feed_timezone)
        created = datetime.combine(message_date, time(0, 0), tzinfo=zone) if message_date else None
        return [
            ParsedItem(
                headline=headline,
                paragraphs=paragraphs,
                dateline=dateline,
                agency=dateline.agency if dateline else None,
                firstcreated=created,
                versioncreated=created,
                assumed_timezone=wire.feed_timezone if created else None,
            )
        ]

    @staticmethod
    def _headline(paragraphs: list[str]) -> tuple[str | None, date | None]:
        """Take the headline off the front: a `date YYYY-MM-DD` line, or a short first paragraph."""
        header = _HEADER_LINE.match(paragraphs[0])
        if header:
            del paragraphs[0]
            return header["headline"], date.fromisoformat(header["date"])
        first = paragraphs[0]
        if len(paragraphs) > 1 and len(first) <= _MAX_HEADLINE_CHARS and not split_dateline(first):
            del paragraphs[0]
            return first, None
        return None, None

    @staticmethod
    def _dateline(paragraphs: list[str], message_date: date | None) -> tuple[Dateline | None, list[str]]:
        if not paragraphs:
            return None, paragraphs
        split = split_dateline(paragraphs[0], message_date)
        if split is None:
            return None, paragraphs
        dateline, rest = split
        return dateline, ([rest] if rest.strip() else []) + paragraphs[1:]
