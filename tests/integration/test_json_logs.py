"""The real service's log, with LOG_FORMAT=json: every line is one JSON object, faust's, mode's and
aiokafka's included; lines about one message name its topic, partition, offset and story uri; and
NEWSWIRE_TRACE_OFFSETS traces each raw record's fetch, ack and commit, and the seeks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SEED
from tests.integration.conftest import Topics, consume, produce, start_service

STORY = (
    b"Lisboa, 4 mar (EFE).- El ayuntamiento de la ciudad abrio hoy un nuevo puente peatonal sobre el rio, "
    b"tras dos anos de obras, segun informaron fuentes municipales a la agencia."
)


def _lines(path: Path) -> list[dict[str, Any]]:
    parsed = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            raise AssertionError(f"line {number} of the service log is not JSON: {line!r}") from None
        assert isinstance(event, dict), f"line {number} is JSON but not an object: {line!r}"
        parsed.append(event)
    return parsed


def test_every_line_of_a_serve_log_is_json_and_message_lines_name_the_message(
    kafka_bootstrap: str, topics: Topics, tmp_path: Path
) -> None:
    # DEBUG: the most lines, from every library, and one line per message outcome; offsets traced.
    service = start_service(
        kafka_bootstrap,
        topics,
        tmp_path,
        NEWSWIRE_LOG_LEVEL="DEBUG",
        NEWSWIRE_ENRICH_STAGES="",
        NEWSWIRE_TRACE_OFFSETS="true",
    )
    try:
        story = SEED.read_bytes() if SEED.exists() else STORY
        produce(
            kafka_bootstrap,
            topics.raw,
            [(b"good", story, [("content-type", b"text/plain")]), (b"bad", b"", [])],
        )
        (story_event,) = consume(kafka_bootstrap, topics.stories, 1)
        (dead_letter,) = consume(kafka_bootstrap, topics.deadletter, 1)
    finally:
        assert service.stop() == 0
    events = _lines(service.log_path)
    assert len(events) > 50
    loggers = {event["logger"] for event in events}
    assert any(name.startswith("aiokafka") for name in loggers), loggers
    assert any(name.startswith(("faust", "mode")) for name in loggers), loggers
    assert any("Worker" in event["message"] for event in events), "faust's worker lines go through our handler"

    rejected = [event for event in events if event["message"].startswith("deadlettered: empty")]
    assert len(rejected) == 1, rejected
    headers = {name: value.decode() for name, value in dead_letter.headers}
    assert rejected[0]["topic"] == topics.raw
    assert rejected[0]["partition"] == int(headers["newswire-error-original-partition"])
    assert rejected[0]["offset"] == int(headers["newswire-error-original-offset"])

    published = [event for event in events if event["message"] == "published"]
    assert published, "the identity step logs each story's outcome"
    assert [event["uri"] for event in published] == [story_event.key.decode()]
    assert all({"topic", "partition", "offset"} <= event.keys() for event in published), published

    # The offset trace of the dead letter's raw record: fetched, acked (counted), committed past.
    where = (topics.raw, int(headers["newswire-error-original-partition"]))
    offset = int(headers["newswire-error-original-offset"])
    traced = [event for event in events if event.get("trace") and (event["topic"], event["partition"]) == where]
    kinds = {event["trace"] for event in traced}
    assert {"fetch", "ack", "seek", "commit"} <= kinds, kinds
    assert any(e["trace"] == "fetch" and e["first"] <= offset <= e["last"] for e in traced)
    assert any(e["trace"] == "ack" and e["offset"] == offset and e["counted"] for e in traced)
    assert any(e["trace"] == "commit" and e["offset"] > offset and e["committed"] for e in traced)
