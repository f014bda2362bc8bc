"""Language identification with lingua: the story's BCP-47 code and confidence, per paragraph when mixed.

The story language comes from the text, not from what the input declared: wires mislabel.
A sample from the head of the story (headline and first sentences) decides the language,
so the cost stays flat however long the story is; a second sample from the tail catches
stories that switch language, and only then is each paragraph identified.

Accuracy modes (NEWSWIRE_LANGID_ACCURACY): `low` uses lingua's trigram models only (~70 MB,
accurate on story-length text); `high` loads every n-gram model (~900 MB) and is markedly
better on single short sentences; `adaptive` (the default) uses the high-accuracy models
only for texts shorter than SHORT_TEXT_CHARS, so a service that never sees such texts never
loads them. Services with tight memory limits set `low`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from lingua import LanguageDetector, LanguageDetectorBuilder

from newswire.enrich.registry import Document, Findings, stage
from newswire.events.extension import LanguageInfo, ParagraphLanguage

HEAD_CHARS = 400
TAIL_CHARS = 300
SHORT_TEXT_CHARS = 120
MIXED_CONFIDENCE = 0.6


@lru_cache(maxsize=2)
def detector(high_accuracy: bool) -> LanguageDetector:
    """Built once per process and mode; lingua loads each language model on first use."""
    builder = LanguageDetectorBuilder.from_all_languages()
    return builder.build() if high_accuracy else builder.with_low_accuracy_mode().build()


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


def identify(text: str) -> tuple[str, float] | None:
    """The most likely ISO 639-1 code and its confidence, or None for text with no language."""
    text = text.strip()
    if not text:
        return None
    mode = _mode()
    high = mode == "high" or (mode == "adaptive" and len(text) < SHORT_TEXT_CHARS)
    values = detector(high).compute_language_confidence_values(text)
    if not values or values[0].value <= 0.0:
        return None
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(float(best.value), 4)


def _paragraph_languages(text: str) -> list[ParagraphLanguage]:
    found = []
    for index, paragraph in enumerate(text.split("\n\n")):
        identified = identify(_cut(paragraph, HEAD_CHARS))
        if identified:
            found.append(ParagraphLanguage(index=index, code=identified[0], confidence=identified[1]))
    return found


@stage("language", "BCP-47 language of the story (and of each paragraph when it mixes languages), with lingua")
def detect_language(document: Document, found: Mapping[str, Any]) -> Findings:
    head = _cut(f"{document.headline}\n{document.text}".strip(), HEAD_CHARS)
    identified = identify(head)
    if identified is None:
        if document.declared_language:
            declared = document.declared_language
            return {"language": LanguageInfo(code=declared, confidence=0.0, declared=declared)}
        return {}
    code, confidence = identified
    paragraphs: list[ParagraphLanguage] = []
    if len(document.text) > HEAD_CHARS + TAIL_CHARS:
        tail = identify(_cut(document.text, TAIL_CHARS, from_end=True))
        if tail and tail[0] != code and tail[1] >= MIXED_CONFIDENCE:
            paragraphs = _paragraph_languages(document.text)
    return {"language": LanguageInfo(code=code, confidence=confidence, declared=document.declared_language,
                                     paragraphs=paragraphs)}
