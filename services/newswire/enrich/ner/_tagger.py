"""Runtime: lazily loaded per-language CRF taggers and span decoding."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import pycrfsuite  # type: ignore[import-untyped, unused-ignore]

from newswire.enrich.ner.conll import entities, to_iob2
from newswire.enrich.ner.features import CONTEXT_MARKERS, FeatureExtractor, Lexicon
from newswire.enrich.ner.tokenize import Token, split_sentences, tokenize

# NEWSWIRE_NER_MODELS points at another directory of model files (to measure a retrained model through
# the whole product before it ships); unset, the shipped models are used.
MODEL_DIR = Path(os.environ.get("NEWSWIRE_NER_MODELS") or Path(__file__).resolve().parent / "models")
LABELS = frozenset({"PER", "ORG", "LOC", "MISC"})

# Languages served by the Spanish model; other Latin-script languages use English.
_ROMANCE = frozenset({"es", "pt", "gl", "ca", "it", "ast", "oc", "ro", "fr"})
_NON_LATIN = frozenset(
    {
        "ar", "fa", "ur", "he", "yi", "ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn",
        "el", "hy", "ka", "hi", "mr", "ne", "bn", "pa", "gu", "ta", "te", "kn", "ml", "si",
        "th", "lo", "km", "my", "zh", "ja", "ko", "am", "ti", "bo", "dv", "ps", "sd", "tg",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Span:
    """One entity mention; ``confidence`` is the smallest CRF marginal probability of its tags."""

    start: int  # code-point index into the input text
    end: int
    label: str  # "PER" | "ORG" | "LOC" | "MISC"
    text: str
    confidence: float  # 0..1


class _Model:
    def __init__(self, lang: str) -> None:
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(MODEL_DIR / f"{lang}.crfsuite"))
        lexicon = Lexicon.load(MODEL_DIR / f"{lang}.lex.json.gz")
        keep = frozenset(lexicon.attrs) if lexicon.attrs is not None else None
        # the quoted-name and sports features (and 5-letter affixes) only for a model that learned them (es):
        # built for another, every story would pay for features its filter then drops
        context = keep is None or not keep.isdisjoint(CONTEXT_MARKERS)
        self.features = FeatureExtractor(lexicon, keep, context=context)
        self.lock = threading.Lock()  # a crfsuite Tagger holds per-call state


_models: dict[str, _Model] = {}
_TEXT = itemgetter(0)  # a Token's text
_load_lock = threading.Lock()


def model_language(language: str) -> str | None:
    """Which shipped model serves ``language`` (BCP-47-ish code), or None."""
    lang = language.strip().lower().replace("_", "-").split("-")[0]
    if lang in ("es", "en"):
        return lang
    if lang in _ROMANCE:
        return "es"
    if not lang or lang in _NON_LATIN:
        return None
    return "en"


def _get_model(lang: str) -> _Model:
    model = _models.get(lang)
    if model is None:
        with _load_lock:
            model = _models.get(lang)
            if model is None:
                model = _Model(lang)
                _models[lang] = model
    return model


def word_casing(word: str, language: str) -> tuple[int, int] | None:
    """How the training text of the model serving `language` wrote `word`: (lowercase, capitalised
    mid-sentence) counts, or None when no model serves the language or it never saw the word."""
    lang = model_language(language)
    if lang is None:
        return None
    seen = _get_model(lang).features.lexicon.case.get(word.lower())  # loaded once, with the model
    return (seen[0], seen[1]) if seen is not None else None


def recognise_tokens(tokens: list[str], language: str) -> list[str]:
    """IOB2 tags for one pre-tokenised sentence."""
    tags = ["O"] * len(tokens)
    lang = model_language(language)
    if lang is None or not tokens:
        return tags
    model = _get_model(lang)
    runs = model.features.runs(tokens)
    with model.lock:
        for start, xseq in runs:
            tags[start : start + len(xseq)] = model.tagger.tag(xseq)
    return to_iob2(tags)


def recognise(text: str, language: str) -> list[Span]:
    """Named entities in raw ``text`` with code-point offsets."""
    lang = model_language(language)
    if lang is None or not text or text.isspace():
        return []
    tokens = tokenize(text)
    if not tokens:
        return []
    model = _get_model(lang)
    fx = model.features
    # Every run's features first, then every crfsuite call under one lock: alternating the two run
    # by run cost more than their sum (each call went cold on the other's data).
    work = [
        (sent, offset, xseq)
        for sent in split_sentences(text, tokens)
        for offset, xseq in fx.runs(list(map(_TEXT, sent)))
    ]
    tagger = model.tagger
    found: list[tuple[list[Token], int, list[tuple[int, int, str]], list[float]]] = []
    with model.lock:
        tag = tagger.tag
        marginal = tagger.marginal
        for sent, offset, xseq in work:
            tags = tag(xseq)
            if tags.count("O") == len(tags):
                continue
            chunks = entities(to_iob2(tags))
            confidences = [min(marginal(tags[i], i) for i in range(s, e)) for s, e, _ in chunks]
            found.append((sent, offset, chunks, confidences))
    spans: list[Span] = []
    for sent, offset, chunks, confidences in found:
        for (s, e, label), conf in zip(chunks, confidences, strict=True):
            start = sent[offset + s].start
            end = sent[offset + e - 1].end
            spans.append(Span(start, end, label, text[start:end], round(float(conf), 4)))
    return spans
