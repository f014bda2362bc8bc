"""Direct quotations and their speakers (`newswire.quotes`).

Quotation marks of every common style («» “” "" „“ ‹› ‘’) and dialogue dashes; each quote is
attributed through the reporting verb next to it (`dijo Kim`, `Putin said`, `según X`,
`a déclaré`, `sagte`, `disse`), or continues the previous speaker. Speakers resolve to the
entities stage's entities when it ran, else they are named as written. The scanner lives in
`newswire.enrich.quotes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newswire.enrich.quotes import find_quotes
from newswire.enrich.registry import Document, Findings, stage
from newswire.events.extension import Entity


@stage("quotes", "direct quotations with speaker and reporting verb, offsets into the main text")
def detect_quotes(document: Document, found: Mapping[str, Any]) -> Findings:
    language = found.get("language")
    code = getattr(language, "code", None) or document.declared_language
    code = code.split("-")[0].lower() if code else None
    # without the entities stage speakers are named as written; with it, only its people and organisations speak
    entities = (
        [e if isinstance(e, Entity) else Entity.model_validate(e) for e in found.get("entities") or ()]
        if "entities" in found
        else None
    )
    return {"quotes": find_quotes(document.text, code, entities)}
