"""The dateline place (`Pekín, 3 sep (EFE).-`) resolved through the gazetteer to GeoNames.

The parser already split the dateline and resolved its date; this stage adds
`place_ref` (GeoNames id, country, coordinates). Agency datelines sometimes carry a
qualifier (`Kiev (Ucrania)`, `WASHINGTON, D.C.`, `Moscú/Madrid`); the first place that
resolves wins, and the stage finds nothing when none does.

Among cities that share a name, a country the dateline names wins (`Valencia (Venezuela)`), and otherwise the
agency's home country breaks the tie (`Valencia, 3 sep (EFE)` is Valencia, Spain), unless the city abroad is
more than `HOME_RATIO` times bigger (`Córdoba (EFE)` stays Córdoba, Argentina; `Santiago` stays Santiago de Chile).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from newswire.enrich.agency_home import home_country
from newswire.enrich.gazetteer import Place, gazetteer
from newswire.enrich.registry import Document, Findings, stage
from newswire.events.extension import DatelineInfo

_PARTS = re.compile(r"\s*(?:[/,;()\[\]]|\s-\s|\s–\s)\s*")
_QUALIFIER = re.compile(r"\s*\([^()\n]{1,40}\)")


# A home-country city wins a tie-break unless the best city abroad is more than this many times its size.
HOME_RATIO = 4


def _pick(candidates: tuple[Place, ...], named: str | None, home: str | None) -> Place:
    """The best of same-named places: one in the country the dateline names, else a home-country city of
    comparable size, else the most prominent."""
    best = candidates[0]
    if named is not None:
        return next((c for c in candidates if c.country == named and c.kind != "country"), best)
    if home is None or best.kind != "city" or best.country == home:
        return best
    local = next((c for c in candidates if c.kind == "city" and c.country == home), None)
    if local is not None and local.population * HOME_RATIO >= best.population:
        return local
    return best


def resolve(place: str, agency: str | None = None) -> Place | None:
    """The place a dateline names, trying the whole text first, then each part in turn; `agency` (any
    spelling) breaks ties between same-named cities in favour of its home country."""
    places = gazetteer()
    parts = [place, *(part for part in _PARTS.split(place) if part.strip())]
    found = [places.candidates(part) for part in parts]
    home = home_country(agency)
    for candidates in found:
        if candidates:
            # A country named in a qualifier (`Valencia (Venezuela)`, `SAITAMA, Japan`) settles the tie-break.
            named = next((c[0].country for c in found if c and c[0].kind == "country" and c[0] != candidates[0]), None)
            return _pick(candidates, named, home)
    return None


def _with_qualifier(place: str, written: str) -> str:
    """The place as the dateline wrote it, with a bracketed country or region right after it that parsing
    kept out of `place` (`La Paz (México), 12 jun (EFE)`): the resolver reads that as the tie-break."""
    # The place as a literal prefix and one compiled pattern after it: a pattern built from each story's
    # place was compiled anew for every place re's cache had not kept.
    qualified = _QUALIFIER.match(written, len(place)) if written.startswith(place) else None
    return written[: qualified.end()] if qualified is not None else place


def dateline_country(document: Document, found: Mapping[str, Any]) -> str | None:
    """The ISO country of the story's resolved dateline place (what later stages read as the story's country)."""
    dateline: DatelineInfo | None = found.get("dateline") or document.dateline
    ref = dateline.place_ref if dateline is not None else None
    return ref.country if ref is not None else None


@stage("dateline", "the dateline place resolved to GeoNames (id, country, coordinates)")
def resolve_dateline(document: Document, found: Mapping[str, Any]) -> Findings:
    dateline: DatelineInfo | None = found.get("dateline") or document.dateline
    if dateline is None or not dateline.place:
        return {}
    place = resolve(_with_qualifier(dateline.place, dateline.text), dateline.agency)
    if place is None:
        return {}
    return {"dateline": dateline.model_copy(update={"place_ref": place.ref()})}
