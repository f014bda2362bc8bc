"""RSS 2.0 and Atom feeds: each item or entry a story; malformed feeds read leniently or rejected. No broker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage, Rejected
from newswire.wire import formats  # noqa: F401  (registers the parsers)
from newswire.wire.errors import WireError
from newswire.wire.model import ParsedItem
from newswire.wire.registry import SNIFF_BYTES, WireInput, choose_parser, get_parser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wires"
PIPELINE = Pipeline(PipelineOptions(enrich_stages=()))


def parse(family: str, name: str) -> list[ParsedItem]:
    data = (FIXTURES / family / name).read_bytes()
    parser = choose_parser(data[:SNIFF_BYTES])
    assert parser.name == "rss"
    return parser.parse(WireInput(data=data, text=""))


def test_rss_items_are_stories() -> None:
    first, second = parse("rss", "harbour_feed_es.xml")
    assert first.headline == "El puerto de Vigo estrena una grúa eléctrica"  # markup stripped
    # content:encoded wins over the teaser description; the agency dateline is split off; no CSS.
    assert first.paragraphs == [
        "La autoridad portuaria puso en marcha este martes su primera grúa eléctrica.",
        "La máquina sustituye a dos grúas de gasóleo.",
    ]
    assert first.dateline is not None and (first.dateline.place, first.dateline.agency) == ("Vigo", "Faro")
    assert first.byline == "Lucía Prado"
    assert first.firstcreated == datetime(2026, 3, 3, 9, 15, tzinfo=timezone(timedelta(hours=1)))
    assert first.keywords == ["Economía", "Puertos"]
    assert first.agency_id == "faro-2026-0001"
    assert first.language == "es"
    assert first.agency == "Agencia Faro - Portada"
    assert first.carried == {
        "associations": [{"name": "enclosure1", "uri": "https://faro.example/img/grua.jpg", "type": "picture"}]
    }
    assert second.paragraphs == ["Solo hay una descripción en HTML escapado."]
    assert second.agency_id == "https://faro.example/noticia/2"
    assert second.recoveries == []


def test_atom_entries_are_stories() -> None:
    [entry] = parse("atom", "lighthouse_entries_en.xml")
    assert entry.headline == "Ferry timetable & fares change in May"  # type="html" title unescaped
    assert entry.paragraphs == ["The island ferry will run two extra crossings a day from May.", "Fares stay the same."]
    assert entry.dateline is not None and entry.dateline.place == "PORTLAND, Maine"
    assert entry.byline == "Sam Keel"
    assert entry.firstcreated == datetime(2026, 4, 1, 22, 10, tzinfo=timezone(timedelta(hours=-5)))
    assert entry.versioncreated == datetime(2026, 4, 2, 8, 30, tzinfo=UTC)
    assert (entry.language, entry.agency, entry.keywords) == ("en", "Lighthouse Wire", ["transport"])
    assert entry.carried["associations"][0]["type"] == "audio"


def test_malformed_feed_is_read_leniently_and_says_so() -> None:
    [item] = parse("rss", "broken_channel.xml")  # no <channel> start tag, an unbound atom: prefix
    assert item.headline == "Night market opens on the quay"
    assert item.paragraphs == ["The stalls open at dusk and close at midnight."]
    assert len(item.recoveries) == 1 and "not well-formed" in item.recoveries[0]


def test_feed_with_nothing_recoverable_is_malformed() -> None:
    with pytest.raises(WireError) as caught:
        get_parser("rss").parse(WireInput(data=b"<rss><channel><title>x</channel", text=""))
    assert caught.value.reason == "malformed"


def test_well_formed_feed_without_items_is_missing_content() -> None:
    with pytest.raises(WireError) as caught:
        get_parser("rss").parse(WireInput(data=b"<rss><channel><title>Empty</title></channel></rss>", text=""))
    assert caught.value.reason == "missing_content"


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title>'
        b"</item></channel></rss>",
        b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]><rss><channel><item><title>&e;</title></item></channel></rss>',
    ],
)
def test_attacks_never_reach_feedparser(data: bytes) -> None:
    with pytest.raises(WireError) as caught:
        get_parser("rss").parse(WireInput(data=data, text=""))
    assert caught.value.reason == "forbidden_xml"


def test_feed_through_the_pipeline_gives_one_story_per_item() -> None:
    data = (FIXTURES / "rss" / "harbour_feed_es.xml").read_bytes()
    outcome = PIPELINE.process(RawMessage(value=data, headers={"content-type": b"application/rss+xml"}))
    assert isinstance(outcome, Accepted)
    assert [story.newswire.provenance.format for story in outcome.stories] == ["rss", "rss"]
    payload = outcome.stories[0].to_payload()
    assert payload["associations"][0]["uri"] == "https://faro.example/img/grua.jpg"


def test_broken_feed_through_the_pipeline_records_the_repair() -> None:
    data = (FIXTURES / "rss" / "broken_channel.xml").read_bytes()
    outcome = PIPELINE.process(RawMessage(value=data))
    assert isinstance(outcome, Accepted)
    errors = [error.reason for error in outcome.stories[0].newswire.errors]
    assert any("not well-formed" in reason for reason in errors)
    rejected = PIPELINE.process(RawMessage(value=b"<rss><channel><title>x</channel"))
    assert isinstance(rejected, Rejected) and rejected.rejection.reason == "malformed"


def test_plain_text_feed_without_channel() -> None:
    """No <channel>, attribute text outside its tag, an unbound atom: prefix, a `Z` zone in pubDate and a plain-text
    description with one paragraph per line: read leniently, the repair recorded."""
    [item] = parse("rss", "plain_text_no_channel_es.xml")
    assert item.headline == "Un faro centenario vuelve a encenderse en la costa"
    assert item.dateline is not None and (item.dateline.place, item.dateline.agency) == ("Cedeira", "Acme")
    assert item.paragraphs == [
        "El faro del cabo volvió a encenderse este miércoles tras dos años de obras.",
        "Los vecinos subieron al mirador para verlo.",
        "La luz se ve a veinte millas.",
    ]
    assert item.firstcreated == datetime(2026, 3, 4, 19, 5, tzinfo=UTC)
    assert [a["uri"] for a in item.carried["associations"]] == [
        "https://acme.example/files/faro-large",
        "https://acme.example/files/faro-small",
    ]
    assert item.recoveries and "not well-formed" in item.recoveries[0]
