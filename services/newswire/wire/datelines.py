"""Datelines as agencies write them, and the dates in them.

`Pekín, 3 sep (EFE).-`, `WASHINGTON, Sept. 3 (Reuters) -`, `PARIS (AFP) -`,
`Berlin, 3. September (dpa) -`, `Lisboa, 3 set (Lusa) -`, `NEW YORK (AP) _`.
The date part carries day and month only; the year comes from the message date,
taking the year boundary into account (a `31 dic` dateline on a 1 January message).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from newswire.wire.model import Dateline

# Month names and abbreviations in English, Spanish, French, Portuguese, German and Italian.
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "enero", "ene", "janvier", "janv", "janeiro", "januar", "jänner", "jän", "gennaio", "gen"),
    2: ("february", "feb", "febrero", "fevrier", "février", "fév", "fev", "fevereiro", "februar", "febbraio"),
    3: ("march", "mar", "marzo", "mars", "março", "marco", "märz", "marz", "mär"),
    4: ("april", "apr", "abril", "abr", "avril", "avr", "aprile"),
    5: ("may", "mayo", "may", "mai", "maio", "mag", "maggio"),
    6: ("june", "jun", "junio", "juin", "junho", "juni", "giugno", "giu"),
    7: ("july", "jul", "julio", "juillet", "juil", "julho", "juli", "luglio", "lug"),
    8: ("august", "aug", "agosto", "ago", "août", "aout", "aoû"),
    9: ("september", "sep", "sept", "septiembre", "setiembre", "set", "septembre", "setembro", "settembre"),
    10: ("october", "oct", "octubre", "octobre", "outubro", "out", "oktober", "okt", "ottobre", "ott"),
    11: ("november", "nov", "noviembre", "novembre", "novembro", "novembre"),
    12: ("december", "dec", "diciembre", "dic", "décembre", "déc", "dezembro", "dez", "dezember", "dicembre"),
}
MONTHS: dict[str, int] = {word: month for month, words in _MONTH_WORDS.items() for word in words}

# Place, optional date, agency in brackets, then the dash, underscore or colon that opens the story.
_DATELINE = re.compile(
    r"""^(?P<place>[^\W\d_][^\n()]{0,80}?)
        (?:,\s*(?P<date>[^\n(),]{1,40}?))?
        \s*\((?P<agency>[^\W\d_][^\n()]{0,30})\)
        (?P<dash>\s*(?:\.\s*-+|[-–—_]{1,2}|:))\s*""",
    re.VERBOSE,
)
_DAY_MONTH = re.compile(r"(?P<day>\d{1,2})\.?\s*(?:de\s+)?(?P<month>[^\W\d_]{3,10})\.?(?:\s+(?:de\s+)?(?P<year>\d{4}))?")
_MONTH_DAY = re.compile(r"(?P<month>[^\W\d_]{3,10})\.?\s+(?P<day>\d{1,2})(?:,?\s+(?P<year>\d{4}))?")
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word.lower().rstrip("."))


def month_number(word: str) -> int | None:
    return MONTHS.get(_fold(word))


def _looks_like_agency(name: str) -> bool:
    # `(EFE)`, `(AP)`, `(dpa)`, `(Reuters)`, `(EUROPA PRESS)`: short, no sentence inside.
    words = name.split()
    return 0 < len(words) <= 3 and len(name) <= 30 and not name.endswith((".", ","))


def parse_day_month(text: str) -> tuple[int, int, int | None] | None:
    """`3 sep`, `Sept. 3`, `3. September 2025`, `2025-09-03` -> (day, month, year or None)."""
    text = text.strip()
    iso = _ISO_DATE.search(text)
    if iso:
        return int(iso["day"]), int(iso["month"]), int(iso["year"])
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        found = pattern.search(text)
        if found:
            month = month_number(found["month"])
            day = int(found["day"])
            if month and 1 <= day <= 31:
                return day, month, int(found["year"]) if found["year"] else None
    return None


def resolve_date(day: int, month: int, year: int | None, reference: date | None) -> date | None:
    """Give a day-month its year: the one that puts it nearest the message date."""
    if year is None:
        if reference is None:
            return None
        candidates = []
        for candidate_year in (reference.year - 1, reference.year, reference.year + 1):
            try:
                candidates.append(date(candidate_year, month, day))
            except ValueError:
                continue
        if not candidates:
            return None
        return min(candidates, key=lambda candidate: abs(candidate - reference))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def split_dateline(paragraph: str, reference: date | None = None) -> tuple[Dateline, str] | None:
    """Split `Place, D mon (AGENCY).- text` into its dateline and the text after it."""
    found = _DATELINE.match(paragraph)
    if not found or not _looks_like_agency(found["agency"]):
        return None
    place, date_text = found["place"].strip(), (found["date"] or "").strip() or None
    day_month = parse_day_month(date_text) if date_text else None
    if date_text and day_month is None:
        # `SAN JOSÉ, Costa Rica (EFE) -`: the part after the comma is more place, not a date.
        place, date_text = f"{place}, {date_text}", None
    if len(place.split()) > 6:
        return None
    resolved = resolve_date(*day_month, reference) if day_month else None
    dateline = Dateline(
        text=paragraph[: found.end("dash")].strip(),
        place=place,
        date_text=date_text,
        agency=found["agency"].strip(),
        date=resolved,
    )
    return dateline, paragraph[found.end() :]
