"""ANPA-1312 (NAA 89-3): the framed wire format of AP, CP and many US/Canadian feeds.

    [SYN SYN] SOH <service level><story number>[UPI] US <selector code> CR LF
    <priority> SP <category><DC3|DC4><DC1|DC2> SP <keyword> SP <version> SP <reference> SP <mm-dd> SP <words> CR LF
    STX
    ^<keyword line><
    ^<headline><
    ^By <byline>=
    \t   <paragraph>
    ...
    ETX <transmission time, e.g. AP-NY-09-03-25 1423EDT<> EOT

DC3 marks a body take and DC4 an agate take; DC1 text and DC2 tabular matter. Agate and
tabular takes keep their columns (`ParsedItem.preformatted`). Priorities f/b/u/r/d map to
urgency 1/2/3/5/8; the version field (`1stLd-Writethru`, `2ndLd`, `Correction`, `Kill`)
gives the kind and the version number. A message may hold several SOH-framed stories.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import ClassVar
from zoneinfo import ZoneInfo

from newswire.wire.datelines import parse_day_month, split_dateline
from newswire.wire.errors import WireError
from newswire.wire.formats.agency_text import Signals, is_ednote, is_signal_line, read_signals, strip_signals
from newswire.wire.formats.agency_text import strip_signoff as _strip_signoff
from newswire.wire.model import Dateline, ParsedItem, SubjectCode
from newswire.wire.registry import WireInput, register

SOH, STX, ETX, EOT, SYN, US = "\x01", "\x02", "\x03", "\x04", "\x16", "\x1f"
DC1, DC2, DC3, DC4 = "\x11", "\x12", "\x13", "\x14"

PRIORITY_URGENCY = {"f": 1, "b": 2, "u": 3, "r": 5, "d": 8}
CATEGORIES = {
    "a": "Domestic news",
    "b": "Special events",
    "d": "Food",
    "e": "Entertainment",
    "f": "Financial",
    "i": "International",
    "k": "Commentary",
    "l": "Lifestyle",
    "n": "State and regional",
    "o": "Weather",
    "p": "National politics",
    "q": "Sports results",
    "r": "Regional",
    "s": "Sports",
    "t": "Travel",
    "v": "Advisories",
    "w": "Washington",
}
# Zones that ANPA transmission times name; ET/CT/MT/PT follow daylight saving.
ZONES: dict[str, tzinfo] = {
    "GMT": UTC,
    "UTC": UTC,
    "Z": UTC,
    "EST": timezone(timedelta(hours=-5)),
    "EDT": timezone(timedelta(hours=-4)),
    "CST": timezone(timedelta(hours=-6)),
    "CDT": timezone(timedelta(hours=-5)),
    "MST": timezone(timedelta(hours=-7)),
    "MDT": timezone(timedelta(hours=-6)),
    "PST": timezone(timedelta(hours=-8)),
    "PDT": timezone(timedelta(hours=-7)),
    "AST": timezone(timedelta(hours=-4)),
    "ADT": timezone(timedelta(hours=-3)),
    "NST": timezone(timedelta(hours=-3, minutes=-30)),
    "NDT": timezone(timedelta(hours=-2, minutes=-30)),
    "HST": timezone(timedelta(hours=-10)),
    "AKST": timezone(timedelta(hours=-9)),
    "AKDT": timezone(timedelta(hours=-8)),
    "BST": timezone(timedelta(hours=1)),
    "CET": timezone(timedelta(hours=1)),
    "CEST": timezone(timedelta(hours=2)),
    "ET": ZoneInfo("America/New_York"),
    "CT": ZoneInfo("America/Chicago"),
    "MT": ZoneInfo("America/Denver"),
    "PT": ZoneInfo("America/Los_Angeles"),
}

_FIRST_LINE = re.compile(
    r"^[\x16\r\n ]*\x01?(?P<service>[A-Za-z])?(?P<number>\d{1,4})(?P<upi>[^\x1f\n]{0,16}?)\x1f"
    r"(?P<selector>[^\s\x02]{0,12})"
)
_FIRST_LINE_LOOSE = re.compile(
    r"^[\x16\r\n ]*\x01?(?P<service>[A-Za-z])?(?P<number>\d{4})(?P<selector>[A-Za-z-]{0,12})\s*$"
)
_SECOND_LINE = re.compile(
    r"^(?P<priority>[A-Za-z])\s(?P<category>[A-Za-z])(?P<format>[\x13\x14]?[\x11\x12]?)\s*(?P<rest>[^\n]*)$"
)
_FILING_DATE = re.compile(r"^(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
_VERSION_TOKEN = re.compile(
    r"\d+(?:st|nd|rd|th)|Ld|Lead|Writethru|Wthru|Correction|Corrected|Kill|Killed|Adv|Advisory|Urgent|Bulletin|Flash"
    r"|Sub|Insert|Add|Update|Refile|Repeat|Rpt|Takes?",
    re.IGNORECASE,
)
# `AP-NY-09-03-25 1423EDT`, `09-03-25 1423GMT`, CP's `16:35ET 31-10-14`.
_US_TIME = re.compile(
    r"(?:(?P<source>[A-Z]{2,5})-(?P<desk>[A-Z]{2,3})-)?(?P<month>\d{2})-(?P<day>\d{2})-(?P<year>\d{2,4})\s+"
    r"(?P<hour>\d{2}):?(?P<minute>\d{2})\s*(?P<zone>[A-Z]{1,4})?\b"
)
# Kyodo's desk and time line under its sign-off: `KWS-21:37-09-12-18` (desk, hh:mm, day-month-year).
_DESK_TIME = re.compile(
    r"^(?P<source>[A-Z]{2,5})-(?P<hour>\d{2}):(?P<minute>\d{2})-(?P<first>\d{2})-(?P<second>\d{2})-(?P<year>\d{2,4})$"
)
_CP_TIME = re.compile(
    r"(?P<hour>\d{2}):(?P<minute>\d{2})\s*(?P<zone>[A-Z]{1,4})\s+(?P<day>\d{2})-(?P<month>\d{2})-(?P<year>\d{2,4})"
)
_HEADER_TEXT_LINE = re.compile(r"^\^(?P<text>.*?)(?P<end>@?<|=)?\s*$")
_SKIP_HEADER = re.compile(r"^(?:AP Photos?\b|With AP Photos?|AP Video|AP Graphic|INDEX:|SYMBOL:|code:|Photos?:)", re.I)
_BARE_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Za-z.'-]+){0,3})\s+_\s+(?=\S)")
_SEPARATOR = re.compile(r"^[_\-=*#\s]+$")
# `BC-US--Slug`, `AP-Top-News`, `AM-Storm`, `WEA--Global` keyword lines, and the selector words they start with.
_KEYWORD_LINE = re.compile(r"^(?:[A-Z]{2}-[A-Za-z0-9]{2,}(?:--?|\b)|[A-Z]{2,4}--)\S")
_KEYWORD_PREFIX = re.compile(r"^(?:[A-Z]{2}-(?:[A-Z]{2,4}--)?|[A-Z]{2,4}--)")
_JUNK_FIELD = re.compile(r"^\*?\d{2,6}$")  # `^*9006<`: a routing number before the keyword line
_END_MARK = re.compile(r"^\s*\^?(?:END|ENDIT|ENDS)\s*<?\s*$")
# Lines that stand alone even when not indented: a `==Kyodo` sign-off, a transmission time.
_OWN_LINE = re.compile(rf"^(?:={{2,}}\s*\S.*|{_DESK_TIME.pattern.strip('^$')})$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_FIRST_SENTENCE = re.compile(r"^.+?[.!?](?=\s+[A-Z“\"]|$)")
_MAX_HEADLINE_CHARS = 300
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@register
class Anpa1312Parser:
    """ANPA-1312 wire stories, text takes and agate/tabular takes."""

    name: ClassVar[str] = "anpa1312"
    content_types: ClassVar[tuple[str, ...]] = (
        "application/x-anpa1312",
        "application/anpa1312",
        "text/x-anpa1312",
        "text/anpa",
    )
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        start = head.lstrip(b"\x16\r\n ")
        if not start:
            return 0
        text = start[:600].decode("latin-1")
        if _FIRST_LINE.match(text):
            return 95
        lines = text.split("\n", 2)
        if len(lines) >= 2 and _FIRST_LINE_LOOSE.match(lines[0]) and _SECOND_LINE.match(lines[1].rstrip("\r")):
            return 95 if STX in text else 80
        if start[:1] == b"\x01":
            return 60
        stx = text.find(STX)
        if 0 <= stx < 400 and any(
            _SECOND_LINE.match(line.rstrip("\r")) and (DC3 in line or DC4 in line) for line in text[:stx].split("\n")
        ):
            return 85
        return 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        text = wire.text.replace("\r\n", "\n").replace("\r", "\n")
        segments = [segment for segment in re.split(r"(?=\x16*\x01)", text) if segment.strip("\x16\x04\n ")]
        items: list[ParsedItem] = []
        errors: list[str] = []
        for segment in segments[:500]:
            try:
                items.append(_parse_story(segment, wire.feed_timezone))
            except WireError as error:
                errors.append(error.detail)
        if not items:
            raise WireError("malformed", errors[0] if errors else "no ANPA-1312 story in the message")
        return items


def _parse_story(segment: str, feed_timezone: str) -> ParsedItem:
    stx = segment.find(STX)
    header_text, body_text = (segment[:stx], segment[stx + 1 :]) if stx >= 0 else (segment, "")
    header_lines = [line for line in header_text.strip("\x16\x01\n ").split("\n") if line.strip()]
    if stx < 0:
        # Unframed: the two header lines, then the text.
        body_text = "\n".join(header_lines[2:])
        header_lines = header_lines[:2]
    etx = body_text.find(ETX)
    trailer = ""
    if etx >= 0:
        body_text, trailer = body_text[:etx], body_text[etx + 1 :].split(EOT, 1)[0]
    item = ParsedItem()
    signals = Signals()
    filing: tuple[int, int] | None = None
    preformatted = False
    if header_lines:
        first = _FIRST_LINE.match(header_lines[0]) or _FIRST_LINE_LOOSE.match(header_lines[0])
        second = _SECOND_LINE.match(header_lines[1]) if len(header_lines) > 1 else None
        if first is None and second is None:
            raise WireError("malformed", "no ANPA-1312 header lines")
        if second:
            filing, preformatted = _read_second_line(second, item, signals)
    lines = body_text.split("\n")
    header, paragraphs = _split_body(lines, preformatted)
    text_lines, keyword = _read_header_lines(header, item, signals, preformatted)
    if text_lines:
        if preformatted:
            paragraphs = ["\n".join(text_lines + paragraphs[:1]), *paragraphs[1:]]
        else:
            paragraphs = text_lines + paragraphs
    moment, zone_known, source = _transmission_time(trailer, paragraphs, feed_timezone, _dateline_day_month(paragraphs))
    if moment is not None:
        item.firstcreated = item.versioncreated = moment
        if not zone_known:
            item.assumed_timezone = feed_timezone
    reference = moment.date() if moment else None
    if filing and moment:
        with suppress(ValueError):
            reference = date(moment.year, *filing)
    if paragraphs and preformatted:
        # An agate take can open with a dateline sentence before its table (`NEW YORK (AP) _ Minimum ...`).
        head, newline, table = paragraphs[0].lstrip().partition("\n")
        split = split_dateline(head, reference)
        if split:
            item.dateline, rest = split
            paragraphs = [rest + newline + table, *paragraphs[1:]]
    if paragraphs and not preformatted:
        split = split_dateline(paragraphs[0], reference)
        bare = _BARE_DATELINE.match(paragraphs[0]) if split is None else None
        if split:
            item.dateline, rest = split
            paragraphs = ([rest] if rest.strip() else []) + paragraphs[1:]
        elif bare:
            # Canadian Press: `HALIFAX _ text`, no agency in the dateline.
            item.dateline = Dateline(text=bare.group(0).strip(), place=bare["place"])
            paragraphs = [paragraphs[0][bare.end() :], *paragraphs[1:]]
    if not preformatted:
        paragraphs = _strip_signoff(paragraphs, item.dateline.agency if item.dateline else source)
    item.paragraphs = paragraphs
    item.preformatted = preformatted
    item.agency = (item.dateline.agency if item.dateline else None) or source
    if preformatted and item.kind == "story":
        item.kind = "table"
    if not item.headline:
        item.headline = _fallback_headline(item.paragraphs, keyword, preformatted)
    signals.apply(item)
    if not item.headline and not item.paragraphs:
        raise WireError("missing_content", "ANPA-1312 story without headline or text")
    return item


def _read_second_line(match: re.Match[str], item: ParsedItem, signals: Signals) -> tuple[tuple[int, int] | None, bool]:
    priority, category, format_codes = match["priority"].lower(), match["category"].lower(), match["format"]
    item.urgency = PRIORITY_URGENCY.get(priority)
    item.subjects.append(SubjectCode("anpa-category", category, CATEGORIES.get(category)))
    if category == "v":
        item.kind = "advisory"
    preformatted = DC4 in format_codes or DC2 in format_codes
    tokens = match["rest"].split()
    filing: tuple[int, int] | None = None
    if tokens and tokens[-1].isdigit() and len(tokens) > 1:
        tokens.pop()  # the word count
    if tokens and _FILING_DATE.match(tokens[-1]):
        found = _FILING_DATE.match(tokens.pop())
        if found:
            filing = (int(found["month"]), int(found["day"]))
    if tokens:
        item.slugline = tokens.pop(0)
    for token in tokens:
        if _VERSION_TOKEN.search(token):
            read_signals(token, signals, any_case=True)
    return filing, preformatted


def _clean(line: str, preformatted: bool = False) -> str:
    if preformatted:
        # BS opens a tab line and `^` a column-heading row; DLE is a space band, RS/US separate columns.
        line = re.sub(r"^\x08+\^?", "", line)
    line = _CONTROLS.sub(" ", line)
    return line.replace("``", "“").replace("''", "”")


def _header_fields(line: str) -> list[tuple[str, str]]:
    """`^Headline<` -> [("Headline", "<")]; `^*9006< ^AP-Top-Headlines,0176<` holds two fields."""
    found = _HEADER_TEXT_LINE.match(line)
    if not found:
        return []
    fields: list[tuple[str, str]] = []
    for piece in re.split(r"(?<=<)\s*\^", line):
        part = _HEADER_TEXT_LINE.match(piece if piece.startswith("^") else "^" + piece)
        if part and not _JUNK_FIELD.match(part["text"].strip()):
            fields.append((part["text"].strip(), part["end"] or ""))
    return fields


def _split_body(lines: list[str], preformatted: bool) -> tuple[list[tuple[str, str]], list[str]]:
    """Header lines apart from the text; tab-indented paragraphs, or preformatted blocks.

    Header lines are the `^...<` / `^...=` lines before the text; a take without them (Kyodo) puts
    its keyword and headline lines unindented above an indented text.
    """
    header: list[tuple[str, str]] = []
    paragraphs: list[str] = []
    current: list[str] = []
    indented = any(raw.startswith(("\t", "   ")) for raw in lines)

    def flush() -> None:
        if current:
            if preformatted:
                block = "\n".join(current).strip("\n")
                if block.strip():
                    paragraphs.append(block)
            else:
                joined = " ".join(part.strip() for part in current if part.strip())
                if joined and not _SEPARATOR.match(joined):
                    paragraphs.append(joined)
            current.clear()

    unmarked = 0
    for raw in lines:
        line = _clean(raw, preformatted).rstrip()
        if not paragraphs and not current:
            fields = _header_fields(line)
            if fields and unmarked == 0:
                header.extend(fields)
                continue
            if (
                (not header or unmarked)
                and indented
                and line.strip()
                and unmarked < 3
                and len(line) <= 200
                and not raw.startswith(("\t", "   "))
                and not split_dateline(line.strip())
            ):
                unmarked += 1
                text = line.strip()
                end = text[-1] if text[-1] in "<=+" else ""
                header.append((text.rstrip("<=+").strip(), end))
                continue
        marked = line.lstrip().startswith("^")
        if marked:
            # A `^Subhead=` line inside the text: keep the words, drop the codes.
            line = re.sub(r"^(\s*)\^", r"\1", line)
        if line.endswith("<") and not line.endswith("<<"):
            line = line[:-1].rstrip()
        if (marked or preformatted) and line.endswith("=") and not line.endswith("=="):
            line = line[:-1].rstrip()
        if _END_MARK.match(line):
            continue
        if preformatted:
            if not line.strip():
                flush()
            else:
                current.append(line[1:] if line.startswith("\t") else line)
            continue
        if not line.strip():
            flush()
        elif raw.startswith(("\t", "   ")) or _OWN_LINE.match(line.strip()):
            flush()
            current.append(line)
        else:
            current.append(line)
    flush()
    return header, paragraphs


def _is_keyword_line(text: str, slug: str | None) -> bool:
    """AP's keyword line: `BC-US--Harbor-Reopens, 1st Ld-Writethru,0640`, `AP-Weather-Brief,0212`."""
    if _KEYWORD_LINE.match(text):
        return True
    if not slug:
        return False
    return _NOT_ALNUM.sub("", text.lower())[:8] == _NOT_ALNUM.sub("", slug.lower())[:8] != ""


def _keyword_title(text: str) -> str | None:
    """The title words of a keyword line: `BC-WEA--Global Weather-Fahrenheit,` -> `Global Weather-Fahrenheit`."""
    words = _KEYWORD_PREFIX.sub("", text).split(",")[0].strip(" ,-")
    return words or None


def _read_header_lines(
    header: list[tuple[str, str]], item: ParsedItem, signals: Signals, preformatted: bool
) -> tuple[list[str], str | None]:
    """Headline, subheadline, byline and notes from the header lines.

    Returns the header lines that belong to the text (table captions such as `All Times EDT`, or a list
    of headlines without end codes) and the title of the keyword line.
    """
    byline: list[str] = []
    text_lines: list[str] = []
    keyword: str | None = None
    byline_at = -2
    for index, (text, end) in enumerate(header):
        if not text:
            continue
        if index == 0 and _is_keyword_line(text, item.slugline):
            read_signals(text, signals, any_case=True)
            keyword = _keyword_title(text)
            continue
        if text.startswith("HL:"):
            item.headline = strip_signals(text[3:].strip(), signals) or text[3:].strip()
        elif is_ednote(text.lstrip("(")) or text.lower().startswith(("update:", "editors:")):
            signals.ednotes.append(text)
        elif _SKIP_HEADER.match(text):
            continue
        elif is_signal_line(text):
            strip_signals(text, signals)
        elif re.match(r"^(?:By|BY|Por|Par)\s", text) or (
            byline_at == index - 1 and end == "=" and not preformatted and _is_byline_title(text)
        ):
            byline.append(text)
            byline_at = index
        elif item.headline is None:
            item.headline = strip_signals(text, signals) or text
        elif preformatted or text_lines or not end:
            # In a table the lines after the headline are captions; unended lines are a list of items.
            text_lines.append(text)
        elif item.subheadline is None and len(text) <= 200 and not byline:
            item.subheadline = text
    if byline:
        item.byline = ", ".join(byline)
    return text_lines, keyword


def _is_byline_title(text: str) -> bool:
    """`Associated Press`, `AP Sports Writer`: the line under a byline."""
    return len(text.split()) <= 5 and not text.isupper()


def _fallback_headline(paragraphs: list[str], keyword: str | None, preformatted: bool) -> str | None:
    """No headline line: a bulletin's one sentence is its headline; a table is named by its keyword line."""
    if paragraphs and not preformatted:
        sentence = _FIRST_SENTENCE.match(paragraphs[0])
        text = (sentence.group(0) if sentence else paragraphs[0]).strip()
        if len(text) <= _MAX_HEADLINE_CHARS:
            return text
    return keyword


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _dateline_day_month(paragraphs: list[str]) -> tuple[int, int] | None:
    """(day, month) of the first paragraph's dateline, to order an ambiguous trailer date."""
    split = split_dateline(paragraphs[0]) if paragraphs else None
    found = parse_day_month(split[0].date_text) if split and split[0].date_text else None
    return (found[0], found[1]) if found else None


def _day_month(found: re.Match[str], hint: tuple[int, int] | None) -> tuple[int, int]:
    """Day and month of a trailer time. The desk time (`KWS-21:37-09-12-18`) writes day first unless
    the dateline's day and month say the other order."""
    if found.re is not _DESK_TIME:
        return int(found["day"]), int(found["month"])
    first, second = int(found["first"]), int(found["second"])
    if hint == (second, first) or second > 12:
        return second, first  # month first after all
    return first, second


def _transmission_time(
    trailer: str, paragraphs: list[str], feed_timezone: str, day_month_hint: tuple[int, int] | None = None
) -> tuple[datetime | None, bool, str | None]:
    """The ETX trailer time (or a last text line that holds it); drops that line from the text."""
    candidates = [trailer] if trailer.strip() else []
    if paragraphs:
        candidates.append(paragraphs[-1])
    for index, text in enumerate(candidates):
        found = _US_TIME.search(text) or _CP_TIME.search(text) or _DESK_TIME.search(text)
        if not found:
            continue
        if index == len(candidates) - 1 and paragraphs and text is paragraphs[-1]:
            if len(text.split()) > 4:
                continue
            paragraphs.pop()
        zone = ZONES.get(found.groupdict().get("zone") or "")
        day, month = _day_month(found, day_month_hint)
        try:
            moment = datetime(
                _year(found["year"]),
                month,
                day,
                int(found["hour"]),
                int(found["minute"]),
                tzinfo=zone or ZoneInfo(feed_timezone),
            )
        except ValueError:
            return None, False, None
        source = found.groupdict().get("source") if found.re is not _DESK_TIME else None
        if (
            paragraphs
            and len(paragraphs[-1].split()) <= 4
            and (
                _US_TIME.search(paragraphs[-1]) or _CP_TIME.search(paragraphs[-1]) or _DESK_TIME.search(paragraphs[-1])
            )
        ):
            paragraphs.pop()
        return moment, zone is not None, source
    return None, False, None
