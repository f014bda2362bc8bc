"""Ritzau's RBNews XML: flat fields, nil headlines, escaped HTML bodies, kinds from its flags. No broker needed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage
from newswire.wire import formats  # noqa: F401  (registers the parsers)
from newswire.wire.model import ParsedItem
from newswire.wire.registry import SNIFF_BYTES, WireInput, choose_parser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wires" / "ritzau"


def parse(name: str) -> list[ParsedItem]:
    data = (FIXTURES / name).read_bytes()
    parser = choose_parser(data[:SNIFF_BYTES])
    assert parser.name == "ritzau"
    return parser.parse(WireInput(data=data, text=""))


def test_flash_without_headline_takes_the_teaser() -> None:
    [item] = parse("flash_nil_headline_da.xml")
    # i:nil is bound to a misspelt namespace: read by local name, the element is still nil.
    assert item.headline == "Havnen i Aarhus åbner en ny færgeterminal..."
    assert item.subheadline is None
    assert item.paragraphs == [
        "Havnen i Aarhus åbner en ny færgeterminal til foråret.",
        "Terminalen får plads til to færger.",
    ]
    assert item.dateline is not None and item.dateline.place == "Aarhus"
    assert (item.agency, item.kind, item.version, item.urgency) == ("ritzau", "story", 1, 2)
    assert item.firstcreated is not None and item.firstcreated.date() == date(2026, 2, 14)
    assert item.firstcreated.microsecond == 120_000  # fractional seconds kept
    assert (item.slugline, item.byline, item.keywords) == ("NU/FLASH-I", "Mette Holm", ["Indland"])


def test_correction_flag_wins_over_new_version() -> None:
    [item] = parse("correction_new_version_da.xml")
    assert item.headline == "Ny færgeterminal i Aarhus får tre lejer"
    assert (item.kind, item.version) == ("correction", 2)


@pytest.mark.parametrize(
    ("flags", "kind", "pubstatus"),
    [
        ("<Annuleret>true</Annuleret>", "kill", "canceled"),
        ("<NyVersion>true</NyVersion>", "update", "usable"),
        ('<Replaces i:nil="true"/><NyVersion>false</NyVersion>', "story", "usable"),
    ],
)
def test_kind_flags(flags: str, kind: str, pubstatus: str) -> None:
    data = (
        '<RBNews xmlns:i="http://www.w3.org/2001/XMLSchema-insance"><headline>Rubrik</headline>'
        f"<content>&lt;p&gt;Tekst.&lt;/p&gt;</content>{flags}</RBNews>"
    ).encode()
    [item] = choose_parser(data).parse(WireInput(data=data, text=""))
    assert (item.kind, item.pubstatus, item.agency) == (kind, pubstatus, "Ritzau")


def test_through_the_pipeline() -> None:
    data = (FIXTURES / "flash_nil_headline_da.xml").read_bytes()
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=data))
    assert isinstance(outcome, Accepted)
    [story] = outcome.stories
    assert story.newswire.provenance.format == "ritzau"
    assert [source.name for source in story.infosources] == ["Ritzau"]


def test_queued_response_lists_several_items_and_relayed_copy() -> None:
    relayed, own = parse("queued_response_two_items.xml")
    assert relayed.headline == "PR / Harbour Cranes Ltd."
    # `Via Ritzau`: Ritzau distributed it; the text's dateline credits the originator.
    assert (relayed.agency, relayed.distributor) == ("GLOBE NEWSWIRE", "Ritzau")
    assert relayed.dateline is not None and relayed.dateline.place == "ABERDEEN, Scotland"
    assert relayed.paragraphs[0] == "Harbour Cranes' new crane lifts twice the load of the old one."  # escaped twice
    assert (own.agency, own.distributor, own.headline) == ("ritzau", None, "Kort om havnen")
    assert own.dateline is not None and own.dateline.place == "Esbjerg"


def test_queued_response_through_the_pipeline() -> None:
    data = (FIXTURES / "queued_response_two_items.xml").read_bytes()
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=data))
    assert isinstance(outcome, Accepted)
    assert [[source.name for source in story.infosources] for story in outcome.stories] == [
        ["GlobeNewswire", "Ritzau"],
        ["Ritzau"],
    ]
