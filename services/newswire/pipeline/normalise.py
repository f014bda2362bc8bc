"""Normalisation: NFC text with tidy whitespace, UTC timestamps, and the agency under its canonical name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime

from newswire.wire.agencies import attribute
from newswire.wire.datelines import parse_day_month, resolve_date
from newswire.wire.model import Dateline, ParsedItem

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Control characters never belong in story text (framing bytes were the parser's business).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """NFC, no control characters, single spaces, trimmed lines."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROLS.sub(" ", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def clean_optional(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = clean_text(text)
    return cleaned or None


def to_utc(moment: datetime | None) -> datetime | None:
    """Zone-aware UTC; a naive time is taken to be UTC (parsers attach feed zones themselves)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _resolved_dateline(dateline: Dateline | None, reference: date | None) -> Dateline | None:
    if dateline is None:
        return None
    cleaned = replace(
        dateline,
        text=clean_text(dateline.text),
        place=clean_optional(dateline.place),
        agency=clean_optional(dateline.agency),
    )
    if cleaned.date is None and cleaned.date_text and reference is not None:
        day_month = parse_day_month(cleaned.date_text)
        if day_month:
            cleaned = replace(cleaned, date=resolve_date(*day_month, reference))
    return cleaned


def normalise(item: ParsedItem, received_at: datetime) -> ParsedItem:
    """A copy of `item` with clean text, UTC times and the dateline date resolved."""
    firstcreated = to_utc(item.firstcreated)
    reference = (firstcreated or received_at).date()
    paragraphs = [cleaned for cleaned in (clean_text(p) for p in item.paragraphs) if cleaned]
    if item.preformatted:
        # Tables and agate keep their columns: only NFC and control characters are touched.
        paragraphs = [unicodedata.normalize("NFC", _CONTROLS.sub(" ", p)).strip("\n") for p in item.paragraphs]
    return attribute(
        replace(
            item,
            headline=clean_optional(item.headline),
            subheadline=clean_optional(item.subheadline),
            byline=clean_optional(item.byline),
            slugline=clean_optional(item.slugline),
            paragraphs=paragraphs,
            agency=clean_optional(item.agency),
            dateline=_resolved_dateline(item.dateline, reference),
            firstcreated=firstcreated,
            versioncreated=to_utc(item.versioncreated),
            embargoed=to_utc(item.embargoed),
            keywords=[k for k in (clean_optional(k) for k in item.keywords) if k],
            ednote=clean_optional(item.ednote),
            distributor=clean_optional(item.distributor),
        )
    )
