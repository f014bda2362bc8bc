"""Downstream side: keep a desk of live stories from newswire's story events.

Standalone: kafka-python and the standard library only, nothing from the newswire package, so it
shows the contract as any consumer sees it. Each record's key is the story `uri`, the CloudEvents
attributes are `ce_*` headers (Kafka binary mode) and the value is the ninjs 2.2 story as JSON.

What a consumer has to handle, and how this one does:
- **repeats**: delivery is at-least-once, so the same event can come twice. An event is identified
  by `ce_id` (stable per story version and content) and a story version by `(uri, version)`; both
  are remembered (bounded) and a repeat changes nothing.
- **updates and corrections**: a new version of a story keeps its `uri` and raises `version`; it
  replaces the one on the desk (`newswire.kind` says `correction` for a correction). An older
  version arriving late is ignored.
- **kills**: `pubstatus: canceled` withdraws a story: it leaves the desk and stays withdrawn.
- **exactly-once**: the consumer reads `read_committed`, so with NEWSWIRE_PROCESSING_GUARANTEE=
  exactly_once it never sees the stories of an aborted transaction (without transactions, as in
  the default at-least-once mode, read_committed reads the same as read_uncommitted).

    python examples/downstream_consumer.py --bootstrap localhost:9092 --from-beginning
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

STORY_EVENT_TYPE = "io.newswire.story.v1"
REMEMBERED = 100_000  # ids and versions kept for de-duplication (oldest forgotten first)


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
    traceparent: str | None = None


@dataclass(frozen=True)
class StoryEvent:
    key: str | None
    attributes: CloudEventAttributes
    story: dict[str, Any]

    @property
    def uri(self) -> str:
        return str(self.story["uri"])

    @property
    def version(self) -> int:
        """ninjs `version` is a string; newswire writes whole numbers, counting from 1."""
        text = str(self.story.get("version", "1"))
        return int(text) if text.isdigit() else 1

    @property
    def killed(self) -> bool:
        return self.story.get("pubstatus") == "canceled"

    @property
    def kind(self) -> str:
        return str((self.story.get("newswire") or {}).get("kind") or "story")

    @property
    def headline(self) -> str:
        headlines = self.story.get("headlines") or []
        return str(headlines[0].get("value")) if headlines else "(no headline)"


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
        traceparent=attributes.get("traceparent"),
    )


def parse_record(record: Any) -> StoryEvent | None:
    """A story event, or None for a record of another event type (skip those, don't fail)."""
    attributes = parse_attributes(record.headers)
    if attributes.type != STORY_EVENT_TYPE:
        return None
    story = json.loads(record.value)
    if not isinstance(story, dict) or not story.get("uri"):
        raise ValueError(f"story event {attributes.id} has no ninjs uri")
    return StoryEvent(record.key.decode("utf-8") if record.key else None, attributes, story)


class _Bounded:
    """A set that forgets its oldest members beyond `limit` (a consumer runs for months)."""

    def __init__(self, limit: int = REMEMBERED) -> None:
        self._items: OrderedDict[Any, None] = OrderedDict()
        self._limit = limit

    def add(self, item: Any) -> bool:
        """True when the item is new."""
        if item in self._items:
            return False
        self._items[item] = None
        if len(self._items) > self._limit:
            self._items.popitem(last=False)
        return True


@dataclass
class Desk:
    """The live stories, latest version of each, as a downstream desk keeps them."""

    stories: dict[str, StoryEvent] = field(default_factory=dict)
    withdrawn: set[str] = field(default_factory=set)
    _ids: _Bounded = field(default_factory=_Bounded)
    _versions: _Bounded = field(default_factory=_Bounded)

    def apply(self, event: StoryEvent) -> str:
        """What the event did: new, update, correction, kill, repeat or stale."""
        fresh_id = self._ids.add(event.attributes.id)
        fresh_version = self._versions.add((event.uri, event.version, event.killed))
        if not (fresh_id and fresh_version):
            return "repeat"
        current = self.stories.get(event.uri)
        if event.killed:
            self.stories.pop(event.uri, None)
            self.withdrawn.add(event.uri)
            return "kill"
        if event.uri in self.withdrawn or (current is not None and event.version <= current.version):
            return "stale"  # a late older version, or anything after a kill
        self.stories[event.uri] = event
        if current is None:
            return "new"
        return "correction" if event.kind == "correction" else "update"


def describe(event: StoryEvent, change: str = "new") -> str:
    language = event.story.get("language") or "?"
    return f"{change.upper():<10} [{language}] {event.headline}  <{event.uri}> v{event.version}"


def read_stories(
    bootstrap: str,
    topic: str,
    group: str | None,
    from_beginning: bool,
    max_events: int | None = None,
    timeout_s: float | None = None,
    isolation_level: str = "read_committed",
) -> Iterator[StoryEvent]:
    """Story events as they arrive. With a group, offsets are committed after each event is
    handled (at-least-once, like newswire itself); without, partitions are read unmanaged."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        isolation_level=isolation_level,
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
    parser = argparse.ArgumentParser(description="keep a desk of live newswire stories; print each change")
    parser.add_argument("--bootstrap", default=os.environ.get("NEWSWIRE_KAFKA_BOOTSTRAP", "localhost:9092"))
    parser.add_argument("--topic", default=os.environ.get("NEWSWIRE_TOPIC_STORIES", "news.stories"))
    parser.add_argument("--group", default="newswire-example-downstream", help="consumer group; '' for none")
    parser.add_argument("--from-beginning", action="store_true")
    parser.add_argument("--max", type=int, help="stop after N story events")
    parser.add_argument("--timeout", type=float, help="stop after S seconds")
    parser.add_argument(
        "--isolation",
        choices=("read_committed", "read_uncommitted"),
        default="read_committed",
        help="read_committed (default) hides aborted transactions of an exactly-once service",
    )
    parser.add_argument("--show-repeats", action="store_true", help="also print repeats and stale versions")
    args = parser.parse_args(argv)
    desk = Desk()
    try:
        events = read_stories(
            args.bootstrap, args.topic, args.group or None, args.from_beginning, args.max, args.timeout, args.isolation
        )
        for event in events:
            change = desk.apply(event)
            if change not in ("repeat", "stale") or args.show_repeats:
                print(describe(event, change))
                sys.stdout.flush()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
