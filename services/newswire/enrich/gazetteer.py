"""Place lookup by name in any language, case or accents: `Pekín`, `Peking`, `BEIJING` → one place.

The data is `data/gazetteer.json.gz` (GeoNames cities > 15000, countries, continents, first-level
regions such as US states, Spanish autonomous communities and Russian oblasts; country and continent
names in many languages from CLDR and iso-codes; built by
`build_gazetteer.py`) plus the hand-written `data/aliases.jsonl` (nicknames such as `Reino
Ermitaño`, metonyms such as `el Kremlin`, and oceans, seas and regions), loaded once per
process on first use. A name several places share resolves to the most prominent:
countries, then continents, oceans and seas, big cities, US states, other cities by size, then
other countries' first-level regions.

A bare name that is both a city and its region (`Kursk`, `Murcia`, `New York`) is the city (Kursk,
GeoNames 538560); `region_named_after` gives the region (Kursk Oblast, 538555) for the entities stage
to take when the text says region (`región de Kursk`, `the state of New York`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, NamedTuple

from newswire.enrich.lexical import (
    ARTICLES,
    Word,
    fold,
    load_json,
    load_jsonl,
    longest_match,
    name_keys,
)
from newswire.events.extension import PlaceRef

GEONAMES_URI = "https://sws.geonames.org/{}/"
MAJOR_KINDS = frozenset({"country", "continent", "ocean", "sea", "region"})


@dataclass(frozen=True)
class Place:
    name: str  # canonical English name
    kind: str  # country | continent | ocean | sea | region (named, from aliases) | admin (first-level) | city
    geonames: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    population: int = 0

    @property
    def uri(self) -> str | None:
        return GEONAMES_URI.format(self.geonames) if self.geonames else None

    @property
    def major(self) -> bool:
        """Countries, continents, seas, named regions and cities of a million people or more."""
        return self.kind in MAJOR_KINDS or self.population >= 1_000_000

    def ref(self) -> PlaceRef:
        return PlaceRef(geonames=self.geonames, country=self.country, lat=self.lat, lon=self.lon)


class PlaceMatch(NamedTuple):  # a NamedTuple: made ~35 times a story, a frozen dataclass's init costs 3x
    start: int  # word index
    words: int
    places: tuple[Place, ...]  # best first


class Gazetteer:
    """Rows as stored (`[geonames, name, country, lat, lon, kind, population]`), an index from
    folded names to row numbers (best first), and `Place` objects made on first use."""

    def __init__(
        self,
        rows: list[list[Any]],
        index: dict[str, list[int]],
        longest: dict[str, int],
        namesakes: dict[str, str] | None = None,
    ) -> None:
        self.rows = rows
        self.index = index
        self.longest = longest
        self._places: dict[int, Place] = {}
        self._by_id = {row[0]: i for i, row in enumerate(rows) if row[0]}
        # city GeoNames id -> row of the first-level region named after it (`Kursk` -> Kursk Oblast)
        self.namesakes = {
            city: self._by_id[region] for city, region in (namesakes or {}).items() if region in self._by_id
        }
        # Lowercase words that open a name in running text (`mar Negro`, `golfo Pérsico`, `océano Índico`).
        self.lowercase_starts: frozenset[str] = frozenset()

    def place(self, row: int) -> Place:
        found = self._places.get(row)
        if found is None:
            geonames, name, country, lat, lon, kind, population = self.rows[row]
            found = Place(name, kind, geonames, country, lat, lon, int(population or 0))
            self._places[row] = found
        return found

    def candidates(self, name: str) -> tuple[Place, ...]:
        """Every place called `name` (best first); a leading article is optional (`el Pacífico`)."""
        for key in name_keys(name):
            rows = self.index.get(key)
            if rows:
                return tuple(self.place(row) for row in rows)
        return ()

    def lookup(self, name: str) -> Place | None:
        found = self.candidates(name)
        return found[0] if found else None

    def region_named_after(self, place: Place) -> Place | None:
        """The first-level region a city gives its name to (`Kursk` -> Kursk Oblast), or None."""
        row = self.namesakes.get(place.geonames or "") if place.kind == "city" else None
        return self.place(row) if row is not None else None

    def match(self, text: str, words: list[Word], i: int) -> PlaceMatch | None:
        """The longest place name starting at word `i` of `text`."""
        hit = longest_match(text, words, i, self.index, self.longest)
        if hit is None:
            return None
        return PlaceMatch(i, hit[0], tuple(map(self.place, hit[1])))


def _load() -> Gazetteer:
    data = load_json("gazetteer.json.gz")
    rows: list[list[Any]] = data["places"]
    index: dict[str, list[int]] = data["index"]
    longest: dict[str, int] = data["longest"]
    by_id = {row[0]: i for i, row in enumerate(rows) if row[0]}
    # a region named after a city keeps its bare name out of the index (`Valencia` is the city)
    named_after_city = {by_id[region] for region in data.get("namesakes", {}).values() if region in by_id}
    lowercase: set[str] = set()
    for record in load_jsonl("aliases.jsonl"):
        if "name" in record:
            rows.append(
                [
                    record.get("geonames"),
                    record["name"],
                    record.get("country"),
                    record.get("lat"),
                    record.get("lon"),
                    record.get("kind", "region"),
                    0,
                ]
            )
            row = len(rows) - 1
        elif str(record["geonames"]) in by_id:
            row = by_id[str(record["geonames"])]
        else:
            continue
        own = [] if row in named_after_city else [rows[row][1]]
        for name in [*own, *record.get("names", [])]:
            if name[:1].islower() and (head := fold(name).split(" ")[0]) not in ARTICLES:
                lowercase.add(head)
            for key in name_keys(name):
                index[key] = [row, *(r for r in index.get(key, ()) if r != row)]
                head, size = key.split(" ")[0], key.count(" ") + 1
                longest[head] = max(longest.get(head, 0), size)
    loaded = Gazetteer(rows, index, longest, data.get("namesakes"))
    loaded.lowercase_starts = frozenset(lowercase)
    return loaded


_lock = threading.Lock()
_loaded: list[Gazetteer] = []


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    if not _loaded:
        with _lock:
            if not _loaded:
                _loaded.append(_load())
    return _loaded[0]


def lookup(name: str) -> Place | None:
    """The best place for `name` in any language, case or accents, or None."""
    return gazetteer().lookup(name)
