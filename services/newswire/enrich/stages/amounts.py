"""Amounts: money, percentages and quantities (`cincuenta millones de euros`, `$5 billion`,
`40,000 homes`, `25 mph`, `3,5 %`) with their value and unit.

A number is digits (`40,000`, `40.000`, `3,5`, `1.2`) or number words (es, en; the
smaller numbers in fr, de, pt, it), optionally scaled (`millones`, `billion`, `Mrd.`). A
group of exactly three digits after a separator is read as thousands, any other as
decimals, whatever the language. The unit is a currency (ISO 4217 code), `%`, `pp`
(percentage points), a unit of measure, or the counted noun that follows a number
(`homes`, `viviendas`). Years, days of the month, clock times and ordinals are not amounts.

A bare `$` or `pesos` follows the story's country (the dateline place's): `$` in a Buenos Aires story is ARS,
in a Sydney story AUD; `US$`, `USD` and `dólares`/`dollars` stay USD, and `A$`, `C$`, `NZ$`, `HK$`, `S$`, `R$`
name their currency whatever the dateline.

Each finding is {"text", "start", "end", "value", "unit"}: offsets as strings (like the
dates stage), value a float.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from itertools import compress
from operator import itemgetter, or_
from typing import Any

from newswire.enrich.lexical import fold, language_code, stopwords, words
from newswire.enrich.registry import Document, Findings, stage
from newswire.enrich.stages.dateline import dateline_country
from newswire.enrich.stages.dates import MONTHS, SHORT_MONTHS, WEEKDAYS
from newswire.enrich.stages.entities import story_language

UNITS_WORDS = {
    "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiún": 21,
    "veintiuno": 21, "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26,
    "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
    "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200,
    "doscientas": 200, "trescientos": 300, "trescientas": 300, "cuatrocientos": 400, "cuatrocientas": 400,
    "quinientos": 500, "quinientas": 500, "seiscientos": 600, "seiscientas": 600, "setecientos": 700,
    "setecientas": 700, "ochocientos": 800, "ochocientas": 800, "novecientos": 900, "novecientas": 900,
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a": 1,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "vingt": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "hundert": 100,
    "três": 3, "quatro": 4, "sete": 7, "oito": 8, "nove": 9, "dez": 10, "vinte": 20, "trinta": 30, "cem": 100,
    "due": 2, "tre": 3, "quattro": 4, "sei": 6, "sette": 7, "otto": 8, "dieci": 10, "venti": 20, "trenta": 30,
    "cento": 100, "mil": 1000, "thousand": 1000,
}  # fmt: skip
CONNECTORS = frozenset({"y", "and", "-", "et"})
SCALES = {
    "mil": 1e3, "miles": 1e3, "thousand": 1e3, "thousands": 1e3, "mille": 1e3, "tausend": 1e3, "mila": 1e3, "k": 1e3,
    "millón": 1e6, "millones": 1e6, "million": 1e6, "millions": 1e6, "millionen": 1e6, "mio": 1e6, "milhão": 1e6,
    "milhões": 1e6, "milione": 1e6, "milioni": 1e6, "m": 1e6, "mn": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "milliard": 1e9, "milliards": 1e9, "milliarde": 1e9,
    "milliarden": 1e9, "mrd": 1e9, "miliardo": 1e9, "miliardi": 1e9, "bilhão": 1e9, "bilhões": 1e9,
    "billón": 1e12, "billones": 1e12, "trillion": 1e12, "trillions": 1e12, "billiarde": 1e15,
}  # fmt: skip
CURRENCY_SYMBOLS = {
    "€": "EUR", "$": "USD", "us$": "USD", "£": "GBP", "¥": "JPY", "₽": "RUB", "₹": "INR", "₩": "KRW",
    "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "r$": "BRL",
}  # fmt: skip
# Countries whose own currency is written with a bare `$` (pesos and dollars other than the US one), and those
# whose currency is the peso: what `$` and `pesos` mean in a story datelined there. Facts, written here.
DOLLAR_SIGN_CURRENCY = {
    "AR": "ARS", "MX": "MXN", "CL": "CLP", "CO": "COP", "UY": "UYU", "CU": "CUP", "DO": "DOP", "CA": "CAD",
    "AU": "AUD", "NZ": "NZD", "HK": "HKD", "SG": "SGD", "TW": "TWD", "JM": "JMD", "TT": "TTD", "BS": "BSD",
    "BB": "BBD", "BZ": "BZD", "FJ": "FJD", "NA": "NAD", "GY": "GYD", "LR": "LRD",
}  # fmt: skip
PESO_CURRENCY = {"AR": "ARS", "MX": "MXN", "CL": "CLP", "CO": "COP", "UY": "UYU", "CU": "CUP", "DO": "DOP", "PH": "PHP"}
_LOCAL_BY_MARK = {"$": DOLLAR_SIGN_CURRENCY, "peso": PESO_CURRENCY, "pesos": PESO_CURRENCY}
CURRENCY_WORDS = {
    "euro": "EUR", "euros": "EUR", "dólar": "USD", "dólares": "USD", "dollar": "USD", "dollars": "USD",
    "libra": "GBP", "libras": "GBP", "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "pfund": "GBP",
    "yen": "JPY", "yenes": "JPY", "yuan": "CNY", "yuanes": "CNY", "renminbi": "CNY", "rublo": "RUB",
    "rublos": "RUB", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB", "rubel": "RUB",
    "peso": "MXN", "pesos": "MXN", "franco": "CHF", "francos": "CHF", "franc": "CHF", "francs": "CHF",
    "franken": "CHF", "rupia": "INR", "rupias": "INR", "rupee": "INR", "rupees": "INR", "won": "KRW",
    "wones": "KRW", "real": "BRL", "reales": "BRL", "reais": "BRL", "bitcoin": "BTC", "bitcoins": "BTC",
    "eur": "EUR", "usd": "USD", "gbp": "GBP", "jpy": "JPY", "cny": "CNY", "rub": "RUB", "chf": "CHF",
}  # fmt: skip
PERCENT_WORDS = ("por ciento", "percent", "per cent", "pour cent", "prozent", "per cento", "por cento")
POINT_WORDS = (
    "puntos porcentuales",
    "percentage points",
    "points de pourcentage",
    "prozentpunkte",
    "punti percentuali",
)
MEASURES = {
    "mph": "mph", "km/h": "km/h", "kph": "km/h", "km": "km", "kilómetros": "km", "kilometers": "km",
    "kilometres": "km", "kilomètres": "km", "kilometer": "km", "kilometern": "km", "quilómetros": "km",
    "chilometri": "km", "metros": "m", "meters": "m", "metres": "m", "mètres": "m", "meter": "m", "metri": "m",
    "millas": "mi", "miles": "mi", "mile": "mi", "milles": "mi", "meilen": "mi", "kg": "kg", "kilos": "kg",
    "kilogramos": "kg", "kilograms": "kg", "kilogrammes": "kg", "kilogramm": "kg", "toneladas": "t", "tons": "t",
    "tonnes": "t", "tonnen": "t", "tonnellate": "t", "litros": "l", "liters": "l", "litres": "l", "liter": "l",
    "grados": "°", "degrees": "°", "degrés": "°", "grad": "°", "gradi": "°", "°c": "°C", "ºc": "°C", "°f": "°F",
    "hectáreas": "ha", "hectares": "ha", "hektar": "ha", "ettari": "ha", "acres": "acre", "barriles": "bbl",
    "barrels": "bbl", "barils": "bbl", "barrel": "bbl", "pies": "ft", "feet": "ft", "ft": "ft", "pulgadas": "in",
    "inches": "in", "mw": "MW", "gw": "GW", "kwh": "kWh", "twh": "TWh", "mm": "mm", "cm": "cm",
}  # fmt: skip
NOT_COUNTED = frozenset(
    fold(w)
    for w in [
        "aniversario",
        "anniversary",
        "anniversaire",
        "jahrestag",
        "anniversario",
        "edición",
        "edition",
        "édition",
        "ausgabe",
        "cumpleaños",
        "birthday",
        "puesto",
        "lugar",
        "place",
        "rang",
        "posto",
        "años-luz",
        "de",
        "del",
        "of",
        "d",
        "à",
        "a",
        "h",
        "horas",
    ]
)
_NUMBER_KEYS = frozenset(fold(w) for w in [*UNITS_WORDS, "un", "una", "a"])
_ARTICLE_NUMBERS = frozenset({"un", "una", "a"})
_SYMBOLS_LONGEST = sorted(CURRENCY_SYMBOLS, key=len, reverse=True)
NUMBER = r"(?:\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
NUMBER_SPACED = r"(?:\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"


@lru_cache(maxsize=1)
def _number_words_pattern() -> str:
    words = sorted(UNITS_WORDS, key=len, reverse=True)
    one = "|".join(re.escape(w) for w in words if w not in ("a", "un", "una"))
    return rf"(?:{one})(?!\w)(?:(?:\s+y\s+|\s+and\s+|-|\s+)(?:{one})(?!\w))*"


@lru_cache(maxsize=16)
def pattern(language: str) -> re.Pattern[str]:
    scales = "|".join(re.escape(s) for s in sorted(SCALES, key=len, reverse=True))
    symbols = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
    words = _number_words_pattern()
    number = NUMBER_SPACED if language == "fr" else NUMBER  # `300 000` in French
    return re.compile(
        rf"(?<![\w.,])(?P<pre>{symbols})?\s?"
        rf"(?P<number>{number}|{words}|(?:un|una|a)(?=\s+(?:{scales})\b))"
        rf"(?:\s*(?P<scale>(?:mil\s+(?:millones|milhões))|{scales})\.?(?!\w))?",
        re.IGNORECASE,
    )


def parse_number(text: str) -> float | None:
    """Digits with any thousands/decimal convention, or number words (`cincuenta`, `twenty-five`)."""
    if text[:1].isdigit():
        cleaned = text.replace("\u00a0", ",").replace("\u202f", ",").replace(" ", ",")
        groups = re.split(r"[.,]", cleaned)
        separators = re.findall(r"[.,]", cleaned)
        if not separators:
            return float(cleaned)
        if len(groups[-1]) == 3 and (len(separators) > 1 or len(groups[0]) <= 3) and len(set(separators)) == 1:
            return float("".join(groups))  # 40,000 / 40.000 / 1.234.567
        whole = "".join(groups[:-1])
        return float(f"{whole}.{groups[-1]}")
    total = 0.0
    current = 0.0
    for word in re.split(r"[\s-]+", text.lower()):
        if word in CONNECTORS:
            continue
        value = UNITS_WORDS.get(word)
        if value is None:
            return None
        if value in (100, 1000) and current:
            current *= value
            if value == 1000:
                total, current = total + current, 0.0
        else:
            current += value
    return total + current


def _currency(mark: str, country: str | None) -> str:
    """The currency a symbol or word names, read in the story's country for a bare `$` or `pesos`."""
    mark = mark.lower()
    local = _LOCAL_BY_MARK.get(mark, {}).get(country or "")
    return local or CURRENCY_SYMBOLS.get(mark) or CURRENCY_WORDS[mark]


# What the unit patterns below can read after a number: spaces, then at most three words (`points de
# pourcentage`) with the spaces after them, and one more character for a `(?!\w)`.
_UNIT_REACH = re.compile(r"\s*(?:\S+(?:\s+|$)){0,3}.?", re.DOTALL)


# Compiled once (a pattern string is looked up in re's cache at every call; four calls a number).
_PERCENT = re.compile(r"\s*(%|por\s+ciento|percent|per\s+cent|pour\s+cent|prozent|per\s+cento|por\s+cento)(?!\w)")
# The point words in their order: only the spaces before one can differ, and the first word that matches wins.
_POINTS = re.compile(r"\s*(?:" + "|".join(POINT_WORDS) + r")(?!\w)")
_UNIT_WORD = re.compile(r"\s*(?:(?:de|d'|of)\s*)?([a-zà-ÿ$€£¥º°/]+)")
_SPEED_OR_TEMPERATURE = re.compile(r"\s*(km/h|°c|ºc|°f)")
_CLOCK = re.compile(r"[:h]\d\d")
_DAY_OF = re.compile(r"\s*(?:de|of)\s")


def _unit_after(rest: str, language: str, country: str | None = None) -> tuple[str | None, int, bool]:
    """(unit, characters used, is_money) for what follows a number."""
    # Only the reach is lowercased: `rest` is the whole remainder of the story, and lowering it took
    # more time than everything else here (~40 µs a number on a Spanish story).
    reach = _UNIT_REACH.match(rest)
    lowered = rest[: reach.end()].lower() if reach is not None else rest.lower()
    match = _PERCENT.match(lowered)
    if match:
        return "%", match.end(), False
    match = _POINTS.match(lowered)
    if match:
        return "pp", match.end(), False
    match = _UNIT_WORD.match(lowered)
    if match:
        word = match.group(1)
        if word in CURRENCY_WORDS or word in CURRENCY_SYMBOLS:
            return _currency(word, country), match.end(), True
        if word in MEASURES:
            return MEASURES[word], match.end(), False
    match = _SPEED_OR_TEMPERATURE.match(lowered)
    if match:
        return MEASURES[match.group(1)], match.end(), False
    return None, 0, False


_SCALED_NOUN = re.compile(r"\s+(?:de\s+|d'|of\s+)?([^\W\d_]{3,})")
_NOUN = re.compile(r"\s+([^\W\d_]{3,})")


@lru_cache(maxsize=1)
def _calendar() -> frozenset[str]:
    """Folded month and weekday names: built once, not for every number in every story."""
    calendar = {fold(w) for table in (MONTHS, WEEKDAYS) for names in table.values() for w in names}
    calendar |= {fold(w) for names in SHORT_MONTHS.values() for group in names for w in group.split("|")}
    return frozenset(calendar)


def _counted_noun(rest: str, language: str, scaled: bool) -> tuple[str | None, int]:
    """The noun a number counts (`40,000 homes`, `dos millones de personas`)."""
    match = (_SCALED_NOUN if scaled else _NOUN).match(rest)
    if not match:
        return None, 0
    noun = match.group(1)
    key = fold(noun)
    if not noun[0].islower() or key in NOT_COUNTED or key in stopwords(language) or key in _calendar():
        return None, 0
    return noun, match.end()


def _matches(text: str, compiled: re.Pattern[str]) -> list[re.Match[str]]:
    """The pattern tried only where an amount can start: digits, number words, currency signs."""
    out: list[re.Match[str]] = []
    end = 0
    found = words(text)
    # Only digits and number words are looked at, picked out by C-level maps rather than word by word.
    digits = map(str.isdigit, map(itemgetter(0), map(itemgetter(0), found)))
    numbers = map(_NUMBER_KEYS.__contains__, map(itemgetter(3), found))
    for i in compress(range(len(found)), map(or_, digits, numbers)):
        word = found[i]
        if word.start < end:
            continue
        if word.key in _ARTICLE_NUMBERS and (i + 1 == len(found) or found[i + 1].key not in SCALES):
            continue  # `un`, `una`, `a` count only before a scale (`un millón`, `a billion`)
        start = word.start
        # Compared on the original characters: lowercasing can change a text's length
        # (`İ` -> `i̇`), so an index found in `text.lower()` may not point into `text`.
        before = text[max(0, start - 4) : start].rstrip()
        for symbol in _SYMBOLS_LONGEST:
            if before[-len(symbol) :].lower() == symbol:
                start = max(0, start - 4) + len(before) - len(symbol)
                break
        match = compiled.match(text, start)
        if match is not None:
            out.append(match)
            end = match.end()
    return out


def find_amounts(text: str, language: str, country: str | None = None) -> list[dict[str, str | float]]:
    """Amounts in `text`; `country` (ISO alpha-2, the dateline's) decides what a bare `$` or `pesos` is."""
    lang = language_code(language)
    compiled = pattern(lang)
    found: list[dict[str, str | float]] = []
    taken = 0
    for match in _matches(text, compiled):
        if match.start() < taken:
            continue
        raw = match.group("number")
        value = parse_number(raw) if raw.lower() not in ("un", "una", "a") else 1.0
        if value is None:
            continue
        scale_word = (match.group("scale") or "").lower().rstrip(".")
        scale = 1e9 if scale_word.startswith("mil ") else SCALES.get(scale_word, 1.0)
        if scale_word in ("m", "mn", "bn", "k") and not match.group("pre"):
            scale_word, scale = "", 1.0  # `5 m` is five metres unless money
        end = match.end("scale") if scale_word else match.end("number")
        if scale_word in ("mrd", "mio", "mill", "bill") and text[end : end + 1] == ".":
            end += 1
        pre = match.group("pre")
        unit: str | None = _currency(pre, country) if pre else None
        if unit is None:
            unit, used, _money = _unit_after(text[end:], lang, country)
            end += used
        is_word_number = not raw[:1].isdigit()
        digits = raw.replace(".", "").replace(",", "")
        if unit is None:
            if is_word_number and not scale_word and value < 10:
                continue  # `dos`, `three` alone are words, not amounts
            if raw[:1].isdigit() and not scale_word and len(digits) == 4 and 1500 <= value <= 2100:
                continue  # a year
            if _CLOCK.match(text, end, end + 3) or (_DAY_OF.match(text, end) and not scale_word):
                continue  # a clock time, or a day of the month (`3 de septiembre`)
            noun, used = _counted_noun(text[end:], lang, bool(scale_word))
            if noun is None:
                continue
            unit, end = noun, end + used
        start = match.start() if pre else match.start("number")
        found.append(
            {"text": text[start:end], "start": str(start), "end": str(end), "value": value * scale, "unit": unit}
        )
        taken = end
    return found


@stage("amounts", "money, percentages and quantities with value and unit")
def mentioned_amounts(document: Document, found: Mapping[str, Any]) -> Findings:
    country = dateline_country(document, found)
    return {"amounts": find_amounts(document.text, story_language(document, found), country)}
