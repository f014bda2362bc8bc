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
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import partial
from heapq import heappop, heappush
from itertools import accumulate, compress, pairwise, repeat
from operator import is_not, itemgetter, not_, truediv
from typing import Any

from newswire.enrich.lexical import Word, language_code, literal_patterns, scan_literals, stem, stopwords, words
from newswire.enrich.registry import Document, Findings, stage
from newswire.enrich.stages.entities import story_language

TOP = 10
MAX_WORDS = 3
_BREAK = '.!?;:«»"“”()[]—–,\n'  # characters that end a run of candidate words
_SENTENCE = ".!?\n"
_HYPHENS = "-‑"
_JOINT = re.compile(r"(?<=\w)[-‑](?=\w)")  # a hyphen inside a compound: a word (\w+) ends and starts at it
# One literal pattern per character (see lexical.scan_literals): a regex of the class tried every position.
_MARKS = {chars: literal_patterns({char: re.escape(char) for char in chars}) for chars in (_BREAK, _SENTENCE, _HYPHENS)}
# Verb-like endings per language: such words rarely head or close a key phrase (tested with
# str.endswith, several times cheaper than a regex search anchored at the end).
_ROMANCE_VERB = (
    *("ó", "aron", "ieron", "ando", "iendo", "ar", "er", "ir", "amos", "emos", "imos", "aba", "aban"),
    *("ía", "ían", "ou", "aram", "eram", "ava", "ò", "ato"),
)
_VERBAL: dict[str, tuple[str, ...]] = {
    "es": _ROMANCE_VERB,
    "pt": _ROMANCE_VERB,
    "it": _ROMANCE_VERB,
    "ca": _ROMANCE_VERB,
    "en": ("ing", "ed"),
    "fr": ("ait", "aient", "ant", "er", "ir", "ons", "ez"),
}
VERB_PENALTY = 10.0
CONJUNCTIONS = frozenset({"y", "e", "and", "et", "und", "o", "or", "ou", "oder", "ni", "nor", "ed"})


def _positions(text: str, chars: str, start: int = 0) -> Iterator[int]:
    """Where any of `chars` (one of the strings in _MARKS) is in `text` from `start`, in order."""
    return map(re.Match.start, scan_literals(_MARKS[chars], text, start))


def _gaps(chars: str, text: str, starts: list[int], first_end: int) -> list[int]:
    """Indices of the words that have one of `chars` in the gap before them (words hold none)."""
    return sorted(set(map(bisect_left, repeat(starts), _positions(text, chars, first_end))) - {len(starts)})


def _segments(text: str, found: list[Word]) -> tuple[list[int], list[int], list[int]]:
    """Each word's sentence number, 1 for the words after a sentence end (0 for the first word), and
    where the runs of words not separated by punctuation start (then len(found)).

    Read from the punctuation (a story has far fewer marks than words): each mark falls in the gap
    before one word, and a gap with any sentence end starts a sentence, any break a new run."""
    starts = list(map(itemgetter(1), found))
    first_end = found[0].end
    opens = [0] * len(found)
    for index in _gaps(_SENTENCE, text, starts, first_end):
        opens[index] = 1
    bounds = [0, *_gaps(_BREAK, text, starts, first_end), len(found)]
    return list(accumulate(opens)), opens, bounds


def _median(ordered: list[int]) -> float:
    """Median of an ascending list (a word's sentence numbers are collected in text order)."""
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


def _merged(text: str, found: list[Word]) -> list[Word]:
    """Words with hyphenated compounds kept whole (`Kim Jong-un`, `alto-el-fuego`)."""
    joints = list(filter(partial(_JOINT.match, text), _positions(text, _HYPHENS)))
    if not joints:
        return found
    starts = list(map(itemgetter(1), found))
    merged = list(found)
    for joint in reversed(joints):  # from the end: `alto-el-fuego` joins `el-fuego` first, indices before stay
        i = bisect_left(starts, joint + 1)  # the word after the hyphen; the one before ends at it
        after = merged[i]
        last = merged[i - 1]
        merged[i - 1 : i + 1] = [Word(text[last.start : after.end], last.start, after.end, f"{last.key}-{after.key}")]
    return merged


def extract(text: str, language: str, top: int = TOP) -> list[str]:
    found = _merged(text, words(text))
    if not found:
        return []
    common = stopwords(language)
    sentence_of, opens, bounds = _segments(text, found)
    n_sentences = sentence_of[-1] + 1

    # Word statistics with as little Python per word as possible (this was most of the stage's time):
    # only the content words are visited; neighbours are counted from the set of adjacent pairs.
    keys = list(map(itemgetter(3), found))
    sentences: dict[str, list[int]] = {}  # in text order, so ascending
    upper: dict[str, int] = {}
    for i in compress(range(len(keys)), map(not_, map(common.__contains__, keys))):
        key = keys[i]
        seen = sentences.get(key)
        if seen is None:
            sentences[key] = [sentence_of[i]]
            upper[key] = 0
        else:
            seen.append(sentence_of[i])
        written = found[i].text
        if (written[0].isupper() and i and not opens[i]) or (len(written) > 1 and written.isupper()):
            upper[key] += 1  # capitalised away from a sentence start, or all capitals
    tf = {key: len(seen) for key, seen in sentences.items()}
    # A word's distinct left and right neighbours, whatever they are; a word that folds to nothing (no
    # letters left) is no one's neighbour, as in the word-by-word scan this replaced.
    pairs = {pair for pair in pairwise(keys) if pair[0]} if "" in tf else set(pairwise(keys))
    on_left = Counter(map(itemgetter(1), pairs))
    on_right = Counter(map(itemgetter(0), pairs))

    counts = list(tf.values())
    if not counts:
        return []
    mean = sum(counts) / len(counts)
    spread = math.sqrt(sum([(c - mean) ** 2 for c in counts]) / len(counts))  # statistics.pstdev is exact, and slow
    max_tf = max(counts)
    log = math.log
    wheres: dict[float, float] = {}  # a story has few distinct median sentence numbers
    word_scores: dict[str, float] = {}
    usual = mean + spread
    # What depends on a word's count only, once per distinct count (the same float operations as per word).
    by_count = {count: (1.0 + log(count), count / usual, 2.0 * count, count / max_tf) for count in set(counts)}
    once = 1 / n_sentences
    for key, count in tf.items():
        log_count, frequency, twice, share = by_count[count]
        casing = upper[key] / log_count
        seen = sentences[key]
        if count == 1:  # most words: their median is their sentence, and they are in one sentence
            middle = float(seen[0])
            different = once
        else:
            middle = _median(seen)
            different = len(set(seen)) / n_sentences
        where = wheres.get(middle)
        if where is None:
            where = wheres[middle] = log(log(3.0 + middle))
        related = 1.0 + (on_left[key] + on_right[key]) / twice * share
        word_scores[key] = (where * related) / (casing + frequency / related + different / related)

    verbal = _VERBAL.get(language_code(language))
    verb_cache: dict[str, bool] = {}

    def verbish(written: str) -> bool:
        # asked only of scored candidates' edge words, each word once (it was every word of every chunk)
        known = verb_cache.get(written)
        if known is None:
            known = verb_cache[written] = verbal is not None and written.lower().endswith(verbal)
        return known

    # Candidates of one, two and three words at each scored word, unrolled: a phrase's score is
    # product / (1 + sum) of its scored words, multiplied and added in text order. Only a candidate's
    # first occurrence is kept (its span and score) and every occurrence is counted; runs end at `limit`.
    texts = list(map(itemgetter(0), found))
    values = list(map(word_scores.get, keys))
    limit = [0] * len(found)
    for a, b in pairwise(bounds):
        limit[a:b] = repeat(b, b - a)
    firsts: dict[str, tuple[int, int, float]] = {}
    occurrences: list[str] = []
    keep, tally = firsts.setdefault, occurrences.append
    for i in compress(range(len(keys)), map(is_not, values, repeat(None))):
        head = keys[i]
        if len(head) < 3 or head[0].isdigit():
            continue
        first = word_scores[head]  # values[i], known to be a score
        if tf[head] >= 2 or texts[i][0].isupper():  # a lone lowercase word said once is rarely a keyword
            keep(head, (i, i, first / (1.0 + first)))
            tally(head)
        end = limit[i]
        if i + 1 == end:
            continue
        product, total = first, first
        second_key = keys[i + 1]
        second = values[i + 1]
        if second is not None:
            product *= second
            total += second
            if not second_key[0].isdigit():  # a phrase does not end on a function word or a number
                pair = f"{head} {second_key}"
                keep(pair, (i, i + 1, product / (1.0 + total)))
                tally(pair)
        if i + 2 == end:
            continue
        third = values[i + 2]
        if third is not None:
            product *= third
            total += third
            third_key = keys[i + 2]
            # `Putin y Kim` is two names, not one key phrase
            if not third_key[0].isdigit() and second_key not in CONJUNCTIONS:
                triple = f"{head} {second_key} {third_key}"
                keep(triple, (i, i + 2, product / (1.0 + total)))
                tally(triple)
    candidate_tf = Counter(occurrences)
    # Best first: a candidate's score over its count, times VERB_PENALTY when an edge word is verb-like,
    # ties in order of first occurrence (what a stable sort of every scored candidate gave). The penalty
    # only raises a score, so it is asked lazily: candidates are taken in order of their unpenalised
    # value (sorted by C-level keys), a penalised one waits in a heap until it is the best left, and the
    # selection stops after `top` of some 200 candidates.
    names = list(firsts)
    spots = list(firsts.values())
    raw = list(map(itemgetter(2), spots))
    counted = list(map(candidate_tf.__getitem__, names))
    value = list(map(truediv, raw, counted))
    order = sorted(range(len(names)), key=value.__getitem__)  # stable: ties by first occurrence
    waiting: list[tuple[float, int]] = []  # (penalised value, index)
    chosen: list[str] = []
    chosen_stems: list[set[str]] = []
    position = 0
    while position < len(order) or waiting:
        n = order[position] if position < len(order) else -1
        if waiting and (n < 0 or waiting[0] < (value[n], n)):
            n = heappop(waiting)[1]
        else:
            position += 1
            i, j, _ = spots[n]
            if verbal is not None and (verbish(texts[i]) or verbish(texts[j])):
                heappush(waiting, (raw[n] * VERB_PENALTY / counted[n], n))
                continue
        key = names[n]
        i, j, _ = spots[n]
        written = text[found[i].start : found[j].end]
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
