"""CloudEvents binary-mode story records and dead-letter records."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudevents.core.bindings import kafka as ce_kafka

from newswire.events.deadletter import Rejection
from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage
from newswire.samples import sample_paths
from newswire.stream.envelope import STORY_EVENT_TYPE, deadletter_record, event_id, story_record


def _story():  # type: ignore[no-untyped-def]
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=sample_paths()[0].read_bytes()))
    assert isinstance(outcome, Accepted)
    return outcome.stories[0]


def test_story_record_is_a_binary_mode_cloudevent_keyed_by_uri() -> None:
    story = _story()
    record = story_record(
        story, "news.stories", "urn:newswire", "https://x/story.schema.json", now=datetime(2025, 9, 4, tzinfo=UTC)
    )
    headers = dict(record.headers)
    assert record.topic == "news.stories"
    assert record.key == story.uri.encode()
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_type"] == STORY_EVENT_TYPE.encode()
    assert headers["ce_subject"] == story.uri.encode()
    assert headers["ce_time"].startswith(b"2025-09-04T00:00:00")
    assert headers["content-type"] == b"application/json"
    # The cloudevents SDK reads it back: the envelope is a real CloudEvent.
    event = ce_kafka.from_binary_event(ce_kafka.KafkaMessage(headers=headers, key=record.key, value=record.value))
    assert event.get_id() == event_id(story)
    assert event.get_data()["uri"] == story.uri


def test_event_id_is_stable_for_a_redelivered_story_and_changes_with_content() -> None:
    story = _story()
    assert event_id(story) == event_id(story.model_copy())
    changed = story.model_copy(update={"version": "2"})
    assert event_id(changed) != event_id(story)


def test_dead_letter_keeps_key_bytes_and_headers_and_replaces_old_error_headers() -> None:
    message = RawMessage(
        value=b"\x00\x01 not a story",
        key=b"upstream-42",
        headers={"source": b"feed-a", "newswire-error-reason": b"empty"},
        topic="wire.raw",
        partition=2,
        offset=99,
    )
    record = deadletter_record(message, Rejection(reason="undecodable", stage="decode", detail="binary"), "dlq")
    headers = dict(record.headers)
    assert record.key == b"upstream-42" and record.value == b"\x00\x01 not a story"
    assert headers["source"] == b"feed-a"
    assert headers["newswire-error-reason"] == b"undecodable"
    assert [name for name, _ in record.headers].count("newswire-error-reason") == 1
    assert headers["newswire-error-original-partition"] == b"2"
    assert headers["newswire-error-original-offset"] == b"99"
