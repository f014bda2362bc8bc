"""IPTC Media Topics for a story: a label-and-cue scorer, plus the agency's own subject codes.

The model (`data/mediatopics.json.gz`, built by `build_mediatopics.py`) maps stemmed terms
of each language to topics: words and phrases of the vocabulary's labels (en-GB 2025;
es/fr/de from the 2015 multilingual edition), of its definitions (lightly weighted), and a
hand-written cue lexicon per topic. A story's score for a topic is the weighted count of
its terms in headline and body, the headline counting triple; a topic also collects part
of its narrower topics' scores, so `politics and government` gathers `international
relations`. Agency codes (`medtop:` directly, IPTC Subject Codes via the vocabulary's
exactMatch/closeMatch) count as strong evidence. The best 3-5 topics are returned with
`relevance` (share of the best score) and `confidence` (how much evidence), 0-100.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Mapping
from itertools import compress
from operator import itemgetter
from typing import Any

from newswire.enrich.lexical import language_code, load_json, stem, stopwords, words
from newswire.enrich.registry import Document, Findings, stage
from newswire.enrich.stages.entities import story_language
from newswire.events.ninjs import Subject

URI = "http://cv.iptc.org/newscodes/mediatopic/{}"
HEADLINE_BOOST = 3.0
PARENT_SHARE = 0.6
MAX_TOPICS, MIN_TOPICS, MIN_RELEVANCE = 5, 3, 25
# Languages scored with a related language's terms as well.
RELATED = {"pt": ("es",), "it": ("es",), "ca": ("es",), "gl": ("es",)}

_lock = threading.Lock()
_model: list[dict[str, Any]] = []


def model() -> dict[str, Any]:
    if not _model:
        with _lock:
            if not _model:
                _model.append(load_json("mediatopics.json.gz"))
    return _model[0]


def _terms(language: str) -> list[dict[str, list[list[Any]]]]:
    terms = model()["terms"]
    langs = [language, *RELATED.get(language, ())] if language in terms else ["en"]
    return [terms[lang] for lang in langs if lang in terms]


_heads: dict[int, frozenset[str]] = {}


def _phrase_heads(table: dict[str, list[list[Any]]]) -> frozenset[str]:
    """First stems of the table's multi-word terms (keyed by the table: the model lives as long as the process)."""
    heads = _heads.get(id(table))
    if heads is None:
        heads = _heads[id(table)] = frozenset(term.split(" ", 1)[0] for term in table if " " in term)
    return heads


_openers: dict[tuple[int, ...], frozenset[str]] = {}


def _term_openers(tables: list[dict[str, list[list[Any]]]]) -> frozenset[str]:
    """Every stem that is a term of the tables or starts one: a story's other stems score nothing."""
    key = tuple(id(table) for table in tables)
    openers = _openers.get(key)
    if openers is None:
        openers = _openers[key] = frozenset().union(*tables, *(_phrase_heads(table) for table in tables))
    return openers


class _Stems(dict[str, str]):
    """Folded word -> the stem it is counted by, "" for a word not counted (short, a function word, a
    number). Filled on first sight of a word, so a story's known words are mapped by C-level lookups;
    emptied when it grows past a worker's usual vocabulary, like `fold_word`'s cache."""

    LIMIT = 16384

    def __init__(self, language: str) -> None:
        super().__init__()
        self.common = stopwords(language)

    def __missing__(self, key: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        counted = stem(key) if len(key) > 2 and key not in self.common and not key.isdigit() else ""
        self[key] = counted
        return counted


_stems: dict[str, _Stems] = {}


_all_heads: dict[tuple[int, ...], frozenset[str]] = {}


def _any_phrase_heads(tables: list[dict[str, list[list[Any]]]]) -> frozenset[str]:
    """First stems of the multi-word terms of any of the tables."""
    key = tuple(id(table) for table in tables)
    heads = _all_heads.get(key)
    if heads is None:
        heads = _all_heads[key] = frozenset().union(*(_phrase_heads(table) for table in tables))
    return heads


def _count(text: str, language: str, weight: float, scores: dict[str, float]) -> None:
    stems_of = _stems.get(language)
    if stems_of is None:
        stems_of = _stems[language] = _Stems(language)
    stems = list(filter(None, map(stems_of.__getitem__, map(itemgetter(3), words(text)))))
    tables = _terms(language)
    heads = _any_phrase_heads(tables)
    size = len(stems)
    # Only the stems that are a term or open one are looked at (picked out by C-level maps), in text order,
    # so the scores add up in the same order as a walk over every stem.
    for i in compress(range(size), map(_term_openers(tables).__contains__, stems)):
        head = stems[i]
        for table in tables:
            for code, value in table.get(head, ()):
                scores[code] += value * weight
        if head not in heads:
            continue  # no phrase starts with this stem: skip building its 2- and 3-word terms
        for n in (2, 3):
            if i + n > size:
                break
            term = " ".join(stems[i : i + n])
            for table in tables:
                for code, value in table.get(term, ()):
                    scores[code] += value * weight


def agency_topics(document: Document) -> list[str]:
    """Media Topic codes the agency gave, directly or through IPTC Subject Codes."""
    topics = model()["topics"]
    mapping: dict[str, str] = model()["subjectcode"]
    codes: list[str] = []
    for subject in document.subjects:
        scheme = subject.scheme.lower()
        code = subject.code.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
        if scheme in ("medtop", "mediatopic", "iptc-mediatopic") and code in topics:
            codes.append(code)
        elif scheme in ("subj", "subjectcode", "iptc-subjectcode") and code in mapping:
            codes.append(mapping[code])
    return list(dict.fromkeys(codes))


def score(document: Document, language: str) -> dict[str, float]:
    """Each topic's evidence in the story, narrower topics feeding their broader ones."""
    topics: dict[str, Any] = model()["topics"]
    own: dict[str, float] = defaultdict(float)
    _count(document.headline, language, HEADLINE_BOOST, own)
    _count(document.text, language, 1.0, own)
    for code in agency_topics(document):
        own[code] += max(own.values(), default=0.0) + 5.0
    total: dict[str, float] = defaultdict(float)
    for code, value in own.items():
        total[code] += value
        share = PARENT_SHARE
        for parent in _ancestors(topics, code):
            total[parent] += value * share
            share *= PARENT_SHARE
    return dict(total)


_chains: dict[str, tuple[str, ...]] = {}


def _ancestors(topics: dict[str, Any], code: str) -> tuple[str, ...]:
    """The broader topics of `code`, nearest first (remembered: the vocabulary lives as long as the process)."""
    chain = _chains.get(code)
    if chain is None:
        found: list[str] = []
        parent = topics.get(code, {}).get("parent")
        while parent:
            found.append(parent)
            parent = topics.get(parent, {}).get("parent")
        chain = _chains[code] = tuple(found)
    return chain


def choose(scores: dict[str, float], agency: list[str]) -> list[tuple[str, int, int]]:
    """The best topics as (code, relevance, confidence)."""
    ranked = sorted(((value, code) for code, value in scores.items() if value > 0), reverse=True)
    if not ranked:
        return []
    best = ranked[0][0]
    chosen: list[tuple[str, int, int]] = []
    for value, code in ranked:
        relevance = round(100 * value / best)
        if len(chosen) >= MAX_TOPICS or (relevance < MIN_RELEVANCE and len(chosen) >= MIN_TOPICS):
            break
        if relevance < 10:
            break
        confidence = 95 if code in agency else min(99, round(100 * (1.0 - math.exp(-value / 8.0))))
        chosen.append((code, relevance, confidence))
    return chosen


def subjects(document: Document, language: str) -> list[Subject]:
    topics = model()["topics"]
    lang = language_code(language)
    agency = agency_topics(document)
    out: list[Subject] = []
    for code, relevance, confidence in choose(score(document, lang), agency):
        names: dict[str, str] = topics[code]["names"]
        out.append(
            Subject(
                uri=URI.format(code),
                name=names.get(lang) or names["en"],
                rel="about",
                creator="machine",
                relevance=relevance,
                confidence=confidence,
            )
        )
    return out


@stage("subjects", "IPTC Media Topics from vocabulary labels, cue words and agency codes, with relevance")
def find_subjects(document: Document, found: Mapping[str, Any]) -> Findings:
    return {"subjects": subjects(document, story_language(document, found))}
