"""First-level regions by context: `región de Kursk` is Kursk Oblast, `Kursk` alone is the city.

The gazetteer resolves a bare name to the city when a city and its region share it (`Kursk`, `Murcia`,
`New York`). Two patterns of the text move a place mention to a region, in any supported language:

- a region word right before or after the name (`región de Kursk`, `óblast de Kursk`, `the state of
  New York`, `el estado de Nueva York`, `Gebiet Kursk`, `la région de Koursk`, `Kursk region`): the
  region named after the city, or a first-level region sharing the name (`departamento de Santander`);
- a name shared by a country and a region of another country (`Georgia`), with more places of the
  region's country than of the country around it (`Atlanta` nearby, `EE.UU.` or `U.S.` right next
  to it): the region.

The mention keeps its span (`Kursk` in `región de Kursk`); only the place it links to changes.
Provinces and counties are second-level divisions and are left alone. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from newswire.enrich.gazetteer import Place, gazetteer

# Region words before a name, with the preposition the language puts between them and perhaps an
# adjective (`la región rusa de Kursk`, `la région russe de Koursk`); German puts the word right before.
_BEFORE = re.compile(
    r"(?:\b(?:regi[oó]n|[oó]blast|estado|departamento|comunidad|krai|state|region|r[ée]gion|[ée]tat|"
    r"d[ée]partement|regione|stato|regi[aã]o)(?:\s+\w+)?\s+"
    r"(?:de|del|do|da|di|of(?:\s+the)?|d['’])\s*"
    r"|\b(?:gebiet|region|oblast|bundesstaat)\s+)$",
    re.IGNORECASE,
)
# Region words after a name (`Kursk region`, `New York state`, `Krasnodar Krai`).
_AFTER = re.compile(r"\s+(?:region|oblast|krai|kray|state)\b", re.IGNORECASE)
# How far around a shared name (in characters) its country's places count as evidence of it, and the
# country's own name.
NEARBY = 300
ADJACENT = 12


class PlaceCandidate(Protocol):
    start: int
    end: int
    place: Place | None


def region_cue(text: str, start: int, end: int) -> bool:
    """Whether a region word stands right before or after `text[start:end]`."""
    return bool(_BEFORE.search(text[max(0, start - 32) : start]) or _AFTER.match(text, end, end + 10))


def _region_for_cue(place: Place, options: Sequence[Place]) -> Place | None:
    """The region a region word would make of `place`: the one named after it, else a region sharing its name."""
    if place.kind == "admin":
        return None  # already a region
    named = gazetteer().region_named_after(place)
    return named if named is not None else next((p for p in options if p.kind == "admin"), None)


def _evidence(candidates: Sequence[PlaceCandidate], at: PlaceCandidate, country: str | None) -> int:
    """Places of `country` around `at`: its cities and regions nearby, the country itself only right
    next to it (`Georgia (EE.UU.)`, `Georgia, U.S.`): a story on Georgia may well name the United States."""
    count = 0
    for c in candidates:
        if c is at or c.place is None or c.place.country != country:
            continue
        gap = max(c.start - at.end, at.start - c.end)
        if gap <= (ADJACENT if c.place.kind == "country" else NEARBY):
            count += 1
    return count


def settle_regions(text: str, candidates: Sequence[PlaceCandidate], options: Sequence[Sequence[Place]]) -> None:
    """Move each place candidate to a first-level region where the text says so (see the module docs);
    `options` are the gazetteer's places for each candidate's name, best first."""
    for candidate, places in zip(candidates, options, strict=True):
        place = candidate.place
        if place is None:
            continue
        region = _region_for_cue(place, places)  # dictionary lookups first: the pattern only where it matters
        if region is not None and region_cue(text, candidate.start, candidate.end):
            candidate.place = region
            continue
        abroad = next((p for p in places if p.kind == "admin" and p.country != place.country), None)
        if abroad is None or place.kind != "country":
            continue
        if _evidence(candidates, candidate, abroad.country) > _evidence(candidates, candidate, place.country):
            candidate.place = abroad
