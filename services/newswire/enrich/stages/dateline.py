"""The dateline place (`Pekín, 3 sep (EFE).-`) resolved through the gazetteer to GeoNames.

The parser already split the dateline and resolved its date; this stage adds
`place_ref` (GeoNames id, country, coordinates). Agency datelines sometimes carry a
qualifier (`Kiev (Ucrania)`, `WASHINGTON, D.C.`, `Moscú/Madrid`); the first place that
resolves wins, and the stage finds nothing when none does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from newswire.enrich.gazetteer import Place, gazetteer
from newswire.enrich.registry import Document, Findings, stage
from newswire.events.extension import DatelineInfo

_PARTS = re.compile(r"\s*(?:[/,;()\[\]]|\s-\s|\s–\s)\s*")


def resolve(place: str) -> Place | None:
    """The place a dateline names, trying the whole text first, then each part in turn."""
    places = gazetteer()
    found = places.lookup(place)
    if found is not None:
        return found
    parts = [part for part in _PARTS.split(place) if part.strip()]
    for part in parts:
        found = places.lookup(part)
        if found is not None:
            return found
    return None


@stage("dateline", "the dateline place resolved to GeoNames (id, country, coordinates)")
def resolve_dateline(document: Document, found: Mapping[str, Any]) -> Findings:
    dateline: DatelineInfo | None = found.get("dateline") or document.dateline
    if dateline is None or not dateline.place:
        return {}
    place = resolve(dateline.place)
    if place is None:
        return {}
    return {"dateline": dateline.model_copy(update={"place_ref": place.ref()})}
