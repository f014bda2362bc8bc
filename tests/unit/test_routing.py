"""Routing core: rules validation (with line numbers), compiled matching, explain, reload."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from newswire.events.extension import (
    DatelineInfo,
    Entity,
    Identity,
    LanguageInfo,
    NewswireExtension,
    PlaceRef,
    Provenance,
)
from newswire.events.ninjs import InfoSource, NinjsStory, Place, Subject
from newswire.routing import RoutesError, RouteTable, load_routes, parse_routes
from newswire.routing.build_vocabulary import build_tree, dump_tree
from newswire.routing.commands import cmd_routes_check, cmd_routes_explain
from newswire.routing.compiler import Router, canonical_id
from newswire.routing.explain import explain_text
from newswire.routing.loader import install_sighup_reload
from newswire.routing.rules import KINDS, OPERATORS
from newswire.routing.vocabulary import DATA_FILE, code_of, medtop_tree
from tests.conftest import REPO_ROOT, STANDARDS

EXAMPLE = REPO_ROOT / "deploy" / "routes.example.yml"
MEDTOP_SOURCE = STANDARDS / "mediatopics-cptall-en-GB-2025-10-09.json"


def make_story(
    *,
    language: str | None = "en",
    urgency: int | None = None,
    kind: str = "story",
    medtop: tuple[str, ...] = (),
    source: str | None = None,
    agency: str | None = None,
    entities: tuple[Entity, ...] = (),
    country: str | None = None,
    geonames: str | None = None,
    keywords: tuple[str, ...] = (),
    places: tuple[Place, ...] = (),
) -> NinjsStory:
    dateline = (
        DatelineInfo(text="X", place="X", place_ref=PlaceRef(country=country, geonames=geonames))
        if country or geonames
        else None
    )
    return NinjsStory(
        uri="urn:newswire:test:1",
        language=language,
        urgency=urgency,
        infosources=[InfoSource(name=agency, uri=f"urn:newswire:agency:{agency.lower()}")] if agency else [],
        subjects=[Subject(uri=f"http://cv.iptc.org/newscodes/mediatopic/{code}") for code in medtop],
        places=list(places),
        newswire=NewswireExtension(
            kind=kind,  # type: ignore[arg-type]
            dateline=dateline,
            entities=list(entities),
            keywords=list(keywords),
            identity=Identity(content_hash="x"),
            provenance=Provenance(
                format="t", parser="t", received_at="2025-01-01T00:00:00Z", pipeline_version="0", source=source
            ),
        ),
    )


def router(match: str, default_topic: bool = True) -> Router:
    """A one-route router `r -> t` with the given flow-style match expression."""
    text = f"default_topic: {str(default_topic).lower()}\nroutes:\n  - name: r\n    topic: t\n    match: {match}\n"
    return parse_routes(text, "test.yml").router


def matches(match: str, story: NinjsStory) -> bool:
    routes = router(match)
    result = [route.name for route in routes.route(story)] == ["r"]
    explained = routes.explain(story)[0][1]
    assert explained == result, "explain disagrees with route()"
    return result


def error_of(text: str, filename: str = "routes.yml") -> str:
    with pytest.raises(RoutesError) as caught:
        parse_routes(text, filename)
    return str(caught.value)


# vocabulary -------------------------------------------------------------------------------------
def test_code_of_accepts_code_qcode_and_uri() -> None:
    assert code_of("15000000") == code_of("medtop:15000000") == "15000000"
    assert code_of("http://cv.iptc.org/newscodes/mediatopic/15000000") == "15000000"
    assert code_of("subj:15000000") is None
    assert code_of("1500") is None


def test_tree_has_sport_descendants_and_flags_retired() -> None:
    tree = medtop_tree()
    assert tree.with_ancestors("20001065") == ("20001065", "20000822", "15000000")  # football
    assert "20001065" in tree.descendants("15000000")
    assert tree.label("15000000") == "sport"
    assert tree.retired["20000030"] == "2021-09-30"  # music theatre, retired but kept in the tree
    assert tree.ancestors["20000030"][-1] == "01000000"


@pytest.mark.skipif(not MEDTOP_SOURCE.exists(), reason="../shared/standards not available")
def test_shipped_tree_is_reproducible_from_the_iptc_file() -> None:
    source = json.loads(MEDTOP_SOURCE.read_text(encoding="utf-8"))
    assert dump_tree(build_tree(source, MEDTOP_SOURCE.name)) == DATA_FILE.read_text(encoding="utf-8")


# operators ------------------------------------------------------------------------------------
def test_language_primary_subtag_matches_regional_tags() -> None:
    assert matches("{language: es}", make_story(language="es-MX"))
    assert matches("{language: [fr, es]}", make_story(language="es"))
    assert not matches("{language: es-AR}", make_story(language="es-MX"))
    assert matches("{language: pt_BR}", make_story(language="pt-BR"))
    assert not matches("{language: es}", make_story(language=None))


def test_language_falls_back_to_detected_language() -> None:
    story = make_story(language=None)
    story.newswire.language = LanguageInfo(code="de", confidence=0.9)
    assert matches("{language: de}", story)


def test_source_matches_feed_id_and_agency_case_insensitively() -> None:
    assert matches("{source: afp}", make_story(source="AFP"))
    assert matches("{source: [reuters, efe]}", make_story(agency="EFE"))
    assert not matches("{source: afp}", make_story(source="dpa", agency="dpa"))


def test_urgency_ranges() -> None:
    assert matches("{urgency: {max: 2}}", make_story(urgency=1))
    assert matches("{urgency: {max: 2}}", make_story(urgency=2))
    assert not matches("{urgency: {max: 2}}", make_story(urgency=3))
    assert matches("{urgency: {min: 3, max: 5}}", make_story(urgency=4))
    assert not matches("{urgency: {min: 3}}", make_story(urgency=2))
    assert matches("{urgency: 5}", make_story(urgency=5))
    assert not matches("{urgency: {min: 1}}", make_story(urgency=None))


def test_kind() -> None:
    assert matches("{kind: [correction, kill]}", make_story(kind="kill"))
    assert matches("{kind: advisory}", make_story(kind="advisory"))
    assert not matches("{kind: [correction, kill]}", make_story(kind="update"))


def test_medtop_includes_descendants() -> None:
    football = make_story(medtop=("20001065",))  # football < competition discipline < sport
    assert matches('{medtop: ["15000000"]}', football)
    assert matches('{medtop: ["medtop:15000000"]}', football)
    assert matches("{medtop: 15000000}", football)  # unquoted number is fine
    assert matches('{medtop: ["20001065"]}', football)
    assert matches("{medtop: 01000000}", make_story(medtop=("20000002",)))  # zero-led, unquoted: not octal
    assert not matches('{medtop: ["15000000"]}', make_story(medtop=("04000000",)))  # economy
    assert not matches('{medtop: ["20001065"]}', make_story(medtop=("15000000",)))  # no upward match
    assert not matches('{medtop: ["15000000"]}', make_story())


def test_medtop_from_subject_literal_and_retired_codes() -> None:
    story = make_story()
    story.subjects = [Subject(literal="medtop:20000857")]  # bantamweight (boxing), retired 2015
    assert matches('{medtop: ["15000000"]}', story)


def test_iptc_subject_codes_route_through_their_media_topic() -> None:
    assert medtop_tree().subjectcode["15073000"] == ("20001108",)
    story = make_story()
    story.subjects = [Subject(literal="subj:15073000")]  # an IPTC Subject Code under sport
    assert matches('{medtop: ["15000000"]}', story)
    assert not matches('{medtop: ["04000000"]}', story)
    story.subjects = [Subject(uri="http://cv.iptc.org/newscodes/subjectcode/17001000")]  # weather forecast
    assert matches('{medtop: ["17000000"]}', story)
    story.subjects = [Subject(literal="15073000")]  # no scheme: not guessed
    assert not matches('{medtop: ["15000000"]}', story)


def test_entity_by_qid_in_any_spelling_kb_id_or_name() -> None:
    apple = Entity(type="organisation", name="Apple Inc.", uri="http://www.wikidata.org/entity/Q312", confidence=0.9)
    acme = Entity(type="organisation", name="Acme Corp", uri="kb:acme-corp", confidence=0.9)
    assert matches("{entity: [Q312]}", make_story(entities=(apple,)))
    assert matches('{entity: ["wd:Q312"]}', make_story(entities=(apple,)))
    assert matches('{entity: ["https://www.wikidata.org/wiki/Q312"]}', make_story(entities=(apple,)))
    assert matches('{entity: ["apple inc."]}', make_story(entities=(apple,)))
    assert matches('{entity: ["kb:acme-corp"]}', make_story(entities=(acme,)))
    assert not matches("{entity: [Q3122]}", make_story(entities=(apple,)))
    assert not matches('{entity: ["acme-corp"]}', make_story(entities=(acme,)))
    assert canonical_id("q42") == canonical_id("wikidata:Q42") == "Q42"


def test_country_from_dateline_and_place_entities() -> None:
    assert matches("{country: [AR, MX]}", make_story(country="MX"))
    assert matches("{country: ar}", make_story(country="AR"))
    assert matches("{country: [NO]}", make_story(country="NO"))  # YAML `NO` stays Norway
    lima = Entity(type="place", name="Lima", country="PE", confidence=0.8)
    assert matches("{country: PE}", make_story(entities=(lima,)))
    company = Entity(type="organisation", name="YPF", country="AR", confidence=0.8)
    assert not matches("{country: AR}", make_story(entities=(company,)))  # only places count


def test_geonames_from_dateline_place_uri_and_entities() -> None:
    assert matches("{geonames: 3435910}", make_story(geonames="3435910"))
    place = Place(name="Madrid", uri="https://sws.geonames.org/3117735/")
    assert matches('{geonames: ["3117735"]}', make_story(places=(place,)))
    assert matches('{geonames: ["https://sws.geonames.org/3117735/"]}', make_story(places=(place,)))
    assert not matches("{geonames: 3435910}", make_story(geonames="3117735"))


def test_keyword_whole_and_case_insensitive() -> None:
    assert matches("{keyword: [Election]}", make_story(keywords=("election", "Spain")))
    assert not matches("{keyword: [elect]}", make_story(keywords=("election",)))


def test_all_any_not_nesting() -> None:
    expression = "{all: [{language: es}, {any: [{country: AR}, {keyword: futbol}]}, {not: {kind: kill}}]}"
    assert matches(expression, make_story(language="es", country="AR"))
    assert matches(expression, make_story(language="es", keywords=("Futbol",)))
    assert not matches(expression, make_story(language="es", country="AR", kind="kill"))
    assert not matches(expression, make_story(language="en", country="AR"))
    assert not matches(expression, make_story(language="es", country="CL"))
    assert matches("{not: {not: {kind: story}}}", make_story())
    assert matches("{all: []}", make_story())  # matches everything


def test_several_operators_in_one_mapping_are_anded() -> None:
    assert matches("{language: es, country: AR}", make_story(language="es", country="AR"))
    assert not matches("{language: es, country: AR}", make_story(language="es", country="CL"))


# the example file -------------------------------------------------------------------------------
def test_example_file_loads_and_routes() -> None:
    routes = load_routes(EXAMPLE)
    assert routes.default_topic is True
    assert routes.routes[0].name == "alerts"
    assert routes.topics() == ["news.alerts", "news.sport", "news.latam.es", "compliance.watchlist", "news.weather"]

    def names(story: NinjsStory) -> list[str]:
        return [route.name for route in routes.route(story)]

    assert names(make_story(urgency=1)) == ["alerts"]
    assert names(make_story(kind="correction", urgency=5)) == ["alerts"]
    assert names(make_story(medtop=("20001065",), urgency=4)) == ["sport"]
    assert names(make_story(language="es", country="AR", medtop=("20001065",))) == ["sport", "latam-es"]
    apple = Entity(type="organisation", name="Apple", uri="http://www.wikidata.org/entity/Q312", confidence=0.9)
    assert names(make_story(entities=(apple,))) == ["compliance-watch"]
    assert names(make_story(entities=(apple,), kind="advisory")) == []
    assert names(make_story(medtop=("20001128",))) == ["weather"]  # weather forecast < weather
    assert names(make_story(keywords=("Storm",), medtop=("20001065",))) == ["sport"]
    assert routes.destinations(make_story(urgency=1), "news.stories") == ["news.stories", "news.alerts"]


def test_default_topic_off() -> None:
    routes = router("{kind: kill}", default_topic=False)
    assert routes.destinations(make_story(), "news.stories") == []
    assert routes.destinations(make_story(kind="kill"), "news.stories") == ["t"]


# validation messages ----------------------------------------------------------------------------
BAD_MEDTOP = """\
default_topic: true
routes:
  - name: alerts
    topic: news.alerts
    match: {urgency: {max: 2}}
  - name: sport
    topic: news.sport
    match:
      medtop:
        - "15000000"
        # a typo:
        - "99999999"
"""


def test_bad_medtop_code_names_the_line() -> None:
    assert error_of(BAD_MEDTOP) == "routes.yml:12: routes[1].match.medtop[1]: unknown Media Topic code 99999999"
    assert "not a Media Topic code: 'sport'" in error_of(BAD_MEDTOP.replace('"99999999"', "sport"))


def test_unknown_field_names_the_line() -> None:
    text = "routes:\n  - name: a\n    topic: t\n    priority: 1\n    match: {kind: kill}\n"
    message = error_of(text)
    assert message.startswith("routes.yml:4: routes[0].priority: unknown field 'priority'")
    assert "unknown field 'defaults'" in error_of("defaults: 1\nroutes: []\n")


def test_unknown_operator_names_the_line_and_suggests() -> None:
    text = "routes:\n  - name: a\n    topic: t\n    match:\n      any:\n        - kind: kill\n        - langauge: es\n"
    message = error_of(text)
    assert message.startswith("routes.yml:7: routes[0].match.any[1].langauge: unknown operator 'langauge'")
    assert "did you mean 'language'?" in message
    assert "unknown operator 'regex'" in error_of("routes:\n  - {name: a, topic: t, match: {regex: x}}\n")


def test_other_validation_errors() -> None:
    head = "routes:\n  - name: a\n    topic: t\n"
    assert "routes.yml:4: routes[0].match.kind[0]: unknown kind 'kil'" in error_of(head + "    match: {kind: kil}\n")
    assert "routes.yml:4: routes[0].match.urgency: min 3 is greater than max 1" in error_of(
        head + "    match: {urgency: {min: 3, max: 1}}\n"
    )
    assert "routes.yml:4: routes[0].match.country[0]: not an ISO 3166-1 alpha-2 country code: 'MEX'" in error_of(
        head + "    match: {country: MEX}\n"
    )
    assert "routes.yml:4: routes[0].match: empty match expression" in error_of(head + "    match: {}\n")
    assert "routes.yml:4: routes[0].match.any: empty list" in error_of(head + "    match: {any: []}\n")
    assert "routes.yml:2: routes[0]: missing required field 'match'" in error_of(head)
    assert "routes.yml:3: routes[0].topic: not a valid Kafka topic name" in error_of(
        "routes:\n  - name: a\n    topic: bad topic\n    match: {kind: kill}\n"
    )
    two = head + "    match: {kind: kill}\n  - name: a\n    topic: u\n    match: {kind: story}\n"
    assert "routes.yml:5: routes[1].name: duplicate route name 'a'" in error_of(two)
    assert "routes.yml:4: routes[0].topic: duplicate key 'topic' (first on line 3)" in error_of(
        head + "    topic: u\n    match: {kind: kill}\n"
    )
    assert error_of("routes: [\n").startswith("routes.yml:2: YAML syntax error")
    assert "must be a mapping" in error_of("- a\n- b\n")
    assert "every story would be dropped" in error_of("default_topic: false\nroutes: []\n")


def test_retired_code_is_a_warning_not_an_error() -> None:
    loaded = parse_routes("routes:\n  - name: a\n    topic: t\n    match: {medtop: ['20000030']}\n", "r.yml")
    assert loaded.warnings == [
        "r.yml:4: warning: routes[0].match.medtop[0]: Media Topic 20000030 (music theatre) was retired on 2021-09-30"
    ]


def test_toml_routes(tmp_path: Path) -> None:
    path = tmp_path / "routes.toml"
    path.write_text('[[routes]]\nname = "sport"\ntopic = "news.sport"\nmatch = { medtop = ["15000000"] }\n')
    assert [route.name for route in load_routes(path).route(make_story(medtop=("20001065",)))] == ["sport"]
    path.write_text('[[routes]]\nname = "sport"\ntopic = "news.sport"\nmatch = { medtop = ["1"] }\n')
    with pytest.raises(RoutesError, match=r"routes.toml: routes\[0\].match.medtop\[0\]: not a Media Topic code"):
        load_routes(path)


# reload -----------------------------------------------------------------------------------------
def test_reload_keeps_the_old_router_on_a_broken_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "routes.yml"
    path.write_text("routes:\n  - {name: a, topic: t.a, match: {kind: kill}}\n")
    table = RouteTable.from_file(path)
    first = table.router
    path.write_text("routes:\n  - {name: a, topic: t.a, match: {medtop: ['99999999']}}\n")
    with caplog.at_level(logging.ERROR, logger="newswire.routing.loader"):
        error = table.reload()
    assert isinstance(error, RoutesError)
    assert "routes.yml:2: routes[0].match.medtop[0]: unknown Media Topic code 99999999" in str(error)
    assert table.router is first
    assert table.last_error is error
    assert "keeping the 1 current routes" in caplog.text
    path.write_text("routes:\n  - {name: b, topic: t.b, match: {kind: story}}\n")
    assert table.reload() is None
    assert table.router is not first
    assert [route.name for route in table.router.route(make_story())] == ["b"]
    assert table.last_error is None
    path.unlink()
    assert isinstance(table.reload(), RoutesError)
    assert [route.name for route in table.router.routes] == ["b"]


def test_sighup_reloads_the_table(tmp_path: Path) -> None:
    path = tmp_path / "routes.yml"
    path.write_text("routes:\n  - {name: a, topic: t.a, match: {kind: kill}}\n")
    table = RouteTable.from_file(path)
    path.write_text("routes:\n  - {name: b, topic: t.b, match: {kind: kill}}\n")
    loop = asyncio.new_event_loop()
    try:
        assert install_sighup_reload(table, loop)
        os.kill(os.getpid(), signal.SIGHUP)
        loop.run_until_complete(asyncio.sleep(0.05))
    finally:
        loop.remove_signal_handler(signal.SIGHUP)
        loop.close()
    assert [route.name for route in table.router.routes] == ["b"]


def test_start_up_with_a_broken_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "routes.yml"
    path.write_text("routes:\n  - {name: a, topic: t, match: {bogus: 1}}\n")
    with pytest.raises(RoutesError, match=r"routes.yml:2: routes\[0\].match.bogus: unknown operator 'bogus'"):
        RouteTable.from_file(path)


# explain and commands -----------------------------------------------------------------------------
def test_explain_reasons() -> None:
    routes = load_routes(EXAMPLE)
    story = make_story(language="es", country="AR", medtop=("20001065",), urgency=4)
    explained = {name: (ok, reasons) for name, ok, reasons in routes.explain(story)}
    assert explained["sport"][0] is True
    assert any("15000000 (sport) via 20001065 (football)" in line for line in explained["sport"][1])
    assert explained["alerts"][0] is False
    assert any("urgency 1..2: story urgency 4" in line for line in explained["alerts"][1])
    assert explained["latam-es"][0] is True
    text = explain_text(routes, story, "news.stories")
    assert "MATCH sport -> news.sport" in text
    assert "no    alerts -> news.alerts" in text
    assert text.rstrip().endswith("delivered to: news.stories, news.sport, news.latam.es")


def test_cmd_routes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_routes_check(str(EXAMPLE)) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "routes.yml"
    bad.write_text(BAD_MEDTOP)
    assert cmd_routes_check(str(bad)) == 1
    assert f"{bad}:12: routes[1].match.medtop[1]: unknown Media Topic code 99999999" in capsys.readouterr().err


def test_cmd_routes_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload: dict[str, Any] = make_story(urgency=1, medtop=("20001065",)).to_payload()
    single = tmp_path / "story.json"
    single.write_text(json.dumps(payload))
    assert cmd_routes_explain(str(EXAMPLE), str(single), "news.stories") == 0
    out = capsys.readouterr().out
    assert "MATCH alerts -> news.alerts" in out
    assert "delivered to: news.stories, news.alerts, news.sport" in out
    lines = tmp_path / "stories.jsonl"  # as `newswire parse` prints them
    lines.write_text(json.dumps(payload) + "\n" + json.dumps({"rejected": {}}) + "\n" + json.dumps(payload) + "\n")
    assert cmd_routes_explain(str(EXAMPLE), str(lines), "news.stories") == 0
    assert capsys.readouterr().out.count("MATCH alerts") == 2
    single.write_text("{}")
    assert cmd_routes_explain(str(EXAMPLE), str(single), "news.stories") == 1
    assert "not a newswire story" in capsys.readouterr().err


def test_generated_matcher_agrees_with_closures() -> None:
    text = """\
routes:
  - {name: a, topic: t, match: {all: [{language: es}, {any: [{country: AR}, {keyword: futbol}]}, {not: {kind: kill}}]}}
  - {name: b, topic: t, match: {medtop: ["15000000", "17000000"], urgency: {min: 2, max: 5}}}
  - {name: c, topic: t, match: {any: [{entity: [Q312, "acme corp"]}, {geonames: 3435910}, {source: afp}]}}
  - {name: d, topic: t, match: {not: {any: [{language: en}, {all: []}]}}}
  - {name: e, topic: t, match: {all: []}}
"""
    generated = parse_routes(text, "t.yml").router
    closures = Router(generated.rules, generate=False)
    apple = Entity(type="organisation", name="Acme Corp", uri="wd:Q312", confidence=1.0)
    stories = [
        make_story(
            language=language,
            country=country,
            kind=kind,
            urgency=urgency,
            medtop=medtop,
            source=source,
            entities=entities,
            geonames=geonames,
            keywords=keywords,
        )
        for language in ("es", "en")
        for country, geonames in (("AR", None), ("CL", "3435910"))
        for kind in ("story", "kill")
        for urgency in (None, 3)
        for medtop in ((), ("20001065",), ("20001128",))
        for source in ("afp", None)
        for entities in ((), (apple,))
        for keywords in ((), ("Futbol",))
    ]
    for story in stories:
        assert generated.route(story) == closures.route(story)
        assert [name for name, ok, _ in generated.explain(story) if ok] == [r.name for r in generated.route(story)]
    assert {len(generated.route(story)) for story in stories} >= {1, 2, 3, 4}


def test_very_deep_expression_falls_back_to_a_closure() -> None:
    deep = "{kind: story}"
    for _ in range(60):
        deep = f"{{not: {{not: {deep}}}}}"
    assert matches(deep, make_story())
    assert not matches(deep, make_story(kind="kill"))


# every operator, three ways ---------------------------------------------------------------------
QID_ACME = Entity(type="organisation", name="Acme Corp", uri="http://www.wikidata.org/entity/Q4677", confidence=0.9)
OPERATOR_CASES: dict[str, tuple[str, NinjsStory, NinjsStory]] = {
    # operator: (expression using it, a story it matches, a story it does not match)
    "language": ("{language: es}", make_story(language="es-AR"), make_story(language="pt")),
    "source": ("{source: efe}", make_story(agency="EFE"), make_story(agency="AFP")),
    "urgency": ("{urgency: {min: 2, max: 3}}", make_story(urgency=3), make_story(urgency=1)),
    "kind": ("{kind: [correction, kill]}", make_story(kind="correction"), make_story(kind="advisory")),
    "medtop": ('{medtop: ["15000000"]}', make_story(medtop=("20001393",)), make_story(medtop=("17000000",))),
    "entity": ("{entity: Q4677}", make_story(entities=(QID_ACME,)), make_story()),
    "country": ("{country: [CO, PE]}", make_story(country="CO"), make_story(country="ES")),
    "geonames": ("{geonames: 3688689}", make_story(geonames="3688689"), make_story(geonames="3117735")),
    "keyword": ("{keyword: tranvía}", make_story(keywords=("Tranvía",)), make_story(keywords=("tranvías",))),
    "all": ("{all: [{language: es}, {urgency: 1}]}", make_story(language="es", urgency=1), make_story(urgency=1)),
    "any": ("{any: [{language: es}, {urgency: 1}]}", make_story(language="en", urgency=1), make_story(urgency=2)),
    "not": ("{not: {kind: kill}}", make_story(kind="update"), make_story(kind="kill")),
}


def test_every_operator_has_a_hit_and_a_miss_case() -> None:
    assert set(OPERATOR_CASES) == set(OPERATORS), "a new operator needs a case here"


@pytest.mark.parametrize("operator", OPERATORS)
def test_operator_matches_alike_in_generated_code_closures_and_explain(operator: str) -> None:
    expression, hit, miss = OPERATOR_CASES[operator]
    generated = router(expression)
    closures = Router(generated.rules, generate=False)
    for story, expected in ((hit, True), (miss, False)):
        assert [route.name for route in generated.route(story)] == (["r"] if expected else [])
        assert [route.name for route in closures.route(story)] == (["r"] if expected else [])
        assert generated.explain(story)[0][1] is expected
        assert generated.destinations(story, "main") == (["main", "t"] if expected else ["main"])


def test_any_and_all_accept_a_single_expression_and_kinds_are_all_accepted() -> None:
    assert matches("{any: {kind: kill}}", make_story(kind="kill"))
    assert not matches("{any: {kind: kill}}", make_story())
    for kind in KINDS:
        assert matches(f"{{kind: {kind}}}", make_story(kind=kind))
        assert not matches(f"{{not: {{kind: {kind}}}}}", make_story(kind=kind))


# Media Topic descendants ------------------------------------------------------------------------
def test_medtop_mid_level_code_matches_its_subtree_only() -> None:
    competition = '{medtop: ["20000822"]}'  # competition discipline, a child of sport
    assert matches(competition, make_story(medtop=("20000822",)))  # itself
    assert matches(competition, make_story(medtop=("20001065",)))  # football, a child
    assert matches(competition, make_story(medtop=("20001393",)))  # futsal < football: a grandchild
    assert not matches(competition, make_story(medtop=("15000000",)))  # its parent
    assert not matches(competition, make_story(medtop=("20001104",)))  # drug use in sport: a sibling
    assert matches(competition, make_story(medtop=("04000000", "20001393")))  # any subject will do
    assert matches('{medtop: ["17000000", "20000822"]}', make_story(medtop=("20001065",)))  # any listed code
    explained = router(competition).explain(make_story(medtop=("20001393",)))[0][2]
    assert any("20000822 (competition discipline) via 20001393 (futsal)" in line for line in explained)


@pytest.mark.skipif(not MEDTOP_SOURCE.exists(), reason="../shared/standards not available")
@pytest.mark.parametrize("root", ["15000000", "20000822", "17000000"])
def test_medtop_matches_exactly_the_iptc_narrower_subtree(root: str) -> None:
    """Against IPTC's own `narrower` links (not the shipped ancestors): every concept in the vocabulary
    matches `medtop: [root]` exactly when it is the root or below it."""
    concepts = {
        concept["qcode"].split(":", 1)[1]: concept
        for concept in json.loads(MEDTOP_SOURCE.read_text(encoding="utf-8"))["conceptSet"]
    }
    below: set[str] = set()
    stack = [root]
    while stack:
        for narrower in concepts[stack.pop()].get("narrower", []):
            code = narrower.split(":", 1)[1]
            if code not in below:
                below.add(code)
                stack.append(code)
    assert below
    generated = router(f'{{medtop: ["{root}"]}}')
    closures = Router(generated.rules, generate=False)
    for code in concepts:
        story = make_story(medtop=(code,))
        expected = ["r"] if code == root or code in below else []
        assert [route.name for route in generated.route(story)] == expected, code
        assert [route.name for route in closures.route(story)] == expected, code


# the integration test's routing file --------------------------------------------------------------
def test_integration_routes_fixture_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    path = REPO_ROOT / "tests" / "fixtures" / "routing" / "routes.yml"
    assert cmd_routes_check(str(path)) == 0
    assert capsys.readouterr().out.startswith(f"OK {path}: 5 routes -> 4 topics; default topic on")
