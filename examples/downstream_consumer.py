"""Downstream side: read newswire's story events (CloudEvents 1.0, Kafka binary mode).

Each record's key is the story `uri`; the CloudEvents attributes are `ce_*` headers and the
value is the ninjs 2.2 story (JSON), validated here with the published pydantic model
`newswire.events.NinjsStory` (the same model the JSON Schema in schemas/ is generated from).

    python examples/downstream_consumer.py --bootstrap localhost:9092 --from-beginning
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from newswire.events import NinjsStory

STORY_EVENT_TYPE = "io.newswire.story.v1"


@dataclass(frozen=True)
class CloudEventAttributes:
    """The CloudEvents context attributes carried as `ce_*` headers (binary content mode)."""

    specversion: str
    id: str
    source: str
    type: str
    time: str | None
    subject: str | None
    dataschema: str | None
    datacontenttype: str | None


@dataclass(frozen=True)
class StoryEvent:
    key: str | None
    attributes: CloudEventAttributes
    story: NinjsStory


def parse_attributes(headers: list[tuple[str, bytes]] | None) -> CloudEventAttributes:
    """`ce_` headers to attributes; raises ValueError when the record is not a CloudEvent 1.0."""
    values = {name: value.decode("utf-8") for name, value in headers or []}
    attributes = {name[3:]: text for name, text in values.items() if name.startswith("ce_")}
    missing = [name for name in ("specversion", "id", "source", "type") if name not in attributes]
    if missing:
        raise ValueError(f"not a CloudEvent: missing {', '.join('ce_' + name for name in missing)}")
    if attributes["specversion"] != "1.0":
        raise ValueError(f"unsupported CloudEvents specversion {attributes['specversion']}")
    return CloudEventAttributes(
        specversion=attributes["specversion"],
        id=attributes["id"],
        source=attributes["source"],
        type=attributes["type"],
        time=attributes.get("time"),
        subject=attributes.get("subject"),
        dataschema=attributes.get("dataschema"),
        datacontenttype=values.get("content-type"),
    )


def parse_record(record: Any) -> StoryEvent | None:
    """A story event, or None for a record of another event type (skip those, don't fail)."""
    attributes = parse_attributes(record.headers)
    if attributes.type != STORY_EVENT_TYPE:
        return None
    story = NinjsStory.model_validate_json(record.value)
    return StoryEvent(record.key.decode("utf-8") if record.key else None, attributes, story)


def describe(event: StoryEvent) -> str:
    headline = event.story.headlines[0].value if event.story.headlines else "(no headline)"
    return f"[{event.story.language or '?'}] {headline}  <{event.story.uri}>"


def read_stories(
    bootstrap: str,
    topic: str,
    group: str | None,
    from_beginning: bool,
    max_events: int | None = None,
    timeout_s: float | None = None,
) -> Iterator[StoryEvent]:
    """Story events as they arrive. With a group, offsets are committed after each event is
    handled (at-least-once, like newswire itself); without, partitions are read unmanaged."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        client_id="newswire-example-downstream",
    )
    try:
        if group:
            consumer.subscribe([topic])
        else:
            partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
            if not partitions:
                raise SystemExit(f"topic {topic!r} does not exist")
            consumer.assign(partitions)
            if from_beginning:
                consumer.seek_to_beginning(*partitions)
        seen = 0
        deadline = time.monotonic() + timeout_s if timeout_s else None
        while (max_events is None or seen < max_events) and (deadline is None or time.monotonic() < deadline):
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    event = parse_record(record)
                    if event is not None:
                        yield event  # the caller handles it before asking for the next one
                        seen += 1
                    if group:  # commit only what was handled: at-least-once
                        position = OffsetAndMetadata(record.offset + 1, "", -1)
                        consumer.commit({TopicPartition(record.topic, record.partition): position})
                    if max_events is not None and seen >= max_events:
                        return
    finally:
        consumer.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="print newswire story events: language and headline")
    parser.add_argument("--bootstrap", default=os.environ.get("NEWSWIRE_KAFKA_BOOTSTRAP", "localhost:9092"))
    parser.add_argument("--topic", default=os.environ.get("NEWSWIRE_TOPIC_STORIES", "news.stories"))
    parser.add_argument("--group", default="newswire-example-downstream", help="consumer group; '' for none")
    parser.add_argument("--from-beginning", action="store_true")
    parser.add_argument("--max", type=int, help="stop after N stories")
    parser.add_argument("--timeout", type=float, help="stop after S seconds")
    args = parser.parse_args(argv)
    try:
        for event in read_stories(args.bootstrap, args.topic, args.group or None, args.from_beginning,
                                  args.max, args.timeout):
            print(describe(event))
            sys.stdout.flush()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
