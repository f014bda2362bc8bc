"""Integration fixtures: the real local Apache Kafka broker and the real service as a subprocess.

The broker is started once per test session with the project's own `deploy/local/kafka up`
(a no-op when one already runs), unless NEWSWIRE_KAFKA_BOOTSTRAP points at another broker.
Every test gets its own topic names and consumer group, so tests never see each other's data.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic

from tests.conftest import REPO_ROOT

KAFKA_SCRIPT = REPO_ROOT / "deploy" / "local" / "kafka"


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    configured = os.environ.get("NEWSWIRE_KAFKA_BOOTSTRAP")
    if configured:
        return configured
    subprocess.run([str(KAFKA_SCRIPT), "up"], check=True, timeout=600)
    return f"localhost:{os.environ.get('NEWSWIRE_LOCAL_KAFKA_PORT', '9092')}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Topics:
    raw: str
    stories: str
    deadletter: str
    group: str

    def env(self, bootstrap: str) -> dict[str, str]:
        return {
            "NEWSWIRE_KAFKA_BOOTSTRAP": bootstrap,
            "NEWSWIRE_TOPIC_RAW": self.raw,
            "NEWSWIRE_TOPIC_STORIES": self.stories,
            "NEWSWIRE_TOPIC_DEADLETTER": self.deadletter,
            "NEWSWIRE_GROUP_ID": self.group,
        }


def newswire_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "newswire", *args]


@pytest.fixture
def topics(kafka_bootstrap: str) -> Topics:
    run = uuid.uuid4().hex[:10]
    made = Topics(f"test.{run}.raw", f"test.{run}.stories", f"test.{run}.deadletter", f"test-{run}")
    env = {**os.environ, **made.env(kafka_bootstrap)}
    subprocess.run(newswire_cmd("topics", "ensure"), check=True, env=env, timeout=60, capture_output=True)
    return made


@dataclass
class Service:
    process: subprocess.Popen[bytes]
    metrics_port: int
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.metrics_port}{path}"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=5) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode()

    def metrics(self) -> dict[str, float]:
        """Sample name with labels -> value, from the live /metrics page."""
        _, text = self.get("/metrics")
        samples: dict[str, float] = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                samples[name] = float(value)
        return samples

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"service exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                status, _ = self.get("/readyz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"service not ready in {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return int(self.process.returncode)


def start_service(kafka_bootstrap: str, topics: Topics, tmp_path: Path, **extra_env: str) -> Service:
    port = free_port()
    log_path = tmp_path / f"service-{port}.log"
    env = {
        **os.environ,
        **topics.env(kafka_bootstrap),
        "NEWSWIRE_METRICS_PORT": str(port),
        "NEWSWIRE_METRICS_HOST": "127.0.0.1",
        "NEWSWIRE_LOG_FORMAT": "json",
        **extra_env,
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(newswire_cmd("serve"), env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    service = Service(process, port, log_path, env)
    service.wait_ready()
    return service


@pytest.fixture
def service(kafka_bootstrap: str, topics: Topics, tmp_path: Path) -> Iterator[Service]:
    started = start_service(kafka_bootstrap, topics, tmp_path, NEWSWIRE_MAX_MESSAGE_BYTES="200000")
    yield started
    started.stop()


def produce(bootstrap: str, topic: str, messages: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]]) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", max_request_size=5 * 1024 * 1024)
    try:
        for key, value, headers in messages:
            producer.send(topic, key=key, value=value, headers=headers)
        producer.flush(timeout=60)
    finally:
        producer.close()


def consume(bootstrap: str, topic: str, expected: int, timeout: float = 60) -> list[Any]:
    """Read a topic from the beginning until `expected` records arrived (or time runs out)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        records: list[Any] = []
        deadline = time.monotonic() + timeout
        while len(records) < expected and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
        # A short extra read catches anything beyond what we expected (duplicates, strays).
        for batch in consumer.poll(timeout_ms=1000).values():
            records.extend(batch)
        return records
    finally:
        consumer.close()


def payload(record: Any) -> dict[str, Any]:
    return dict(json.loads(record.value))


def committed_offsets(bootstrap: str, group: str, topic: str) -> dict[int, int]:
    """The consumer group's committed offsets on `topic` (partition -> next offset to read)."""
    client = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="tests-admin")
    try:
        found = client.list_group_offsets({group: None}).get(group, {})
    finally:
        client.close()
    return {tp.partition: meta.offset for tp, meta in found.items() if tp.topic == topic and meta.offset >= 0}


def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        return {tp.partition: offset for tp, offset in consumer.end_offsets(parts).items()}
    finally:
        consumer.close()


@contextmanager
def temporary_topic(bootstrap: str, partitions: int, prefix: str = "ops-test") -> Iterator[str]:
    """A topic of its own (`prefix.<random>`) for one test, deleted afterwards."""
    name = f"{prefix}.{uuid.uuid4().hex[:12]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="ops-test")
    try:
        admin.create_topics([NewTopic(name, partitions, 1)])
        yield name
        admin.delete_topics([name])
    finally:
        admin.close()


@pytest.fixture
def fresh_topic(kafka_bootstrap: str) -> Iterator[str]:
    """A two-partition topic of its own for one test, deleted afterwards."""
    with temporary_topic(kafka_bootstrap, 2) as name:
        yield name
