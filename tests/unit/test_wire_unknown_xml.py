"""Agency XML no parser reads is dead-lettered `unrecognised_format`, its root named; never guessed at."""

from __future__ import annotations

from pathlib import Path

from newswire.pipeline import Pipeline, PipelineOptions, RawMessage, Rejected
from newswire.wire import formats  # noqa: F401  (registers the parsers)
from newswire.wire.registry import choose_parser

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "wires" / "unknown_xml" / "agency_feed.xml"
PIPELINE = Pipeline(PipelineOptions(enrich_stages=()))


def test_unknown_agency_xml_names_its_root_and_namespace() -> None:
    outcome = PIPELINE.process(RawMessage(value=FIXTURE.read_bytes()))
    assert isinstance(outcome, Rejected)
    assert outcome.rejection.reason == "unrecognised_format"
    assert "<HarbourWireExport>" in outcome.rejection.detail
    assert "urn:example:harbourwire:1" in outcome.rejection.detail


def test_known_roots_keep_their_parsers() -> None:
    for root, parser in (("nitf", "nitf"), ("NewsML", "newsml1"), ("newsItem", "newsml_g2"), ("RBNews", "ritzau")):
        assert choose_parser(f"<{root}/>".encode()).name == parser


def test_unknown_xml_that_is_an_attack_is_still_forbidden() -> None:
    data = b'<!DOCTYPE Export [<!ENTITY x SYSTEM "file:///etc/passwd">]><Export>&x;</Export>'
    outcome = PIPELINE.process(RawMessage(value=data))
    assert isinstance(outcome, Rejected) and outcome.rejection.reason == "forbidden_xml"


def test_html_page_is_not_a_story() -> None:
    outcome = PIPELINE.process(RawMessage(value=b"<html><body><p>Not a wire.</p></body></html>"))
    assert isinstance(outcome, Rejected)
    assert outcome.rejection.reason == "unrecognised_format" and "<html>" in outcome.rejection.detail
