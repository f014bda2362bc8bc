"""End to end on the real broker: raw wires in, story events and dead letters out, metrics add up."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from newswire.samples import SAMPLES_DIR, sample_paths
from tests.conftest import SEED
from tests.integration.conftest import (
    Service,
    Topics,
    consume,
    newswire_cmd,
    payload,
    produce,
    start_service,
)

SEED_HEADLINE = "Putin se reúne con Kim Jong-un, que promete seguir ayudando a Rusia en todo lo necesario"
CE_HEADERS = {"ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "ce_dataschema"}

BAD_INPUTS: dict[bytes, tuple[bytes, str]] = {
    b"bad-empty": (b"", "empty"),
    b"bad-binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "undecodable"),
    b"bad-large": (b"Lorem ipsum dolor sit amet. " * 10000, "too_large"),
    b"bad-format": (b'{"feed": "weather", "values": [1, 2, 3]}', "unrecognised_format"),
    b"bad-nocontent": (b"Madrid, 3 sep (EFE).-", "missing_content"),
}


def wait_for(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    assert condition()


def total(samples: dict[str, float], name: str) -> float:
    return sum(value for key, value in samples.items() if key == name or key.startswith(name + "{"))


def test_wires_become_story_events_and_bad_input_dead_letters(
    kafka_bootstrap: str, topics: Topics, service: Service, tmp_path: Path
) -> None:
    stories_expected = len(sample_paths())
    good: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]] = []
    if SEED.exists():
        good.append((b"seed", SEED.read_bytes(), [("content-type", b"text/plain"), ("source", b"efe")]))
        stories_expected += 1
    bad_headers = [("source", b"fuzzer"), ("x-trace", b"abc123")]
    produce(kafka_bootstrap, topics.raw, good + [(key, value, bad_headers) for key, (value, _) in BAD_INPUTS.items()])
    # The bundled samples go through the publish CLI, as a user would send them.
    subprocess.run(
        newswire_cmd("publish", str(SAMPLES_DIR), "--source", "samples"),
        env=service.env,
        check=True,
        timeout=60,
        capture_output=True,
    )

    stories = consume(kafka_bootstrap, topics.stories, stories_expected)
    letters = consume(kafka_bootstrap, topics.deadletter, len(BAD_INPUTS))
    assert len(stories) == stories_expected
    assert len(letters) == len(BAD_INPUTS)

    for record in stories:
        headers = {name: value.decode() for name, value in record.headers}
        story = payload(record)
        assert record.key.decode() == story["uri"] == headers["ce_subject"]
        assert set(headers) >= CE_HEADERS
        assert headers["ce_specversion"] == "1.0"
        assert headers["ce_type"] == "io.newswire.story.v1"
        assert headers["content-type"] == "application/json"
        assert story["headlines"][0]["value"] and story["bodies"][0]["wordcount"] > 20
        assert story["newswire"]["provenance"]["topic"] == topics.raw
        assert isinstance(story["newswire"]["provenance"]["offset"], int)
    headlines = {payload(record)["headlines"][0]["value"]: payload(record) for record in stories}
    if SEED.exists():
        seed_story = headlines[SEED_HEADLINE]
        assert seed_story["located"] == "Pekín"
        assert seed_story["language"] == "es"
        assert seed_story["newswire"]["dateline"]["date"] == "2025-09-03"
        assert len(seed_story["bodies"][0]["value"].split("\n\n")) == 14

    for record in letters:
        original, reason = BAD_INPUTS[record.key]
        headers = {name: value.decode() for name, value in record.headers}
        assert record.value == original  # untouched bytes
        assert headers["newswire-error-reason"] == reason
        assert headers["newswire-error-stage"]
        assert headers["newswire-error-original-topic"] == topics.raw
        assert int(headers["newswire-error-original-offset"]) >= 0
        assert int(headers["newswire-error-original-partition"]) in (0, 1, 2)
        assert headers["source"] == "fuzzer" and headers["x-trace"] == "abc123"  # original headers kept

    consumed_expected = stories_expected + len(BAD_INPUTS)

    def accounted() -> bool:
        return total(service.metrics(), "newswire_messages_consumed_total") == consumed_expected

    wait_for(accounted)
    metrics = service.metrics()
    consumed = total(metrics, "newswire_messages_consumed_total")
    published = metrics.get('newswire_messages_outcome_total{outcome="published"}', 0.0)
    deadlettered = metrics.get('newswire_messages_outcome_total{outcome="deadlettered"}', 0.0)
    duplicates = total(metrics, "newswire_duplicates_total")
    assert consumed == published + deadlettered + duplicates
    assert total(metrics, "newswire_stories_published_total") == stories_expected
    for reason in {reason for _, reason in BAD_INPUTS.values()}:
        assert metrics[f'newswire_deadletters_total{{reason="{reason}"}}'] >= 1
    assert total(metrics, "newswire_deadletters_total") == len(BAD_INPUTS)
    assert metrics['newswire_build_info{version="0.1.0"}'] == 1
    assert total(metrics, "newswire_end_to_end_seconds_count") == consumed_expected
    assert metrics['newswire_stage_seconds_count{stage="parse"}'] >= stories_expected
    status, body = service.get("/readyz")
    assert status == 200 and json.loads(body)["ready"] is True
    assert service.get("/healthz")[0] == 200

    # SIGTERM: graceful stop, exit 0, offsets committed: a restart reprocesses nothing.
    assert service.stop() == 0
    restarted = start_service(kafka_bootstrap, topics, tmp_path)
    try:
        time.sleep(3)
        assert total(restarted.metrics(), "newswire_messages_consumed_total") == 0
    finally:
        assert restarted.stop() == 0
    assert len(consume(kafka_bootstrap, topics.stories, stories_expected, timeout=5)) == stories_expected


def test_tail_prints_story_events_as_json_lines(kafka_bootstrap: str, topics: Topics, service: Service) -> None:
    sample = sample_paths()[0]
    subprocess.run(newswire_cmd("publish", str(sample)), env=service.env, check=True, timeout=60, capture_output=True)
    result = subprocess.run(
        newswire_cmd("tail", "--topic", topics.stories, "--from-beginning", "--max", "1", "--timeout", "60"),
        env=service.env,
        check=True,
        timeout=90,
        capture_output=True,
        text=True,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 1
    event = lines[0]
    assert event["topic"] == topics.stories
    assert event["key"] == event["value"]["uri"]
    assert event["headers"]["ce_specversion"] == "1.0"
    assert event["value"]["newswire"]["provenance"]["format"] == "agency_text"


def test_topics_ensure_is_idempotent_and_reports_drift(kafka_bootstrap: str, topics: Topics) -> None:
    env = {**__import__("os").environ, **topics.env(kafka_bootstrap)}
    again = subprocess.run(newswire_cmd("topics", "ensure"), env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count(": ok") == 4  # raw, stories, dead letters and the identity hand-off
    drifted = subprocess.run(
        newswire_cmd("topics", "ensure"),
        env={**env, "NEWSWIRE_RAW_RETENTION_MS": "1234"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert drifted.returncode == 1
    assert f"{topics.raw}: drift" in drifted.stdout and "retention.ms" in drifted.stdout
