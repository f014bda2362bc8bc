"""Datelines as agencies write them, and the dates in them.

`Pekín, 3 sep (EFE).-`, `WASHINGTON, Sept. 3 (Reuters) -`, `PARIS (AFP) -`,
`Berlin, 3. September (dpa) -`, `Lisboa, 3 set (Lusa) -`, `NEW YORK (AP) _`,
`MADRID, 3 (EUROPA PRESS) -`, ANSA's `(ANSA) - ROMA, 3 SET -` and `ROME, September 3 - (ANSA) -`.
The date part carries day and month only; the year comes from the message date,
taking the year boundary into account (a `31 dic` dateline on a 1 January message).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date, timedelta

from newswire.wire.model import Dateline

# Month names and abbreviations in English, Spanish, French, Portuguese, German and Italian.
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "enero", "ene", "janvier", "janv", "janeiro", "januar", "jänner", "jän", "gennaio", "gen"),
    2: (
        "february",
        "feb",
        "febrero",
        "fevrier",
        "février",
        "févr",
        "fevr",
        "fév",
        "fev",
        "fevereiro",
        "februar",
        "febbraio",
    ),
    3: ("march", "mar", "marzo", "mars", "março", "marco", "märz", "marz", "mär"),
    4: ("april", "apr", "abril", "abr", "avril", "avr", "aprile"),
    5: ("may", "mayo", "mai", "maio", "mag", "maggio"),
    6: ("june", "jun", "junio", "juin", "junho", "juni", "giugno", "giu"),
    7: ("july", "jul", "julio", "juillet", "juil", "julho", "juli", "luglio", "lug"),
    8: ("august", "aug", "agosto", "ago", "août", "aout", "aoû"),
    9: ("september", "sep", "sept", "septiembre", "setiembre", "set", "sett", "septembre", "setembro", "settembre"),
    10: ("october", "oct", "octubre", "octobre", "outubro", "out", "oktober", "okt", "ottobre", "ott"),
    11: ("november", "nov", "noviembre", "novembre", "novembro"),
    12: ("december", "dec", "diciembre", "dic", "décembre", "déc", "dezembro", "dez", "dezember", "dicembre"),
}
MONTHS: dict[str, int] = {word: month for month, words in _MONTH_WORDS.items() for word in words}

# Agencies that write their own name in lower case (`(dpa)`) or that a dateline can name.
KNOWN_AGENCY_NAMES = frozenset(
    name.lower()
    for name in (
        "EFE",
        "AFP",
        "AP",
        "Reuters",
        "dpa",
        "ANSA",
        "Lusa",
        "AAP",
        "TT",
        "EP",
        "Europa Press",
        "UPI",
        "Xinhua",
        "Kyodo",
        "Yonhap",
        "PA",
        "APA",
        "SDA",
        "ATS",
        "Belga",
        "ANP",
        "NTB",
        "STT",
        "CTK",
        "PAP",
        "EUROPA PRESS",
        "AFX",
        "KNA",
        "epd",
        "dts",
        "ddp",
        "Agência Brasil",
        "Notimex",
        "Télam",
        "Prensa Latina",
        "Keystone",
        "Keystone-SDA",
        "TASS",
        "Interfax",
        "RIA",
        "MTI",
        "CTK",
        "BTA",
        "Anadolu",
        "Bernama",
        "Antara",
        "PTI",
        "IANS",
        "NZPA",
        "CP",
    )
)

_PLACE = r"(?P<place>[^\W\d_][^\n()]{0,80}?)"
_AGENCY = r"(?P<agency>[^\W\d_][^\n()]{0,30})"
# The dash, underscore or colon that opens the story: `.-`, `-`, `--`, `—`, `_`, `:`.
_DASH = r"(?P<dash>\s*(?:\.\s*-+|[-–—_]{1,2}|:))"

# Place, optional date, agency in brackets, then the dash that opens the story.
_DATELINE = re.compile(
    rf"^{_PLACE}(?:,\s*(?P<date>[^\n(),]{{1,40}}?))?\s*\({_AGENCY}\){_DASH}\s*",
)
# ANSA Italian: `(ANSA) - ROMA, 3 SET -`; the agency comes first.
_AGENCY_FIRST = re.compile(
    rf"^\({_AGENCY}\)\s*[-–—]{{1,2}}\s*{_PLACE}(?:,\s*(?P<date>[^\n(),\-–—]{{1,40}}?))?\s*[-–—]{{1,2}}(?P<dash>)\s*",
)
# ANSA English: `ROME, September 3 - (ANSA) -`; the dash comes before the agency.
_DASH_BEFORE_AGENCY = re.compile(
    rf"^{_PLACE}(?:,\s*(?P<date>[^\n(),\-–—]{{1,40}}?))?\s*[-–—]{{1,2}}\s*\({_AGENCY}\){_DASH}\s*",
)
# No dash after the bracket, as ATS writes it: `Genève (ats afp) Le conseil`; only with known agency names.
_NO_DASH = re.compile(rf"^{_PLACE}(?:,\s*(?P<date>[^\n(),]{{1,40}}?))?\s*\({_AGENCY}\)(?P<dash>)\s+(?=\S)")
# The agency without brackets after the date, as AAP and Kyodo write it: `CAIRNS, Mar 4 AAP -`,
# `SAITAMA, Japan, Dec. 9 Kyodo -`. Only known agency names, and only after a date.
_UNBRACKETED_AGENCY = re.compile(
    rf"^{_PLACE},\s*(?P<date>[^\n(),]{{1,40}}?)\s+(?P<agency>[A-Za-z][A-Za-z-]{{1,15}}){_DASH}\s+"
)
# Press-release wires: `AUSTIN, Texas, Feb. 1, 2017 /PRNewswire-AsiaNet/ --`, `LONDON, Feb. 1 /PRNewswire/ --`.
_SLASHED_AGENCY = re.compile(
    rf"^{_PLACE},\s*(?P<date>(?:[^\W\d_]{{3,10}}\.?\s+\d{{1,2}}|\d{{1,2}}\.?\s+[^\W\d_]{{3,10}}\.?)(?:,?\s+\d{{4}})?)"
    rf"\s*/\s*(?P<agency>[A-Za-z][\w .&-]{{1,40}}?)\s*/\s*(?P<dash>-{{1,2}}|[–—])\s*"
)
_DAY_MONTH = re.compile(
    r"(?P<day>\d{1,2})\.?\s*(?:de\s+)?(?P<month>[^\W\d_]{3,10})\.?(?:\s+(?:de\s+)?(?P<year>\d{4}))?"
)
_MONTH_DAY = re.compile(r"(?P<month>[^\W\d_]{3,10})\.?\s+(?P<day>\d{1,2})(?:,?\s+(?P<year>\d{4}))?")
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
_BARE_DAY = re.compile(r"^\d{1,2}$")


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word.lower().rstrip("."))


def month_number(word: str) -> int | None:
    return MONTHS.get(_fold(word))


def _looks_like_agency(name: str) -> bool:
    # `(EFE)`, `(AP)`, `(dpa)`, `(Reuters)`, `(EUROPA PRESS)`: short, no sentence inside, a name.
    name = name.strip()
    words = name.split()
    if not (0 < len(words) <= 3 and len(name) <= 30 and not name.endswith((".", ","))):
        return False
    parts = re.split(r"[/-]", name)
    if name.lower() in KNOWN_AGENCY_NAMES or any(part.lower() in KNOWN_AGENCY_NAMES for part in parts):
        return True
    return name[0].isupper()


def _looks_like_place(place: str) -> bool:
    return bool(place) and not place[0].islower() and len(place.split()) <= 6


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


def resolve_day(day: int, reference: date | None) -> date | None:
    """A bare day of the month (`MADRID, 3 (EUROPA PRESS)`): the nearest such day to the message date."""
    if reference is None or not 1 <= day <= 31:
        return None
    candidates = []
    for shift in (-1, 0, 1):
        first = (reference.replace(day=1) + timedelta(days=32 * shift)).replace(day=1)
        try:
            candidates.append(first.replace(day=day))
        except ValueError:
            continue
    return min(candidates, key=lambda candidate: abs(candidate - reference)) if candidates else None


def _all_known(name: str) -> bool:
    parts = [part for part in re.split(r"[\s/-]+", name.strip().lower()) if part]
    return bool(parts) and all(part in KNOWN_AGENCY_NAMES for part in parts)


def _match(paragraph: str) -> re.Match[str] | None:
    for pattern in (_DASH_BEFORE_AGENCY, _DATELINE, _AGENCY_FIRST):
        found = pattern.match(paragraph)
        if found and _looks_like_agency(found["agency"]):
            return found
    found = _NO_DASH.match(paragraph)
    if found and _all_known(found["agency"]):
        return found
    found = _UNBRACKETED_AGENCY.match(paragraph)
    if found and _all_known(found["agency"]) and parse_day_month(found["date"]):
        return found
    found = _SLASHED_AGENCY.match(paragraph)
    if found and found["agency"][0].isupper() and parse_day_month(found["date"]):
        return found
    return None


# `Puerto Ayora (Ecuador), 14 mar (EFE).-`: a region or country in brackets between the place and the date.
_REGION_AFTER_PLACE = re.compile(
    r"^(?P<place>[^\W\d_][^\n(),]{0,60}?)\s*\((?P<region>[^()\n]{1,40})\)(?=\s*,\s*\d{1,2}\s)"
)


def split_dateline(paragraph: str, reference: date | None = None) -> tuple[Dateline, str] | None:
    """Split `Place, D mon (AGENCY).- text` (or `Place (Region), D mon ...`) into its dateline and the text after
    it."""
    found = _split(paragraph, reference)
    if found is not None:
        return found
    region = _REGION_AFTER_PLACE.match(paragraph)
    found = _split(region["place"] + paragraph[region.end() :], reference) if region else None
    if region is None or found is None:
        return None
    dateline, rest = found
    return replace(dateline, text=paragraph[: len(paragraph) - len(rest)].strip(), place=region["place"].strip()), rest


def _split(paragraph: str, reference: date | None) -> tuple[Dateline, str] | None:
    found = _match(paragraph)
    if not found:
        return None
    place, date_text = found["place"].strip(), (found["date"] or "").strip() or None
    day_month = parse_day_month(date_text) if date_text else None
    bare_day = bool(date_text and _BARE_DAY.match(date_text))
    if date_text and day_month is None and not bare_day:
        # `SAN JOSÉ, Costa Rica (EFE) -`: the part after the comma is more place, not a date.
        place, date_text = f"{place}, {date_text}", None
    if not _looks_like_place(place):
        return None
    if day_month:
        resolved = resolve_date(*day_month, reference)
    elif bare_day and date_text:
        resolved = resolve_day(int(date_text), reference)
    else:
        resolved = None
    end = found.end()
    dateline = Dateline(
        text=paragraph[:end].strip(),
        place=place,
        date_text=date_text,
        agency=found["agency"].strip(),
        date=resolved,
    )
    return dateline, paragraph[end:]
