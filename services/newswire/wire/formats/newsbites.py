"""News Bites `KEY#value` text: company-news copy that AAP redistributes, often in a `zczc` frame.

    zczc
    AN#26900001                    item number
    KN#News Bites                  the provider
    PD#06 June 2016 14:00:00       publication time (local, no zone)
    CO#ABC.AX                      company code; SO# exchange; SF# flags
    BY#                            byline
    KY#ACNB Comnews ABC.AX         keywords
    TI#Headline                    title
    AB#Abstract                    summary
    TX#                            text: this line and every line after it
    ...

Files are Windows-1252; the decoder reads them so.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from newswire.wire.datelines import month_number
from newswire.wire.errors import WireError
from newswire.wire.formats.agency_text import split_paragraphs
from newswire.wire.model import ParsedItem
from newswire.wire.registry import WireInput, register

_FIELD = re.compile(r"^(?P<key>[A-Z]{2})#(?P<value>.*)$")
_FRAME = re.compile(r"^\s*(?:zczc|ZCZC)\s*$")
_END = re.compile(r"^\s*(?:nnnn|NNNN)\s*$")
_TIME = re.compile(
    r"^(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2}))?)?$"
)
_MIN_FIELDS = 3


def _fields_at_start(lines: list[str]) -> int:
    count = 0
    for line in lines[:15]:
        if _FIELD.match(line):
            count += 1
    return count


@register
class NewsBitesParser:
    """`KEY#value` field text (News Bites)."""

    name: ClassVar[str] = "newsbites"
    content_types: ClassVar[tuple[str, ...]] = ("text/x-newsbites",)
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        lines = head[:3000].decode("latin-1").replace("\r", "").split("\n")
        lines = [line for line in lines if line.strip()]
        if lines and _FRAME.match(lines[0]):
            lines = lines[1:]
        if not lines or not _FIELD.match(lines[0]):
            return 0
        return 95 if _fields_at_start(lines) >= _MIN_FIELDS else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        lines = wire.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        fields: dict[str, str] = {}
        text_lines: list[str] = []
        in_text = False
        for line in lines:
            if _FRAME.match(line) and not fields:
                continue
            if _END.match(line):
                break
            found = _FIELD.match(line)
            if in_text:
                text_lines.append(line)
            elif found:
                key, value = found["key"], found["value"].strip()
                fields.setdefault(key, value)
                if key == "TX":
                    in_text = True
                    text_lines.append(value)
        if len(fields) < _MIN_FIELDS:
            raise WireError("malformed", "fewer than three KEY# fields")
        item = ParsedItem(
            headline=fields.get("TI") or None,
            subheadline=fields.get("AB") or None,
            byline=fields.get("BY") or None,
            agency=fields.get("KN") or None,
            agency_id=fields.get("AN") or None,
            paragraphs=split_paragraphs("\n".join(text_lines)) if any(t.strip() for t in text_lines) else [],
        )
        item.keywords = [word for key in ("KY", "CO") for word in fields.get(key, "").split() if word]
        moment = _time(fields.get("PD", ""), wire.feed_timezone)
        if moment:
            item.firstcreated = item.versioncreated = moment
            item.assumed_timezone = wire.feed_timezone
        if not item.headline and not item.paragraphs:
            raise WireError("missing_content", "News Bites item without title or text")
        return [item]


def _time(text: str, feed_timezone: str) -> datetime | None:
    """`06 June 2016 14:00:00`, in the feed's zone: the field carries none."""
    found = _TIME.match(text.strip())
    if not found:
        return None
    month = month_number(found["month"])
    if month is None:
        return None
    try:
        return datetime(
            int(found["year"]),
            month,
            int(found["day"]),
            int(found["hour"] or 0),
            int(found["minute"] or 0),
            int(found["second"] or 0),
            tzinfo=ZoneInfo(feed_timezone),
        )
    except ValueError:
        return None
