"""schemas/asyncapi.yaml: generated, in step with the code, parseable, and every $ref resolves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from newswire import asyncapi
from newswire.config import Settings
from newswire.events.deadletter import DEADLETTER_REASONS
from newswire.stream.admin import topic_specs
from newswire.stream.envelope import STORY_EVENT_TYPE
from tests.conftest import REPO_ROOT

SPEC_PATH = REPO_ROOT / "schemas" / "asyncapi.yaml"


def _load() -> dict[str, Any]:
    loaded = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _pointer(document: Any, pointer: str) -> Any:
    node = document
    for part in [p for p in pointer.lstrip("/").split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def test_committed_file_equals_render() -> None:
    assert SPEC_PATH.read_text(encoding="utf-8") == asyncapi.render(), (
        "schemas/asyncapi.yaml is stale: run `python -m newswire.asyncapi write`"
    )
    assert asyncapi.main(["check"]) == 0


def test_render_ignores_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("NEWSWIRE_TOPIC_RAW", "somewhere.else")
    monkeypatch.setenv("NEWSWIRE_TOPIC_PARTITIONS", "12")
    assert asyncapi.render() == SPEC_PATH.read_text(encoding="utf-8")


def test_every_ref_resolves() -> None:
    document = _load()
    refs = _refs(document)
    assert refs, "expected $refs in the document"
    external: set[str] = set()
    for ref in refs:
        target, _, fragment = ref.partition("#")
        if not target:  # local: a JSON pointer into this document
            assert _pointer(document, fragment) is not None, ref
            continue
        path = (SPEC_PATH.parent / target).resolve()
        assert path.is_file(), f"{ref}: {path} does not exist"
        _pointer(json.loads(path.read_text(encoding="utf-8")), fragment)  # raises KeyError if dangling
        external.add(target)
    assert external == {"./story.schema.json", "./deadletter-headers.schema.json"}


def test_channels_bindings_come_from_the_topic_specs() -> None:
    document = _load()
    assert document["asyncapi"] == "3.0.0"
    specs = topic_specs(Settings.model_construct())[:3]
    channels = document["channels"]
    assert [channels[name]["address"] for name in ("raw", "stories", "deadletter")] == [spec.name for spec in specs]
    for name, spec in zip(("raw", "stories", "deadletter"), specs, strict=True):
        binding = channels[name]["bindings"]["kafka"]
        assert binding["partitions"] == spec.partitions
        assert binding["replicas"] == spec.replication
        config = binding["topicConfiguration"]
        assert config["cleanup.policy"] == spec.config["cleanup.policy"].split(",")
        assert set(config["cleanup.policy"]) <= {"delete", "compact"}
        assert str(config["retention.ms"]) == spec.config["retention.ms"]
        assert str(config["max.message.bytes"]) == spec.config["max.message.bytes"]


def test_messages_carry_the_contract_headers_and_keys() -> None:
    messages = _load()["components"]["messages"]
    story = messages["StoryEvent"]
    headers = story["headers"]["properties"]
    for name in (
        "ce_specversion",
        "ce_id",
        "ce_source",
        "ce_type",
        "ce_time",
        "ce_subject",
        "ce_dataschema",
        "content-type",
    ):
        assert name in headers and name in story["headers"]["required"], name
    assert headers["ce_type"]["const"] == STORY_EVENT_TYPE == "io.newswire.story.v1"
    assert headers["ce_specversion"]["const"] == "1.0"
    assert story["payload"] == {"$ref": "./story.schema.json"}
    assert "key" in story["bindings"]["kafka"]

    dead = messages["DeadLetter"]["headers"]
    suffixes = ("reason", "stage", "detail", "original-topic", "original-partition", "original-offset")
    assert sorted(dead["required"]) == sorted(f"newswire-error-{suffix}" for suffix in suffixes)
    reason_ref = dead["properties"]["newswire-error-reason"]["$ref"]
    target, _, fragment = reason_ref.partition("#")
    reason_schema = _pointer(json.loads((SPEC_PATH.parent / target).read_text(encoding="utf-8")), fragment)
    assert tuple(reason_schema["enum"]) == DEADLETTER_REASONS

    raw = messages["RawWire"]["headers"]["properties"]
    assert set(raw) == {"content-type", "source", "filename", "received-at"}


def test_main_check_reports_a_stale_file(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(asyncapi, "SCHEMA_DIR", tmp_path)
    assert asyncapi.main(["check"]) == 1
    assert asyncapi.main(["write"]) == 0
    assert asyncapi.main(["check"]) == 0
    assert asyncapi.main(["bogus"]) == 2
