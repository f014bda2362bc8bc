"""Kafka records newswire writes: CloudEvents 1.0 binary-mode story events and dead letters.

A story event: key = story `uri`, value = ninjs JSON, `ce_*` headers (the Kafka protocol
binding of CloudEvents, via the cloudevents SDK). A dead letter: the original key, bytes
and headers untouched, plus the `newswire-error-*` headers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent

from newswire.events.deadletter import HEADER_PREFIX, DeadLetterHeaders, Rejection
from newswire.events.ninjs import NinjsStory
from newswire.pipeline.message import RawMessage

STORY_EVENT_TYPE = "io.newswire.story.v1"
Headers = list[tuple[str, bytes]]


@dataclass(frozen=True)
class Record:
    """One record to produce."""

    topic: str
    key: bytes | None
    value: bytes
    headers: Headers


def event_id(story: NinjsStory) -> str:
    """Stable per story version and content, so a redelivered story carries the same id."""
    return event_id_of(story.uri, story.version, story.newswire.identity.content_hash, story.pubstatus)


def event_id_of(uri: str, version: str, content_hash: str, pubstatus: str) -> str:
    basis = f"{uri}|{version}|{content_hash}|{pubstatus}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def story_record(story: NinjsStory, topic: str, source: str, dataschema: str, now: datetime | None = None) -> Record:
    data = story.model_dump_json(exclude_none=True).encode("utf-8")
    return story_json_record(story.uri, event_id(story), data, topic, source, dataschema, now)


def story_json_record(
    uri: str, ce_id: str, data: bytes, topic: str, source: str, dataschema: str, now: datetime | None = None
) -> Record:
    """The story event for already serialised ninjs ``data`` (the identity stage splices, never re-dumps)."""
    event = CloudEvent(
        attributes={
            "type": STORY_EVENT_TYPE,
            "source": source,
            "id": ce_id,
            "time": now or datetime.now(tz=UTC),
            "subject": uri,
            "dataschema": dataschema,
            "datacontenttype": "application/json",
            "partitionkey": uri,
        },
        data=data,
    )
    message = ce_kafka.to_binary_event(event)
    key = message.key.encode("utf-8") if isinstance(message.key, str) else message.key
    return Record(topic=topic, key=key, value=bytes(message.value or b""), headers=list(message.headers.items()))


def _without_error_headers(headers: Iterable[tuple[str, bytes]]) -> Headers:
    # A replayed dead letter that fails again gets fresh reason headers, not two sets.
    return [(name, value) for name, value in headers if not name.startswith(HEADER_PREFIX)]


def deadletter_record(message: RawMessage, rejection: Rejection, topic: str) -> Record:
    added = DeadLetterHeaders.model_validate(
        {
            "newswire-error-reason": rejection.reason,
            "newswire-error-stage": rejection.stage,
            "newswire-error-detail": rejection.detail,
            "newswire-error-original-topic": message.topic or "",
            "newswire-error-original-partition": "" if message.partition is None else str(message.partition),
            "newswire-error-original-offset": "" if message.offset is None else str(message.offset),
        }
    )
    headers = _without_error_headers(message.headers.items()) + added.as_kafka_headers()
    return Record(topic=topic, key=message.key, value=message.value or b"", headers=headers)
