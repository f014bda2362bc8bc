"""Gazetteer lookups in any language and the dateline stage."""

from __future__ import annotations

from datetime import date

import pytest

from newswire.enrich.gazetteer import gazetteer, lookup
from newswire.enrich.registry import Document
from newswire.enrich.stages.dateline import resolve, resolve_dateline
from newswire.events.extension import DatelineInfo
from newswire.pipeline import Pipeline, RawMessage


@pytest.mark.parametrize("name", ["Pekín", "Beijing", "Pékin", "Peking", "PEKIN", "pekin", "Pequim", "Pechino"])
def test_beijing_in_any_language_case_or_accents(name: str) -> None:
    place = lookup(name)
    assert place is not None
    assert (place.geonames, place.country, place.name) == ("1816670", "CN", "Beijing")
    assert place.lat == pytest.approx(39.9, abs=0.2) and place.lon == pytest.approx(116.4, abs=0.2)


@pytest.mark.parametrize("name", ["Rusia", "Russia", "Russland", "Russie", "Federación Rusa", "Rússia"])
def test_country_names_come_from_data_in_many_languages(name: str) -> None:
    place = lookup(name)
    assert place is not None and (place.geonames, place.country, place.kind) == ("2017370", "RU", "country")


@pytest.mark.parametrize(
    "name",
    [
        "Corea del Norte",
        "North Korea",
        "Nordkorea",
        "Corée du Nord",
        "Reino Ermitaño",
        "República Popular Democrática de Corea",
        "Democratic People's Republic of Korea",
    ],
)
def test_north_korea_its_official_name_and_nickname(name: str) -> None:
    place = lookup(name)
    assert place is not None and (place.geonames, place.country) == ("1873107", "KP")


def test_countries_and_continents_are_many_not_a_hand_list() -> None:
    places = gazetteer()
    countries = [
        ("Alemania", "DE"), ("Allemagne", "DE"), ("Estados Unidos", "US"), ("Sudáfrica", "ZA"),
        ("Nueva Zelanda", "NZ"), ("Côte d'Ivoire", "CI"), ("Marruecos", "MA"), ("Birmania", "MM"),
    ]  # fmt: skip
    for name, iso in countries:
        place = places.lookup(name)
        assert place is not None and place.country == iso and place.kind == "country", name
    for name, geonames in [("Europa", "6255148"), ("África", "6255146"), ("Asia", "6255147"), ("Afrique", "6255146")]:
        place = places.lookup(name)
        assert place is not None and (place.kind, place.geonames) == ("continent", geonames)


def test_kursk_is_the_city_and_the_pacific_is_the_ocean() -> None:
    kursk = lookup("Kursk")
    assert kursk is not None and (kursk.geonames, kursk.country, kursk.kind) == ("538560", "RU", "city")
    for name in ("el Pacífico", "Pacífico", "Pacific Ocean", "the Pacific", "océan Pacifique", "Pazifik"):
        ocean = lookup(name)
        assert ocean is not None and ocean.name == "Pacific Ocean" and ocean.kind == "ocean", name
        assert ocean.lat is not None and ocean.lon is not None


def test_cities_in_other_languages_and_metonyms() -> None:
    assert lookup("Londres") is not None and lookup("Londres").geonames == "2643743"  # type: ignore[union-attr]
    assert lookup("Moskau") is not None and lookup("Moskau").geonames == "524901"  # type: ignore[union-attr]
    assert lookup("Nueva York") is not None and lookup("Nueva York").country == "US"  # type: ignore[union-attr]
    assert lookup("el Kremlin") is not None and lookup("el Kremlin").geonames == "524901"  # type: ignore[union-attr]
    assert lookup("Granada") is not None and lookup("Granada").country == "ES"  # type: ignore[union-attr]
    assert lookup("Xyzzyville") is None
    assert lookup("") is None


def test_dateline_qualifiers_resolve_to_the_first_known_place() -> None:
    assert resolve("Kiev (Ucrania)") is not None and resolve("Kiev (Ucrania)").country == "UA"  # type: ignore[union-attr]
    assert resolve("WASHINGTON") is not None and resolve("WASHINGTON").geonames == "4140963"  # type: ignore[union-attr]
    assert resolve("Nowhere-on-Sea") is None


def test_dateline_stage_adds_the_place_ref() -> None:
    dateline = DatelineInfo(text="Pekín, 3 sep (EFE).-", place="Pekín", date="2025-09-03", agency="EFE")
    document = Document(text="Texto.", dateline=dateline, reference_date=date(2025, 9, 3))
    found = resolve_dateline(document, {})
    ref = found["dateline"].place_ref
    assert (ref.geonames, ref.country) == ("1816670", "CN")
    assert found["dateline"].text == dateline.text and found["dateline"].date == "2025-09-03"
    assert resolve_dateline(Document(text="x"), {}) == {}
    unknown = DatelineInfo(text="Xyzzy, 1 jan (AP) -", place="Xyzzy")
    assert resolve_dateline(Document(text="x", dateline=unknown), {}) == {}


def test_seed_story_is_located_in_beijing(seed_bytes: bytes) -> None:
    from newswire.enrich.registry import Stage

    outcome = Pipeline(enrichers=(Stage("dateline", resolve_dateline, "dateline"),)).process(
        RawMessage(value=seed_bytes)
    )
    story = outcome.stories[0]  # type: ignore[union-attr]
    dateline = story.newswire.dateline
    assert dateline is not None
    ref = dateline.place_ref
    assert ref is not None and (ref.geonames, ref.country) == ("1816670", "CN")
    located = story.places[0]
    assert located.rel == "located" and located.uri == "https://sws.geonames.org/1816670/"
    assert located.geojson is not None and located.geojson.coordinates[1] == pytest.approx(39.9, abs=0.2)


def test_agency_home_country_breaks_ties_between_same_named_cities() -> None:
    spain = resolve("Valencia", "EFE")
    assert spain is not None and spain.country == "ES"
    assert resolve("Valencia", "Agencia EFE, S.A.").country == "ES"  # type: ignore[union-attr]
    # Without an agency, or with one that has no home, the most prominent city stays.
    assert resolve("Valencia").country == "VE"  # type: ignore[union-attr]
    assert resolve("Valencia", "Reuters").country == "VE"  # type: ignore[union-attr]


def test_a_named_country_beats_the_agency_home() -> None:
    assert resolve("Valencia (Venezuela)", "EFE").country == "VE"  # type: ignore[union-attr]
    assert resolve("VALENCIA, Venezuela", "AP").country == "VE"  # type: ignore[union-attr]
    # A country alone is still the country, not a city that bears its name.
    assert resolve("Panamá", "EFE").kind == "country"  # type: ignore[union-attr]


def test_a_much_bigger_city_abroad_beats_the_agency_home() -> None:
    # Santiago de Chile dwarfs any Spanish Santiago; Paris, France is no US town for AP.
    assert resolve("Santiago", "EFE").country == "CL"  # type: ignore[union-attr]
    assert resolve("Paris", "AP").country == "FR"  # type: ignore[union-attr]


def test_dateline_stage_uses_the_dateline_agency() -> None:
    dateline = DatelineInfo(text="Valencia, 3 sep (EFE).-", place="Valencia", date="2025-09-03", agency="EFE")
    found = resolve_dateline(Document(text="Texto inventado.", dateline=dateline), {})
    assert found["dateline"].place_ref.country == "ES"
    other = dateline.model_copy(update={"agency": None})
    assert resolve_dateline(Document(text="Texto inventado.", dateline=other), {})["dateline"].place_ref.country == "VE"


def test_dateline_stage_reads_the_bracketed_country_parsing_kept_out_of_the_place() -> None:
    # `La Paz (México), 12 jun (EFE)`: the place is `La Paz`, the bracket says which one (not Bolivia's,
    # the bigger, nor one in the agency's home country)
    dateline = DatelineInfo(text="La Paz (México), 12 jun (EFE).-", place="La Paz", date="2026-06-12", agency="EFE")
    found = resolve_dateline(Document(text="Texto inventado.", dateline=dateline), {})
    assert found["dateline"].place_ref.country == "MX"
    bare = dateline.model_copy(update={"text": "La Paz, 12 jun (EFE).-"})
    assert resolve_dateline(Document(text="Texto inventado.", dateline=bare), {})["dateline"].place_ref.country == "BO"
