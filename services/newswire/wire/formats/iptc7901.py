"""IPTC 7901: the recommended text message format of European agencies (dpa, APA, SDA, ANP ...).

    [SOH] <service id><serial number> <priority> <category> <word count> [<agency> <number> ...]
    [STX]
    Politik/Deutschland/Wahlen/          keyword line(s), each ending in `/`
    (Eil)  or  1ST LEAD / REFILE / ...   take line(s): version, correction, kill, urgency
    Headline of the story =              the headline ends in ` =`

    Berlin (dpa) - Body text ...
    dpa abc xy                           sign-off
    031423 GMT Sep 25                    trailer: day, hour, minute, [zone,] month, year
    [ETX]

Priority 1-6 is the urgency (1 flash ... 6 lowest), kept as it is on ninjs's 1-9 scale. A message
may hold several SOH-framed stories.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import ClassVar
from zoneinfo import ZoneInfo

from newswire.wire.datelines import MONTHS, split_dateline
from newswire.wire.errors import WireError
from newswire.wire.formats.agency_text import (
    Signals,
    is_ednote,
    is_signal_line,
    read_signals,
    split_paragraphs,
    strip_signals,
    strip_signoff,
)
from newswire.wire.model import ParsedItem, SubjectCode
from newswire.wire.registry import WireInput, register

_HEADER = re.compile(
    r"^[\x16\x01\r\n ]*(?P<service>[A-Za-z]{1,6})\s?(?P<serial>\d{1,6})\s+(?P<priority>\d)\s+"
    r"(?P<category>[A-Za-z]{1,4})\s+(?P<words>\d{1,6})(?P<rest>[^\n]*)$"
)
_TRAILER = re.compile(
    r"^\s*(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})\s+(?:(?P<zone>[A-Z]{1,4})\s+)?(?P<month>[A-Za-zäéû]{3,4})\.?\s+"
    r"(?P<year>\d{2}|\d{4})\s*$"
)
_TAKE_LINE = re.compile(
    r"^\(?\s*(?:\d+\s*(?:ST|ND|RD|TH)\s+(?:LEAD|LD|TAKE|ADD)|LEAD|TAKE\s*\d*|ADD\s*\d*|REFILE|REPEAT|CORRECTION|"
    r"CORRECTED|KILL|WITHDRAWN|SUB|INSERT|Eil|Blitz|Vorrang|Zusammenfassung|\d\.\s*Zusammenfassung|Korrektur|"
    r"Berichtigung|Neu|Wiederholung|Achtung)\b[^\n=]{0,60}\)?\s*$",
    re.IGNORECASE,
)
_NOTEPAD = re.compile(
    r"^\s*(?:#+\s*)?(?:Notizblock|The following information is not (?:for|intended for) publication|"
    r"Nicht zur Veröffentlichung|NOT FOR PUBLICATION)\b",
    re.IGNORECASE,
)
ZONES: dict[str, tzinfo] = {
    "GMT": UTC,
    "UTC": UTC,
    "Z": UTC,
    "MEZ": timezone(timedelta(hours=1)),
    "CET": timezone(timedelta(hours=1)),
    "MESZ": timezone(timedelta(hours=2)),
    "CEST": timezone(timedelta(hours=2)),
    "BST": timezone(timedelta(hours=1)),
    "WET": UTC,
    "WEST": timezone(timedelta(hours=1)),
    "EET": timezone(timedelta(hours=2)),
    "EEST": timezone(timedelta(hours=3)),
}
_GERMAN_TAKES = {"eil": 2, "blitz": 1, "vorrang": 3}
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@register
class Iptc7901Parser:
    """IPTC 7901 text messages."""

    name: ClassVar[str] = "iptc7901"
    content_types: ClassVar[tuple[str, ...]] = ("application/x-iptc7901", "text/x-iptc7901", "application/iptc7901")
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        text = head[:2000].decode("latin-1")
        first = text.lstrip("\x16\x01\r\n ").split("\n", 1)[0]
        if not _HEADER.match(first.rstrip("\r")):
            return 55 if text.lstrip("\x16\r\n ")[:1] == "\x01" else 0
        lines = [line.rstrip("\r") for line in text.split("\n")[1:12]]
        if any(line.rstrip().endswith(("/", " =")) for line in lines):
            return 96
        return 88

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        text = wire.text.replace("\r\n", "\n").replace("\r", "\n")
        segments = [segment for segment in re.split(r"(?=\x16*\x01)", text) if segment.strip("\x16\x01\x04\n ")]
        items: list[ParsedItem] = []
        errors: list[str] = []
        for segment in segments[:500]:
            try:
                items.append(_parse_story(segment, wire.feed_timezone))
            except WireError as error:
                errors.append(error.detail)
        if not items:
            raise WireError("malformed", errors[0] if errors else "no IPTC 7901 story in the message")
        return items


def _parse_story(segment: str, feed_timezone: str) -> ParsedItem:
    segment = segment.split("\x04", 1)[0]
    stripped = segment.lstrip("\x16\x01\n ")
    first, _, rest = stripped.partition("\n")
    header = _HEADER.match(first)
    if header is None:
        raise WireError("malformed", "no IPTC 7901 header line")
    rest = _CONTROLS.sub(" ", rest.replace("\x02", "\n").replace("\x03", "\n"))
    lines = rest.split("\n")
    item = ParsedItem()
    signals = Signals()
    priority = int(header["priority"])
    item.urgency = priority if 1 <= priority <= 9 else None
    item.subjects.append(SubjectCode("iptc7901-category", header["category"].lower()))
    extra = header["rest"].split()
    agency = extra[0] if extra and extra[0].isalpha() else None

    # Keyword lines, take lines, then the headline that ends in `=`.
    index = 0
    headline_parts: list[str] = []
    while index < len(lines) and index < 30:
        line = lines[index].strip()
        index += 1
        if not line:
            if headline_parts:
                break
            continue
        if headline_parts or line.endswith("="):
            headline_parts.append(line.rstrip("=").strip())
            if line.endswith("="):
                break
            continue
        if line.endswith("/") and not line.startswith("/"):
            item.keywords.extend(word.strip() for word in line.split("/") if word.strip())
        elif _TAKE_LINE.match(line) or is_signal_line(line):
            _read_take(line, signals)
        elif is_ednote(line):
            signals.ednotes.append(line)
        else:
            headline_parts.append(line.rstrip("=").strip())
            if len(headline_parts) > 3:
                break
    if headline_parts and not lines[index - 1].strip().endswith("=") and len(headline_parts) > 1:
        # No `=`: only the first line was a headline; the rest is text.
        index -= len(headline_parts) - 1
        headline_parts = headline_parts[:1]
    headline = " ".join(part for part in headline_parts if part)
    if headline:
        item.headline = strip_signals(headline, signals) or headline

    body_lines = lines[index:]
    # The trailer time, then the notepad (not for publication), then the text.
    moment = None
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    if body_lines:
        found = _TRAILER.match(body_lines[-1])
        if found:
            body_lines.pop()
            moment = _trailer_time(found, feed_timezone, item)
    notepad_at = next((i for i, line in enumerate(body_lines) if _NOTEPAD.match(line)), None)
    notes: list[str] = []
    if notepad_at is not None:
        notes = [line.strip(" #-") for line in body_lines[notepad_at + 1 :] if line.strip(" #-")]
        body_lines = body_lines[:notepad_at]
    paragraphs = _paragraphs(body_lines)
    if notes:
        # The sign-off can follow the notepad.
        kept_notes = strip_signoff(notes, agency)
        signals.ednotes.append(" ".join(kept_notes))
    reference = moment.date() if moment else None
    if paragraphs:
        split = split_dateline(paragraphs[0], reference)
        if split:
            item.dateline, after = split
            paragraphs = ([after] if after.strip() else []) + paragraphs[1:]
    item.paragraphs = strip_signoff(paragraphs, item.dateline.agency if item.dateline else agency)
    item.agency = (item.dateline.agency if item.dateline else None) or agency
    if moment:
        item.firstcreated = item.versioncreated = moment
    signals.apply(item)
    if not item.headline and not item.paragraphs:
        raise WireError("missing_content", "IPTC 7901 message without headline or text")
    return item


def _read_take(line: str, signals: Signals) -> None:
    inner = line.strip().strip("()").strip()
    word = inner.split()[0].lower() if inner.split() else ""
    if word in _GERMAN_TAKES:
        signals.urgency = min(signals.urgency or 9, _GERMAN_TAKES[word])
        return
    lead = re.match(r"^(\d+)\s*(?:ST|ND|RD|TH)\s+(?:LEAD|LD)\b", inner, re.IGNORECASE)
    if lead:
        signals.kind = "update" if signals.kind in ("story", "advisory") else signals.kind
        signals.version = max(signals.version or 0, int(lead.group(1)) + 1)
        return
    summary = re.match(r"^(\d+)\.\s*Zusammenfassung", inner, re.IGNORECASE)
    if summary:
        signals.kind = "update" if signals.kind in ("story", "advisory") else signals.kind
        signals.version = max(signals.version or 0, int(summary.group(1)) + 1)
        return
    if re.match(r"^(?:LEAD|SUB|INSERT|Neu|Wiederholung)\b", inner, re.IGNORECASE):
        if signals.kind in ("story", "advisory"):
            signals.kind = "update"
        return
    if re.match(r"^(?:Korrektur|Berichtigung)\b", inner, re.IGNORECASE):
        if signals.kind != "kill":
            signals.kind = "correction"
        return
    read_signals(inner, signals, any_case=True)


def _trailer_time(found: re.Match[str], feed_timezone: str, item: ParsedItem) -> datetime | None:
    month = MONTHS.get(found["month"].lower())
    if month is None:
        return None
    zone = ZONES.get(found["zone"] or "")
    if zone is None:
        zone = ZoneInfo(feed_timezone)
        item.assumed_timezone = feed_timezone
    year = int(found["year"])
    year = year + 2000 if year < 100 else year
    try:
        return datetime(year, month, int(found["day"]), int(found["hour"]), int(found["minute"]), tzinfo=zone)
    except ValueError:
        item.assumed_timezone = None
        return None


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank lines separate paragraphs; without any, an indented line starts one."""
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        return []
    if re.search(r"\n\s*\n", text):
        return split_paragraphs(text)
    paragraphs: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if not paragraphs or line[:1] in (" ", "\t"):
            paragraphs.append(line.strip())
        else:
            paragraphs[-1] += " " + line.strip()
    return paragraphs
