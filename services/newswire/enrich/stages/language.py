"""Language identification with lingua: the story's BCP-47 code and a confidence.

The story language comes from the text, not from what the input declared: wires
mislabel. A sample of the headline and first paragraphs is enough for a whole story and
keeps the cost flat however long the story is.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from lingua import LanguageDetector, LanguageDetectorBuilder

from newswire.enrich.registry import Document, Findings, stage
from newswire.events.extension import LanguageInfo

SAMPLE_CHARS = 700


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    """Built once per process; lingua loads each language model on first use."""
    return LanguageDetectorBuilder.from_all_languages().build()


def sample(document: Document) -> str:
    text = f"{document.headline}\n{document.text}".strip()
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", 0, SAMPLE_CHARS)
    return text[: cut if cut > 0 else SAMPLE_CHARS]


def identify(text: str) -> tuple[str, float] | None:
    """The most likely ISO 639-1 code and its confidence, or None for text with no language."""
    values = detector().compute_language_confidence_values(text)
    if not values or values[0].value <= 0.0:
        return None
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(float(best.value), 4)


@stage("language", "BCP-47 language of the story with lingua, trusting the text over the declaration")
def detect_language(document: Document, found: Mapping[str, Any]) -> Findings:
    identified = identify(sample(document))
    if identified is None:
        if document.declared_language:
            return {
                "language": LanguageInfo(
                    code=document.declared_language, confidence=0.0, declared=document.declared_language
                )
            }
        return {}
    code, confidence = identified
    return {"language": LanguageInfo(code=code, confidence=confidence, declared=document.declared_language)}
