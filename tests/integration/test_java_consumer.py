"""The Java consumer example (official kafka-clients, via Maven) reads newswire's story events from a
stories topic on the real broker: the contract (CloudEvents headers, ninjs JSON) outside Python."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage
from newswire.samples import sample_paths
from newswire.stream.envelope import story_record
from tests.conftest import REPO_ROOT, SEED
from tests.integration.conftest import produce

RUN = REPO_ROOT / "examples" / "java" / "run"
pytestmark = pytest.mark.skipif(
    shutil.which("mvn") is None or shutil.which("java") is None, reason="needs Maven and JDK 17 (as the broker)"
)


def test_java_consumer_prints_the_seed_story_headline(kafka_bootstrap: str, fresh_topic: str) -> None:
    source = SEED if SEED.exists() else sample_paths()[0]
    outcome = Pipeline(PipelineOptions(enrich_stages=("language",))).process(RawMessage(value=source.read_bytes()))
    assert isinstance(outcome, Accepted)
    story = outcome.stories[0]
    record = story_record(story, fresh_topic, "urn:newswire", "https://newswire.example/schemas/story.schema.json")
    foreign = [("ce_specversion", b"1.0"), ("ce_id", b"x"), ("ce_source", b"urn:other"), ("ce_type", b"other.v1")]
    # a foreign event (skipped), the story, and the story again (an at-least-once repeat, dropped)
    produce(
        kafka_bootstrap,
        fresh_topic,
        [(record.key, b"{}", foreign), *[(record.key, record.value, record.headers)] * 2],
    )
    result = subprocess.run(
        [str(RUN), "--bootstrap", kafka_bootstrap, "--topic", fresh_topic, "--timeout", "8"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    headline = story.headlines[0].value
    ce_id = dict(record.headers)["ce_id"].decode()
    assert lines == [f"STORY [{story.language}] {headline}  <{story.uri}> v{story.version} id={ce_id}"]
    print(lines[0])  # the seed story's headline, as the Java consumer printed it
