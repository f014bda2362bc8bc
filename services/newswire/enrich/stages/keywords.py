"""Keywords: a small YAKE-style statistical extractor (Campos et al., 2020), no model, no data.

Candidates are runs of up to three words inside one sentence that neither start nor end
with a function word. Each word is scored from its own statistics in the story, as YAKE
does: casing (capitalised away from a sentence start), position (early sentences),
frequency, spread over sentences and relatedness to its neighbours (a word next to many
different words is a function-like word); a candidate's score combines its words' scores
and its own frequency. Lower is better; the best ten distinct candidates are returned,
after the agency's own keywords. The `yake` package does the same at several times the cost.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from newswire.enrich.lexical import Word, language_code, stem, stopwords, words
from newswire.enrich.registry import Document, Findings, stage
from newswire.enrich.stages.entities import story_language

TOP = 10
MAX_WORDS = 3
_BREAK = re.compile(r"[.!?;:«»\"“”()\[\]—–,\n]")
_SENTENCE = re.compile(r"[.!?\n]")
# Verb-like endings per language: such words rarely head or close a key phrase.
_ROMANCE_VERB = re.compile(
    r"(?:ó|aron|ieron|ando|iendo|ar|er|ir|amos|emos|imos|aba|aban|ía|ían|ou|aram|eram|ava|ò|ato)$"
)
_VERBAL = {
    "es": _ROMANCE_VERB,
    "pt": _ROMANCE_VERB,
    "it": _ROMANCE_VERB,
    "ca": _ROMANCE_VERB,
    "en": re.compile(r"(?:ing|ed)$"),
    "fr": re.compile(r"(?:ait|aient|ant|er|ir|ons|ez)$"),
}
VERB_PENALTY = 10.0
CONJUNCTIONS = frozenset({"y", "e", "and", "et", "und", "o", "or", "ou", "oder", "ni", "nor", "ed"})


def _segments(text: str, found: list[Word]) -> tuple[list[int], list[list[Word]]]:
    """Each word's sentence number, and the runs of words not separated by punctuation."""
    numbers: list[int] = []
    chunks: list[list[Word]] = []
    current: list[Word] = []
    sentence = 0
    previous_end = -1
    for word in found:
        if previous_end >= 0 and (word.start - previous_end != 1 or text[previous_end] != " "):
            if _SENTENCE.search(text, previous_end, word.start):
                sentence += 1
            if _BREAK.search(text, previous_end, word.start):
                chunks.append(current)
                current = []
        numbers.append(sentence)
        current.append(word)
        previous_end = word.end
    if current:
        chunks.append(current)
    return numbers, chunks


def _median(ordered: list[int]) -> float:
    """Median of an ascending list (a word's sentence numbers are collected in text order)."""
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


def _merged(text: str, found: list[Word]) -> list[Word]:
    """Words with hyphenated compounds kept whole (`Kim Jong-un`, `alto-el-fuego`)."""
    merged: list[Word] = []
    for word in found:
        if merged and word.start == merged[-1].end + 1 and text[merged[-1].end] in "-‑":
            last = merged[-1]
            merged[-1] = Word(text[last.start : word.end], last.start, word.end, f"{last.key}-{word.key}")
        else:
            merged.append(word)
    return merged


def extract(text: str, language: str, top: int = TOP) -> list[str]:
    found = _merged(text, words(text))
    if not found:
        return []
    common = stopwords(language)
    sentence_of, chunks = _segments(text, found)
    n_sentences = sentence_of[-1] + 1

    tf: dict[str, int] = defaultdict(int)
    upper: dict[str, int] = defaultdict(int)
    sentences: dict[str, list[int]] = defaultdict(list)
    left: dict[str, set[str]] = defaultdict(set)
    right: dict[str, set[str]] = defaultdict(set)
    previous = ""
    for i, word in enumerate(found):
        key = word.key
        if key in common:
            if previous and previous not in common:
                right[previous].add(key)
            previous = key
            continue
        tf[key] += 1
        sentences[key].append(sentence_of[i])
        opens = i == 0 or sentence_of[i - 1] != sentence_of[i]
        if (word.text[0].isupper() and not opens) or (len(word.text) > 1 and word.text.isupper()):
            upper[key] += 1
        if previous:
            left[key].add(previous)
            if previous not in common:
                right[previous].add(key)
        previous = key

    counts = list(tf.values())
    if not counts:
        return []
    mean = sum(counts) / len(counts)
    spread = math.sqrt(sum((c - mean) ** 2 for c in counts) / len(counts))  # statistics.pstdev is exact, and slow
    max_tf = max(counts)
    word_scores: dict[str, float] = {}
    for key, count in tf.items():
        casing = upper[key] / (1.0 + math.log(count))
        where = math.log(math.log(3.0 + _median(sentences[key])))
        frequency = count / (mean + spread)
        related = 1.0 + (len(left[key]) + len(right[key])) / (2.0 * count) * (count / max_tf)
        different = len(set(sentences[key])) / n_sentences
        word_scores[key] = (where * related) / (casing + frequency / related + different / related)

    verbal = _VERBAL.get(language_code(language))
    verb_cache: dict[str, bool] = {}

    def verbish(written: str) -> bool:
        # asked only of scored candidates' edge words, each word once (it was every word of every chunk)
        known = verb_cache.get(written)
        if known is None:
            known = verb_cache[written] = verbal is not None and verbal.search(written.lower()) is not None
        return known

    scores: dict[str, float] = {}
    candidate_tf: dict[str, int] = defaultdict(int)
    spans: dict[str, tuple[int, int]] = {}
    for chunk in chunks:
        keys = [w.key for w in chunk]
        values = [word_scores.get(k) for k in keys]
        size = len(keys)
        for i, head in enumerate(keys):
            first = values[i]
            if first is None or len(head) < 3 or head[0].isdigit():
                continue
            product, total, key = first, first, head
            for n in range(1, min(MAX_WORDS, size - i) + 1):
                j = i + n - 1
                if n > 1:
                    key = f"{key} {keys[j]}"
                    value = values[j]
                    if value is not None:
                        product *= value
                        total += value
                    if value is None or keys[j][0].isdigit():
                        continue  # a phrase does not end on a function word or a number
                    if n == 3 and keys[i + 1] in CONJUNCTIONS:
                        continue  # `Putin y Kim` is two names, not one key phrase
                elif tf[head] < 2 and not chunk[i].text[0].isupper():
                    continue  # a lone lowercase word said once is rarely a keyword
                candidate_tf[key] += 1
                if key in spans:
                    continue
                spans[key] = (chunk[i].start, chunk[j].end)
                score = product / (1.0 + total)
                verb = verbal is not None and (verbish(chunk[i].text) or verbish(chunk[j].text))
                scores[key] = score * VERB_PENALTY if verb else score
    ranked = sorted(scores, key=lambda k: scores[k] / candidate_tf[k])
    chosen: list[str] = []
    chosen_stems: list[set[str]] = []
    for key in ranked:
        start, end = spans[key]
        written = text[start:end]
        parts = {stem(k)[:5] for k in key.split() if k not in common}
        if any(parts <= seen or seen <= parts for seen in chosen_stems):
            continue
        chosen.append(written)
        chosen_stems.append(parts)
        if len(chosen) >= top:
            break
    return chosen


@stage("keywords", "key phrases with a YAKE-style statistical scorer, after the agency's keywords")
def find_keywords(document: Document, found: Mapping[str, Any]) -> Findings:
    language = story_language(document, found)
    extracted = extract(document.text, language)
    seen: set[str] = set()
    keywords: list[str] = []
    for keyword in [*document.keywords, *extracted]:
        folded = keyword.casefold()
        if folded not in seen:
            seen.add(folded)
            keywords.append(keyword)
    return {"keywords": keywords}
