"""Australian Bureau of Meteorology text warnings, as AAP receives them.

IDN38100                                       product code: ID, a state letter, five digits
Australian Government Bureau of Meteorology    the issuer
New South Wales                                the state

Road Weather Alert for Sydney                  the title (may wrap)

Issued at 9:27 am EST on Thursday 5 July 2018. the issue time

Text of the warning ...
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import ClassVar
from zoneinfo import ZoneInfo

from newswire.wire.datelines import month_number
from newswire.wire.errors import WireError
from newswire.wire.model import ParsedItem
from newswire.wire.registry import WireInput, register

AGENCY = "Bureau of Meteorology"
_PRODUCT = re.compile(r"^ID[A-Z]\d{5}$")
_ISSUED = re.compile(
    r"^Issued at (?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>am|pm)\s+(?P<zone>[A-Z]{3,4})\s+on\s+\w+\s+"
    r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
# Australian zones the Bureau writes (standard and daylight time).
_ZONES = {
    "EST": timezone(timedelta(hours=10)),
    "EDT": timezone(timedelta(hours=11)),
    "AEST": timezone(timedelta(hours=10)),
    "AEDT": timezone(timedelta(hours=11)),
    "CST": timezone(timedelta(hours=9, minutes=30)),
    "CDT": timezone(timedelta(hours=10, minutes=30)),
    "ACST": timezone(timedelta(hours=9, minutes=30)),
    "ACDT": timezone(timedelta(hours=10, minutes=30)),
    "WST": timezone(timedelta(hours=8)),
    "AWST": timezone(timedelta(hours=8)),
}
_BLOCKS = re.compile(r"\n\s*\n")


@register
class BomWarningParser:
    """A Bureau of Meteorology product: code, issuer and state lines, title, issue time, text."""

    name: ClassVar[str] = "bom"
    content_types: ClassVar[tuple[str, ...]] = ("text/x-bom",)
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        lines = head[:600].decode("latin-1").replace("\r", "").strip("\n").split("\n")
        if len(lines) >= 2 and _PRODUCT.match(lines[0].strip()) and "Meteorology" in lines[1]:
            return 95
        return 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        text = wire.text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
        blocks = [block for block in _BLOCKS.split(text) if block.strip()]
        header = blocks[0].split("\n") if blocks else []
        if len(header) < 2 or not _PRODUCT.match(header[0].strip()):
            raise WireError("malformed", "no Bureau of Meteorology product code")
        item = ParsedItem(agency=AGENCY, agency_id=header[0].strip(), slugline=header[0].strip())
        item.keywords = [line.strip() for line in header[2:] if line.strip()]
        rest = blocks[1:]
        if rest and not _ISSUED.match(rest[0].strip()):
            item.headline = " ".join(line.strip() for line in rest.pop(0).split("\n") if line.strip())
        if rest:
            issued = _ISSUED.match(rest[0].strip())
            if issued:
                rest.pop(0)
                moment = _issued(issued, wire.feed_timezone)
                if moment:
                    item.firstcreated = item.versioncreated = moment
        item.paragraphs = [paragraph for block in rest for paragraph in _unwrap(block)]
        if not item.headline and not item.paragraphs:
            raise WireError("missing_content", "Bureau of Meteorology product without title or text")
        return [item]


def _unwrap(block: str) -> list[str]:
    """Lines wrapped at 80 columns join up; a line after a full stop starts a new paragraph."""
    paragraphs: list[str] = []
    for line in (line.strip() for line in block.split("\n")):
        if not line:
            continue
        if paragraphs and not paragraphs[-1].endswith((".", "!", "?", ":")):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    return paragraphs


def _issued(found: re.Match[str], feed_timezone: str) -> datetime | None:
    month = month_number(found["month"])
    if month is None:
        return None
    hour = int(found["hour"]) % 12 + (12 if found["ampm"].lower() == "pm" else 0)
    zone = _ZONES.get(found["zone"].upper()) or ZoneInfo(feed_timezone)
    try:
        return datetime(int(found["year"]), month, int(found["day"]), hour, int(found["minute"]), tzinfo=zone)
    except ValueError:
        return None
