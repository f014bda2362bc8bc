"""Same-named cities follow the story's country: the dateline's, else the country the story names."""

from __future__ import annotations

from newswire.enrich.gazetteer import gazetteer
from newswire.enrich.regions import PlaceCandidate
from newswire.enrich.registry import Document
from newswire.enrich.stages.dateline import resolve_dateline
from newswire.enrich.stages.entities import find_entities, link, tag
from newswire.enrich.story_country import most_named_country
from newswire.events.extension import DatelineInfo, Entity, LanguageInfo

VALENCIA_ES, VALENCIA_VE = "https://sws.geonames.org/2509954/", "https://sws.geonames.org/3625549/"
CORDOBA_AR, CORDOBA_ES = "https://sws.geonames.org/3860259/", "https://sws.geonames.org/2519240/"


def linked(text: str, language: str = "es", country: str | None = None) -> dict[str, Entity]:
    """Each place mention's text (the last wins) -> its entity."""
    entities = link(text, tag(text, language), language, country)
    return {m.text: e for e in entities if e.type == "place" for m in e.mentions}


def story(text: str, place: str, agency: str) -> list[Entity]:
    """The entities of a story as the pipeline runs it: the dateline stage, then the entities stage."""
    dateline = DatelineInfo(text=f"{place}, 3 sep ({agency})", place=place, agency=agency)
    document = Document(text=text, declared_language="es", dateline=dateline)
    found: dict[str, object] = {"language": LanguageInfo(code="es", confidence=1.0)}
    found.update(resolve_dateline(document, found))
    entities: list[Entity] = find_entities(document, found)["entities"]
    return entities


def uris_of(entities: list[Entity], mention: str) -> set[str | None]:
    return {e.uri for e in entities for m in e.mentions if m.text == mention}


def test_the_gazetteer_alone_ranks_venezuela_first() -> None:
    # the premise: without a story, the bigger Valencia wins
    assert [p.country for p in gazetteer().candidates("Valencia")][:2] == ["VE", "ES"]


def test_an_efe_story_from_valencia_keeps_valencia_in_spain() -> None:
    text = "El puerto de Valencia batió su récord de contenedores. Las navieras eligen Valencia por su posición."
    assert uris_of(story(text, "Valencia", "EFE"), "Valencia") == {VALENCIA_ES}


def test_a_story_from_caracas_keeps_valencia_in_venezuela() -> None:
    text = "El gobernador visitó Valencia para inaugurar un hospital. La obra costó millones."
    assert uris_of(story(text, "Caracas", "EFE"), "Valencia") == {VALENCIA_VE}


def test_a_story_naming_argentina_keeps_cordoba_in_argentina() -> None:
    text = "Argentina prevé una gran cosecha. Los productores de Córdoba esperan lluvias. Argentina exporta soja."
    assert linked(text)["Córdoba"].uri == CORDOBA_AR


def test_a_country_named_elsewhere_moves_a_smaller_city_but_not_a_major_one() -> None:
    # San Juan, Puerto Rico is bigger than San Juan, Argentina, but not many times bigger
    text = "Argentina vota el domingo. Los candidatos cerraron la campaña en San Juan con un acto."
    assert linked(text)["San Juan"].country == "AR"
    # Córdoba, Argentina is a major city: Spain named in another sentence is not enough ...
    assert linked("España vota el domingo. En Córdoba cerraron la campaña.")["Córdoba"].uri == CORDOBA_AR
    # ... Spain named in the same sentence is
    assert linked("En Córdoba, al sur de España, cerraron la campaña.")["Córdoba"].uri == CORDOBA_ES


def test_without_evidence_the_gazetteer_rank_stays() -> None:
    text = "El alcalde de Valencia presentó el presupuesto. En Córdoba hubo protestas."
    places = linked(text)
    assert (places["Valencia"].uri, places["Córdoba"].uri) == (VALENCIA_VE, CORDOBA_AR)
    # two countries named as often: no story country either
    tied = linked("España y Venezuela firmaron un acuerdo. El alcalde de Valencia lo celebró.")
    assert tied["Valencia"].uri == VALENCIA_VE


def test_a_qualifier_after_the_name_wins_over_the_story_country() -> None:
    assert linked("Los vecinos de Valencia (Venezuela) protestan.", country="ES")["Valencia"].uri == VALENCIA_VE
    assert linked("A fair opened in Paris, Texas, on Monday.", "en")["Paris"].country == "US"


def test_a_world_city_stays_against_a_small_namesake_at_home() -> None:
    assert linked("The senator flew to Paris on Monday.", "en", country="US")["Paris"].country == "FR"
    # Dublin, Ireland is some 20 times Dublin, California: alone it stays, beside a place at home it moves
    assert linked("The plant in Dublin hires 200 workers.", "en", country="US")["Dublin"].country == "IE"
    assert linked("The plant in Dublin, near Columbus, hires workers.", "en", country="US")["Dublin"].country == "US"


def test_a_dateline_country_does_not_move_names_among_places_abroad() -> None:
    # a world weather table sent from the United States: its Dublin is Ireland's
    text = "Highs abroad: Dublin 12 cloudy; Tokyo 20 sunny; Bangkok 31 rain; Nairobi 24 clear."
    assert linked(text, "en", country="US")["Dublin"].country == "IE"
    # a Spanish forecast: Guadalajara beside its region is Spain's, though Guadalajara, Mexico is far bigger
    text = "En Castilla-La Mancha, cielos despejados en Guadalajara y Ciudad Real."
    assert linked(text, country="ES")["Guadalajara"].country == "ES"
    assert linked(text)["Guadalajara"].country == "MX"


def test_countries_are_never_moved() -> None:
    # Georgia the country, in a story from the United States, stays the country (regions decide otherwise)
    assert linked("Georgia firmó un acuerdo comercial con la Unión Europea.", country="US")["Georgia"].country == "GE"


def test_most_named_country_needs_a_single_leader() -> None:
    class At:
        def __init__(self, name: str) -> None:
            self.start = self.end = 0
            self.place = gazetteer().lookup(name)

    def named(*names: str) -> str | None:
        found: list[PlaceCandidate] = [At(name) for name in names]
        return most_named_country(found)

    assert named("Argentina", "Córdoba", "Argentina", "Chile") == "AR"
    assert named("Chile", "Argentina") is None
    assert named("Córdoba") is None
