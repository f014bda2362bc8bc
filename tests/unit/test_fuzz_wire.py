"""Fuzzing the pipeline: random bytes and mutated fixtures never crash it.

Every input ends as `Accepted` or `Rejected`, and never as a rejection with reason `internal`
(that reason means a parser raised something other than a `WireError`). The example count is
small for CI; `NEWSWIRE_FUZZ_EXAMPLES=10000` runs the long version.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newswire.pipeline.core import Pipeline, PipelineOptions
from newswire.pipeline.message import Accepted, RawMessage, Rejected
from newswire.wire.registry import parsers

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wires"
EXAMPLES = int(os.environ.get("NEWSWIRE_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)

FIXTURE_FILES = sorted(path for path in FIXTURES.rglob("*") if path.is_file())
FORMATS = sorted({path.relative_to(FIXTURES).parts[0] for path in FIXTURE_FILES})
PARSER_NAMES = sorted(parser.name for parser in parsers())
PIPELINE = Pipeline(PipelineOptions(enrich_stages=(), max_message_bytes=1024 * 1024))
FORCED = {name: Pipeline(PipelineOptions(enrich_stages=(), forced_format=name)) for name in PARSER_NAMES}


def check(pipeline: Pipeline, data: bytes, content_type: str | None = None) -> None:
    headers = {"content-type": content_type.encode()} if content_type else {}
    outcome = pipeline.process(RawMessage(value=data, headers=headers))
    assert isinstance(outcome, Accepted | Rejected)
    if isinstance(outcome, Rejected):
        assert outcome.rejection.reason != "internal", outcome.rejection.detail
    else:
        for story in outcome.stories:
            story.to_payload()


@st.composite
def mutated(draw: st.DrawFn, sources: list[bytes]) -> bytes:
    """A fixture with a few bytes flipped, inserted, deleted, duplicated or truncated."""
    data = bytearray(draw(st.sampled_from(sources)))
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        operation = draw(st.sampled_from(("flip", "insert", "delete", "truncate", "duplicate", "control")))
        position = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        if operation == "flip" and data:
            data[position] = draw(st.integers(min_value=0, max_value=255))
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif operation == "delete" and data:
            del data[position : position + draw(st.integers(min_value=1, max_value=64))]
        elif operation == "truncate":
            del data[position:]
        elif operation == "duplicate" and data:
            chunk = data[position : position + draw(st.integers(min_value=1, max_value=256))]
            data[position:position] = chunk
        elif operation == "control":
            data[position:position] = bytes([draw(st.sampled_from((0, 1, 2, 3, 4, 0x16, 0x1F, 0x7F, 0xC3, 0xFF)))])
    return bytes(data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_mutated_fixtures(fmt: str) -> None:
    sources = [path.read_bytes() for path in FIXTURE_FILES if path.relative_to(FIXTURES).parts[0] == fmt]

    @FUZZ
    @given(data=mutated(sources))
    def run(data: bytes) -> None:
        check(PIPELINE, data)

    run()


@pytest.mark.parametrize("name", PARSER_NAMES)
def test_random_bytes_per_parser(name: str) -> None:
    prefixes = [b"", b"\x01", b"\x16\x16\x01a1234\x1fap\n", b"{", b'{"uri": "x", "headline": ', b"<?xml ", b"date "]

    @FUZZ
    @given(prefix=st.sampled_from(prefixes), body=st.binary(max_size=2048))
    def run(prefix: bytes, body: bytes) -> None:
        check(FORCED[name], prefix + body)

    run()


@FUZZ
@given(text=st.text(max_size=2000))
def test_random_text_sniffed(text: str) -> None:
    check(PIPELINE, text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=50),
        lambda children: (
            st.lists(children, max_size=5)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "uri",
                        "headline",
                        "headlines",
                        "bodies",
                        "body_text",
                        "body_html",
                        "value",
                        "role",
                        "contenttype",
                        "contentType",
                        "subjects",
                        "subject",
                        "urgency",
                        "version",
                        "pubstatus",
                        "versioncreated",
                        "firstCreated",
                        "located",
                        "by",
                        "genres",
                        "name",
                        "uri",
                        "code",
                        "scheme",
                        "literal",
                        "keywords",
                        "infosources",
                        "descriptions",
                    ]
                ),
                children,
                max_size=8,
            )
        ),
        max_leaves=40,
    )
)
def test_random_ninjs_shapes(value: object) -> None:
    import json

    document = json.dumps({"uri": "urn:x", "headline": "h", "extra": value}, allow_nan=True)
    check(FORCED["ninjs"], document.encode("utf-8", errors="surrogatepass"), "application/json")
    if isinstance(value, dict):
        check(FORCED["ninjs"], json.dumps(value, allow_nan=True).encode("utf-8", errors="surrogatepass"))
