"""Named entities: NER spans merged with knowledge-base and gazetteer matches, linked to ids.

Every mention is a span of `Document.text`. Candidates come from three sources: the
CRF tagger (`newswire.enrich.ner`), the knowledge base of people and organisations
(`newswire.enrich.kb`) and the gazetteer (`newswire.enrich.gazetteer`). Overlaps are settled
longest first, curated matches before tagger guesses; a tagger span that contains a
curated one wins only when it is a longer name of its own (`Banco de España`). Then:

- a surname or given name alone (`Kim`, `Putin`) links to a person named in full in the
  same story; a description from the KB (`el jefe del Kremlin`) links only to an entity the
  story also names;
- a tagger label gives way to the gazetteer (`Kursk` tagged PER is the place);
- junk goes: single unlinked words opening a sentence (`Destacó`, `Haremos`), lowercase
  words, bare generic nouns (`Ejército`, `Exteriores`) unless the tagger is sure one names an
  institution mid-sentence (`dijo el Gobierno`; `el Ejército ruso` is a description, it goes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, count
from operator import itemgetter, or_
from typing import Any, Protocol, TypeVar

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import BaseModel

from newswire.enrich.gazetteer import Place, gazetteer
from newswire.enrich.kb import PARTICLES, KBEntity, knowledge_base
from newswire.enrich.lexical import ARTICLES, Word, fold, fold_word, language_code, sentence_initial, stopwords, words
from newswire.enrich.ner import recognise, word_casing
from newswire.enrich.ner.tokenize import ABBREVIATIONS
from newswire.enrich.quotes.cues import lexicon
from newswire.enrich.regions import settle_regions
from newswire.enrich.registry import Document, Findings, stage
from newswire.enrich.stages.dateline import dateline_country
from newswire.enrich.story_country import settle_story_country
from newswire.enrich.titles import is_country_word, role_before, strip_spans
from newswire.events.extension import Entity, EntityMention

CAPITALISED_NOUN_LANGUAGES = frozenset({"de", "lb"})
# Capitalised at a sentence start or as nouns, never part of a name: prepositions and days.
_GERMAN_NOT_NAMES = (
    "ab seit laut gegen ohne trotz wegen während montag dienstag mittwoch donnerstag freitag samstag sonntag"
)
GERMAN_NOT_NAMES = frozenset(_GERMAN_NOT_NAMES.split())
NER_TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place", "MISC": "other"}
# Locative joints inside a tagger span (`Segunda Guerra Mundial en el Pacífico`).
_LOCATIVE = re.compile(
    r"\s+(?:en|in|à|au|im|em|no|na|nel|nella)(?:\s+(?:el|la|los|las|the|le|les|l'|der|die|dem|o|a))?\s+"
)
# A tagger marginal above which short lowercase words inside a span stay in the name.
SURE_INNER = 0.6
# A dotted abbreviation keeps its last period (`U.S.`, `EE.UU.`).
_ABBREVIATION_END = re.compile(r"(?<![\w.])(?:\w{1,3}\.){2,}$")
# Initials written apart end on their own period (`J. A. A.`, a person the story names by initials only).
_INITIALS_END = re.compile(r"(?<!\w)[^\W\d_]\.\s+[^\W\d_]\.$")
_NAME_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")
NAME_PARTICLES = frozenset(
    [
        "de",
        "del",
        "la",
        "las",
        "los",
        "y",
        "e",
        "of",
        "the",
        "and",
        "van",
        "von",
        "der",
        "den",
        "di",
        "da",
        "du",
        "des",
        "le",
        "al",
        "bin",
        "ibn",
        "el",
        "do",
        "dos",
        "das",
        "et",
        "zu",
        # prepositions inside organisations' names (`League for Democracy`, `Gazzetta dello Sport`)
        "for",
        "para",
        "pour",
        "für",
        "dello",
        "della",
        "degli",
    ]
)
_EDGE = "«»“”\"'‘’()[]{}.,;:¡!¿?-—–… \n\t"
EVENT_CUES = frozenset(
    fold(word)
    for word in [
        "guerra",
        "war",
        "guerre",
        "krieg",
        "cumbre",
        "summit",
        "sommet",
        "gipfel",
        "juegos",
        "games",
        "jeux",
        "spiele",
        "olímpicos",
        "olympics",
        "olympiques",
        "copa",
        "cup",
        "coupe",
        "pokal",
        "mundial",
        "world",
        "campeonato",
        "championship",
        "championnat",
        "meisterschaft",
        "festival",
        "conferencia",
        "conference",
        "conférence",
        "konferenz",
        "foro",
        "forum",
        "elecciones",
        "election",
        "élection",
        "wahl",
        "revolución",
        "revolution",
        "olimpiadas",
        "olympiad",
        "mundial",
        "eurocopa",
        "euro",
        "bienal",
        "biennale",
        "expo",
        "feria",
    ]
)
GENERIC = frozenset(
    fold(word)
    for word in [
        "Ejército",
        "Gobierno",
        "Estado",
        "Congreso",
        "Senado",
        "Parlamento",
        "Policía",
        "Exteriores",
        "Interior",
        "Defensa",
        "Justicia",
        "Hacienda",
        "Presidencia",
        "Ministerio",
        "Tribunal",
        "Supremo",
        "Constitución",
        "Administración",
        "Ayuntamiento",
        "Armada",
        "Marina",
        "Fiscalía",
        "Army",
        "Government",
        "State",
        "Congress",
        "Senate",
        "Parliament",
        "Police",
        "Ministry",
        "Court",
        "Navy",
        "Cabinet",
        "Administration",
        "Armée",
        "Gouvernement",
        "État",
        "Parlement",
        "Police",
        "Ministère",
        "Regierung",
        "Bundestag",
        "Polizei",
        "Ministerium",
        "Armee",
        "Occidente",
        "West",
        "Oeste",
        "Este",
        "Norte",
        "Sur",
        "Estado",
        "Islámico",
    ]
) - {fold("Estado Islámico")}


class NerSpan(Protocol):
    """What `newswire.enrich.ner.recognise` returns, read-only."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def confidence(self) -> float: ...


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    text: str
    confidence: float


@dataclass
class Candidate:
    start: int
    end: int
    type: str
    confidence: float
    rank: int  # 0 curated name, 1 place, 2 tagger, 3 short mention, settles ties
    kb: KBEntity | None = None
    place: Place | None = None
    local: str | None = None  # folded name of an entity known only from the tagger
    options: tuple[Place, ...] = ()  # every place of a place's name, best first (the story's country picks)

    @property
    def target(self) -> str:
        if self.kb is not None:
            return f"kb:{self.kb.key}"
        if self.place is not None:
            return f"place:{self.place.geonames or self.place.name}"
        return f"{self.type}:{self.local}"


def story_language(document: Document, found: Mapping[str, Any]) -> str:
    info = found.get("language")
    code = info.get("code") if isinstance(info, Mapping) else getattr(info, "code", None)
    return language_code(code or document.declared_language or "en") or "en"


# Below this many words a text is too short for a detected language to overrule the declared one
# when names are tagged: `Attendance : 2,000` reads as French, a line of surnames as Lithuanian, and
# the wrong tagger (or the German rule dropping one-word names) loses every name in it.
SHORT_TEXT_WORDS = 25


def tagging_language(document: Document, found: Mapping[str, Any]) -> str:
    """The language whose tagger reads the text: the story's, or the declared one for a short text."""
    language = story_language(document, found)
    declared = language_code(document.declared_language)
    if declared and declared != language and len(document.text.split()) < SHORT_TEXT_WORDS:
        return declared
    return language


def tag(text: str, language: str) -> list[NerSpan]:
    """The tagger's spans (the tagger and its models ship with the package)."""
    spans: list[NerSpan] = list(recognise(text, language))
    if language in CAPITALISED_NOUN_LANGUAGES:
        # Every German noun is capitalised, so a lone capitalised word the tagger marks is mostly a noun
        # (`Fahrzeuge`, `Freitag`); names of one word still come from the KB and the gazetteer.
        common = stopwords(language) | GERMAN_NOT_NAMES
        spans = [
            span
            for span in spans
            if len(span.text.split()) >= 2 and not any(fold_word(word) in common for word in span.text.split())
        ]
    return spans


def _keeps_period(text: str, start: int, stop: int) -> bool:
    """Whether the `.` at `stop` ends an abbreviation of the name `text[start:stop]` (`U.S.`, `Corp.`)."""
    if stop >= len(text) or text[stop] != "." or stop <= start:
        return False
    if _ABBREVIATION_END.search(text, start, stop + 1):
        return True
    last = text.rfind(" ", start, stop) + 1 or start
    return text[last:stop].lower() in ABBREVIATIONS or _INITIALS_END.search(text, start, stop + 1) is not None


def _name_word(word: str) -> bool:
    """Capitalised, or a lowercase prefix before a capital (`al-Saadani`, `d'Estaing`)."""
    return not word[0].islower() or any(ch.isupper() for ch in word[1:])


def _trim(text: str, start: int, end: int, confidence: float = 0.0) -> tuple[int, int] | None:
    """A tagger span cut to its name: leading lowercase words dropped (`de la`, `la agencia`), then
    the longest run whose lowercase words are name particles (`Corea del Norte`) ending in a
    capitalised word (`Putin subrayó` → `Putin`, `Emmanuel Macron a reçu à Paris` → `Emmanuel Macron`).
    A span the tagger is sure of also keeps one or two short lowercase words between capitalised
    ones (`Gazzetta dello Sport`, `Kengo wa Dondo`)."""
    if _NAME_TOKEN.fullmatch(text, start, end):  # one word (most spans): kept whole if it is a name word
        return (start, end) if _name_word(text[start:end]) else None
    tokens = [(m.start(), m.end(), m.group()) for m in _NAME_TOKEN.finditer(text, start, end)]
    first = next((i for i, (_, _, w) in enumerate(tokens) if _name_word(w)), None)
    if first is None:
        return None
    last = first
    gap = 0  # lowercase non-particle words since the last name word
    for i in range(first + 1, len(tokens)):
        word = tokens[i][2]
        if not _name_word(word):
            if fold(word) in NAME_PARTICLES:
                continue
            gap += 1
            if confidence >= SURE_INNER and gap <= 2 and len(word) <= 6:
                continue
            break
        gap = 0
        last = i
    stop = tokens[last][1]
    if stop < end and _keeps_period(text, tokens[first][0], stop):
        stop += 1
    elif stop < end and _open_bracket(text, tokens[first][0], stop) and text[stop:end].strip() == ")":
        stop = text.index(")", stop) + 1  # `Mladost (L)`: a club told apart by its town's initial
    return tokens[first][0], stop


def _open_bracket(text: str, start: int, stop: int) -> bool:
    """Whether `text[start:stop]` opened a bracket it has not closed."""
    return text.count("(", start, stop) > text.count(")", start, stop)


def clean_spans(text: str, spans: Sequence[NerSpan]) -> list[Span]:
    """Tagger spans trimmed to their names and split at locative joints when the tail is a place."""
    cleaned: list[Span] = []
    places = gazetteer()
    for span in spans:
        start, end = span.start, span.end
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE and not _keeps_period(text, start, end - 1):
            if text[end - 1] == ")" and _open_bracket(text, start, end - 1):
                break  # the bracket closes one inside the name
            end -= 1
        if end <= start:
            continue
        piece = text[start:end]
        # an organisation's name may hold a place (`Organisation for Security and Cooperation in Europe`)
        joint = _LOCATIVE.search(piece) if span.label not in ("PER", "ORG") else None
        if joint is not None and places.lookup(piece[joint.end() :]) is not None:
            parts = [(start, start + joint.start(), span.label), (start + joint.end(), end, "LOC")]
        else:
            parts = [(start, end, span.label)]
        for a, b, label in parts:
            trimmed = _trim(text, a, b, span.confidence)
            if trimmed is not None:
                cleaned.append(Span(trimmed[0], trimmed[1], label, text[trimmed[0] : trimmed[1]], span.confidence))
    return cleaned


def _kb_candidates(
    text: str, found: list[Word], capitalised: Sequence[bool] | None = None
) -> tuple[list[Candidate], list[Candidate]]:
    """KB names (and capitalised aliases), and descriptions, found anywhere in the text."""
    kb = knowledge_base()
    names: list[Candidate] = []
    descriptions: list[Candidate] = []
    starts = kb.longest
    free = 0  # the first word not inside a name matched already
    for i in _name_starts(found, kb.description_starts, capitalised):
        if i < free or found[i].key not in starts:  # only words that start some name or description
            continue
        match = kb.match(text, found, i)
        if match is None:
            continue
        size, hits = match
        hit = hits[0]
        start, end = found[i].start, found[i + size - 1].end
        if hit.descriptive:
            descriptions.append(Candidate(start, end, hit.entity.type, 0.75, 0, kb=hit.entity))
        else:
            names.append(Candidate(start, end, hit.entity.type, 0.95, 0, kb=hit.entity))
        free = i + size
    return names, descriptions


def _place_candidates(
    text: str, found: list[Word], spans: list[Span], language: str, capitalised: Sequence[bool] | None = None
) -> list[Candidate]:
    """Gazetteer names at capitalised words; lone small towns need the tagger's word for it."""
    places = gazetteer()
    exact = {(s.start, s.end): s for s in spans}
    located = [s for s in spans if s.label == "LOC"]
    common = stopwords(language)
    out: list[Candidate] = []
    options: list[tuple[Place, ...]] = []  # every place of each name, for regions by context
    starts = places.longest
    free = 0  # the first word not inside a place matched already
    for i in _name_starts(found, places.lowercase_starts, capitalised):
        word = found[i]
        if i < free or word.key not in starts:  # words that start some place's name
            continue
        if word.key in common and (i + 1 == len(found) or not found[i + 1].text[:1].isupper()):
            continue  # `La`, `En` opening a sentence: only `La Paz`-like names start with a function word
        match = places.match(text, found, i)
        if match is None or (
            match.words > 1 and word.key in ARTICLES and not found[i + 1].text[:1].isupper()
        ):  # `La reunión` is no `La Réunion`
            continue
        place = match.places[0]
        start, end = word.start, found[i + match.words - 1].end
        tagged = exact.get((start, end))
        in_location = any(s.start <= start and end <= s.end for s in located)
        if match.words == 1 and not in_location and (word.key in common or (tagged is None and _headline(found, i))):
            continue  # a function word (`Para Otegi`) or a headline's word (`REUNION`) alone: the tagger must say LOC
        if match.words == 1 and not place.major:
            big_enough = place.population >= 100_000 and tagged is not None
            if not (in_location or big_enough):
                continue
        confidence = 0.9 if place.major or match.words > 1 else 0.8
        if tagged is not None or in_location:
            confidence = min(0.99, confidence + 0.08)
        out.append(Candidate(start, end, "place", confidence, 1, place=place, options=match.places))
        options.append(match.places)
        free = i + match.words
    settle_regions(text, out, options)  # `región de Kursk` is the region, `Georgia` near Atlanta the state
    return out


_KEY = itemgetter(3)  # a Word's folded key
_TEXT = itemgetter(0)


def _capitalised(found: list[Word]) -> list[bool]:
    """Whether each word's first letter is a capital (asked once a story for the KB and the places)."""
    return list(map(str.isupper, map(_TEXT, map(_TEXT, found))))


def _name_starts(
    found: list[Word], lowercase: frozenset[str], capitalised: Sequence[bool] | None = None
) -> compress[int]:
    """Indices of the words written capitalised or among the `lowercase` openers of a name or description
    (`mar`, `golfo`; `jefe`), in order: the only words a place's or KB name may start at. Picked with C-level
    maps: a story has ~500 words, a fifth of them capitalised, and the gazetteer's table of first words is
    too big to stay in the CPU cache, so it is asked about those only. `capitalised`: `_capitalised(found)`."""
    capitals = _capitalised(found) if capitalised is None else capitalised
    return compress(count(), map(or_, capitals, map(lowercase.__contains__, map(_KEY, found))))


def _headline(found: list[Word], i: int) -> bool:
    """Word `i` is a long all-capitals word next to another (`CUMBRE REUNION`): a headline, where
    capitals say nothing about names."""
    word = found[i].text
    if len(word) < 5 or not word.isupper():
        return False
    return any(0 <= j < len(found) and found[j].text.isupper() for j in (i - 1, i + 1))


def _tagger_candidates(spans: list[Span], language: str) -> list[Candidate]:
    out: list[Candidate] = []
    for span in spans:
        kind = NER_TYPES.get(span.label, "other")
        local = fold(span.text)
        if kind == "other" and any(word in EVENT_CUES for word in local.split()):
            kind = "event"
        out.append(Candidate(span.start, span.end, kind, round(span.confidence * 0.9, 4), 2, local=local))
    return out


# The tagger's sure PER/ORG/MISC label of exactly a town's name (`Newcastle` the club, `Duran` the boxer)
# beats the gazetteer; countries, continents, seas and big cities (`ayudar a Rusia`) need a surer label.
SURE_TAG = 0.6 * 0.9
SURE_TAG_MAJOR = 0.9 * 0.9
# Spanish and Italian cities take no article, clubs named after them do (`el Barcelona`, `al Madrid`,
# `la Roma`): a city the tagger calls an organisation after one of these is the club.
CLUB_ARTICLES = {
    "es": frozenset(["el", "al", "del"]),
    "it": frozenset(["il", "al", "del", "dal", "nel", "col", "la", "alla", "della", "dalla", "nella"]),
}
_ARTICLE_BEFORE = re.compile(r"(?:^|\W)(\w+)\s+$")
_BRACKET_BEFORE = re.compile(r"\s*\(\s*$")
# A bare institution noun (`Gobierno`, `Parliament`) the tagger is this sure is an organisation stays.
SURE_INSTITUTION = 0.8 * 0.9
_NEXT_WORD = re.compile(r"\s*([\w-]+)")
# A lone word opening a sentence stays a person when the tagger's marginal is at least this.
SURE_NAME = 0.7 * 0.9
# ... or at least this when the word is no common word and stands where a name stands (`_surname_like`).
SURE_NAME_IN_CONTEXT = 0.4 * 0.9
# In Spanish, Portuguese and Italian a capitalised word opening a sentence that does not end like a
# verb (`Destacó`, `Haremos`, `Temiendo`, `Dijeron`) is a surname the tagger need be less sure of:
# on the CoNLL es dev set the tagger's PER between 0.3 and 0.7 there is a person 24 times in 36.
SURE_NAME_NOT_VERB = 0.3 * 0.9
ROMANCE_VERB_LIKE = {
    "es": re.compile(r"(?:[áéíóú]|mos|ndo|ron|ban|aba|ía|ían|ará|erá|irá)$"),
    "pt": re.compile(r"(?:[áéíóúâêô]|mos|ndo|ram|vam|ava|ia|iam)$"),
    "it": re.compile(r"(?:[àèéìòù]|mo|ndo|ono|ava|eva|iva)$"),
}


def _club(candidate: Candidate, text: str, language: str, person_ends: set[int]) -> bool:
    """A city after an article that cities do not take (`el Barcelona`), or in brackets right after a
    person (`Puyol (Barcelona)`, the player's team): the club named after it."""
    if candidate.place is None or candidate.place.kind == "country":
        return False
    bracket = _BRACKET_BEFORE.search(text, max(0, candidate.start - 4), candidate.start)
    if bracket is not None and bracket.start() in person_ends:
        return True
    articles = CLUB_ARTICLES.get(language)
    before = _ARTICLE_BEFORE.search(text, max(0, candidate.start - 8), candidate.start) if articles else None
    return before is not None and articles is not None and before.group(1).lower() in articles


def _speaks(candidate: Candidate, text: str, language: str) -> bool:
    """A place's name the tagger calls a person, followed by a reporting verb (`León añadió`, `Jordan
    said`): a person speaking; a country or city speaking for its government is tagged LOC or ORG."""
    after = _NEXT_WORD.match(text, candidate.end)
    return after is not None and after.group(1).lower() in lexicon(language).verbs


def _places_not_named_otherwise(
    places: list[Candidate], tagged: list[Candidate], text: str, language: str
) -> list[Candidate]:
    """Places minus those the tagger is sure name a person, an organisation or a thing on the same span,
    and cities it calls an organisation where the article says they are a club."""
    # MISC too: a place's name the tagger calls a product or event (`crudo Brent`, `Barcelona '92`)
    other = {(c.start, c.end): c for c in tagged if c.type in ("person", "organisation", "other", "event")}
    if not other:
        return places
    person_ends = {c.end for c in tagged if c.type == "person"}
    kept = []
    for c in places:
        sure = SURE_TAG_MAJOR if c.place is not None and c.place.major else SURE_TAG
        rival = other.get((c.start, c.end))
        club = rival is not None and rival.type == "organisation" and _club(c, text, language, person_ends)
        speaks = rival is not None and rival.type == "person" and _speaks(c, text, language)
        if rival is None or (rival.confidence < sure and not club and not (speaks and rival.confidence >= SURE_TAG)):
            kept.append(c)
    return kept


def _settle(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, longest first, then by rank and confidence."""
    if not candidates:
        return []
    taken = bytearray(max(c.end for c in candidates))
    chosen: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (-(c.end - c.start), c.rank, -c.confidence, c.start)):
        if taken.find(1, candidate.start, candidate.end) < 0:  # no character taken yet
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


def _person_parts(chosen: list[Candidate], text: str, language: str) -> dict[str, Candidate]:
    """Name words standing for a person named in full in this story (the first one named wins ties)."""
    common = stopwords(language)
    parts: dict[str, Candidate] = {}
    for candidate in chosen:
        if candidate.type != "person":
            continue
        if candidate.kb is not None:
            keys = candidate.kb.parts
        else:
            keys = frozenset(fold(text[candidate.start : candidate.end]).split())
            if len(keys) < 2:
                continue
        for key in keys:
            if len(key) > 1 and key not in PARTICLES and key not in common:
                parts.setdefault(key, candidate)
    return parts


def _short_mentions(
    text: str, found: list[Word], chosen: list[Candidate], parts: dict[str, Candidate]
) -> list[Candidate]:
    """Lone name words (`Kim`, `Lavrov`) of people named in full; they replace a tagger guess on the same word."""
    if not parts:
        return []
    # a lone word the tagger or the gazetteer claimed may be replaced; anything longer or from the KB stays
    occupied = bytearray(len(text))
    for c in chosen:
        if c.kb is not None or " " in text[c.start : c.end]:
            occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
    out: list[Candidate] = []
    for word in compress(found, map(parts.__contains__, map(_KEY, found))):  # the few words naming someone
        person = parts[word.key]
        if not word.text[:1].isupper() or any(occupied[word.start : word.end]):
            continue
        out.append(
            Candidate(word.start, word.end, "person", 0.85, 3, kb=person.kb, local=None if person.kb else person.local)
        )
    return out


def _junk(candidate: Candidate, text: str, language: str) -> bool:
    written = text[candidate.start : candidate.end]
    if not any(ch.isupper() for ch in written) and candidate.kb is None:
        return True  # lowercase words are not names
    if candidate.kb is not None or candidate.place is not None:
        return False
    single = " " not in written.strip()
    key = fold(written)
    if single and key in GENERIC:
        return not _named_institution(candidate, text)
    if single and key in stopwords(language):
        return True
    if single and candidate.rank == 2 and candidate.type in ("person", "other", "event"):
        # an unlinked single word opening a sentence is a verb or pronoun more often than a name
        if candidate.type == "person" and candidate.confidence >= SURE_NAME:
            return False  # `Shearer takes ...`: a surname the tagger is sure of
        if (
            candidate.type == "person"
            and candidate.confidence >= SURE_NAME_IN_CONTEXT
            and _surname_like(written.strip(), text, candidate.end, language)
        ):
            return False  # `Lynagh kicked ...`, `Leeson, the ...`: not a common word, and placed like a name
        verb_like = ROMANCE_VERB_LIKE.get(language)
        if (
            candidate.type == "person"
            and verb_like is not None
            and candidate.confidence >= SURE_NAME_NOT_VERB
            and verb_like.search(written.strip().lower()) is None
        ):
            return False  # `Egibar ha señalado ...`: no verb form, a surname
        opens = sentence_initial(text, candidate.start) and not _after_colon(text, candidate.start, language)
        return opens or (candidate.type != "person" and candidate.confidence < 0.8)
    return False


def _surname_like(word: str, text: str, end: int, language: str) -> bool:
    """A capitalised word opening a sentence that is no common word of the language (the tagger's
    training text wrote it lowercase less often than capitalised mid-sentence, or never saw it) and
    stands where a name stands: written capitalised mid-sentence elsewhere in the text, or followed by
    an apposition or bracket (`Leeson, the ...`, `Sanders (8-4)`) or by a verb (`Woods was`)."""
    seen = word_casing(word, language)
    if seen is not None and seen[0] >= seen[1]:
        return False  # `Seven`, `Green`: a common word capitalised because it opens the sentence
    if seen is not None and seen[1] >= 2:
        return True  # the training text names it mid-sentence and never (or rarely) writes it lowercase
    if text[end : end + 3].lstrip()[:1] in (",", "(") or _named_mid_sentence(word, text, end):
        return True
    after = _NEXT_WORD.match(text, end)
    if after is None:
        return False
    following = after.group(1)
    past = PAST_TENSE.get(language)
    return following.islower() and (
        following in lexicon(language).verbs
        or following in AUXILIARIES.get(language, ())
        or (past is not None and past.search(following) is not None)
    )


def _named_mid_sentence(word: str, text: str, end: int) -> bool:
    """Whether `word` (the one ending at `end`) is written again, whole and capitalised, inside a sentence."""
    at = text.find(word)
    while at >= 0:
        after = at + len(word)
        whole = (at == 0 or not text[at - 1].isalnum()) and (after == len(text) or not text[after].isalnum())
        if after != end and whole and not sentence_initial(text, at):
            return True
        at = text.find(word, after)
    return False


# Verb forms after which a capitalised sentence opener is a subject; reporting verbs come from the cue lexicon.
AUXILIARIES = {
    "en": frozenset(("was", "is", "has", "had", "will", "would", "could", "did", "does", "can", "may", "must")),
    "es": frozenset(("fue", "es", "era", "ha", "había", "será", "sería", "está", "estaba")),
}
# A regular English past tense (`kicked`, `prayed`) after a sentence opener that is no common word.
PAST_TENSE = {"en": re.compile(r"\w{3,}ed$")}


def _after_colon(text: str, start: int, language: str) -> bool:
    """A word right after a colon or semicolon in Spanish, Portuguese or Italian, where the sentence goes
    on in lower case: a capital there is a name (`Goles: Cafú`), unless a quotation opens."""
    if language not in ROMANCE_VERB_LIKE:
        return False
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i >= 0 and text[i] in ":;"


def _named_institution(candidate: Candidate, text: str) -> bool:
    """A bare institution noun used as a name: capitalised mid-sentence, tagged ORG with confidence,
    and not described by a nationality after it (`el Gobierno` is the story's government; `el Ejército
    ruso` is a description of an army, whose name the story does not give)."""
    if candidate.type != "organisation" or candidate.rank != 2 or candidate.confidence < SURE_INSTITUTION:
        return False
    if sentence_initial(text, candidate.start):
        return False
    after = _NEXT_WORD.match(text, candidate.end)
    return after is None or not (after.group(1).islower() and is_country_word(after.group(1)))


def link(text: str, spans: Sequence[NerSpan], language: str, country: str | None = None) -> list[Entity]:
    """Entities of `text` from tagger spans plus KB and gazetteer matches (see the module docs);
    `country` (the dateline place's, ISO) breaks ties between same-named cities."""
    found = words(text)
    cleaned = strip_spans(text, clean_spans(text, spans), language)  # `Kremlchef Wladimir Putin` -> the name
    capitalised = _capitalised(found)
    names, descriptions = _kb_candidates(text, found, capitalised)
    places = _place_candidates(text, found, cleaned, language, capitalised)
    tagged = _tagger_candidates(cleaned, language)
    places = _places_not_named_otherwise(places, tagged, text, language)
    curated = names + places
    # a tagger span that strictly contains curated matches and is a longer name of its own keeps them out
    for candidate in tagged:
        longer_name = (
            candidate.type in ("organisation", "event", "person")
            and candidate.confidence >= 0.45
            and " " in text[candidate.start : candidate.end]
        )
        if not longer_name:
            continue
        near = [c for c in curated if c.start < candidate.end and candidate.start < c.end]  # overlapping
        inside = [c for c in near if candidate.start <= c.start and c.end <= candidate.end]
        if (
            inside
            and len(inside) == len(near)  # nothing crosses the span's edges
            and all(c.place is not None and (c.start, c.end) != (candidate.start, candidate.end) for c in inside)
        ):
            curated = [c for c in curated if c not in inside]
    chosen = _settle(curated + tagged)
    # among the mentions kept, `Valencia` in a story from Spain is Spain's
    settle_story_country(text, [c for c in chosen if c.place is not None], country)
    parts = _person_parts(chosen, text, language)
    named = {c.kb.key for c in chosen if c.kb is not None}
    shorts = _short_mentions(text, found, chosen, parts)
    if shorts:
        replaced = {(s.start, s.end) for s in shorts}
        chosen = [c for c in chosen if (c.start, c.end) not in replaced] + shorts
    described = [c for c in descriptions if c.kb is not None and c.kb.key in named]
    chosen = _settle(chosen + described)
    chosen = [c for c in chosen if not _junk(c, text, language)]
    return _group(chosen, text, language)


def _group(chosen: list[Candidate], text: str, language: str) -> list[Entity]:
    grouped: dict[str, list[Candidate]] = {}
    for candidate in chosen:
        grouped.setdefault(candidate.target, []).append(candidate)
    entities: list[Entity] = []
    for mentions in grouped.values():
        first = mentions[0]
        confidence = max(m.confidence for m in mentions)
        if len(mentions) > 1:
            confidence = min(1.0, confidence + 0.02 * (len(mentions) - 1))
        entity_type = first.type
        country = lat = lon = None
        uri = None
        if first.kb is not None:
            name = first.kb.name(language)
            uri = first.kb.uri
            country = first.kb.country
            entity_type = first.kb.type if first.kb.type in NER_TYPES.values() or first.kb.type == "event" else "other"
        elif first.place is not None:
            place = first.place
            name, uri, country, lat, lon = place.name, place.uri, place.country, place.lat, place.lon
            entity_type = "place"
        else:
            longest = max(mentions, key=lambda m: (m.end - m.start, -m.start))
            name = text[longest.start : longest.end]
        # the title cut off the name (`Mayor Thomas Reed`) is kept as the person's role
        roles = (role_before(text, m.start, language) for m in mentions) if entity_type == "person" else ()
        role = next((r for r in roles if r), None)
        mentioned = [_MENTION(_MENTION_FIELDS, (m.start, m.end, text[m.start : m.end])) for m in mentions]
        values = (entity_type, name, role, uri, country, lat, lon, round(min(1.0, confidence), 4), mentioned)
        entities.append(_ENTITY(_ENTITY_FIELDS, values))
    return entities


_set = object.__setattr__
M = TypeVar("M", bound=BaseModel)
# `_constructor` sets pydantic's private instance attributes itself: it was written for this release (the
# lock's). Under any other release it takes the public `model_construct`, slower but always right.
PYDANTIC_WRITTEN_FOR = "2.14.4"


def _constructor(model: type[M]) -> Callable[[tuple[str, ...], tuple[Any, ...]], M]:
    """Builds `model` from every field's value in declaration order, as `model.model_construct(**values)`
    would (no validation: the values are of the declared types already) at a third of its cost: that
    call looks up aliases and defaults for each field, and a story makes ~40 entities and mentions.
    Falls back to `model_construct` for a model that has aliases, extra fields or a post-init hook."""
    fields = model.__pydantic_fields__
    order = tuple(fields)
    plain = (
        PYDANTIC_VERSION == PYDANTIC_WRITTEN_FOR
        and not model.__pydantic_post_init__
        and not model.__pydantic_root_model__
        and model.model_config.get("extra") != "allow"
        and all(f.alias is None and f.validation_alias is None for f in fields.values())
    )

    new = model.__new__
    every_field = set(order)  # copied for each model made: a copy costs less than a set of the names

    def build(names: tuple[str, ...], values: tuple[Any, ...]) -> M:
        if not plain or names != order:
            return model.model_construct(**dict(zip(names, values, strict=True)))
        made = new(model)
        _set(made, "__dict__", dict(zip(names, values, strict=True)))
        _set(made, "__pydantic_fields_set__", every_field.copy())
        _set(made, "__pydantic_extra__", None)
        _set(made, "__pydantic_private__", None)
        return made

    return build


_ENTITY_FIELDS = ("type", "name", "role", "uri", "country", "lat", "lon", "confidence", "mentions")
_MENTION_FIELDS = ("start", "end", "text")
_ENTITY = _constructor(Entity)
_MENTION = _constructor(EntityMention)


def dateline_agency(document: Document, entities: list[Entity], language: str) -> Entity | None:
    """The agency of the dateline (`(EFE)`) as an organisation, when the KB knows it and the body
    does not already name it. Its mention is in the dateline, not the body: it has no offsets."""
    agency = document.dateline.agency if document.dateline else None
    if not agency:
        return None
    entity = knowledge_base().lookup(agency)
    if entity is None or entity.type != "organisation":
        return None
    if any(e.uri == entity.uri and e.name == entity.name(language) for e in entities):
        return None
    return Entity(
        type="organisation", name=entity.name(language), uri=entity.uri, country=entity.country, confidence=0.9
    )


@stage("entities", "people, organisations, places and events: NER merged with the KB and gazetteer, linked to ids")
def find_entities(document: Document, found: Mapping[str, Any]) -> Findings:
    language = tagging_language(document, found)
    text = document.text
    country = dateline_country(document, found)
    entities = link(text, tag(text, language), language, country) if text.strip() else []
    agency = dateline_agency(document, entities, language)
    if agency is not None:
        entities.append(agency)
    return {"entities": entities}
