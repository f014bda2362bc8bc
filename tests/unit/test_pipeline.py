"""The pure pipeline: the seed story, each rejection reason, encodings, failing enrichers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from newswire.enrich.registry import Document, Stage
from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage, Rejected
from newswire.samples import sample_paths

SEED_HEADLINE = "Putin se reúne con Kim Jong-un, que promete seguir ayudando a Rusia en todo lo necesario"


def only_story(outcome: Accepted | Rejected) -> Any:
    assert isinstance(outcome, Accepted), outcome
    assert len(outcome.stories) == 1
    return outcome.stories[0]


def rejection_reason(data: bytes, **options: Any) -> str:
    outcome = Pipeline(PipelineOptions(enrich_stages=(), **options)).process(RawMessage(value=data))
    assert isinstance(outcome, Rejected), outcome
    return outcome.rejection.reason


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def test_seed_story_parses_to_the_expected_story(pipeline: Pipeline, seed_bytes: bytes) -> None:
    story = only_story(pipeline.process(RawMessage(value=seed_bytes, path="seed.txt")))
    assert story.headlines[0].value == SEED_HEADLINE
    assert story.located == "Pekín"
    assert story.newswire.dateline is not None
    assert story.newswire.dateline.date == "2025-09-03"
    assert story.newswire.dateline.agency == "EFE"
    assert story.language == "es"
    assert story.newswire.language is not None and story.newswire.language.confidence > 0.9
    body = story.main_text()
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 14
    assert paragraphs[0].startswith("El presidente ruso, Vladímir Putin")
    assert not body.startswith("Pekín")
    assert paragraphs[-1].endswith("en un cuarto de siglo.")
    assert story.bodies[0].wordcount == len(body.split())
    assert story.bodies[0].charcount == len(body)
    assert story.firstcreated == "2025-09-03T00:00:00Z"
    assert story.infosources[0].name == "EFE"
    assert story.newswire.provenance.input == "seed.txt"
    assert story.newswire.provenance.format == "agency_text"


def test_uri_and_content_hash_are_stable_and_distinct(pipeline: Pipeline, seed_bytes: bytes) -> None:
    first = only_story(pipeline.process(RawMessage(value=seed_bytes)))
    again = only_story(pipeline.process(RawMessage(value=seed_bytes)))
    other = only_story(pipeline.process(RawMessage(value=seed_bytes.replace(b"Putin se re", b"Putin se re-"))))
    assert first.uri == again.uri
    assert first.newswire.identity.content_hash == again.newswire.identity.content_hash
    assert first.uri.startswith("urn:newswire:efe:")
    assert other.uri != first.uri


def test_every_bundled_sample_becomes_a_story(pipeline: Pipeline) -> None:
    expected = {
        "01_efe_cumbre.txt": ("es", "Brasilia"),
        "02_ap_storm.txt": ("en", "NEW ORLEANS"),
        "03_afp_musee.txt": ("fr", "PARIS"),
        "04_dpa_bahn.txt": ("de", "Berlin"),
    }
    for path in sample_paths():
        story = only_story(pipeline.process(RawMessage(value=path.read_bytes())))
        language, place = expected[path.name]
        assert story.language == language, path.name
        assert story.located == place, path.name
        assert story.headlines and story.bodies[0].wordcount > 30


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20, "undecodable"),
        (b'{"feed": "weather", "values": [1, 2, 3]}', "unrecognised_format"),
        (b"Madrid, 3 sep (EFE).-", "missing_content"),
    ],
)
def test_bad_inputs_are_rejected_with_their_reason(data: bytes, reason: str) -> None:
    assert rejection_reason(data) == reason


def test_oversized_input_is_rejected_before_parsing() -> None:
    assert rejection_reason(b"word " * 1000, max_message_bytes=1000) == "too_large"


def test_latin1_and_mojibake_are_decoded_to_the_same_text(pipeline: Pipeline) -> None:
    text = "date 2025-01-02 Año nuevo en Pekín\n\nPekín, 1 ene (EFE).- La celebración reunió a miles de personas.\n"
    utf8 = only_story(pipeline.process(RawMessage(value=text.encode("utf-8"))))
    latin1 = only_story(pipeline.process(RawMessage(value=text.encode("latin-1"))))
    mojibake = only_story(pipeline.process(RawMessage(value=text.encode("utf-8").decode("latin-1").encode("utf-8"))))
    assert latin1.headlines[0].value == utf8.headlines[0].value == "Año nuevo en Pekín"
    assert mojibake.located == latin1.located == "Pekín"
    assert utf8.newswire.dateline is not None and utf8.newswire.dateline.date == "2025-01-01"


def test_dateline_year_boundary_uses_the_nearest_year(pipeline: Pipeline) -> None:
    text = (
        b"date 2026-01-01 Balance del a\xc3\xb1o\n\nMadrid, 31 dic (EFE).- El Gobierno hizo balance del a\xc3\xb1o.\n"
    )
    story = only_story(pipeline.process(RawMessage(value=text)))
    assert story.newswire.dateline is not None and story.newswire.dateline.date == "2025-12-31"


def _explode(document: Document, found: Mapping[str, Any]) -> dict[str, Any]:
    raise ValueError("model file missing")


def test_a_failing_enricher_never_costs_the_story(seed_bytes: bytes) -> None:
    failures: list[str] = []
    pipeline = Pipeline(enrichers=(Stage("exploding", _explode, "always fails"),), observe_enrich_error=failures.append)
    story = only_story(pipeline.process(RawMessage(value=seed_bytes)))
    assert story.headlines[0].value == SEED_HEADLINE
    assert [(error.stage, error.reason) for error in story.newswire.errors] == [
        ("exploding", "ValueError: model file missing")
    ]
    assert failures == ["exploding"]


def test_stage_timings_are_observed(seed_bytes: bytes) -> None:
    seen: dict[str, float] = {}
    Pipeline(observe_stage=seen.__setitem__).process(RawMessage(value=seed_bytes))
    assert {"sniff", "decode", "parse", "normalise", "validate", "language"} <= set(seen)
    assert all(seconds >= 0 for seconds in seen.values())


def test_annotate_returns_the_extension_fields() -> None:
    result = Pipeline().annotate("The meeting in London ended without an agreement on trade.")
    assert result["language"]["code"] == "en"
    assert "identity" not in result and "provenance" not in result
