"""Small text helpers shared by the enrichment stages: folding, word tokens, bundled word lists.

`fold` is the matching key for names in any language: accents stripped, case folded,
so `Pekín`, `PEKIN` and `pekin` meet. Word tokens keep code-point offsets into the text
they came from, so a match on folded keys maps back to the exact characters written.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple

WORD = re.compile(r"\w+", re.UNICODE)
_EXTRA = str.maketrans({"ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "æ": "ae", "œ": "oe", "ı": "i"})
# Characters allowed between two words of one name (`Kim Jong-un`, `People's`, `Nueva  York`).
JOINERS = frozenset({" ", "-", "'", "’", "‑", "\u00a0"})
ARTICLES = frozenset(
    {"el", "la", "los", "las", "the", "le", "les", "l", "der", "die", "das", "il", "lo", "gli", "o", "a", "os", "as"}
)


class Word(NamedTuple):
    text: str
    start: int
    end: int
    key: str  # folded


# Bounded well below a long run's vocabulary: new names and numbers keep arriving, and a cache that
# fills for 100,000 stories is a slow RSS climb (~200 B an entry). The common words stay cached.
@lru_cache(maxsize=16384)
def fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.translate(_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def fold(text: str) -> str:
    """Accent- and case-insensitive form of a phrase; words joined by single spaces."""
    return " ".join(map(fold_word, WORD.findall(text)))


def name_keys(name: str) -> list[str]:
    """The lookup keys of a name: as written, and without a leading article (`el Pacífico`)."""
    words = list(map(fold_word, WORD.findall(name)))
    if not words:
        return []
    keys = [" ".join(words)]
    if len(words) > 1 and words[0] in ARTICLES:
        keys.append(" ".join(words[1:]))
    return keys


# The folded key of each word a story has written, for `_words`: a plain dict asked by a C-level map costs
# half of calling `fold_word` (its bounded lru_cache reorders on every hit), ~500 times a story.
# Emptied when full, at fold_word's bound.
_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 16384


def _folded(written: list[str]) -> list[str]:
    """`fold_word` of each word, through `_FOLDED`."""
    keys = list(map(_FOLDED.get, written))
    if None in keys:
        if len(_FOLDED) > _FOLDED_MAX:
            _FOLDED.clear()
        for i in [i for i, key in enumerate(keys) if key is None]:
            keys[i] = _FOLDED[written[i]] = fold_word(written[i])
    return keys  # type: ignore[return-value]  # no None left


@lru_cache(maxsize=16)
def _words(text: str) -> tuple[Word, ...]:
    # Built with C-level maps, no Python loop: Word(...) would run a Python-level __new__ per word,
    # and a story has ~500 of them.
    matches = list(WORD.finditer(text))
    written = list(map(re.Match.group, matches))
    fields = zip(written, map(re.Match.start, matches), map(re.Match.end, matches), _folded(written), strict=True)
    return tuple(map(tuple.__new__, repeat(Word), fields))


def words(text: str) -> list[Word]:
    """The words of `text` with offsets and folded keys (cached: every stage reads the same body)."""
    return list(_words(text))


def forget_texts() -> None:
    """Empty the memos keyed by a whole text (benchmarks: each run must pay for its story's words)."""
    _words.cache_clear()


LiteralPatterns = dict[str, re.Pattern[str]]


def literal_patterns(patterns: Mapping[str, str]) -> LiteralPatterns:
    """Compile {first character: pattern that opens with that character as a literal}."""
    for char, pattern in patterns.items():
        if len(char) != 1 or not pattern.startswith((char, re.escape(char))):
            raise ValueError(f"{pattern!r} does not open with the literal character {char!r}")
    return {char: re.compile(pattern) for char, pattern in patterns.items()}


def scan_literals(patterns: LiteralPatterns, text: str, start: int = 0) -> list[re.Match[str]]:
    """The matches of several patterns in text order, each pattern searched only where its first
    character is in the text at all.

    Why: Python's re skips ahead to a literal at C speed, but tries a character class (`[.!?\\n]`) at
    every position of the text, ~20 ns a character, tens of µs on a story. One class of marks is
    faster searched as one pattern per mark. The result equals one pattern joining them with `|` as
    long as no pattern's match can contain the first character of another (nor its own, after the
    first), so that no match starts inside another."""
    found: list[re.Match[str]] = []
    for char, pattern in patterns.items():
        if char in text:
            found.extend(pattern.finditer(text, start))
    found.sort(key=re.Match.start)  # a C-level key
    return found


def joined(text: str, left: Word, right: Word) -> bool:
    """Whether two neighbouring words can belong to one name: only a space, hyphen or apostrophe
    between them, or a dot inside an abbreviation (`EE.UU.`, `U.S.`)."""
    gap = text[left.end : right.start]
    if gap == " ":
        return True  # by far the commonest gap: asked for every pair of words a name lookup spans
    if gap == "." or gap == ". ":
        return len(left.text) <= 2 and left.text.isupper() and right.text.isupper() and len(right.text) <= 2
    if len(gap) == 1:
        return gap in JOINERS
    return len(gap) == 2 and gap[0] in JOINERS and gap[1] in JOINERS and not gap[0] == gap[1] != " "


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at `start` opens a sentence, a paragraph or a quotation."""
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0«“\"'(¿¡‘-—":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;…»”"


def language_code(language: str | None) -> str:
    return (language or "").strip().lower().replace("_", "-").split("-")[0]


def data_path(name: str) -> Any:
    return resources.files("newswire.enrich").joinpath("data", name)


def load_json(name: str) -> Any:
    """A bundled JSON data file (transparently gunzipped when the name ends in .gz)."""
    raw = data_path(name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return json.loads(raw)


def load_jsonl(name: str) -> list[dict[str, Any]]:
    text = data_path(name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("//")]


@lru_cache(maxsize=1)
def _stopwords() -> dict[str, frozenset[str]]:
    table: dict[str, list[str]] = load_json("stopwords.json")
    return {lang: frozenset(fold_word(w) for w in items) for lang, items in table.items()}


def stopwords(language: str | None) -> frozenset[str]:
    """Folded function words of `language` (English for languages without a list)."""
    table = _stopwords()
    return table.get(language_code(language)) or table["en"]


def all_stopwords() -> frozenset[str]:
    return frozenset().union(*_stopwords().values())


def longest_match(
    text: str, found: list[Word], i: int, index: Mapping[str, Any], longest: Mapping[str, int]
) -> tuple[int, Any] | None:
    """The longest name in `index` (folded keys) that starts at word `i`: (number of words, value).

    `longest` maps a key's first word to the most words any key starting with it has, so words
    that start no name cost one dictionary probe.
    """
    most = longest.get(found[i].key, 0)
    if not most:
        return None
    n = 1
    while n < most and i + n < len(found) and joined(text, found[i + n - 1], found[i + n]):
        n += 1
    while n > 1:
        value = index.get(" ".join(map(itemgetter(3), found[i : i + n])))  # the words' folded keys
        if value is not None:
            return n, value
        n -= 1
    value = index.get(found[i].key)
    return None if value is None else (1, value)


def first_word_lengths(keys: Iterable[str]) -> dict[str, int]:
    lengths: dict[str, int] = {}
    for key in keys:
        head, _, _ = key.partition(" ")
        size = key.count(" ") + 1
        if lengths.get(head, 0) < size:
            lengths[head] = size
    return lengths


_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=65536)
def stem(key: str) -> str:
    """A crude stem of a folded word for topic matching in Romance and Germanic languages:
    a plural ending dropped, then the first six letters (`misiles` → `misil`, `soldados` → `soldad`)."""
    if len(key) > 4 and key.endswith("es") and key[-3] not in _VOWELS:
        key = key[:-2]
    elif len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key[:6]
