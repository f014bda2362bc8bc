"""The entities stage: NER merged with the KB and the gazetteer, short mentions, offsets, junk."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from newswire.enrich import kb
from newswire.enrich.registry import Document
from newswire.enrich.stages.entities import Span, find_entities, link, tagging_language
from newswire.events.extension import DatelineInfo, Entity, LanguageInfo
from newswire.pipeline import Pipeline, RawMessage

WIKIDATA = "http://www.wikidata.org/entity/"


def seed_document(seed_bytes: bytes) -> Document:
    """The seed story as the enrichment stages see it (parsed by the real pipeline, no enrichers)."""
    story = Pipeline(enrichers=()).process(RawMessage(value=seed_bytes)).stories[0]  # type: ignore[union-attr]
    dateline = story.newswire.dateline
    return Document(
        text=story.bodies[0].value,
        headline=story.headlines[0].value,
        declared_language=story.language,
        dateline=dateline,
        reference_date=date.fromisoformat(dateline.date) if dateline and dateline.date else None,
    )


def by_uri(entities: list[Entity]) -> dict[str, Entity]:
    return {e.uri: e for e in entities if e.uri}


def by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def assert_offsets(text: str, entities: list[Entity]) -> None:
    for entity in entities:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text, (entity.name, mention)


@pytest.fixture(scope="module")
def seed(seed_bytes: bytes) -> tuple[Document, list[Entity]]:
    document = seed_document(seed_bytes)
    found = find_entities(document, {"language": LanguageInfo(code="es", confidence=1.0)})
    return document, found["entities"]


def test_seed_people(seed: tuple[Document, list[Entity]]) -> None:
    _, entities = seed
    people = {e.name: e for e in entities if e.type == "person"}
    assert people["Vladímir Putin"].uri == WIKIDATA + "Q7747"
    assert people["Kim Jong-un"].uri == WIKIDATA + "Q56226"
    assert people["Xi Jinping"].uri == WIKIDATA + "Q15031"
    assert "Serguéi Lavrov" in people
    assert people["Vladímir Putin"].country == "RU" and people["Kim Jong-un"].country == "KP"
    # short mentions and KB descriptions link to the person named in full
    putin = [m.text for m in people["Vladímir Putin"].mentions]
    assert putin.count("Putin") >= 3 and "jefe del Kremlin" in putin
    assert [m.text for m in people["Kim Jong-un"].mentions].count("Kim") >= 4
    assert set(people) == {"Vladímir Putin", "Kim Jong-un", "Xi Jinping", "Serguéi Lavrov"}


def test_seed_places(seed: tuple[Document, list[Entity]]) -> None:
    _, entities = seed
    places = {e.uri: e for e in entities if e.type == "place"}
    beijing = places["https://sws.geonames.org/1816670/"]
    assert beijing.name == "Beijing" and beijing.country == "CN"
    assert beijing.lat == pytest.approx(39.9, abs=0.2) and beijing.lon == pytest.approx(116.4, abs=0.2)
    assert [m.text for m in beijing.mentions] == ["Pekín"]
    russia = places["https://sws.geonames.org/2017370/"]
    assert russia.country == "RU" and len(russia.mentions) == 4
    # `la región de Kursk`: the region (Kursk Oblast), not the city of Kursk (538560)
    assert places["https://sws.geonames.org/538555/"].name == "Kursk Oblast"
    korea = places["https://sws.geonames.org/1873107/"]
    assert korea.country == "KP"
    assert {"Reino Ermitaño", "Corea del Norte"} <= {m.text for m in korea.mentions}
    pacific = places["https://sws.geonames.org/2363254/"]
    assert pacific.name == "Pacific Ocean" and pacific.lat is not None


def test_seed_organisations(seed: tuple[Document, list[Entity]]) -> None:
    _, entities = seed
    organisations = {e.name for e in entities if e.type == "organisation"}
    assert {"Interfax", "Yonhap", "EFE"} <= organisations


def test_seed_offsets_and_no_junk(seed: tuple[Document, list[Entity]]) -> None:
    document, entities = seed
    assert_offsets(document.text, entities)
    mentioned = {m.text for e in entities for m in e.mentions}
    assert not mentioned & {"Destacó", "Haremos", "Si", "La reunión", "Ejército", "Exteriores", "Kremlin"}
    for entity in entities:
        assert 0.0 <= entity.confidence <= 1.0
        for mention in entity.mentions:
            assert " " in mention.text or any(ch.isupper() for ch in mention.text)


def test_seed_through_the_pipeline_fills_ninjs(seed_bytes: bytes) -> None:
    from newswire.enrich.registry import Stage

    pipeline = Pipeline(enrichers=(Stage("entities", find_entities, "entities"),))
    story = pipeline.process(RawMessage(value=seed_bytes)).stories[0]  # type: ignore[union-attr]
    assert WIKIDATA + "Q7747" in {p.uri for p in story.people}
    assert "Interfax" in {o.name for o in story.organisations}
    beijing = [p for p in story.places if p.uri == "https://sws.geonames.org/1816670/" and p.rel == "mentioned"]
    assert beijing and beijing[0].geojson is not None


def _span(text: str, part: str, label: str, confidence: float = 0.9, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Span(start, start + len(part), label, part, confidence)


def test_stand_in_tagger_spanish_short_mentions_and_junk() -> None:
    text = "La ministra María Pérez visitó Bogotá. Destacó que Pérez volverá pronto. Haremos todo, dijo."
    spans = [
        _span(text, "María Pérez", "PER"),
        _span(text, "Bogotá", "LOC"),
        _span(text, "Destacó", "PER", 0.6),
        _span(text, "Pérez", "PER", 0.8, nth=1),
        _span(text, "Haremos", "PER", 0.5),
    ]
    entities = link(text, spans, "es")
    assert_offsets(text, entities)
    names = by_name(entities)
    assert [m.text for m in names["María Pérez"].mentions] == ["María Pérez", "Pérez"]
    assert names["María Pérez"].uri is None
    assert names["Bogotá"].type == "place" and names["Bogotá"].country == "CO"
    assert "Destacó" not in names and "Haremos" not in names


def test_english_with_the_real_tagger() -> None:
    text = (
        "Russian President Vladimir Putin met North Korean leader Kim Jong Un in Beijing on Wednesday, "
        "the Associated Press reported. Putin thanked Kim for his support in the Kursk region."
    )
    entities = link(text, _tag(text, "en"), "en")
    assert_offsets(text, entities)
    uris = by_uri(entities)
    # the title before the name is a KB description of the same person
    assert [m.text for m in uris[WIKIDATA + "Q7747"].mentions] == ["Russian President", "Vladimir Putin", "Putin"]
    assert [m.text for m in uris[WIKIDATA + "Q56226"].mentions] == ["North Korean leader", "Kim Jong Un", "Kim"]
    assert uris[WIKIDATA + "Q40469"].type == "organisation"
    assert uris["https://sws.geonames.org/1816670/"].name == "Beijing"
    assert uris["https://sws.geonames.org/538555/"].name == "Kursk Oblast"  # `the Kursk region`


def test_french_and_german_places_and_people() -> None:
    text = "Emmanuel Macron a reçu à Paris le président ukrainien. Macron a parlé de la Russie."
    entities = link(text, _tag(text, "fr"), "fr")
    uris = by_uri(entities)
    assert [m.text for m in uris[WIKIDATA + "Q3052772"].mentions] == ["Emmanuel Macron", "Macron"]
    assert uris["https://sws.geonames.org/2988507/"].country == "FR"
    assert uris["https://sws.geonames.org/2017370/"].mentions[0].text == "Russie"
    text = "Bundeskanzler Olaf Scholz reiste am Montag nach Moskau und traf dort Wladimir Putin."
    entities = link(text, [_span(text, "Olaf Scholz", "PER"), _span(text, "Moskau", "LOC")], "de")
    uris = by_uri(entities)
    assert uris["https://sws.geonames.org/524901/"].name == "Moscow"
    assert WIKIDATA + "Q61053" in uris and WIKIDATA + "Q7747" in uris
    assert_offsets(text, entities)


def test_descriptions_link_only_when_the_story_names_the_entity() -> None:
    alone = "El jefe del Kremlin habló ayer en Moscú."
    assert WIKIDATA + "Q7747" not in by_uri(link(alone, [], "es"))
    named = "Vladímir Putin habló ayer. El jefe del Kremlin insistió."
    putin = by_uri(link(named, [], "es"))[WIKIDATA + "Q7747"]
    assert [m.text for m in putin.mentions] == ["Vladímir Putin", "jefe del Kremlin"]


def test_acronyms_match_only_in_capitals() -> None:
    entities = by_uri(link("La ONU y la OTAN se reunieron. Eu não sei.", [], "es"))
    assert WIKIDATA + "Q1065" in entities and WIKIDATA + "Q7184" in entities
    assert WIKIDATA + "Q458" not in by_uri(link("Eu não sei o que disse.", [], "pt"))


def test_dateline_agency_is_an_organisation_without_offsets() -> None:
    dateline = DatelineInfo(text="Madrid, 1 oct (EFE).-", place="Madrid", agency="EFE")
    found = find_entities(Document(text="El Gobierno aprobó la ley.", dateline=dateline), {})
    agency = [e for e in found["entities"] if e.name == "EFE"]
    assert agency and agency[0].type == "organisation" and agency[0].mentions == []


def test_user_kb_extends_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kb.jsonl"
    records = [
        {"id": "Q7747", "type": "person", "names": {"es": ["Vladímir Vladímirovich Putin"]}, "country": "RU"},
        {"id": "urn:acme:person:ana-torres", "type": "person", "names": {"es": ["Ana Torres"]},
         "aliases": {"es": ["la portavoz de Acme"]}, "country": "ES"},
        {"id": "urn:acme:org", "type": "organisation", "names": {"en": ["Acme Corp"], "es": ["Acme"]}},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    monkeypatch.setenv(kb.ENV_PATH, str(path))
    text = "Ana Torres, de Acme, se reunió con Vladímir Vladímirovich Putin. La portavoz de Acme sonrió. Torres calló."
    entities = by_uri(link(text, [], "es"))
    ana = entities["urn:acme:person:ana-torres"]
    assert [m.text for m in ana.mentions] == ["Ana Torres", "portavoz de Acme", "Torres"]
    assert entities["urn:acme:org"].type == "organisation"
    putin = entities[WIKIDATA + "Q7747"]
    assert putin.name == "Vladímir Vladímirovich Putin"
    # the override replaced the bundled record: its old names are gone
    assert kb.lookup("Vladimir Putin") is None
    assert_offsets(text, list(entities.values()))
    monkeypatch.delenv(kb.ENV_PATH)
    assert kb.lookup("Vladimir Putin") is not None and kb.lookup("Ana Torres") is None


def _tag(text: str, language: str) -> list[Span]:
    from newswire.enrich.stages.entities import tag

    return [Span(s.start, s.end, s.label, s.text, s.confidence) for s in tag(text, language)]


def test_german_capitalised_nouns_are_not_entities() -> None:
    from newswire.enrich.registry import Document
    from newswire.enrich.stages.entities import find_entities

    text = (
        "Die Deutsche Bahn kündigt neue Verbindungen zwischen Berlin und Prag an. Ab Freitag fahren mehr "
        "Fahrzeuge, sagte Vorstandsmitglied Jana Weber. Die Kosten trägt das Unternehmen."
    )
    found = find_entities(Document(text=text), {"language": {"code": "de"}})
    names = {entity.name for entity in found["entities"]}
    assert {"Deutsche Bahn", "Berlin"} <= names
    assert not names & {"Fahrzeuge", "Kosten", "Unternehmen", "Ab Freitag", "Freitag"}


# --- the merge layer keeps what the tagger is sure of (the product path scores at least the tagger) ---


def _mentions(entities: list[Entity], kind: str) -> list[str]:
    return [m.text for e in entities if e.type == kind for m in e.mentions]


def test_sure_tagger_label_on_a_town_beats_the_gazetteer() -> None:
    text = "Yesterday Newcastle beat the visitors and Reading lost again."
    sure = link(text, [_span(text, "Newcastle", "ORG", 0.95), _span(text, "Reading", "LOC", 0.9)], "en")
    assert _mentions(sure, "organisation") == ["Newcastle"]
    assert "Reading" in _mentions(sure, "place")
    unsure = link(text, [_span(text, "Newcastle", "ORG", 0.4)], "en")
    assert _mentions(unsure, "place") == ["Newcastle"]
    # a country stays a place unless the tagger is very sure
    text = "The aid will help Russia, the minister added."
    assert "Russia" in _mentions(link(text, [_span(text, "Russia", "ORG", 0.8)], "en"), "place")


def test_a_city_after_an_article_the_tagger_calls_an_organisation_is_the_club() -> None:
    text = "El técnico dijo que el Sevilla ganó en Valencia y que Sevilla celebra la victoria."
    spans = [
        _span(text, "Sevilla", "ORG", 0.5),
        _span(text, "Valencia", "ORG", 0.5),
        _span(text, "Sevilla", "ORG", 0.5, 1),
    ]
    entities = link(text, spans, "es")
    assert _mentions(entities, "organisation") == ["Sevilla"]  # `el Sevilla`: the club
    assert {"Valencia", "Sevilla"} <= set(_mentions(entities, "place"))  # no article: the cities
    # a country with an article stays a place (`el Perú`), as does a city the tagger does not call an organisation
    text = "Los turistas llegaron al Perú y luego al Cuzco."
    entities = link(text, [_span(text, "Perú", "ORG", 0.5)], "es")
    assert "Perú" in _mentions(entities, "place")


def test_a_city_in_brackets_after_a_person_the_tagger_calls_an_organisation_is_the_team() -> None:
    text = "Tarjeta amarilla a Luis Mora (Sevilla) y a los aficionados de Huelva (Sevilla)."
    spans = [
        _span(text, "Luis Mora", "PER", 0.95),
        _span(text, "Sevilla", "ORG", 0.5),
        _span(text, "Sevilla", "ORG", 0.5, 1),
    ]
    entities = link(text, spans, "es")
    assert _mentions(entities, "organisation") == ["Sevilla"]  # the player's team
    assert "Sevilla" in _mentions(entities, "place")  # after a town: the province


def test_a_bare_institution_noun_the_tagger_is_sure_of_stays_mid_sentence() -> None:
    text = "La reforma, que el Gobierno aprobó ayer, llega al Congreso. Gobierno y sindicatos callan."
    spans = [
        _span(text, "Gobierno", "ORG", 0.97),
        _span(text, "Congreso", "ORG", 0.5),
        _span(text, "Gobierno", "ORG", 0.97, 1),
    ]
    mentioned = _mentions(link(text, spans, "es"), "organisation")
    assert mentioned == ["Gobierno"]  # unsure `Congreso` and the sentence start go
    # described by a nationality after it, it is no name (`el Ejército ruso`)
    text = "Los misiles llegan al Ejército ruso desde el norte."
    assert not link(text, [_span(text, "Ejército", "ORG", 0.99)], "es")


def test_abbreviations_keep_their_period() -> None:
    text = "Ann Lee ( U.S. ) won. Shares of Acme Corp. rose."
    entities = link(text, [_span(text, "U.S.", "LOC", 0.95), _span(text, "Acme Corp.", "ORG", 0.95)], "en")
    assert_offsets(text, entities)
    assert "U.S." in _mentions(entities, "place")
    assert "Acme Corp." in _mentions(entities, "organisation")


def test_organisation_holding_a_place_stays_whole() -> None:
    text = "Monitors of the Organisation for Security and Cooperation in Europe arrived."
    name = "Organisation for Security and Cooperation in Europe"
    entities = link(text, [_span(text, name, "ORG", 0.9)], "en")
    assert _mentions(entities, "organisation") == [name]
    assert _mentions(entities, "place") == []


def test_sure_surname_opening_a_sentence_is_kept() -> None:
    text = "The match ended late. Hollins scored twice."
    assert _mentions(link(text, [_span(text, "Hollins", "PER", 0.95)], "en"), "person") == ["Hollins"]
    # unsure, with nothing after it that shows a name's place, it goes
    text = "The match ended late. Hollins scores twice."
    assert _mentions(link(text, [_span(text, "Hollins", "PER", 0.5)], "en"), "person") == []


def test_short_lowercase_words_inside_a_sure_name() -> None:
    text = "The daily Corriere della Notte said so."
    name = "Corriere della Notte"
    assert _mentions(link(text, [_span(text, name, "ORG", 0.95)], "en"), "organisation") == [name]
    text = "Prime Minister Kengo wa Dondo said so."
    assert _mentions(link(text, [_span(text, "Kengo wa Dondo", "PER", 0.95)], "en"), "person") == ["Kengo wa Dondo"]
    assert _mentions(link(text, [_span(text, "Kengo wa Dondo", "PER", 0.5)], "en"), "person") == ["Kengo"]
    # a six-letter preposition and an article inside an organisation's name the tagger is fairly sure of
    text = "La Liga contra la Pobreza Infantil pidió ayuda."
    name = "Liga contra la Pobreza Infantil"
    assert _mentions(link(text, [_span(text, name, "ORG", 0.7)], "es"), "organisation") == [name]


def test_a_surname_opening_a_spanish_sentence_stays_unless_it_ends_like_a_verb() -> None:
    text = "La reunión terminó tarde. Arrieta pidió calma. Anunció nuevas medidas."
    spans = [_span(text, "Arrieta", "PER", 0.45), _span(text, "Anunció", "PER", 0.45)]
    assert _mentions(link(text, spans, "es"), "person") == ["Arrieta"]
    # English keeps the surer bar: an unsure lone word opening a sentence goes unless a name's place
    # shows (an apposition, a bracket, a verb of saying or an auxiliary after it)
    text = "The talks ended late. Arrieta lost twice."
    assert _mentions(link(text, [_span(text, "Arrieta", "PER", 0.45)], "en"), "person") == []
    text = "The talks ended late. Arrieta asked for calm."
    assert _mentions(link(text, [_span(text, "Arrieta", "PER", 0.45)], "en"), "person") == ["Arrieta"]


def test_a_town_name_the_tagger_is_sure_names_a_thing_is_no_place() -> None:
    text = "El precio del crudo Brent subió hoy en Londres."
    entities = link(text, [_span(text, "Brent", "MISC", 0.9)], "es")
    assert "Brent" not in _mentions(entities, "place")
    assert "Brent" in _mentions(link(text, [_span(text, "Brent", "LOC", 0.9)], "es"), "place")


def test_a_short_text_is_tagged_in_its_declared_language() -> None:
    detected_french = {"language": LanguageInfo(code="fr", confidence=0.95, declared="en")}
    short = Document(text="Attendance : 2,000", declared_language="en")
    assert tagging_language(short, detected_french) == "en"
    # a long text's detected language stands: wires mislabel
    long = Document(text=" ".join(["Le conseil municipal a voté le budget."] * 6), declared_language="en")
    assert tagging_language(long, detected_french) == "fr"
    assert tagging_language(Document(text="Attendance : 2,000"), detected_french) == "fr"  # nothing declared


def test_a_big_citys_name_the_tagger_calls_a_person_before_a_reporting_verb_is_the_person() -> None:
    text = "Ayer habló el ministro. León añadió que la reforma seguirá adelante."
    assert _mentions(link(text, [_span(text, "León", "PER", 0.75)], "es"), "person") == ["León"]
    text = "Ayer habló el ministro. León crece cada año."
    assert _mentions(link(text, [_span(text, "León", "PER", 0.75)], "es"), "person") == []


def test_a_function_word_or_a_headline_word_alone_is_no_place_unless_tagged() -> None:
    # `Para` (also a Brazilian state's and a town's name) opening a sentence before a name is the preposition
    text = "Para Montero, el acuerdo llega tarde. Para llegó ayer a Lima."
    entities = link(text, [_span(text, "Montero", "PER", 0.9), _span(text, "Lima", "LOC", 0.9)], "es")
    assert "Para" not in _mentions(entities, "place")
    assert "Lima" in _mentions(entities, "place")
    # a long word in an all-capitals headline is a place only where the tagger says so
    text = "NUEVA REUNION EN VALENCIA SOBRE EL AGUA"
    assert _mentions(link(text, [], "es"), "place") == []
    tagged = link(text, [_span(text, "VALENCIA", "LOC", 0.8)], "es")
    assert _mentions(tagged, "place") == ["VALENCIA"]
    # capitals in running text still find places on their own, acronym-like short words too
    text = "Los ministros viajaron a Lima y a EEUU."
    assert {"Lima", "EEUU"} <= set(_mentions(link(text, [], "es"), "place"))


def test_initials_written_apart_keep_their_last_period() -> None:
    text = "La policía detuvo a J. R. M. en su casa. El juez citó a F. G. T., de 40 años."
    spans = [_span(text, "J. R. M.", "PER", 0.95), _span(text, "F. G. T.", "PER", 0.95)]
    entities = link(text, spans, "es")
    assert_offsets(text, entities)
    assert {"J. R. M.", "F. G. T."} <= set(_mentions(entities, "person"))
    # one capital letter alone ending a sentence keeps no period (`el grupo B.`)
    text = "Ganó el equipo del Grupo B. Después habló el técnico."
    assert "Grupo B" in _mentions(link(text, [_span(text, "Grupo B.", "ORG", 0.9)], "es"), "organisation")


def test_a_capitalised_word_after_a_colon_in_spanish_is_no_sentence_start() -> None:
    # Spanish goes on in lower case after a colon: an unsure one-word name there stays (`Goles: Cafú`)
    text = "Marcaron los goles del partido: Torró y después Bermejo."
    spans = [_span(text, "Torró", "PER", 0.5), _span(text, "Bermejo", "PER", 0.5)]
    assert _mentions(link(text, spans, "es"), "person") == ["Torró", "Bermejo"]
    # a real sentence start, or a quotation opening after the colon, still drops the verb-like word
    text = 'Los goles llegaron tarde. Torró. Dijo: "Ganaré el próximo".'
    spans = [_span(text, "Torró", "PER", 0.5), _span(text, "Ganaré", "PER", 0.5)]
    assert _mentions(link(text, spans, "es"), "person") == []


def test_unsure_surname_opening_a_sentence_stays_where_a_name_stands() -> None:
    # no common word, then an apposition, a bracket or a verb after it: the tagger's unsure PER is kept
    for text in (
        "The round ended late. Vardakis, who led early, fell back.",
        "The round ended late. Vardakis (Greece) fell back.",
        "The round ended late. Vardakis was two shots behind.",
    ):
        assert _mentions(link(text, [_span(text, "Vardakis", "PER", 0.5)], "en"), "person") == ["Vardakis"], text
    # a word the training text writes capitalised mid-sentence and never lowercase is name-like on its own
    text = "The round ended late. Edwards missed the cut."
    assert _mentions(link(text, [_span(text, "Edwards", "PER", 0.5)], "en"), "person") == ["Edwards"]
    # too unsure a label stays out even where a name could stand
    text = "The round ended late. Vardakis, who led early, fell back."
    assert _mentions(link(text, [_span(text, "Vardakis", "PER", 0.3)], "en"), "person") == []


def test_common_words_opening_a_sentence_stay_out_whatever_follows() -> None:
    # words the language writes lowercase (`Officials`, `Troops`) are no speakers even before a comma or verb
    for text, word in (
        ("The talks ended. Officials, speaking late, said more.", "Officials"),
        ("The talks ended. Troops were sent north.", "Troops"),
    ):
        assert _mentions(link(text, [_span(text, word, "PER", 0.6)], "en"), "person") == [], text


def test_a_bracket_closing_inside_a_name_is_kept() -> None:
    text = "Borac beat Mladost (L) 2-1 and Radnicki ( N ) lost."
    spans = [_span(text, "Mladost (L)", "ORG", 0.95), _span(text, "Radnicki ( N )", "ORG", 0.95)]
    entities = link(text, spans, "en")
    assert_offsets(text, entities)
    assert {"Mladost (L)", "Radnicki ( N )"} <= set(_mentions(entities, "organisation"))
    # a bracket the name did not open is no part of it
    text = "The vote went to Kessler (Austria) on Friday."
    assert _mentions(link(text, [_span(text, "Kessler (", "PER", 0.95)], "en"), "person") == ["Kessler"]


def test_a_preposition_inside_an_unsure_organisation_name() -> None:
    text = "The Union for Rural Renewal said it would appeal."
    name = "Union for Rural Renewal"
    assert _mentions(link(text, [_span(text, name, "ORG", 0.45)], "en"), "organisation") == [name]


def test_unsure_sentence_opener_written_capitalised_again_inside_a_sentence() -> None:
    text = "Vardakis lost twice. Fans of Vardakis left early."
    assert _mentions(link(text, [_span(text, "Vardakis", "PER", 0.45)], "en"), "person") == ["Vardakis"]
    # only a sentence start again, or inside another word, is no such evidence
    text = "Vardakis lost twice. Vardakis left early. Vardakisville is far."
    assert _mentions(link(text, [_span(text, "Vardakis", "PER", 0.45)], "en"), "person") == []


def test_unsure_english_sentence_opener_before_a_regular_past_tense() -> None:
    text = "The match ended late. Vardakis kicked two goals."
    assert _mentions(link(text, [_span(text, "Vardakis", "PER", 0.45)], "en"), "person") == ["Vardakis"]
    # a common word before a past tense is still no name (`Officials denied ...`)
    text = "The match ended late. Officials denied it."
    assert _mentions(link(text, [_span(text, "Officials", "PER", 0.45)], "en"), "person") == []
