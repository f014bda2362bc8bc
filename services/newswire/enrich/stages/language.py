"""Language identification with lingua: the story's BCP-47 code and confidence, per paragraph when mixed.

The story language comes from the text, not from what the input declared: wires mislabel.
A sample from the head of the story (headline and first sentences) decides the language,
so the cost stays flat however long the story is; a second sample from the tail catches
stories that switch language, and only then is each paragraph identified.

Accuracy modes (NEWSWIRE_LANGID_ACCURACY): `low` uses lingua's trigram models only (~70 MB,
accurate on story-length text); `high` loads every n-gram model (~900 MB) and is markedly
better on single short sentences; `adaptive` (the default) reads texts shorter than
SHORT_TEXT_CHARS twice: the low-accuracy pass names the few likeliest languages, and the
high-accuracy models of only those decide. lingua loads a language's models once per process
and shares them between detectors, so memory grows with the languages a feed actually sends
short texts in (~10-30 MB each), not with all 75.

Close relatives that lingua's n-grams cannot tell apart (Malay/Indonesian, Croatian/Bosnian/
Serbian, Bokmål/Nynorsk/Danish) are settled by tables of words and word endings that only some
members of the family write (function words, standard spellings, month names, -iti/-itas,
-leg/-lig, -kracija/-kratija), counted once per distinct word; high-accuracy models do no
better there, so no extra model is loaded for it. The four languages of the eval set that lingua
lacks come from script and cue words: Sinhala (its script), Amharic and Tigrinya (Ethiopic, told
apart by letters, prefixes and function words), Oromo (its commonest words). A pick of lingua's
that the text's letters rule out (Kazakh without its own letters, Vietnamese without its
diacritics) goes to the next language. The cue tables are in enrich/language_cues.py.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from itertools import repeat
from typing import Any

from lingua import ConfidenceValue, IsoCode639_3, Language, LanguageDetector, LanguageDetectorBuilder

from newswire.enrich.language_cues import (
    AMHARIC_LETTERS,
    AMHARIC_PREFIXES,
    ETHIOPIC_CUES,
    FAMILY_CUES,
    FAMILY_ENDINGS,
    OROMO_WORDS,
    TIGRINYA_LETTERS,
    TIGRINYA_PREFIXES,
)
from newswire.enrich.lexical import fold_word, stopwords
from newswire.enrich.registry import Document, Findings, stage
from newswire.events.extension import LanguageInfo, ParagraphLanguage

HEAD_CHARS = 400
TAIL_CHARS = 300
SHORT_TEXT_CHARS = 120
FUNCTION_WORD_LANGUAGES = ("es", "en", "fr", "de", "pt", "it")  # the lists in enrich/data/stopwords.json
# Function words of close neighbours that have no list (Catalan, Galician, Dutch): two of them in the tail
# mean lingua must look after all.
_NEIGHBOUR_WORDS = (  # none of these is a function word of the six listed languages
    "els dels amb aquest aquesta aquests perque tambe seva molt despres"  # Catalan (folded)
    " unha unhas xa cando dende tamen"  # Galician
    " het een zijn niet ook maar naar werd bij"  # Dutch
)
NEIGHBOUR_MARKERS = frozenset(_NEIGHBOUR_WORDS.split())
# When a text's function words are plainly one of the six, lingua decides among it and these relatives
# only: the same answer for such texts at a fraction of the cost of all 75 models.
_L = Language
RELATIVES: dict[str, tuple[Language, ...]] = {
    "es": (_L.SPANISH, _L.CATALAN, _L.PORTUGUESE, _L.ITALIAN, _L.LATIN, _L.TAGALOG, _L.ESPERANTO, _L.ROMANIAN),
    "pt": (_L.PORTUGUESE, _L.SPANISH, _L.CATALAN, _L.ITALIAN, _L.LATIN, _L.ESPERANTO),
    "it": (_L.ITALIAN, _L.SPANISH, _L.CATALAN, _L.PORTUGUESE, _L.LATIN, _L.ROMANIAN, _L.ESPERANTO),
    "fr": (_L.FRENCH, _L.CATALAN, _L.ITALIAN, _L.SPANISH, _L.PORTUGUESE, _L.LATIN, _L.ROMANIAN),
    "en": (
        _L.ENGLISH,
        _L.DUTCH,
        _L.AFRIKAANS,
        _L.WELSH,
        _L.IRISH,
        _L.DANISH,
        _L.BOKMAL,
        _L.SWEDISH,
        _L.MAORI,
        _L.TAGALOG,
        _L.ALBANIAN,
        _L.CATALAN,
    ),
    "de": (_L.GERMAN, _L.DUTCH, _L.AFRIKAANS, _L.DANISH, _L.BOKMAL, _L.NYNORSK, _L.SWEDISH),
}
# Letters every sentence of a language all but always has, and its neighbours lack: Kazakh's own Cyrillic
# letters (Ukrainian is sometimes taken for Kazakh), Vietnamese's breve, circumflex, horn and đ (Yoruba's
# dotted vowels are sometimes taken for Vietnamese). Matched on the decomposed (NFD) text.
LETTERS_OF = {
    "kk": re.compile("[әғқңөұүһӘҒҚҢӨҰҮҺ]"),
    "vi": re.compile("[\u0302\u0306\u031b\u0111\u0110]"),
}
SHORT_TEXT_CANDIDATES = 3  # languages the high-accuracy pass chooses among, in adaptive mode
MIXED_CONFIDENCE = 0.6
# Below this lingua confidence, a declared language tag is kept (a detection this unsure is no evidence).
CONFIDENT = 0.7
TABULAR_DIGIT_SHARE = 0.2
# Below this many words lingua is confidently wrong too often (short English lines read as French or
# Lithuanian on the CoNLL dev set) to overrule what the sender declared.
SHORT_TEXT_WORDS = 25
# cue words are cheap to count, so family decisions read more of the story than lingua does
CUE_CHARS = 3000

WORD = re.compile(r"\w+(?:-\w+)*")


def _cue_table() -> dict[str, dict[str, tuple[tuple[str, ...], int]]]:
    """family -> word -> (members that use it, weight)."""
    table: dict[str, dict[str, tuple[tuple[str, ...], int]]] = {}
    for family, groups in FAMILY_CUES.items():
        words = table.setdefault(family, {})
        for members, weight, listed in groups:
            for word in listed.split():
                assert word not in words, f"{word} listed twice in {family}"
                words[word] = (members, weight)
    return table


FAMILY_WORDS = _cue_table()
FAMILY_MEMBERS = {
    family: tuple(sorted({member for members, _, _ in groups for member in members}))
    for family, groups in FAMILY_CUES.items()
}
FAMILY_OF = {member: family for family, members in FAMILY_MEMBERS.items() for member in members}


@lru_cache(maxsize=2)
def detector(high_accuracy: bool) -> LanguageDetector:
    """Built once per process and mode; lingua loads each language model on first use."""
    builder = LanguageDetectorBuilder.from_all_languages()
    return builder.build() if high_accuracy else builder.with_low_accuracy_mode().build()


@lru_cache(maxsize=512)
def _detector_among(languages: frozenset[Language]) -> LanguageDetector:
    """A high-accuracy detector over a few languages; cheap to build, models shared with the others."""
    return LanguageDetectorBuilder.from_languages(*languages).build()


@lru_cache(maxsize=2 * 2)
def _detector_without(language: Language, high_accuracy: bool) -> LanguageDetector:
    """Every language but one (of LETTERS_OF): for a text lingua gave to a language whose letters it lacks."""
    builder = LanguageDetectorBuilder.from_all_languages_without(language)
    return builder.build() if high_accuracy else builder.with_low_accuracy_mode().build()


@lru_cache(maxsize=len(FUNCTION_WORD_LANGUAGES))
def _detector_near(code: str) -> LanguageDetector:
    """Low accuracy over a language and the relatives its function words could be confused with."""
    return LanguageDetectorBuilder.from_languages(*RELATIVES[code]).with_low_accuracy_mode().build()


def _confidences(
    text: str, mode: str, without: Language | None = None, known: frozenset[str] = frozenset()
) -> list[ConfidenceValue]:
    """lingua's confidences over every language (but `without`), as the accuracy mode says.

    `known`: families of the languages the text is drawn from (a mixed story's); a short text whose
    likeliest languages include one is settled among them, and no high-accuracy model is loaded."""
    if mode == "high":
        every = detector(True) if without is None else _detector_without(without, True)
        return list(every.compute_language_confidence_values(text))
    if len(text) >= SHORT_TEXT_CHARS and without is None:
        likely = function_word_language(text)
        if likely is not None:
            return list(_detector_near(likely).compute_language_confidence_values(text))
    every = detector(False) if without is None else _detector_without(without, False)
    values = list(every.compute_language_confidence_values(text))
    if mode != "adaptive" or len(text) >= SHORT_TEXT_CHARS or not values or values[0].value <= 0.0:
        return values
    likeliest = [value for value in values[:SHORT_TEXT_CANDIDATES] if value.value > 0.0]
    if known:
        # lingua's n-grams tell a story's own two languages apart even in short paragraphs; loading the
        # high-accuracy models of every near candidate (~25 MB each) for that grew a worker by 160 MB
        # on one German-Spanish story.
        preferred = [value for value in likeliest if _family(_code(value)) in known]
        if preferred:
            return preferred + [value for value in values if value not in preferred]
    candidates = frozenset(value.language for value in likeliest)
    if len(candidates) < 2:
        return values
    return list(_detector_among(candidates).compute_language_confidence_values(text))


def _mode() -> str:
    return os.environ.get("NEWSWIRE_LANGID_ACCURACY", "adaptive").lower()


def _cut(text: str, limit: int, from_end: bool = False) -> str:
    if len(text) <= limit:
        return text
    if from_end:
        start = text.find(" ", len(text) - limit)
        return text[start + 1 if start >= 0 else len(text) - limit :]
    end = text.rfind(" ", 0, limit)
    return text[: end if end > 0 else limit]


def _code(value: ConfidenceValue) -> str:
    return str(value.language.iso_code_639_1.name.lower())


def _family(code: str) -> str:
    return FAMILY_OF.get(code, code)


def _ending_cue(word: str, family: str) -> tuple[tuple[str, ...], int]:
    for suffixes, members, weight in FAMILY_ENDINGS.get(family, ()):
        if any(word.endswith(suffix) and len(word) >= len(suffix) + 3 for suffix in suffixes):
            return members, weight
    return (), 0


def cue_counts(text: str, family: str) -> dict[str, int]:
    """Weighted count of the distinct words in the text that mark each member of the family.

    Distinct: a word repeated through a story is one piece of evidence about how its writer spells, and
    a story about money is not decided by how often it says `uang`."""
    table = FAMILY_WORDS[family]
    counts = dict.fromkeys(FAMILY_MEMBERS[family], 0)
    for word in set(WORD.findall(text.lower())):
        members, weight = table.get(word) or _ending_cue(word, family)
        for language in members:
            counts[language] += weight
    return counts


def _within_family(code: str, values: list[ConfidenceValue], text: str) -> tuple[str, float]:
    """The family member the cue words point to; lingua's order among the members breaks ties."""
    family = FAMILY_OF[code]
    members = FAMILY_MEMBERS[family]
    scores = {member: float(value.value) for value in values if (member := _code(value)) in members}
    counts = cue_counts(text, family)
    top = max(counts.values())
    tied = [language for language, count in counts.items() if count == top]
    chosen = max(tied, key=lambda language: scores.get(language, 0.0))
    total = sum(counts.values())
    if not total:
        return chosen, scores.get(chosen, 0.0)
    # lingua splits its confidence across the family; the cue words' share says how sure the pick within it is
    return chosen, sum(scores.values()) * top / total


# Languages lingua has no model for, recognised by their script or by their commonest words (the cue
# tables in enrich/language_cues.py): Sinhala has a script of its own; Amharic and Tigrinya share
# Ethiopic and are told apart by letters, prefixes and function words; Oromo is written in Latin
# letters with words no other language uses.
SINHALA = re.compile(r"[\u0d80-\u0dff]")
ETHIOPIC = re.compile(r"[\u1200-\u137f]")
ETHIOPIC_WORD = re.compile(r"[\u1200-\u135a]+")
LETTER = re.compile(r"[^\W\d_]")
# A letter outside ASCII and Latin-1 Supplement to Latin Extended-B (U+00C0-U+024F).
NON_LATIN_LETTER = re.compile(r"[^\W\d_\x00-\x7f\u00c0-\u024f]")
# Runs of the same: letters are counted by the length of the runs, a string a word rather than a letter.
LETTER_RUN = re.compile(LETTER.pattern + "+")
NON_LATIN_RUN = re.compile(NON_LATIN_LETTER.pattern + "+")
TIGRINYA_LETTER = re.compile(f"[{TIGRINYA_LETTERS}]")
AMHARIC_LETTER = re.compile(f"[{AMHARIC_LETTERS}]")
OROMO_CUES = frozenset(OROMO_WORDS.split())
# Oromo writes its glottal stop with an apostrophe inside the word (ta'e, waa'ee, har'a)
OROMO_WORD = re.compile(r"\w+(?:['’ʼ]\w+)*")
OROMO_MIN_SHARE = 0.1  # of the words: Oromo prose runs at 15-35% of these words, other languages near 0


def _ethiopic(text: str) -> tuple[str, float]:
    """Amharic or Tigrinya, with a confidence from how one-sided the evidence is."""
    words = ETHIOPIC_WORD.findall(text)
    tigrinya = (
        len(TIGRINYA_LETTER.findall(text))
        + sum(word[0] in TIGRINYA_PREFIXES for word in words)
        + sum(_ethiopic_order(word[-1]) == 2 for word in words)
        + 3 * sum(word in ETHIOPIC_CUES["ti"] for word in words)
    )
    amharic = (
        len(AMHARIC_LETTER.findall(text))
        + sum(word[0] in AMHARIC_PREFIXES for word in words)
        + 3 * sum(word in ETHIOPIC_CUES["am"] for word in words)
    )
    total = tigrinya + amharic
    code = "ti" if tigrinya > amharic else "am"
    return code, round(0.5 + 0.5 * max(tigrinya, amharic) / total, 4) if total else 0.5


def _ethiopic_order(letter: str) -> int:
    """The vowel order of an Ethiopic syllable (0 = ä, 2 = i, 5 = ə), from its place in its row of eight."""
    return (ord(letter) - 0x1200) % 8


def _oromo(text: str) -> float | None:
    """The confidence that `text` is Oromo, or None when too few of its words are Oromo's."""
    words = list(map(str.lower, OROMO_WORD.findall(text)))
    if "’" in text or "ʼ" in text:  # lowercasing makes no apostrophes, so most texts skip this
        words = [word.replace("’", "'").replace("ʼ", "'") for word in words]
    hits = [word for word in words if word in OROMO_CUES]
    if len(set(hits)) >= 2 and len(hits) >= OROMO_MIN_SHARE * len(words):
        return round(min(0.95, 0.5 + len(hits) / len(words)), 4)
    return None


def _outside_lingua(text: str) -> tuple[str, float] | None:
    if SINHALA.search(text) or ETHIOPIC.search(text):  # letters are counted only for these scripts
        letters = len(LETTER.findall(text)) or 1
        if len(SINHALA.findall(text)) / letters > 0.5:
            return "si", 0.99
        if len(ETHIOPIC.findall(text)) / letters > 0.5:
            return _ethiopic(text)
    oromo = _oromo(text)
    return ("om", oromo) if oromo is not None else None


def identify(text: str, context: str | None = None, known: frozenset[str] = frozenset()) -> tuple[str, float] | None:
    """The most likely ISO 639-1 code and its confidence, or None for text with no language.

    `context` is a longer sample of the same text, read only for the cue words of a family of close relatives.
    `known`: the languages the text is likely in (a mixed story's head and tail), preferred for short texts.
    """
    families = frozenset(_family(code) for code in known)
    text = text.strip()
    if not text:
        return None
    outside = _outside_lingua(text)
    if outside is not None:
        return outside
    values = _confidences(text, _mode(), known=families)
    if not values or values[0].value <= 0.0:
        return None
    code = _code(values[0])
    if code in LETTERS_OF and not LETTERS_OF[code].search(unicodedata.normalize("NFD", text)):
        # lingua named a language whose alphabet the text does not use: the rest of lingua's languages decide
        values = _confidences(text, _mode(), without=values[0].language, known=families)
        if not values or values[0].value <= 0.0:
            return None
        code = _code(values[0])
    if code in FAMILY_OF:
        code, confidence = _within_family(code, values, _cut(context or text, CUE_CHARS))
        return code, round(confidence, 4)
    return code, round(float(values[0].value), 4)


@lru_cache(maxsize=1)
def _function_word_weights() -> dict[str, dict[str, float]]:
    """Per listed language, each of its function words weighted 1/(how many of the six lists have it):
    `el` counts fully for Spanish, `de` a quarter for each language that uses it."""
    lists = {language: stopwords(language) for language in FUNCTION_WORD_LANGUAGES}
    holders: dict[str, int] = {}
    for words in lists.values():
        for word in words:
            holders[word] = holders.get(word, 0) + 1
    return {language: {word: 1 / holders[word] for word in words} for language, words in lists.items()}


def function_word_language(text: str) -> str | None:
    """The one of FUNCTION_WORD_LANGUAGES whose function words plainly dominate `text`, else None.

    Cheap (a set lookup per word) next to lingua, whose trigram models over every language are
    memory-bound; a None sends the text to lingua over all languages. Plainly: a quarter of the words
    are its function words, and its weighted function-word score is 1.5 times any other's."""
    # Counted by regex and C-level maps: this runs on the head and the tail of every story.
    letters = sum(map(len, LETTER_RUN.findall(text)))
    latin = letters - sum(map(len, NON_LATIN_RUN.findall(text)))
    if not letters or latin < 0.95 * letters:
        return None  # another script in the text: lingua over every language decides
    # Words of one or two letters (`a`, `le`, `se`, `o`) are function words in too many languages to tell.
    sample = [folded for folded in map(fold_word, WORD.findall(text)) if len(folded) > 2]
    if len(sample) < 15 or sum(map(NEIGHBOUR_MARKERS.__contains__, sample)) >= 2:
        return None
    weights = _function_word_weights()
    scores = {language: sum(map(table.get, sample, repeat(0.0))) for language, table in weights.items()}
    best = max(scores, key=scores.__getitem__)
    if any(scores[best] < 1.5 * score for language, score in scores.items() if language != best):
        return None
    share = sum(map(stopwords(best).__contains__, sample)) / len(sample)
    return best if share >= 0.15 else None


def _tail_plainly_in(text: str, code: str) -> bool:
    """True when the tail's function words are clearly the head language's (most stories): no second
    lingua pass is needed to rule out a switch."""
    return function_word_language(_cut(text, TAIL_CHARS, from_end=True)) == code


def _paragraph_languages(text: str, known: frozenset[str]) -> list[ParagraphLanguage]:
    found = []
    for index, paragraph in enumerate(text.split("\n\n")):
        identified = identify(_cut(paragraph, HEAD_CHARS), paragraph, known)
        if identified:
            found.append(ParagraphLanguage(index=index, code=identified[0], confidence=identified[1]))
    return found


def declared_code(declared: str | None) -> str | None:
    """The ISO 639-1 code of a declared tag (`en-GB` -> `en`, `swe` -> `sv`), None when it names no language."""
    if not declared:
        return None
    base = declared.strip().replace("_", "-").split("-")[0].lower()
    if len(base) == 2 and base.isalpha():
        return base
    try:
        return Language.from_iso_code_639_3(IsoCode639_3.from_str(base)).iso_code_639_1.name.lower()
    except ValueError:
        return None


def _tabular(text: str) -> bool:
    """Mostly figures (results, agate, prices): lingua reads the names in it, not a language."""
    tokens = text.split()
    return len(tokens) >= 8 and sum(any(c.isdigit() for c in token) for token in tokens) >= TABULAR_DIGIT_SHARE * len(
        tokens
    )


def _declared_wins(declared: str | None, confidence: float, text: str) -> bool:
    """A declared tag stands unless the text plainly says otherwise: wires mislabel (an English story tagged
    it-IT), but an unsure pick, a short text or a table of names is no evidence against the tag."""
    return declared is not None and (confidence < CONFIDENT or _tabular(text) or len(text.split()) < SHORT_TEXT_WORDS)


@stage("language", "BCP-47 language of the story (and of each paragraph when it mixes languages), with lingua")
def detect_language(document: Document, found: Mapping[str, Any]) -> Findings:
    whole = f"{document.headline}\n{document.text}".strip()
    identified = identify(_cut(whole, HEAD_CHARS), whole)
    declared = declared_code(document.declared_language)
    if identified is None or (identified[0] != declared and _declared_wins(declared, identified[1], whole)):
        if declared:
            return {"language": LanguageInfo(code=declared, confidence=0.0, declared=document.declared_language)}
        return {}
    code, confidence = identified
    paragraphs: list[ParagraphLanguage] = []
    if len(document.text) > HEAD_CHARS + TAIL_CHARS and not _tail_plainly_in(document.text, code):
        tail = identify(_cut(document.text, TAIL_CHARS, from_end=True))
        # a tail in a close relative of the head's language is the same language sampled thinly, not a switch
        if tail and _family(tail[0]) != _family(code) and tail[1] >= MIXED_CONFIDENCE:
            paragraphs = _paragraph_languages(document.text, frozenset({code, tail[0]}))
    return {
        "language": LanguageInfo(
            code=code, confidence=confidence, declared=document.declared_language, paragraphs=paragraphs
        )
    }
