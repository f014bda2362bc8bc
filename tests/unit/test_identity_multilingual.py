"""Entities in the agencies' languages and event clusters through the whole pipeline.

Fixture: tests/fixtures/identity/events/same-day.txt, invented stories (our own words) about five
events on one day: a Putin-Kim meeting in Beijing (es, en, de, fr), a North Korean missile test
naming the same leaders (en, es), an earthquake off northern Japan (en, fr, es), an earthquake in
Chile (es) and a football match (es).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from newswire.enrich.gazetteer import gazetteer
from newswire.enrich.kb import knowledge_base
from newswire.enrich.stages.entities import Span
from newswire.enrich.titles import name_start, strip_spans
from newswire.events.ninjs import NinjsStory
from newswire.identity.stage import IdentityStage
from newswire.pipeline.core import Pipeline
from newswire.pipeline.message import Accepted, RawMessage

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "identity" / "events" / "same-day.txt"
WIKIDATA = "http://www.wikidata.org/entity/"


def stripped(text: str, language: str, label: str = "PER") -> tuple[str, str]:
    span = strip_spans(text, [Span(0, len(text), label, text, 0.9)], language)[0]
    return span.text, span.label


@pytest.mark.parametrize(
    ("written", "language", "name"),
    [
        ("Kremlchef Wladimir Putin", "de", "Wladimir Putin"),
        ("Außenminister Sergej Lawrow", "de", "Sergej Lawrow"),
        ("Nordkoreas Machthaber Kim Jong Un", "de", "Kim Jong Un"),
        ("Chinas Staatschef Xi Jinping", "de", "Xi Jinping"),
        ("Russian President Vladimir Putin", "en", "Vladimir Putin"),
        ("Le président russe Vladimir Poutine", "fr", "Vladimir Poutine"),
        ("Il presidente Sergio Mattarella", "it", "Sergio Mattarella"),
        ("Presidente Lula", "pt", "Lula"),
        ("Il presidente russo Vladimir Putin", "it", "Vladimir Putin"),
        ("El presidente chino Xi Jinping", "es", "Xi Jinping"),
        ("Pékin Sergueï Lavrov", "fr", "Sergueï Lavrov"),  # a city the tagger ran into the name
        ("Israel Katz", "en", "Israel Katz"),  # a name that starts like a place stays whole
    ],
)
def test_titles_and_roles_are_stripped_per_language(written: str, language: str, name: str) -> None:
    assert stripped(written, language) == (name, "PER")


def test_place_kinds_make_a_place_and_names_that_start_like_roles_stay_whole() -> None:
    assert stripped("Region Kursk", "de", "ORG") == ("Kursk", "LOC")
    assert stripped("General Motors", "en", "ORG") == ("General Motors", "ORG")
    text = "Präsident der Republik"
    assert name_start(text, 0, len(text), "de") == (0, None)


def test_multilingual_names_and_aliases_link_to_one_id() -> None:
    kb = knowledge_base()
    putin = [kb.lookup(name) for name in ("Wladimir Putin", "Vladimir Poutine", "Vladímir Putin", "Poutine")]
    assert None not in putin and {e.uri for e in putin if e is not None} == {WIKIDATA + "Q7747"}
    lavrov = [kb.lookup(name) for name in ("Sergueï Lavrov", "Sergej Lawrow", "Lawrow", "Serguéi Lavrov")]
    uris = {e.uri for e in lavrov if e is not None}
    assert None not in lavrov and len(uris) == 1
    assert next(iter(uris)).startswith("urn:newswire:kb:person:")  # type: ignore[union-attr]
    assert all(e.uri for e in kb.entities)  # every KB record carries an id


def test_places_in_every_language_through_the_gazetteer() -> None:
    places = gazetteer()
    for name in ("Peking", "Pékin", "Pekín", "Pechino", "Pequim"):
        assert places.lookup(name).geonames == "1816670"  # type: ignore[union-attr]
    assert places.lookup("Koursk").geonames == places.lookup("Kursk").geonames  # type: ignore[union-attr]


def read_fixture() -> list[dict[str, str]]:
    stories: list[dict[str, str]] = []
    for row in FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True):
        if row.startswith("=== "):
            event, lang, _agency, received = row[4:].split()
            stories.append({"event": event, "lang": lang, "received": received, "text": ""})
        else:
            stories[-1]["text"] += row
    return sorted(stories, key=lambda s: s["received"])


@pytest.fixture(scope="module")
def stories() -> Iterator[list[tuple[dict[str, str], NinjsStory]]]:
    pipeline = Pipeline()
    out = []
    for record in read_fixture():
        message = RawMessage(record["text"].strip().encode(), headers={"received-at": record["received"].encode()})
        outcome = pipeline.process(message)
        assert isinstance(outcome, Accepted)
        out.append((record, outcome.stories[0]))
    yield out


def test_german_story_gets_the_people_with_ids(stories: list[tuple[dict[str, str], NinjsStory]]) -> None:
    story = next(s for r, s in stories if r["event"] == "summit" and r["lang"] == "de")
    entities = story.newswire.entities
    people = {e.uri for e in entities if e.type == "person"}
    assert {WIKIDATA + "Q7747", WIKIDATA + "Q56226", WIKIDATA + "Q15031"} <= people
    assert any(e.type == "person" and e.uri and "lavrov" in e.uri for e in entities)
    assert not any(e.type == "organisation" and "Xi Jinping" in e.name for e in entities)
    assert any(e.type == "place" and e.name == "Kursk Oblast" for e in entities)  # `Region Kursk`
    assert not any(word in e.name for e in entities for word in ("Kremlchef", "Außenminister", "Machthaber"))


def test_every_language_of_the_summit_names_putin_and_kim(stories: list[tuple[dict[str, str], NinjsStory]]) -> None:
    for record, story in stories:
        if record["event"] == "summit":
            uris = {e.uri for e in story.newswire.entities}
            assert {WIKIDATA + "Q7747", WIKIDATA + "Q56226"} <= uris, record["lang"]


def test_same_day_events_cluster_by_event_not_by_names(stories: list[tuple[dict[str, str], NinjsStory]]) -> None:
    stage = IdentityStage({}, {})
    clusters: dict[str, set[str]] = {}
    reasons = {}
    for record, story in stories:
        now = datetime.fromisoformat(record["received"].replace("Z", "+00:00")).timestamp()
        published = stage.process(story, now).story
        assert published is not None
        identity = published.newswire.identity
        assert identity.cluster is not None and identity.cluster_reason is not None
        clusters.setdefault(record["event"], set()).add(identity.cluster)
        reasons[(record["event"], record["lang"])] = identity.cluster_reason
    assert all(len(ids) == 1 for ids in clusters.values()), clusters  # every event in one cluster
    assert len({next(iter(ids)) for ids in clusters.values()}) == len(clusters)  # and no two events share one
    fr = reasons[("summit", "fr")]
    assert not fr.new and fr.score is not None and fr.compared == 3
    assert WIKIDATA.replace("http://www.wikidata.org/entity/", "wd:") + "Q7747" in fr.shared
    assert "meeting" in fr.events
    assert reasons[("quake-chile", "es")].new
