"""The format-neutral result of parsing one wire item, before normalisation and enrichment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Dateline:
    """A dateline as the agency wrote it (`Pekín, 3 sep (EFE).-`), split into its parts."""

    text: str
    place: str | None = None
    date_text: str | None = None
    agency: str | None = None
    date: date | None = None


@dataclass(frozen=True)
class SubjectCode:
    """A subject as the wire labelled it: a scheme (`medtop`, `subj`, ...), a code and a name."""

    scheme: str
    code: str
    name: str | None = None


@dataclass
class ParsedItem:
    """Everything a parser could read from one story in a wire message.

    Parsers fill what their format carries and leave the rest as None; the pipeline
    normalises, validates and enriches it into a ninjs story.
    """

    headline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    subheadline: str | None = None
    byline: str | None = None
    slugline: str | None = None
    dateline: Dateline | None = None
    agency: str | None = None  # the originating agency (canonical short name after `wire.agencies.attribute`)
    distributor: str | None = None  # the wire that delivered another agency's copy, where the file says so
    agency_id: str | None = None
    firstcreated: datetime | None = None
    versioncreated: datetime | None = None
    embargoed: datetime | None = None
    urgency: int | None = None
    pubstatus: str = "usable"
    kind: str = "story"
    version: int | None = None
    language: str | None = None
    subjects: list[SubjectCode] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    ednote: str | None = None
    body_html: str | None = None
    preformatted: bool = False
    # What a careful human would have had to repair to read the item; shipped as errors.
    recoveries: list[str] = field(default_factory=list)
    # Set when the parser applied a zone to zone-less agency times.
    assumed_timezone: str | None = None
    # ninjs 2.2 properties the input held, already in 2.2 shape (lower-case names, arrays of objects) but
    # not yet validated: the pipeline keeps them in the story (`newswire.pipeline.build.carried_fields`).
    # Only the ninjs parser fills it; values the fields above carry (bodies it read, times) are left out.
    carried: dict[str, Any] = field(default_factory=dict)
