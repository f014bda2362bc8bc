"""First-level regions: built from GeoNames admin1 codes, linked by context (city versus region)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from newswire.enrich.build_gazetteer import ADMIN1, read_admin1, region_core
from newswire.enrich.gazetteer import gazetteer, lookup
from newswire.enrich.regions import region_cue
from newswire.enrich.stages.dateline import resolve
from newswire.enrich.stages.entities import link, tag
from newswire.events.extension import Entity

KURSK_CITY, KURSK_OBLAST = "538560", "538555"


def places(text: str, language: str) -> list[Entity]:
    return [e for e in link(text, tag(text, language), language) if e.type == "place"]


def place_of(entities: list[Entity], mention: str, nth: int = 0) -> Entity:
    """The place whose mentions include the `nth` occurrence (in the text order of mentions) of `mention`."""
    found = sorted(
        ((m.start, e) for e in entities for m in e.mentions if m.text == mention),
        key=lambda pair: pair[0] if pair[0] is not None else -1,
    )
    return found[nth][1]


def test_the_admin1_source_is_verbatim_geonames_lines() -> None:
    rows = read_admin1()
    assert Path(ADMIN1).read_text(encoding="utf-8").count("\n") == len(rows)
    ids = [row[4] for row in rows]
    assert len(ids) == len(set(ids)), "no GeoNames id twice"
    per_country = Counter(row[0] for row in rows)
    # whole countries were taken: 17 + Ceuta and Melilla; 50 states + D.C.; 83 Russian subjects
    assert (per_country["ES"], per_country["US"], per_country["RU"], per_country["UA"]) == (19, 51, 83, 27)
    assert ("RU", "41", "Kursk Oblast", "Kursk Oblast", KURSK_OBLAST) in rows


def test_region_core_drops_the_kind_geonames_writes() -> None:
    assert region_core("Kursk Oblast") == "Kursk"
    assert region_core("Krasnodar Krai") == "Krasnodar"
    assert region_core("Region of Magallanes") == "Magallanes"
    assert region_core("Catalonia") == "Catalonia"


def test_bare_shared_name_is_the_city_and_the_region_has_its_own_names() -> None:
    city = lookup("Kursk")
    assert city is not None and (city.geonames, city.kind) == (KURSK_CITY, "city")
    region = lookup("Kursk Oblast")
    assert region is not None and (region.geonames, region.kind, region.country) == (KURSK_OBLAST, "admin", "RU")
    assert gazetteer().region_named_after(city) == region
    # a centre from the region's cities, near Kursk
    assert region.lat == pytest.approx(51.7, abs=1.0) and region.lon == pytest.approx(36.2, abs=1.5)


@pytest.mark.parametrize(
    ("name", "geonames"),
    [
        ("Comunidad Valenciana", "2593113"),
        ("Comunitat Valenciana", "2593113"),
        ("Cataluña", "3336901"),
        ("Catalunya", "3336901"),
        ("Catalonia", "3336901"),
        ("Euskadi", "3336903"),
        ("País Vasco", "3336903"),
        ("Castilla y León", "3336900"),
        ("Región de Murcia", "2513413"),
        ("Comunidad de Madrid", "3117732"),
        ("Carolina del Norte", "4482348"),
        ("Luisiana", "4331987"),
        ("Texas", "4736286"),
    ],
)
def test_region_names_in_other_languages(name: str, geonames: str) -> None:
    place = lookup(name)
    assert place is not None and (place.geonames, place.kind) == (geonames, "admin")


@pytest.mark.parametrize("name", ["Madrid", "Murcia", "Valencia", "New York", "Kursk", "Washington"])
def test_a_city_keeps_its_name_over_its_region(name: str) -> None:
    place = lookup(name)
    assert place is not None and place.kind == "city"


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("en la región de Kursk", True),
        ("en la región rusa de Kursk", True),
        ("en el óblast de Kursk", True),
        ("the state of New York", True),
        ("im Gebiet Kursk", True),
        ("dans la région de Koursk", True),
        ("the Kursk region", True),
        ("in Kursk on Monday", False),
        ("la provincia de Kursk", False),
    ],
)
def test_region_cue(text: str, hit: bool) -> None:
    name = next(w for w in ("Kursk", "Koursk", "New York") if w in text)
    start = text.index(name)
    assert region_cue(text, start, start + len(name)) is hit


def test_kursk_city_versus_kursk_region_in_spanish() -> None:
    found = places("Las tropas entraron en la región de Kursk, y en la ciudad de Kursk sonaron las sirenas.", "es")
    assert place_of(found, "Kursk", 0).uri == f"https://sws.geonames.org/{KURSK_OBLAST}/"
    assert place_of(found, "Kursk", 0).country == "RU"
    assert place_of(found, "Kursk", 1).uri == f"https://sws.geonames.org/{KURSK_CITY}/"


def test_kursk_city_versus_kursk_region_in_english() -> None:
    found = places("Troops pushed into the Kursk region on Tuesday, officials in Kursk said.", "en")
    assert place_of(found, "Kursk", 0).name == "Kursk Oblast"
    assert place_of(found, "Kursk", 1).name == "Kursk"


def test_spanish_communities_and_a_us_state_in_spanish() -> None:
    found = places(
        "Las lluvias afectaron a la Comunidad Valenciana y a Cataluña; el gobernador de Carolina del Norte habló.", "es"
    )
    by_mention = {m.text: e for e in found for m in e.mentions}
    assert by_mention["Comunidad Valenciana"].uri == "https://sws.geonames.org/2593113/"
    assert by_mention["Cataluña"].name == "Catalonia" and by_mention["Cataluña"].country == "ES"
    assert (
        by_mention["Carolina del Norte"].name == "North Carolina" and by_mention["Carolina del Norte"].country == "US"
    )


def test_georgia_is_the_state_near_us_places_and_the_country_otherwise() -> None:
    state = places("Voters in Georgia lined up in Atlanta as polls opened across the U.S. state.", "en")
    assert place_of(state, "Georgia").uri == "https://sws.geonames.org/4197000/"
    assert place_of(state, "Georgia").country == "US"
    country = places("Georgia and Armenia held talks in Tbilisi on Monday.", "en")
    assert place_of(country, "Georgia").country == "GE"
    named = places("Estados Unidos y la Unión Europea criticaron a Georgia por la nueva ley.", "es")
    assert place_of(named, "Georgia").country == "GE"
    beside = places("Una tormenta azotó Georgia (EE.UU.) el lunes.", "es")
    assert place_of(beside, "Georgia").country == "US"


def test_valencia_dateline_of_efe_stays_the_spanish_city() -> None:
    place = resolve("Valencia", "EFE")
    assert place is not None and (place.geonames, place.kind, place.country) == ("2509954", "city", "ES")


def test_ukrainian_oblasts_by_their_spanish_city_names() -> None:
    found = places(
        "Rusia atacó la región ucraniana de Zaporiyia y la región de Járkov, pero no la ciudad de Járkov.", "es"
    )
    assert place_of(found, "Zaporiyia").uri == "https://sws.geonames.org/687699/"
    assert place_of(found, "Járkov", 0).uri == "https://sws.geonames.org/706482/"  # Kharkiv Oblast
    assert place_of(found, "Járkov", 1).uri == "https://sws.geonames.org/706483/"  # the city
