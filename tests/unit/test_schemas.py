"""The JSON Schemas in schemas/ match the models, and real payloads validate against them and ninjs 2.2."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from newswire import schemas
from newswire.events.deadletter import Rejection
from newswire.pipeline import Accepted, Pipeline, RawMessage
from newswire.samples import sample_paths
from newswire.stream.envelope import deadletter_record
from tests.conftest import FIXTURES, SEED, STANDARDS

GEOJSON_REF = "https://geojson.org/schema/GeoJSON.json"


def test_committed_schemas_match_the_models() -> None:
    for name, text in schemas.generated().items():
        committed = (schemas.SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"schemas/{name} is stale: run `make schemas`"


def _payloads() -> list[dict[str, Any]]:
    pipeline = Pipeline()
    inputs = [path.read_bytes() for path in sample_paths()]
    if SEED.exists():
        inputs.append(SEED.read_bytes())
    inputs.extend(path.read_bytes() for path in sorted((FIXTURES / "wires").rglob("*")) if path.is_file())
    payloads = []
    for data in inputs:
        outcome = pipeline.process(RawMessage(value=data))
        if isinstance(outcome, Accepted):
            payloads.extend(story.to_payload() for story in outcome.stories)
    assert len(payloads) >= len(sample_paths())
    return payloads


@pytest.fixture(scope="module")
def payloads() -> list[dict[str, Any]]:
    return _payloads()


def test_payloads_validate_against_the_generated_story_schema(payloads: list[dict[str, Any]]) -> None:
    schema = json.loads((schemas.SCHEMA_DIR / "story.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for payload in payloads:
        validator.validate(payload)


def test_payloads_without_the_extension_are_valid_ninjs_2_2(payloads: list[dict[str, Any]]) -> None:
    ninjs_path = STANDARDS / "ninjs-schema-2.2.json"
    if not ninjs_path.exists():
        pytest.skip("../shared/standards is not available here")
    ninjs = json.loads(ninjs_path.read_text())
    geojson = json.loads((STANDARDS / "geojson-GeoJSON.json").read_text())
    # The GeoJSON $ref resolves from the local copy: no network.
    registry: Registry[Any] = Registry().with_resource(GEOJSON_REF, Resource.from_contents(geojson))
    validator = jsonschema.Draft202012Validator(ninjs, registry=registry)
    for payload in payloads:
        core = {key: value for key, value in payload.items() if key != "newswire"}
        errors = sorted(validator.iter_errors(core), key=lambda error: list(error.path))
        assert not errors, f"{payload['uri']}: {[error.message for error in errors[:3]]}"
    # And the check has teeth: an unknown property is refused.
    assert list(validator.iter_errors({"uri": "urn:x", "bogus": 1}))


def test_dead_letter_headers_validate_against_their_schema() -> None:
    schema = json.loads((schemas.SCHEMA_DIR / "deadletter-headers.schema.json").read_text())
    record = deadletter_record(
        RawMessage(value=b"x", topic="wire.raw", partition=1, offset=7),
        Rejection(reason="malformed", stage="parse", detail="unclosed tag"),
        "wire.deadletter",
    )
    added = {name: value.decode() for name, value in record.headers if name.startswith("newswire-error-")}
    jsonschema.validate(added, schema)
    assert added["newswire-error-original-offset"] == "7"
