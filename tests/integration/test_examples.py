"""The examples/ programs against the real local broker, each on its own fresh `ops-test.` topic."""

from __future__ import annotations

import ast
import importlib.util
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from kafka import KafkaProducer

from newswire.events import NinjsStory
from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage
from newswire.samples import sample_paths
from newswire.stream.envelope import Record, story_record
from tests.conftest import REPO_ROOT
from tests.integration.conftest import consume, produce

pytestmark = pytest.mark.kafka


def load_example(name: str) -> ModuleType:
    path = REPO_ROOT / "examples" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"examples_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_upstream_producer_sends_the_file_with_its_headers(
    kafka_bootstrap: str, fresh_topic: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    producer = load_example("upstream_producer")
    wire = tmp_path / "wire.txt"
    wire.write_bytes(sample_paths()[0].read_bytes())
    argv = [str(wire), "--bootstrap", kafka_bootstrap, "--topic", fresh_topic, "--source", "efe-es", "--key", "u-1"]
    assert producer.main(argv) == 0
    assert f"sent {wire} to {fresh_topic}" in capsys.readouterr().out

    records = consume(kafka_bootstrap, fresh_topic, expected=1, timeout=30)
    assert len(records) == 1
    record = records[0]
    headers = dict(record.headers)
    assert record.value == wire.read_bytes()
    assert record.key == b"u-1"
    assert headers["content-type"] == b"text/plain"
    assert headers["source"] == b"efe-es"
    assert headers["filename"] == b"wire.txt"
    assert datetime.fromisoformat(headers["received-at"].decode()).tzinfo is not None


def test_upstream_producer_refuses_a_missing_file(tmp_path: Path) -> None:
    assert load_example("upstream_producer").main([str(tmp_path / "nope.txt")]) == 2


def _story_record(topic: str, **changes: object) -> tuple[NinjsStory, Record]:
    outcome = Pipeline(PipelineOptions(enrich_stages=("language",))).process(
        RawMessage(value=sample_paths()[0].read_bytes())
    )
    assert isinstance(outcome, Accepted)
    story = outcome.stories[0].model_copy(update=changes)
    record = story_record(
        story, topic, "urn:newswire:test", "https://x/story.schema.json", now=datetime(2025, 9, 4, tzinfo=UTC)
    )
    return story, record


def test_downstream_consumer_parses_a_story_event(
    kafka_bootstrap: str, fresh_topic: str, capsys: pytest.CaptureFixture[str]
) -> None:
    consumer = load_example("downstream_consumer")
    story, record = _story_record(fresh_topic)
    # A foreign event type on the same topic is skipped, not fatal.
    other = [("ce_specversion", b"1.0"), ("ce_id", b"x"), ("ce_source", b"urn:other"), ("ce_type", b"other.v1")]
    produce(kafka_bootstrap, fresh_topic, [(record.key, b"{}", other), (record.key, record.value, record.headers)])

    events = list(consumer.read_stories(kafka_bootstrap, fresh_topic, None, True, max_events=1, timeout_s=30))
    assert len(events) == 1
    event = events[0]
    assert event.key == story.uri == event.uri
    assert event.attributes.type == "io.newswire.story.v1"
    assert event.attributes.subject == story.uri
    assert event.attributes.source == "urn:newswire:test"
    assert event.attributes.datacontenttype == "application/json"
    assert event.attributes.time.startswith("2025-09-04T00:00:00")
    assert NinjsStory.model_validate(event.story) == story  # the plain JSON is the published story

    # The command line, through a consumer group: prints the change, language and headline.
    group = f"ops-test-{uuid.uuid4().hex[:8]}"
    argv = [
        "--bootstrap",
        kafka_bootstrap,
        "--topic",
        fresh_topic,
        "--group",
        group,
        "--from-beginning",
        "--max",
        "1",
        "--timeout",
        "60",
    ]
    assert consumer.main(argv) == 0
    out = capsys.readouterr().out.strip()
    assert out == consumer.describe(event, "new")
    assert story.headlines[0].value in out and out.startswith("NEW")


def test_downstream_consumer_handles_repeats_updates_corrections_and_kills(
    kafka_bootstrap: str, fresh_topic: str, capsys: pytest.CaptureFixture[str]
) -> None:
    consumer = load_example("downstream_consumer")
    story, first = _story_record(fresh_topic)
    extension = story.newswire
    _, update = _story_record(fresh_topic, version="2")
    _, correction = _story_record(
        fresh_topic, version="3", newswire=extension.model_copy(update={"kind": "correction"})
    )
    _, kill = _story_record(fresh_topic, version="4", pubstatus="canceled")
    # every record on one partition (same key): v1 arrives after v2 (late), v2 is delivered twice
    sequence = [update, first, update, correction, kill, correction]
    produce(kafka_bootstrap, fresh_topic, [(r.key, r.value, r.headers) for r in sequence])

    argv = [
        "--bootstrap",
        kafka_bootstrap,
        "--topic",
        fresh_topic,
        "--group",
        "",
        "--from-beginning",
        "--max",
        str(len(sequence)),
        "--timeout",
        "60",
        "--show-repeats",
    ]
    assert consumer.main(argv) == 0
    changes = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert changes == ["NEW", "STALE", "REPEAT", "CORRECTION", "KILL", "REPEAT"]

    desk = consumer.Desk()
    events = consumer.read_stories(kafka_bootstrap, fresh_topic, None, True, max_events=len(sequence), timeout_s=30)
    for event in events:
        desk.apply(event)
    assert desk.stories == {} and desk.withdrawn == {story.uri}


def test_downstream_consumer_reads_committed_only(kafka_bootstrap: str, fresh_topic: str) -> None:
    """An exactly-once service's aborted transaction is invisible to the example (read_committed)."""
    consumer = load_example("downstream_consumer")
    _, aborted = _story_record(fresh_topic, version="7")
    _, committed = _story_record(fresh_topic, version="8")
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, transactional_id=f"ops-test-{uuid.uuid4().hex[:8]}")
    try:
        producer.init_transactions()
        for record, commit in ((aborted, False), (committed, True)):
            producer.begin_transaction()
            producer.send(fresh_topic, key=record.key, value=record.value, headers=record.headers)
            producer.flush()
            if commit:
                producer.commit_transaction()
            else:
                producer.abort_transaction()
    finally:
        producer.close()
    # read_uncommitted first: once it has both, the aborted record is surely on the broker
    dirty = consumer.read_stories(
        kafka_bootstrap, fresh_topic, None, True, max_events=2, timeout_s=30, isolation_level="read_uncommitted"
    )
    assert sorted(e.version for e in dirty) == [7, 8]
    seen = [e.version for e in consumer.read_stories(kafka_bootstrap, fresh_topic, None, True, timeout_s=4)]
    assert seen == [8]


def test_downstream_consumer_imports_nothing_from_newswire() -> None:
    tree = ast.parse((REPO_ROOT / "examples" / "downstream_consumer.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.split(".")[0] == "newswire"]


def test_downstream_consumer_rejects_records_that_are_not_cloudevents() -> None:
    consumer = load_example("downstream_consumer")
    with pytest.raises(ValueError, match="ce_id"):
        consumer.parse_attributes([("ce_specversion", b"1.0"), ("ce_source", b"s"), ("ce_type", b"t")])
