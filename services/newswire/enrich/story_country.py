"""Same-named cities in the story's country: `Valencia` in the body of a story datelined `Valencia, 3 sep
(EFE)` is Valencia, Spain, as the dateline is, not the bigger Valencia, Venezuela the gazetteer ranks first.

The story's country is the dateline place's country, or else the country the story names most often as a
place (no single one: no country). Among the places sharing a mention's name, the first city of that
country replaces the gazetteer's choice when the evidence is strong enough for the sizes involved:

- a country or first-level region right after the name (`Valencia (Venezuela)`, `Paris, Texas`) with a
  city of that name settles it for that mention, whatever the sizes and whatever the story's country;
- the dateline, or the story's country named in the mention's sentence, is explicit: the local city wins
  unless the one abroad is more than `EXPLICIT_ALONE_RATIO` times bigger (`Córdoba` in a Madrid story is
  Spain's; `Dublin` or `Paris` in a Washington story stay in Europe), or `EXPLICIT_RATIO` times when places
  of the story's country are named around it (`Guadalajara` beside Castilla-La Mancha);
- a country named elsewhere in the story is weaker: a major city (a million people or more) never gives
  way to a smaller one, and otherwise the local city needs a quarter of the other's size (as the dateline's
  own tie-break does);
- short of a qualifier, nothing moves where the places named around the mention are mostly abroad (a
  world weather table datelined New York keeps its Dublin and Geneva in Europe).

Only cities move: a country, continent, sea or region the gazetteer chose, or a region a region word
chose (`región de Valencia`), stays; so does the mention's type, settled before (the threshold for the
tagger's `Valencia` the club is the name's, not the chosen city's). Pure functions: one pass over the
candidates, which carry their name's places from the gazetteer match, and nothing more when no name is
shared across countries.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from newswire.enrich.gazetteer import Place
from newswire.enrich.regions import ADJACENT, NEARBY, PlaceCandidate

# The biggest size ratio (foreign city / local city) that explicit evidence overcomes with places of the
# story's country around the mention, without them, and what weaker evidence overcomes.
EXPLICIT_RATIO = 25
EXPLICIT_ALONE_RATIO = 10
IMPLICIT_RATIO = 4
QUALIFIER_KINDS = frozenset({"country", "admin"})
# Only commas, brackets, dashes and spaces between a name and its qualifier (`Paris, Texas`, `León (España)`).
_QUALIFIER_GAP = re.compile(r"[\s,(\[–-]*")
# A sentence ends at . ! ? … (perhaps closing a quote) before a capital, or at a line break.
_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)]*\s+[\"'«“‘(¿¡]*[A-ZÀ-ÖØ-Þ]|\n")


class SharedName(PlaceCandidate, Protocol):
    options: tuple[Place, ...]  # every place of the mention's name, best first


def most_named_country(candidates: Sequence[PlaceCandidate]) -> str | None:
    """The country the story names most often as a place, or None when none does or two tie."""
    counts = Counter(c.place.country for c in candidates if c.place is not None and c.place.kind == "country")
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


def _qualifier(text: str, candidates: Sequence[PlaceCandidate], at: int) -> Place | None:
    """The country or region written right after candidate `at` (`Valencia (Venezuela)`), if any."""
    end = candidates[at].end
    for c in candidates[at + 1 :]:
        if c.start - end > ADJACENT:
            break
        if c.place is not None and c.place.kind in QUALIFIER_KINDS and _QUALIFIER_GAP.fullmatch(text, end, c.start):
            return c.place
    return None


def _same_sentence(text: str, a: PlaceCandidate, b: PlaceCandidate) -> bool:
    first, second = (a, b) if a.start < b.start else (b, a)
    return _SENTENCE_END.search(text, first.end, second.start) is None


def _named_nearby(text: str, candidates: Sequence[PlaceCandidate], at: PlaceCandidate, country: str) -> bool:
    """Whether `country` itself is named in the sentence of `at`."""
    return any(
        c.place is not None and c.place.kind == "country" and c.place.country == country and _same_sentence(text, at, c)
        for c in candidates
    )


def _around(
    candidates: Sequence[PlaceCandidate], at: PlaceCandidate, country: str, movable: set[int]
) -> tuple[int, int]:
    """Places named around `at` in `country` and abroad (a table of world weather datelined New York:
    its Dublin and Geneva are not the American ones). Names that could themselves move to `country`
    say nothing either way."""
    local = abroad = 0
    for j, c in enumerate(candidates):
        if c is at or j in movable or c.place is None or c.place.country is None:
            continue
        if max(c.start - at.end, at.start - c.end) <= NEARBY:
            if c.place.country == country:
                local += 1
            else:
                abroad += 1
    return local, abroad


def _local(places: Sequence[Place], country: str) -> Place | None:
    return next((p for p in places if p.kind == "city" and p.country == country), None)


def settle_story_country(text: str, candidates: Sequence[SharedName], dateline_country: str | None) -> None:
    """Move city candidates (in text order) to the same-named city of the story's country (see the
    module docs). Runs after the types are settled: which city a name means says nothing of whether
    the tagger's `Valencia` is the club."""
    shared = [
        (i, c.options)
        for i, c in enumerate(candidates)
        # the gazetteer's own choice of a city, its name shared abroad
        if len(c.options) > 1 and c.place is c.options[0] and c.place.kind == "city"
    ]
    if not shared:
        return  # the common case: no name shared across countries
    country = dateline_country or most_named_country(candidates)
    movable = {  # names that could still move to the story's country
        i
        for i, options in shared
        if country is not None and options[0].country != country and _local(options, country) is not None
    }
    for i, options in shared:
        candidate, current = candidates[i], options[0]
        qualifier = _qualifier(text, candidates, i)
        local = _local(options, qualifier.country) if qualifier is not None and qualifier.country else None
        if local is not None:
            candidate.place = local
            continue
        if country is None or country == current.country:
            continue
        local = _local(options, country)
        if local is None:
            continue
        at_home, abroad = _around(candidates, candidate, country, movable)
        if abroad > at_home:
            continue
        explicit = dateline_country is not None or _named_nearby(text, candidates, candidate, country)
        if not explicit and current.major and not local.major:
            continue
        ratio = (EXPLICIT_RATIO if at_home else EXPLICIT_ALONE_RATIO) if explicit else IMPLICIT_RATIO
        if local.population * ratio >= current.population:
            candidate.place = local
