"""IPTC Media Topics: the label-and-cue scorer, agency codes, names in the story's language."""

from __future__ import annotations

from datetime import date

import pytest

from newswire.enrich.registry import Document
from newswire.enrich.stages.subjects import agency_topics, find_subjects, model, subjects
from newswire.events.extension import LanguageInfo
from newswire.events.ninjs import Subject
from newswire.pipeline import Pipeline, RawMessage
from newswire.wire.model import SubjectCode

URI = "http://cv.iptc.org/newscodes/mediatopic/"


def codes(found: list[Subject]) -> list[str]:
    return [s.uri.rsplit("/", 1)[-1] for s in found if s.uri]


def check_shape(found: list[Subject]) -> None:
    assert 1 <= len(found) <= 5
    for subject in found:
        assert subject.uri and subject.uri.startswith(URI)
        assert subject.creator == "machine" and subject.name
        assert subject.relevance is not None and 0 <= subject.relevance <= 100
        assert subject.confidence is not None and 0 <= subject.confidence <= 100
    assert found[0].relevance == 100
    assert [s.relevance for s in found] == sorted((s.relevance or 0 for s in found), reverse=True)


def test_seed_is_politics_and_conflict(seed_bytes: bytes) -> None:
    story = Pipeline(enrichers=()).process(RawMessage(value=seed_bytes)).stories[0]  # type: ignore[union-attr]
    document = Document(text=story.bodies[0].value, headline=story.headlines[0].value, reference_date=date(2025, 9, 3))
    found = find_subjects(document, {"language": LanguageInfo(code="es", confidence=1.0)})["subjects"]
    check_shape(found)
    top = codes(found)
    assert "16000000" in top
    assert "11000000" in top or "20000638" in top
    assert set(top[:3]) <= {"16000000", "11000000", "20000638", "20000056", "20000062", "20000639"}
    names = {code: s.name for code, s in zip(top, found, strict=True)}
    assert names["16000000"] == "Conflictos, guerra y paz"  # the Spanish label of the 2015 vocabulary


def test_english_sport() -> None:
    text = (
        "Real Madrid beat Barcelona 3-1 in the league on Sunday. The coach praised his players after the match, "
        "and the team now leads the championship by four points. Two goals came in the second half."
    )
    found = subjects(Document(text=text, headline="Madrid win the league match"), "en")
    check_shape(found)
    assert codes(found)[0] == "15000000" and found[0].name == "sport"


def test_german_weather_named_in_german() -> None:
    text = (
        "Der Deutsche Wetterdienst warnt vor Sturm und Starkregen. Die Temperaturen fallen am Wochenende, "
        "in den Alpen wird Schnee erwartet. Das Unwetter soll bis Montag anhalten."
    )
    found = subjects(Document(text=text, headline="Unwetter: Sturm und Regen erwartet"), "de")
    check_shape(found)
    assert codes(found)[0] == "17000000"
    assert found[0].name == model()["topics"]["17000000"]["names"]["de"]


def test_french_economy() -> None:
    text = (
        "L'inflation a ralenti en août, selon l'Insee. Les prix de l'énergie ont baissé et la croissance "
        "de l'économie française reste faible. La Banque centrale européenne surveille les marchés."
    )
    found = subjects(Document(text=text, headline="L'inflation ralentit, la croissance reste faible"), "fr")
    check_shape(found)
    assert "04000000" in codes(found)[:2]
    assert found[codes(found).index("04000000")].name == model()["topics"]["04000000"]["names"]["fr"]


def test_spanish_crime() -> None:
    text = "La policía detuvo ayer a dos hombres acusados del robo. El juez decretó prisión provisional para ambos."
    found = subjects(Document(text=text, headline="Detenidos dos hombres por un robo"), "es")
    assert codes(found)[0] == "02000000"


def test_agency_codes_map_onto_media_topics() -> None:
    document = Document(
        text="Texto sin pistas.",
        subjects=(SubjectCode("subj", "11002002", "diplomacy"), SubjectCode("medtop", "medtop:15000000")),
    )
    assert agency_topics(document) == ["20000638", "15000000"]
    found = subjects(document, "es")
    top = {code: s for code, s in zip(codes(found), found, strict=True)}
    assert {"20000638", "15000000"} <= set(top)
    assert top["15000000"].confidence == 95 and top["20000638"].name == "Relaciones internacionales"


def test_subject_code_mapping_comes_from_the_vocabulary() -> None:
    mapping = model()["subjectcode"]
    assert mapping["15000000"] == "15000000" and mapping["16000000"] == "16000000"
    assert len(mapping) > 500


def test_language_without_vocabulary_falls_back_to_english() -> None:
    found = subjects(Document(text="The election campaign and the parliament vote.", headline=""), "sv")
    assert found and found[0].name == model()["topics"][codes(found)[0]]["names"]["en"]


def test_empty_text_has_no_subjects() -> None:
    assert subjects(Document(text=""), "es") == []


@pytest.mark.parametrize("language", ["es", "en", "fr", "de", "pt", "it"])
def test_every_language_scores_something(language: str) -> None:
    samples = {
        "es": "El presidente del Gobierno y el ministro negociaron en el Parlamento.",
        "en": "The president and the minister negotiated in parliament.",
        "fr": "Le président et le ministre ont négocié au parlement.",
        "de": "Der Präsident und der Minister verhandelten im Parlament.",
        "pt": "O presidente e o ministro negociaram no parlamento.",
        "it": "Il presidente e il ministro hanno negoziato in parlamento.",
    }
    found = subjects(Document(text=samples[language]), language)
    assert "11000000" in codes(found)
