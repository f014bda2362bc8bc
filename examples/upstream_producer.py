"""Upstream side: send a plain-text wire file to newswire's raw topic with plain kafka-python.

Any Kafka producer can feed newswire; this is all it takes. The value is the file's bytes as
they are (newswire sniffs the format and decodes the charset itself); the optional headers
help it: `content-type`, `source` (your feed id), `filename` and `received-at`.

    python examples/upstream_producer.py story.txt --source efe-es --bootstrap localhost:9092
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from kafka import KafkaProducer


def build_headers(path: Path, source: str | None, content_type: str) -> list[tuple[str, bytes]]:
    headers = [
        ("content-type", content_type.encode()),
        ("filename", path.name.encode()),
        ("received-at", datetime.now(tz=UTC).isoformat().encode()),
    ]
    if source:
        headers.append(("source", source.encode()))
    return headers


def send_wire(
    bootstrap: str,
    topic: str,
    path: Path,
    source: str | None = None,
    content_type: str = "text/plain",
    key: str | None = None,
) -> tuple[int, int]:
    """Send one file as one message; returns (partition, offset) once Kafka acknowledged it."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    try:
        future = producer.send(
            topic,
            key=key.encode() if key else None,
            value=path.read_bytes(),
            headers=build_headers(path, source, content_type),
        )
        metadata = future.get(timeout=60)  # raises if the broker refused the message
        return int(metadata.partition), int(metadata.offset)
    finally:
        producer.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="send a plain-text wire file to newswire's raw topic")
    parser.add_argument("path", type=Path, help="the wire file (sent byte for byte)")
    parser.add_argument("--bootstrap", default=os.environ.get("NEWSWIRE_KAFKA_BOOTSTRAP", "localhost:9092"))
    parser.add_argument("--topic", default=os.environ.get("NEWSWIRE_TOPIC_RAW", "wire.raw"))
    parser.add_argument("--source", help="feed id, sent as the `source` header")
    parser.add_argument("--content-type", default="text/plain")
    parser.add_argument("--key", help="upstream id (optional message key)")
    args = parser.parse_args(argv)
    if not args.path.is_file():
        print(f"no such file: {args.path}", file=sys.stderr)
        return 2
    partition, offset = send_wire(args.bootstrap, args.topic, args.path, args.source, args.content_type, args.key)
    print(f"sent {args.path} to {args.topic} partition {partition} offset {offset}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
