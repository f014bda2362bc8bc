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

from newswire.wire.datelines import KNOWN_AGENCY_NAMES, MONTHS, split_dateline
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
    r"^\s*(?:#+\s*)?(?:Notizblock|Notebook|The following information is not (?:for|intended for) publication|"
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
# `3RD NET`, `2ND ADD`, `4TH TAKE`: numbered take or distribution lines.
_ORDINAL_TAKE = re.compile(r"^\d+\s*(?:ST|ND|RD|TH)\s+[A-Z]{2,10}$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:By|BY|Von|VON|Par|PAR|Por|POR|Di|DI|Av|Af)\s+\S[^\n]{1,100}$")
# Service categories: dpa's `rs` (Redaktionsservice) carries notes, tests and imprints, not stories.
_SERVICE_CATEGORIES = frozenset({"rs"})
_MAX_HEADER_LINES = 10
_PADDING = "\x16\x01\x7f\r\n "
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@register
class Iptc7901Parser:
    """IPTC 7901 text messages."""

    name: ClassVar[str] = "iptc7901"
    content_types: ClassVar[tuple[str, ...]] = ("application/x-iptc7901", "text/x-iptc7901", "application/iptc7901")
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        text = head[:2000].decode("latin-1")
        first = text.lstrip(_PADDING).split("\n", 1)[0]
        if not _HEADER.match(first.rstrip("\r ")):
            return 55 if text.lstrip("\x16\x7f\r\n ")[:1] == "\x01" else 0
        lines = [line.rstrip("\r") for line in text.split("\n")[1:12]]
        if any(line.rstrip().endswith(("/", " =")) for line in lines):
            return 96
        return 88

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        text = wire.text.replace("\r\n", "\n").replace("\r", "\n")
        segments = [segment for segment in re.split(r"(?=\x16*\x01)", text) if segment.strip(_PADDING + "\x04")]
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
    stripped = segment.lstrip(_PADDING)
    first, _, rest = stripped.partition("\n")
    header = _HEADER.match(first.rstrip("\r "))
    if header is None:
        raise WireError("malformed", "no IPTC 7901 header line")
    item = ParsedItem()
    signals = Signals()
    stx = rest.find("\x02")
    if stx >= 0:
        # Between the header line and STX: the keyword line(s), with or without their closing `/`.
        for line in rest[:stx].split("\n"):
            _read_keywords(line.strip(), item)
        rest = rest[stx + 1 :]
    rest = _CONTROLS.sub(" ", rest.replace("\x03", "\n"))
    lines = rest.split("\n")
    priority = int(header["priority"])
    item.urgency = priority if 1 <= priority <= 9 else None
    category = header["category"].lower()
    item.subjects.append(SubjectCode("iptc7901-category", category))
    if category in _SERVICE_CATEGORIES:
        signals.kind = "advisory"
    # `dpa 0027`, `dpa-tns 0908` (dpa's wire for Tribune copy): the first known agency name in the header.
    words = (part for word in header["rest"].split() for part in word.split("-"))
    agency = next((word for word in words if word.lower() in KNOWN_AGENCY_NAMES), None)

    index, headline, byline = _read_header_block(lines, item, signals)
    if headline:
        item.headline = strip_signals(headline, signals) or headline
    item.byline = byline

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
    item.agency = _first_agency(item.dateline.agency if item.dateline else None) or agency
    if moment:
        item.firstcreated = item.versioncreated = moment
    signals.apply(item)
    if not item.headline and not item.paragraphs:
        raise WireError("missing_content", "IPTC 7901 message without headline or text")
    return item


def _read_keywords(line: str, item: ParsedItem) -> None:
    """`Politik/Deutschland/Wahlen/`, `/politics/Britain/EU/`, or ATS's bare `France`."""
    item.keywords.extend(word.strip() for word in line.split("/") if word.strip())


def _first_agency(dateline_agency: str | None) -> str | None:
    """`ats afp` (ATS rewriting AFP copy), `tca/dpa` (dpa sending Tribune copy): the first agency named."""
    if not dateline_agency:
        return None
    parts = [part for part in re.split(r"[\s/]+", dateline_agency) if part]
    known = [part for part in parts if part.lower() in KNOWN_AGENCY_NAMES]
    return known[0] if len(parts) > 1 and known else dateline_agency


def _is_take(line: str) -> bool:
    return bool(_TAKE_LINE.match(line) or _ORDINAL_TAKE.match(line) or is_signal_line(line))


def _read_header_block(lines: list[str], item: ParsedItem, signals: Signals) -> tuple[int, str, str | None]:
    """Keyword, take, kicker, headline and byline lines up to the one that ends in `=`.

    Returns the index of the first text line, the headline and the byline. Without an `=` in the
    first lines, only the first line that is not a keyword or take line is the headline.
    """
    end = next((i for i, line in enumerate(lines[:_MAX_HEADER_LINES]) if line.rstrip().endswith("=")), None)
    block = lines[: end + 1] if end is not None else lines[:_MAX_HEADER_LINES]
    parts: list[str] = []
    byline: str | None = None
    index = 0
    for raw in block:
        index += 1
        line = raw.strip().rstrip("=").strip()
        if not line:
            if parts and end is None:
                break
            continue
        if _is_keyword_line(line) and not parts:
            _read_keywords(line, item)
        elif _is_take(line) and not parts:
            _read_take(line, signals)
        elif is_ednote(line) and not parts:
            signals.ednotes.append(line)
        elif _BYLINE.match(line) and parts:
            byline = line
        else:
            parts.append(line)
            if end is None:
                break
    if end is not None:
        index = end + 1
    # Kicker lines above the headline (ATS: `Situation` / `France:`) are not part of it.
    while len(parts) > 1 and (len(parts[0].split()) == 1 or parts[0].endswith(":")):
        item.keywords.append(parts.pop(0).rstrip(":").strip())
    # Short upper-case lines before the headline are priority words (`EXTRA`, `3RD NET`).
    while len(parts) > 1 and _is_priority_word(parts[0]):
        read_signals(parts.pop(0), signals, any_case=True)
    return index, " ".join(parts), byline


def _is_keyword_line(line: str) -> bool:
    return line.endswith("/") or (line.startswith("/") and line.count("/") >= 2)


def _is_priority_word(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(line.split()) <= 3


def _read_take(line: str, signals: Signals) -> None:
    inner = line.strip().strip("()").strip()
    word = inner.split()[0].lower() if inner.split() else ""
    if word in _GERMAN_TAKES:
        signals.urgency = min(signals.urgency or 9, _GERMAN_TAKES[word])
        return
    # `1ST LEAD`, `2. Zusammenfassung`: a new lead of the story, numbered as a take, not as a version.
    if re.match(r"^\d+\s*(?:ST|ND|RD|TH)\s+(?:LEAD|LD)\b|^\d+\.\s*Zusammenfassung", inner, re.IGNORECASE):
        signals.kind = "update" if signals.kind in ("story", "advisory") else signals.kind
        return
    if re.fullmatch(r"Achtung", inner, re.IGNORECASE):
        # dpa's `(Achtung)` marks a note to the desks, not a story.
        if signals.kind == "story":
            signals.kind = "advisory"
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
