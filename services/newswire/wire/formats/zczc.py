"""ZCZC/NNNN teleprinter framing, as AAP still sends its text and racing copy.

    ZCZC AAP                       start of message; the word after it names the sender
    %A                             one-character field markers, one field a line:
    #Slug_BC1                        `#` slug, `$` headline (one letter: a category), `^` headline,
    $Headline of the story           `:` keyword or `(PLACE)` dateline, `@` place, `*` format
    :(BRISBANE)                      (`T` tabular, `X` text) or an IPTC subject code, `+` IPTC code,
    &desk\\user                       `&` service/user, `%` priority, `=` take key, `~` genre
    *07000000
    @QLD
    Text of the story ...
    AAP RTV                        sign-off: agency and desk
    NNNN                           end of message

The racing variant has routing lines instead (`ZCZC FMG000` / `YY TDR` / `:POTTED :Course TITLE`), a
dateline without brackets (`CAIRNS, Mar 4 AAP -`) and column-aligned betting tables.
"""

from __future__ import annotations

import re
from typing import ClassVar

from newswire.wire.datelines import KNOWN_AGENCY_NAMES, split_dateline
from newswire.wire.errors import WireError
from newswire.wire.formats.agency_text import split_paragraphs, strip_signoff
from newswire.wire.model import Dateline, ParsedItem, SubjectCode
from newswire.wire.registry import WireInput, register

_START = re.compile(r"^\s*ZCZC\b[ \t]*(?P<rest>[^\n]*)$", re.MULTILINE)
_END = re.compile(r"^\s*NNNN\s*$", re.MULTILINE)
_MARKERS = "%#$^:&*@+=~"
# `YY TDR`, `YY RFG INTERNET (3RR) NC(ATD)`: routing lines between ZCZC and the fields.
_ROUTING = re.compile(r"^[A-Z0-9][A-Z0-9 ()/.-]{0,60}$")
_PLACE_FIELD = re.compile(r"^\((?P<place>[^()]{2,40})\)$")
_IPTC_CODE = re.compile(r"^\d{8}$")
# A short line that is only the agency and a desk code: `AAP RTV`, `AAP BETTING`.
_SIGNOFF = re.compile(r"(?:^|\s{2,})\s*(?P<agency>[A-Za-z]{2,8})(?:\s+[A-Z]{2,12}){0,2}\s*$")
# Column-aligned rows: a price or number before a name, or words set apart by runs of spaces.
_TABLE_ROW = re.compile(r"^\s*\d+(?:\.\d+)?\s{1,}\S|\S\s{3,}\S")
_KEY_VALUE = re.compile(r"^[A-Z]{2}#", re.MULTILINE)
_MAX_HEADLINE_CHARS = 200
_MAX_SENDER_CHARS = 40
_MAX_FIELD_CHARS = 200
# Racing copy closes title lines with typesetting codes: `WEIGHTS EAGLE FARM<!`, `HANDICAP 1400M .=!`.
_FORMAT_CODES = re.compile(r"[\s<=!]+$")


@register
class ZczcParser:
    """ZCZC ... NNNN framed agency text (AAP and teleprinter-era feeds)."""

    name: ClassVar[str] = "zczc"
    content_types: ClassVar[tuple[str, ...]] = ("text/x-zczc", "application/x-zczc")
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        text = head[:2000].decode("latin-1")
        found = _START.search(text)
        if not found or text[: found.start()].strip():
            return 0
        if len(_KEY_VALUE.findall(text)) >= 3:
            return 0  # News Bites `KEY#value` copy in a zczc frame
        return 92

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        text = wire.text.replace("\r\n", "\n").replace("\r", "\n")
        starts = list(_START.finditer(text))
        if not starts:
            raise WireError("malformed", "no ZCZC start of message")
        items: list[ParsedItem] = []
        for index, start in enumerate(starts[:500]):
            stop = starts[index + 1].start() if index + 1 < len(starts) else len(text)
            message = text[start.end() : stop]
            sender = start["rest"]
            if len(sender) > _MAX_SENDER_CHARS or sender[:1] in _MARKERS:
                # A field or the whole text on the ZCZC line (results copy): it is part of the message.
                sender, message = "", sender + message
            end = _END.search(message)
            item = _parse_message(sender, message[: end.start()] if end else message)
            if item is not None:
                items.append(item)
        if not items:
            raise WireError("missing_content", "ZCZC message without headline or text")
        return items


def _parse_message(sender: str, message: str) -> ParsedItem | None:
    lines = message.split("\n")
    item = ParsedItem()
    keywords: list[list[str]] = []
    tabular: bool | None = None
    place: str | None = None
    index = 0
    saw_field = False
    while index < len(lines):
        line = lines[index].rstrip()
        if not line.strip():
            index += 1
            continue
        marker, value = line[0], line[1:].strip()
        if marker not in _MARKERS or len(line) > _MAX_FIELD_CHARS:
            if not saw_field and _ROUTING.match(line.strip()):
                index += 1
                continue
            break
        saw_field = True
        index += 1
        if marker in "$^":
            if len(value) <= 1 and marker == "$":
                if value:
                    item.subjects.append(SubjectCode("anpa-category", value.lower()))
            else:
                item.headline = item.headline or value or None
        elif marker == "#":
            # `#Slug_BC1`, or results copy's `#Slug:take` on the ZCZC line.
            item.slugline = value.split(":", 1)[0].strip() or None
        elif marker == ":":
            segments = [part.strip() for part in value.split(":") if part.strip()]
            found = _PLACE_FIELD.match(value)
            if found:
                place = found["place"].strip()
            elif segments:
                keywords.append(segments)
        elif marker == "@" and value:
            item.keywords.append(value)  # a state or region code (`@QLD`), not the dateline
        elif marker in "*+":
            if _IPTC_CODE.match(value):
                item.subjects.append(SubjectCode("subj", value))
            elif value[:1] in ("T", "X"):
                tabular = value[:1] == "T"
        elif marker == "~" and value:
            item.genres.append(value)
    _keywords_and_headline(item, keywords)
    body = "\n".join(lines[index:]).strip("\n")
    if not item.headline:
        # No headline field (press-release copy): a short first line over more text is the title.
        first, newline, rest = body.partition("\n")
        if newline and rest.strip() and len(first.strip()) <= _MAX_HEADLINE_CHARS and not split_dateline(first.strip()):
            item.headline, body = _FORMAT_CODES.sub("", first).strip(), rest.strip("\n")
    agency = _sender_agency(sender)
    body, signoff_agency = _drop_signoff(body)
    if tabular is None:
        tabular = _looks_tabular(body)
    paragraphs = _body(body, tabular)
    if paragraphs:
        head, newline, rest = paragraphs[0].lstrip().partition("\n")
        split = split_dateline(head)
        if split:
            item.dateline, after = split
            paragraphs[0] = after + newline + rest
            if not paragraphs[0].strip():
                paragraphs.pop(0)
    if item.dateline is None and place:
        item.dateline = Dateline(text=f"({place})", place=place)
    item.paragraphs = paragraphs if tabular else strip_signoff(paragraphs, agency or signoff_agency)
    item.preformatted = tabular
    item.kind = "table" if tabular else "story"
    item.agency = agency or (item.dateline.agency if item.dateline else None) or signoff_agency
    if not item.headline and not item.paragraphs:
        return None
    return item


def _keywords_and_headline(item: ParsedItem, keywords: list[list[str]]) -> None:
    """`:POTTED :Eagle Farm MARKET DAY`: the first segment is a keyword, the last one the title."""
    for segments in keywords:
        if not item.headline and len(segments) > 1:
            item.headline = segments[-1]
            item.keywords.extend(segments[:-1])
        else:
            item.keywords.extend(segments)


def _sender_agency(sender: str) -> str | None:
    """`ZCZC AAP` names the agency; `ZCZC FMG000` is a routing code."""
    word = sender.strip().split()[0] if sender.strip() else ""
    return word if word.lower() in KNOWN_AGENCY_NAMES else None


def _drop_signoff(body: str) -> tuple[str, str | None]:
    """Take the closing `AAP RTV` line off the text and return the agency it names."""
    lines = body.rstrip().split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        # On a line of its own, or set apart at the end of a one-line message (`...   AAP FIELDS`).
        found = _SIGNOFF.search(lines[-1][-40:]) if len(lines[-1]) > 40 else _SIGNOFF.match(lines[-1])
        if found and found["agency"].lower() in KNOWN_AGENCY_NAMES:
            lines[-1] = lines[-1][: len(lines[-1]) - len(found.group(0))] if len(lines[-1]) > 40 else ""
            if not lines[-1].strip():
                lines.pop()
            return "\n".join(lines), found["agency"]
    return "\n".join(lines), None


def _looks_tabular(body: str) -> bool:
    rows = [line for line in body.split("\n") if line.strip()]
    if len(rows) < 6:
        return False
    return sum(1 for line in rows if _TABLE_ROW.search(line)) >= len(rows) / 2


def _body(body: str, tabular: bool) -> list[str]:
    if not tabular:
        return split_paragraphs(body) if body.strip() else []
    # Keep the columns: blocks split on blank lines, each line as sent.
    blocks = re.split(r"\n\s*\n", body)
    return [block.rstrip() for block in blocks if block.strip()]
