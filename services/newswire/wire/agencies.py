"""Which news agency sent a story: provider fields and text signals folded to one short, canonical name.

Formats name the agency every way there is: `Deutsche Presse-Agentur GmbH`, `dpa`, `DPA`, `Agencia EFE, S.A.`,
`(EFE)`, `ΑΠΕ-ΜΠΕ`, `Keystone-SDA`. A consumer that counts stories per agency, or routes on it, needs one
name per agency, so every story's `infosources` carries the short name the agency itself signs with.

The parsers read what their format says (provider, copyright holder, source codes); `attribute` then folds it to
the canonical name, and where the format named nobody it reads the text's own signals: the dateline's agency
(`Pekín, 3 sep (EFE).-`), a credit in brackets near the start (`(AP) _`, `(dpa) -`), a copyright line, or a
closing sign-off line. Pure functions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import cache

from newswire.wire.model import ParsedItem

# canonical short name -> other names and codes it appears under (matched case- and accent-insensitively,
# as whole words, after punctuation is folded to spaces). Facts about the agencies, written here.
AGENCIES: dict[str, tuple[str, ...]] = {
    "AP": ("Associated Press", "The Associated Press", "AP", "APTN", "AP News"),
    "Reuters": ("Reuters", "Thomson Reuters", "Reuters News"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse", "AFP-Services"),
    "dpa": ("dpa", "Deutsche Presse-Agentur", "Deutsche Presse Agentur", "dpa international"),
    "dpa-AFX": ("dpa-AFX", "dpa AFX"),
    "EFE": ("EFE", "Agencia EFE", "EFE News"),
    "AAP": ("AAP", "Australian Associated Press"),
    "AAP Medianet": ("AAP Medianet", "Medianet"),
    "PA": ("PA", "Press Association", "PA Media", "PA Mediapoint"),
    "ANSA": ("ANSA", "Agenzia Nazionale Stampa Associata"),
    "Kyodo": ("Kyodo", "Kyodo News", "Kyodo News Agency"),
    "Jiji": ("Jiji", "Jiji Press"),
    "ATS": (
        "ATS",
        "SDA",
        "Keystone-ATS",
        "Keystone-SDA",
        "Keystone ATS",
        "Keystone SDA",
        "Agence Telegraphique Suisse",
        "Schweizerische Depeschenagentur",
        "ats afp",
    ),
    "STT": ("STT", "Suomen Tietotoimisto", "STT-Lehtikuva"),
    "TT": ("TT", "TT Nyhetsbyran", "Tidningarnas Telegrambyra"),
    "NTB": ("NTB", "Norsk Telegrambyra", "NTB Scanpix"),
    "Ritzau": ("Ritzau", "Ritzaus Bureau", "Ritzau Scanpix"),
    "ANA-MPE": (
        "ANA-MPE",
        "ANA MPE",
        "ΑΠΕ-ΜΠΕ",
        "ΑΠΕ ΜΠΕ",
        "Athens-Macedonian News Agency",
        "Athens Macedonian News Agency",
        "Athens News Agency",
    ),
    "ANP": ("ANP", "Algemeen Nederlands Persbureau"),
    "Belga": ("Belga", "Agence Belga"),
    "APA": ("APA", "Austria Presse Agentur"),
    "TASS": ("TASS", "ITAR-TASS"),
    "RIA Novosti": ("RIA Novosti", "RIA"),
    "Interfax": ("Interfax",),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "Anadolu": ("Anadolu", "Anadolu Agency", "Anadolu Ajansi", "AA"),
    "PAP": ("PAP", "Polska Agencja Prasowa"),
    "CTK": ("CTK", "CTK Czech News Agency", "Ceska tiskova kancelar"),
    "MTI": ("MTI", "Magyar Tavirati Iroda"),
    "Lusa": ("Lusa", "Agencia Lusa"),
    "Europa Press": ("Europa Press", "EP"),
    "Canadian Press": ("Canadian Press", "The Canadian Press", "CP", "La Presse Canadienne"),
    "UPI": ("UPI", "United Press International"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "PTI": ("PTI", "Press Trust of India"),
    "IANS": ("IANS", "Indo-Asian News Service"),
    "ANI": ("ANI", "Asian News International"),
    "Bernama": ("Bernama",),
    "Antara": ("Antara",),
    "Prensa Latina": ("Prensa Latina",),
    "Notimex": ("Notimex",),
    "Business Wire": ("Business Wire", "BusinessWire"),
    "GlobeNewswire": ("GlobeNewswire", "Globe Newswire"),
    "PR Newswire": ("PR Newswire", "PRNewswire", "PR Newswire AsiaNet"),
    "BusinessDesk": ("BusinessDesk",),
    "News Bites": ("News Bites", "NewsBites"),
    "BBC LDRS": ("BBC LDRS", "Local Democracy Reporting Service", "Local Democracy Reporter"),
    "NZPA": ("NZPA", "New Zealand Press Association"),
    "Scoop": ("Scoop", "Scoop Media"),
}
# Codes too short or too common to trust inside running text: only a provider field, or a credit in brackets,
# may name them (`AP` is a word in some languages, `EP`, `AA`, `CP` and `RIA` are abbreviations of much else).
_FIELD_ONLY = frozenset({"ep", "aa", "cp", "ria", "pa", "tt", "sda", "ap"})
_LEGAL_SUFFIX = re.compile(
    r"\b(gmbh|s\.?a\.?|ag|inc\.?|ltd\.?|llc|plc|oy|ab|as|a/s|spa|s\.?p\.?a\.?|corp\.?)\s*$", re.I
)
_SIGNOFF_MAX_WORDS = 4
_BRACKETED = re.compile(r"\(([^()]{2,40})\)")
_COPYRIGHT = re.compile(r"(?:copyright|©|\(c\))\s*(?:by\s+)?(?:\d{4}\s+)?([^\n.,;]{2,60})", re.I)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


@cache
def _names() -> dict[str, str]:
    """folded name -> canonical name."""
    table: dict[str, str] = {}
    for canonical, names in AGENCIES.items():
        for name in (canonical, *names):
            table[_fold(name)] = canonical
    return table


@cache
def _longest_first() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(_names().items(), key=lambda pair: -len(pair[0])))


def canonical_agency(name: str | None) -> str | None:
    """The canonical short name for an agency as a provider field names it; unknown names are kept as written
    (without a legal-form suffix), since a feed we do not know still names its own sender best."""
    if not name or not name.strip():
        return None
    folded = _fold(name)
    if not folded:
        return None
    exact = _names().get(folded) or _names().get(_fold(_LEGAL_SUFFIX.sub("", name.strip(" ,"))))
    if exact:
        return exact
    found = _agency_in(folded, allow_short=True)
    if found:
        return found
    return _LEGAL_SUFFIX.sub("", name.strip()).strip(" ,") or name.strip()


def _agency_in(folded: str, allow_short: bool) -> str | None:
    """The first known agency named as whole words in folded text (longest names win)."""
    padded = f" {folded} "
    for name, canonical in _longest_first():
        if not allow_short and name in _FIELD_ONLY:
            continue
        if f" {name} " in padded:
            return canonical
    return None


def agency_in_text(paragraphs: list[str]) -> str | None:
    """An agency the story text credits: a bracketed credit in the first paragraph (`(AP) _`, `(dpa) -`,
    `(ats afp)`), a copyright line, or a short closing sign-off line (`EFE`, `AAP kw/ab`)."""
    if not paragraphs:
        return None
    for match in _BRACKETED.finditer(paragraphs[0][:300]):
        inside = _fold(match.group(1))
        found = _names().get(inside) or _agency_in(inside, allow_short=True)
        if found:
            return found
    for paragraph in (*paragraphs[:2], *paragraphs[-2:]):
        for match in _COPYRIGHT.finditer(paragraph):
            found = _agency_in(_fold(match.group(1)), allow_short=True)
            if found:
                return found
    last = paragraphs[-1].strip()
    if len(last.split()) <= _SIGNOFF_MAX_WORDS:
        return _agency_in(_fold(last), allow_short=False)
    return None


def attribute(item: ParsedItem) -> ParsedItem:
    """`item` with its agency (and distributor) under canonical names, found in the text when no field named it."""
    agency = canonical_agency(item.agency)
    if agency not in AGENCIES:
        # A field naming no agency we know (an issuer, a desk code) yields to an agency the text credits.
        credited = canonical_agency(item.dateline.agency) if item.dateline and item.dateline.agency else None
        credited = credited if credited in AGENCIES else agency_in_text(item.paragraphs)
        agency = credited or agency
    distributor = canonical_agency(item.distributor)
    if distributor == agency:
        distributor = None
    if agency == item.agency and distributor == item.distributor:
        return item
    return replace(item, agency=agency, distributor=distributor)
