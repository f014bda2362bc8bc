"""Dates the story mentions (`hoy`, `el martes`, `3 de septiembre`, `June 2024`), resolved to ISO.

Resolution is against `Document.reference_date` (the dateline date, else the story's
creation date). Precision follows the text: `2025-09-03` for a day, `2024-06` for a month,
`2024` for a year. A day and month without a year take the year that puts them nearest
the reference date; a bare weekday is the most recent one (today included) unless the
text says next (`el próximo martes`, `next Tuesday`). Relative words need a reference
date; without one only dates that carry their year are returned.

Languages: es, en, fr, de, pt, it. Each finding is {"text", "start", "end", "date"}, all
strings (offsets are code-point indices into the main text).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import Any

from newswire.enrich.lexical import WORD, fold_word, language_code, words
from newswire.enrich.registry import Document, Findings, stage
from newswire.enrich.stages.entities import story_language

MONTHS: dict[str, list[str]] = {
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "en": [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "de": [
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ],
    "pt": [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
}
SHORT_MONTHS: dict[str, list[str]] = {
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep|sept|set", "oct", "nov", "dic"],
    "en": ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep|sept", "oct", "nov", "dec"],
    "fr": ["janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"],
    "de": ["jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"],
    "pt": ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"],
    "it": ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
}
WEEKDAYS: dict[str, list[str]] = {
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "de": ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"],
    "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
}
# relative day words: offset in days
RELATIVE: dict[str, dict[str, int]] = {
    "es": {"hoy": 0, "ayer": -1, "anteayer": -2, "antier": -2, "anoche": -1, "mañana": 1, "pasado mañana": 2},
    "en": {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "last night": -1},
    "fr": {"aujourd'hui": 0, "hier": -1, "avant-hier": -2, "demain": 1, "après-demain": 2},
    "de": {"heute": 0, "gestern": -1, "vorgestern": -2, "morgen": 1, "übermorgen": 2},
    "pt": {"hoje": 0, "ontem": -1, "anteontem": -2, "amanhã": 1, "depois de amanhã": 2},
    "it": {"oggi": 0, "ieri": -1, "l'altro ieri": -2, "domani": 1, "dopodomani": 2},
}
# `mañana`/`morgen` also mean "morning": not after these words
MORNING_BEFORE = re.compile(r"\b(?:la|esta|por|de|una|cada|am|den|jeden|heute|gestern)\s+$")
NEXT_WORDS = r"próximo|próxima|siguiente|next|coming|prochain|prochaine|nächsten|nächster|kommenden|prossimo|prossima"
PAST_WORDS = r"pasado|pasada|last|past|dernier|dernière|vergangenen|letzten|passato|passata"
NEXT_AFTER = r"que viene|próximo|próxima|prochain|prochaine|prossimo|prossima"
PAST_AFTER = r"pasado|pasada|passé|dernier|scorso|scorsa|passado"
LAST_YEAR = (
    r"(?:del|de)\s+(?:pasado\s+año|año\s+pasado)|last\s+year|(?:de\s+)?l'année\s+dernière|(?:de\s+)?l'an\s+dernier"
    r"|(?:des\s+)?vergangenen\s+jahres|(?:des\s+)?letzten\s+jahres|(?:do\s+)?ano\s+passado|(?:dell'|lo\s+)?anno\s+scorso"
)
THIS_YEAR = r"(?:de|del)\s+este\s+año|this\s+year|de\s+cette\s+année|dieses\s+jahres|deste\s+ano|di\s+quest'anno"
NEXT_YEAR = r"(?:del|de)\s+(?:próximo\s+año|año\s+que\s+viene)|next\s+year|de\s+l'année\s+prochaine|nächsten\s+jahres"
YEAR = r"(?:1[5-9]\d\d|20\d\d|2100)"


def _alternatives(words: list[str]) -> str:
    return "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True))


@lru_cache(maxsize=16)
def patterns(language: str) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, kind) pairs for one language; earlier kinds win ties of equal length."""
    lang = language if language in MONTHS else "en"
    months = _alternatives(MONTHS[lang])
    short = _alternatives([name for names in SHORT_MONTHS[lang] for name in names.split("|")])
    month = rf"(?P<month>{months}|(?:{short})\.?)"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?"
    year = rf"(?P<year>{YEAR})"
    relative_year = rf"(?P<rel>{LAST_YEAR}|{THIS_YEAR}|{NEXT_YEAR})"
    found: list[tuple[str, str]] = []
    if lang in ("es", "pt"):
        found += [
            (rf"\b{day}\s+de\s+{month}(?:\s+de(?:l)?\s+{year})?(?!\w)", "day"),
            (rf"\b{day}\s+{month}(?:\s+{year})?(?!\w)", "day"),
            (rf"\b(?P<month>{months})\s+(?:(?:de(?:l)?\s+)?{year}\b|{relative_year}\b)", "month"),
        ]
    elif lang == "en":
        found += [
            (rf"\b{month}\s+{day}(?:,?\s+{year})?(?!\w)", "day"),
            (rf"\b{day}\s+(?:of\s+)?{month}(?:,?\s+{year})?(?!\w)", "day"),
            (rf"\b(?P<month>{months})\s+(?:(?:of\s+)?{year}\b|{relative_year}\b)", "month"),
        ]
    else:  # fr, de, it: day month year
        found += [
            (rf"\b{day}\.?\s+{month}(?:\s+{year})?(?!\w)", "day"),
            (rf"\b(?P<month>{months})\s+(?:{year}\b|{relative_year}\b)", "month"),
        ]
    weekdays = _alternatives(WEEKDAYS[lang])
    found += [
        (
            rf"\b(?P<weekday>{weekdays})(?:\s+(?P<after_next>{NEXT_AFTER})|\s+(?P<after_past>{PAST_AFTER}))?(?!\w)",
            "weekday",
        ),
        (rf"(?<![\w'’-])(?P<relative>{_alternatives(list(RELATIVE[lang]))})(?![\w'’-])", "relative"),
        (rf"(?<![\w.,])(?P<year>{YEAR})(?![\w.,]\d)", "year"),
    ]
    return [(re.compile(pattern), kind) for pattern, kind in found]


def _anchor(pattern: re.Pattern[str], kind: str) -> str:
    """Which words a match of `pattern` starts at: digits, month names, weekdays, relative words."""
    if kind in ("day", "month"):
        return "digit" if pattern.pattern.startswith(r"\b(?P<day>") else "month"
    return kind


_BEFORE_NEXT = re.compile(rf"(?:{NEXT_WORDS})\s+$")
_BEFORE_PAST = re.compile(rf"(?:{PAST_WORDS})\s+$")
_BEFORE_YEAR = re.compile(r"\b(?:en|in|em|im jahr|im|nel|dans|durante|during|since|desde|depuis|seit|del|de|of)\s+$")


@lru_cache(maxsize=16)
def _anchor_kinds(lang: str) -> dict[str, tuple[str, ...]]:
    """Folded word -> the kinds of match (of `anchors`) that can start at it."""
    kinds: dict[str, tuple[str, ...]] = {}
    for kind, keys in anchors(lang).items():
        for key in keys:
            kinds[key] = (*kinds.get(key, ()), kind)
    return kinds


@lru_cache(maxsize=16)
def anchors(lang: str) -> dict[str, frozenset[str]]:
    """Folded words one of which a match of each kind must contain."""
    months = {fold_word(w) for w in MONTHS[lang]} | {
        fold_word(w) for names in SHORT_MONTHS[lang] for w in names.split("|")
    }
    weekdays = {fold_word(part) for w in WEEKDAYS[lang] for part in WORD.findall(w)}
    relative = {fold_word(WORD.findall(w)[0]) for w in RELATIVE[lang]}
    return {"month": frozenset(months), "weekday": frozenset(weekdays), "relative": frozenset(relative)}


@lru_cache(maxsize=16)
def _month_numbers(lang: str) -> dict[str, int]:
    """Folded month name or abbreviation -> month number; the first table and month to list a name win."""
    numbers: dict[str, int] = {}
    for table in (MONTHS, SHORT_MONTHS):
        for number, names in enumerate(table.get(lang, table["en"]), start=1):
            for name in names.split("|"):
                numbers.setdefault(fold_word(name), number)
    return numbers


def _month_number(text: str, lang: str) -> int | None:
    return _month_numbers(lang).get(fold_word(text.rstrip(".").lower()))


def _nearest_year(month: int, day: int, reference: date) -> date | None:
    options = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - reference).days)) if options else None


def _year_from(match: re.Match[str], reference: date | None) -> int | None:
    groups = match.groupdict()
    if groups.get("year"):
        return int(groups["year"])
    relative = groups.get("rel")
    if relative and reference is not None:
        if re.fullmatch(LAST_YEAR, relative):
            return reference.year - 1
        if re.fullmatch(NEXT_YEAR, relative):
            return reference.year + 1
        return reference.year
    return None


def resolve(match: re.Match[str], kind: str, lang: str, reference: date | None, text: str) -> str | None:
    groups = match.groupdict()
    if kind in ("day", "month"):
        month = _month_number(groups["month"], lang)
        if month is None:
            return None
        year = _year_from(match, reference)
        if kind == "month":
            return f"{year:04d}-{month:02d}" if year else None
        day = int(groups["day"])
        if not 1 <= day <= 31:
            return None
        if year is not None:
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
        found = _nearest_year(month, day, reference) if reference else None
        return found.isoformat() if found else None
    if kind == "year":
        return groups["year"] if _BEFORE_YEAR.search(text[max(0, match.start() - 10) : match.start()]) else None
    if reference is None:
        return None
    if kind == "relative":
        word = groups["relative"]
        offsets = RELATIVE[lang]
        offset = offsets.get(word, offsets.get(word.replace("’", "'")))
        if offset is None:
            return None
        if word in ("mañana", "morgen") and MORNING_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            return None
        return (reference + timedelta(days=offset)).isoformat()
    if kind == "weekday":
        names = [fold_word(w) for w in WEEKDAYS[lang]]
        weekday = names.index(fold_word(groups["weekday"]))
        delta = (weekday - reference.weekday()) % 7
        before = text[max(0, match.start() - 16) : match.start()]
        if _BEFORE_NEXT.search(before) or groups.get("after_next"):
            return (reference + timedelta(days=delta or 7)).isoformat()
        back = (reference.weekday() - weekday) % 7
        if _BEFORE_PAST.search(before) or groups.get("after_past"):
            back = back or 7
        return (reference - timedelta(days=back)).isoformat()
    return None


def find_dates(text: str, language: str, reference: date | None) -> list[dict[str, str]]:
    lang = language_code(language)
    lang = lang if lang in MONTHS else "en"
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare character whose lowercase is longer: keep offsets exact
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    kinds = _anchor_kinds(lang)
    starts: dict[str, list[int]] = {"digit": [], "month": [], "weekday": [], "relative": [], "year": []}
    # The few words a date can start at, picked out by C-level maps rather than a look at every word.
    found = words(text)
    keys = list(map(itemgetter(3), found))
    digit = list(map(str.isdigit, map(itemgetter(0), keys)))
    for i in compress(range(len(found)), digit):
        starts["digit"].append(found[i].start)
        if len(keys[i]) == 4:
            starts["year"].append(found[i].start)
    for i in compress(range(len(found)), map(kinds.__contains__, keys)):
        if not digit[i]:
            for anchor in kinds[keys[i]]:
                starts[anchor].append(found[i].start)
    matches: list[tuple[int, int, int, str]] = []  # start, end, rank, date
    for rank, (pattern, kind) in enumerate(patterns(lang)):
        for position in starts[_anchor(pattern, kind)]:
            match = pattern.match(lowered, position)
            if match is None:
                continue
            resolved = resolve(match, kind, lang, reference, lowered)
            if resolved is not None:
                start, end = match.span("year") if kind == "year" else match.span()
                matches.append((start, end, rank, resolved))
    taken = bytearray(len(text) + 1)
    chosen: list[tuple[int, int, str]] = []
    for start, end, _rank, resolved in sorted(matches, key=lambda m: (m[0] - m[1], m[2], m[0])):
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, resolved))
    return [
        {"text": text[start:end], "start": str(start), "end": str(end), "date": resolved}
        for start, end, resolved in sorted(chosen)
    ]


@stage("dates", "dates the story mentions, resolved against the dateline date")
def mentioned_dates(document: Document, found: Mapping[str, Any]) -> Findings:
    return {"dates": find_dates(document.text, story_language(document, found), document.reference_date)}
