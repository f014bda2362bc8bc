"""kafka-python tools around the service: publish raw files, tail any topic, replay dead letters."""

from __future__ import annotations

import json
import mimetypes
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from newswire.config import Settings
from newswire.events.deadletter import HEADER_PREFIX

_CONTENT_TYPES = {
    ".txt": "text/plain",
    ".json": "application/json",
    ".xml": "application/xml",
    ".nitf": "application/nitf+xml",
    ".anpa": "text/x-anpa",
}


@dataclass(frozen=True)
class RawFile:
    path: str
    data: bytes


def list_inputs(paths: Iterable[str]) -> list[str]:
    """Files named, files under directories (recursively, sorted), `-` for standard input.

    Raises FileNotFoundError for a path that does not exist.
    """
    found: list[str] = []
    for name in paths:
        path = Path(name)
        if name == "-":
            found.append(name)
        elif path.is_dir():
            found.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found.append(name)
        else:
            raise FileNotFoundError(name)
    return found


def read_input(name: str) -> RawFile:
    return RawFile(name, sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes())


def iter_inputs(paths: Iterable[str]) -> Iterator[RawFile]:
    """Read each input lazily, so a large directory is never all in memory."""
    return (read_input(name) for name in list_inputs(paths))


def guess_content_type(path: str) -> str | None:
    suffix = Path(path).suffix.lower()
    return _CONTENT_TYPES.get(suffix) or (mimetypes.guess_type(path)[0] if suffix else None)


def producer(settings: Settings) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_request_size=settings.topic_max_message_bytes,
        client_id="newswire-publish",
        **settings.kafka_python_security(),
    )


def publish(
    settings: Settings,
    files: Iterable[RawFile],
    topic: str,
    source: str | None = None,
    content_type: str | None = None,
    on_sent: Callable[[RawFile], None] | None = None,
) -> int:
    """Send each file as one raw message, with headers where known; returns the count acked."""
    kafka = producer(settings)
    futures = []
    try:
        for item in files:
            headers: list[tuple[str, bytes]] = [("received-at", datetime.now(tz=UTC).isoformat().encode())]
            kind = content_type or (guess_content_type(item.path) if item.path != "-" else None)
            if kind:
                headers.append(("content-type", kind.encode()))
            if source:
                headers.append(("source", source.encode()))
            if item.path != "-":
                headers.append(("filename", Path(item.path).name.encode()))
            futures.append(kafka.send(topic, value=item.data, headers=headers))
            if on_sent:
                on_sent(item)
        kafka.flush()
        for future in futures:
            future.get(timeout=60)  # raises if any message was not acknowledged
        return len(futures)
    finally:
        kafka.close()


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("utf-8", errors="replace")


def record_json(record: Any) -> dict[str, Any]:
    """The `newswire tail` line: value as JSON when it parses, else as text."""
    raw = _text(record.value)
    value: Any = raw
    if raw is not None:
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "timestamp": record.timestamp,
        "key": _text(record.key),
        "headers": {name: _text(value) for name, value in (record.headers or [])},
        "value": value,
    }


def iter_records(
    settings: Settings, topic: str, from_beginning: bool, max_messages: int | None, timeout_s: float | None
) -> Iterator[Any]:
    """Read a topic without joining a group (no offsets committed anywhere)."""
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        enable_auto_commit=False,
        group_id=None,
        client_id="newswire-tail",
        **settings.kafka_python_security(),
    )
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        if not partitions:
            raise SystemExit(f"topic {topic!r} does not exist")
        consumer.assign(partitions)
        if from_beginning:
            consumer.seek_to_beginning(*partitions)
        else:
            consumer.seek_to_end(*partitions)
        seen = 0
        deadline = time.monotonic() + timeout_s if timeout_s else None
        while max_messages is None or seen < max_messages:
            if deadline is not None and time.monotonic() >= deadline:
                return
            for records in consumer.poll(timeout_ms=200).values():
                for record in records:
                    yield record
                    seen += 1
                    if max_messages is not None and seen >= max_messages:
                        return
    finally:
        consumer.close()


def tail(
    settings: Settings, topic: str, from_beginning: bool, max_messages: int | None, timeout_s: float | None
) -> Iterator[dict[str, Any]]:
    return (record_json(record) for record in iter_records(settings, topic, from_beginning, max_messages, timeout_s))


def replay_deadletters(
    settings: Settings, target_topic: str, reason: str | None, max_messages: int | None, timeout_s: float
) -> int:
    """Send dead letters back to the raw topic: original key, bytes and headers, error headers removed."""
    kafka = producer(settings)
    sent = 0
    try:
        for record in iter_records(settings, settings.topic_deadletter, True, max_messages, timeout_s):
            headers = list(record.headers or [])
            if reason and (f"{HEADER_PREFIX}reason", reason.encode()) not in headers:
                continue
            original = [(name, value) for name, value in headers if not name.startswith(HEADER_PREFIX)]
            kafka.send(target_topic, key=record.key, value=record.value, headers=original)
            sent += 1
        kafka.flush()
        return sent
    finally:
        kafka.close()
