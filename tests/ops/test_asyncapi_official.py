"""schemas/asyncapi.yaml validates against the official AsyncAPI 3.0.0 JSON Schema (npm package
@asyncapi/specs, fetched once by deploy/ci/fetch-asyncapi-schema.sh), and lists every topic newswire
writes: the public three, the routed topics, and the identity step's hand-off and changelogs."""

from __future__ import annotations

import copy
import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from newswire import asyncapi
from newswire.config import Settings
from newswire.routing import load_routes
from newswire.stream.admin import topic_specs
from tests.conftest import REPO_ROOT

FETCH = REPO_ROOT / "deploy" / "ci" / "fetch-asyncapi-schema.sh"


@cache
def _official_schema_path() -> Path | None:
    result = subprocess.run([str(FETCH)], capture_output=True, text=True, timeout=300, check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def _validator() -> Any:
    path = _official_schema_path()
    if path is None:
        pytest.skip(f"{FETCH.name} could not fetch @asyncapi/specs (npm missing or registry unreachable)")
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def _document() -> dict[str, Any]:
    loaded = yaml.safe_load((REPO_ROOT / "schemas" / "asyncapi.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_document_is_valid_asyncapi_3() -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(_document())]
    assert errors == []


def test_the_official_schema_catches_mistakes() -> None:
    validator = _validator()
    wrong_action = copy.deepcopy(_document())
    wrong_action["operations"]["publishStories"]["action"] = "publish"  # AsyncAPI 2's word
    assert list(validator.iter_errors(wrong_action))
    unknown_field = copy.deepcopy(_document())
    unknown_field["channels"]["stories"]["topic"] = "news.stories"
    assert list(validator.iter_errors(unknown_field))


def test_every_topic_newswire_writes_has_a_channel() -> None:
    settings = Settings.model_construct()
    addresses = {channel["address"] for channel in _document()["channels"].values()}
    assert {spec.name for spec in topic_specs(settings)} <= addresses  # raw, stories, dead letters, hand-off
    assert f"{settings.group_id}-story-state-changelog" in addresses
    assert f"{settings.group_id}-cluster-members-changelog" in addresses
    routed = _document()["channels"]["routed"]
    example_topics = set(load_routes(REPO_ROOT / "deploy" / "routes.example.yml").topics())
    assert set(routed["parameters"]["routeTopic"]["examples"]) == example_topics
    assert routed["messages"]["storyEvent"] == {"$ref": "#/components/messages/StoryEvent"}
    assert asyncapi.main(["check"]) == 0
