"""Fault-injection helpers: a ledger of raw inputs and its accounting, private brokers, RSS sampling.

The ledger publishes N distinct raw messages (about 5% of them bad), each with a unique key
`in-000123`, then reads the story and dead-letter topics back and checks that every input
ended as exactly what it should be:

- a good input as a story: the story's `newswire.provenance.{partition,offset}` is mapped to
  the input's key by reading the raw topic back;
- a bad input as a dead letter: the dead letter keeps the original key.

`lost` (inputs with no outcome) must be 0. Raw redelivery after a crash may publish a story
twice (at-least-once); that is reported as `raw_redeliveries`. After de-duplication by story
`(uri, version)` (and dead letters by original partition/offset) there must be exactly one
outcome per input (`duplicates_after_dedup` == 0).

Tests that stop or restart a broker use a PRIVATE instance (`PrivateKafka`), never the shared
broker on localhost:9092.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from tests.integration.conftest import (  # noqa: F401  (kafka_bootstrap is a fixture used here)
    KAFKA_SCRIPT,
    Service,
    Topics,
    committed_offsets,
    end_offsets,
    kafka_bootstrap,
    start_service,
)

CACHED_LIBS = Path.home() / ".cache" / "newswire" / "local-kafka" / "libs-4.1.1"

# The worker's settings in most fault tests: normalise only (these tests are about delivery, not
# enrichment; test_restart_time.py runs with full enrichment). The consumer-group timing is the
# production default (NEWSWIRE_SESSION_TIMEOUT_S and friends), so the tests see what production sees.
FAULT_ENV = {
    "NEWSWIRE_ENRICH_STAGES": "",
    "NEWSWIRE_MAX_MESSAGE_BYTES": "200000",
    "NEWSWIRE_LOG_LEVEL": "INFO",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "faults: fault-injection tests against real brokers (slow; `pytest -m faults tests/faults`)"
    )


# --------------------------------------------------------------------------------------------
# reporting


def report(name: str, figures: dict[str, Any]) -> None:
    """Print a test's figures, and append them to $NEWSWIRE_FAULTS_REPORT (JSON lines) if set."""
    line = json.dumps({"test": name, **figures}, sort_keys=True, default=str)
    print(f"\nFAULTS-REPORT {line}")
    target = os.environ.get("NEWSWIRE_FAULTS_REPORT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(line + "\n")


# --------------------------------------------------------------------------------------------
# topics, offsets


def admin(bootstrap: str, **security: Any) -> KafkaAdminClient:
    return KafkaAdminClient(bootstrap_servers=bootstrap, client_id="faults-admin", **security)


def create_topic(
    bootstrap: str,
    name: str,
    partitions: int = 3,
    config: dict[str, str] | None = None,
    timeout: float = 60,
    **security: Any,
) -> None:
    """Create a topic, retrying while a deletion of the same name is still in progress."""
    client = admin(bootstrap, **security)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                client.create_topics([NewTopic(name, partitions, 1, topic_configs=config or {})])
                break
            except TopicAlreadyExistsError:  # a deletion of the same name may still be in progress
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        # Wait until every partition has a leader: producers may then write at once.
        while time.monotonic() < deadline:
            described = {t["name"]: t for t in client.describe_topics([name])}
            parts = described.get(name, {}).get("partitions") or []
            if len(parts) == partitions and all(p.get("leader_id", -1) >= 0 for p in parts):
                return
            time.sleep(0.3)
        raise AssertionError(f"topic {name} has no leaders after {timeout}s")
    finally:
        client.close()


def delete_topic(bootstrap: str, name: str, timeout: float = 60) -> None:
    client = admin(bootstrap)
    try:
        client.delete_topics([name])
        deadline = time.monotonic() + timeout
        while name in set(client.list_topics()):
            if time.monotonic() > deadline:
                raise AssertionError(f"topic {name} still listed {timeout}s after deletion")
            time.sleep(0.3)
    finally:
        client.close()


def make_topics(
    bootstrap: str,
    partitions: int = 3,
    stories_config: dict[str, str] | None = None,
    raw_config: dict[str, str] | None = None,
    **security: Any,
) -> Topics:
    run = uuid.uuid4().hex[:10]
    made = Topics(f"faults.{run}.raw", f"faults.{run}.stories", f"faults.{run}.deadletter", f"faults-{run}")
    create_topic(bootstrap, made.raw, partitions, raw_config, **security)
    create_topic(bootstrap, made.stories, partitions, stories_config, **security)
    create_topic(bootstrap, made.deadletter, partitions, None, **security)
    # The hand-off to the identity stage (`newswire topics ensure` makes it too): one partition.
    create_topic(bootstrap, identity_topic(made), 1, None, **security)
    return made


def identity_topic(topics: Topics) -> str:
    """The worker's internal hand-off topic to the identity stage (NEWSWIRE_TOPIC_IDENTITY default)."""
    return f"{topics.group}.identity"


def wait_until(condition: Any, timeout: float, interval: float = 0.5, message: str = "condition") -> float:
    """Poll `condition()` until it is true; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(interval)
    raise AssertionError(f"{message} not reached within {timeout}s")


# --------------------------------------------------------------------------------------------
# the ledger

WORDS = [
    "gobierno",
    "acuerdo",
    "ministro",
    "ciudad",
    "informe",
    "empresa",
    "mercado",
    "anuncio",
    "reunión",
    "tribunal",
    "elecciones",
    "presupuesto",
    "puerto",
    "hospital",
    "escuela",
    "campaña",
    "sindicato",
    "huelga",
    "cosecha",
    "turismo",
    "energía",
    "agua",
    "consejo",
    "alcalde",
    "vecinos",
    "obras",
    "carretera",
    "tren",
    "vuelo",
    "precio",
    "salario",
    "empleo",
    "juicio",
    "sentencia",
]

# Bad inputs and the dead-letter reason each must get (as the service is configured in FAULT_ENV).
BAD_KINDS: tuple[tuple[str, str], ...] = (
    ("empty", "empty"),
    ("binary", "undecodable"),
    ("json", "unrecognised_format"),
    ("nocontent", "missing_content"),
    ("large", "too_large"),
)


def good_story(n: int, rng: random.Random, paragraphs: int = 2) -> bytes:
    """A small, distinct EFE-style plain-text story. Bodies mix common words with made-up ones, so
    no two stories are near-duplicates (the identity stage must not suppress any of them)."""

    def made_up() -> str:
        return "".join(rng.choice("bcdfglmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))

    def words(count: int) -> str:
        return " ".join(made_up() if rng.random() < 0.5 else rng.choice(WORDS) for _ in range(count))

    body = [f"Madrid, 3 sep (EFE).- Body text {n} {words(50)}."]
    body += [f"Párrafo {k} de la noticia {n}: {words(40)}." for k in range(2, paragraphs + 1)]
    return ("date 2025-09-03 Headline " + f"{n} {words(3)}\n\n" + "\n\n".join(body) + "\n\nEFE\n").encode()


def bad_input(kind: str, n: int) -> bytes:
    if kind == "empty":
        return b""
    if kind == "binary":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + n.to_bytes(4, "big") * 40
    if kind == "json":
        return json.dumps({"feed": "weather", "n": n, "values": [1, 2, 3]}).encode()
    if kind == "nocontent":
        return b"Madrid, 3 sep (EFE).-"
    if kind == "large":
        return f"Lorem ipsum {n} dolor sit amet. ".encode() * 8000  # > 200 kB, NEWSWIRE_MAX_MESSAGE_BYTES
    raise ValueError(kind)


@dataclass(frozen=True)
class Input:
    key: str
    value: bytes
    reason: str | None  # None: must become a story; else the dead-letter reason it must get


@dataclass
class Accounting:
    inputs: int
    good: int
    bad: int
    story_records: int
    deadletter_records: int
    lost: list[str]
    wrong_outcome: list[str]
    wrong_reason: list[str]
    duplicates_before_dedup: int  # output records beyond one per input (stories + dead letters)
    duplicates_after_dedup: int  # distinct (uri, version) / dead letters beyond one per input
    strays: int  # records that map to no input of this ledger
    # Raw inputs processed more than once (at-least-once redelivery after a crash or rebalance):
    # hand-offs to the identity stage beyond one per raw offset, plus dead letters beyond one per
    # input. A redelivered good input is normally suppressed by the identity stage as an exact
    # duplicate (so it costs no second story); `suppressed_redeliveries` counts those.
    raw_redeliveries: int = 0
    suppressed_redeliveries: int = 0
    # Where each repeated input's records sit (topic/partition/offset@timestamp), for failure messages.
    repeats: list[str] = field(default_factory=list)
    # Where each lost input sits (its raw partition/offset, and any hand-off of it): which step lost it.
    lost_places: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "N": self.inputs,
            "good": self.good,
            "bad": self.bad,
            "story_records": self.story_records,
            "deadletter_records": self.deadletter_records,
            "lost": len(self.lost),
            "lost_places": self.lost_places[:10],
            "wrong_outcome": len(self.wrong_outcome),
            "wrong_reason": len(self.wrong_reason),
            "duplicates_before_dedup": self.duplicates_before_dedup,
            "duplicates_after_dedup": self.duplicates_after_dedup,
            "raw_redeliveries": self.raw_redeliveries,
            "redeliveries_suppressed_by_identity": self.suppressed_redeliveries,
            "strays": self.strays,
        }

    def assert_exact(self) -> None:
        assert not self.lost, f"{len(self.lost)} input(s) lost, e.g. {self.lost_places[:10]}"
        assert not self.wrong_outcome, f"wrong outcome for {self.wrong_outcome[:10]}"
        assert not self.wrong_reason, f"wrong dead-letter reason for {self.wrong_reason[:10]}"
        assert self.duplicates_after_dedup == 0, f"{self.duplicates_after_dedup} duplicate(s) after de-dup"
        assert self.strays == 0, f"{self.strays} record(s) map to no input"


class Ledger:
    """N distinct raw inputs, ~5% bad, each with a unique key; publishes them and accounts for them."""

    def __init__(
        self,
        bootstrap: str,
        topics: Topics,
        n: int = 2000,
        bad_ratio: float = 0.05,
        seed: int = 7,
        start: int = 0,
        kinds: tuple[tuple[str, str], ...] = BAD_KINDS,
        paragraphs: int = 2,
        security: dict[str, Any] | None = None,
        oversized_every: int = 0,
        oversized_paragraphs: int = 120,
        isolation_level: str = "read_uncommitted",
    ) -> None:
        """`oversized_every` k > 0: every k-th good input is a long story (`oversized_paragraphs`) that
        a stories topic with a small max.message.bytes refuses; it must end as a `too_large` dead letter
        written by the identity stage (keyed by story uri; mapped back through its hand-off header)."""
        self.bootstrap = bootstrap
        self.topics = topics
        self.security = security or {}
        rng = random.Random(seed)
        self.inputs: list[Input] = []
        bad_every = max(1, round(1 / bad_ratio)) if bad_ratio > 0 else 0
        for i in range(start, start + n):
            key = f"in-{i:06d}"
            if bad_every and i % bad_every == bad_every // 2:
                kind, reason = kinds[(i // bad_every) % len(kinds)]
                self.inputs.append(Input(key, bad_input(kind, i), reason))
            elif oversized_every and i % oversized_every == oversized_every - 1:
                self.inputs.append(Input(key, good_story(i, rng, oversized_paragraphs), "too_large"))
            else:
                self.inputs.append(Input(key, good_story(i, rng, paragraphs), None))
        self.by_key = {item.key: item for item in self.inputs}
        self.isolation_level = isolation_level  # of the reader of the outputs
        self._outputs: Outputs | None = None

    # publishing ------------------------------------------------------------------------------
    def _producer(self) -> KafkaProducer:
        return KafkaProducer(
            bootstrap_servers=self.bootstrap, acks="all", linger_ms=5, max_request_size=5 * 1024 * 1024, **self.security
        )

    def publish(self, items: list[Input] | None = None) -> None:
        producer = self._producer()
        try:
            for item in self.inputs if items is None else items:
                producer.send(
                    self.topics.raw,
                    key=item.key.encode(),
                    value=item.value,
                    headers=[("content-type", b"text/plain"), ("source", b"faults")],
                )
            producer.flush(timeout=120)
        finally:
            producer.close()

    def publish_paced(self, seconds: float, items: list[Input] | None = None) -> Publisher:
        """Publish in a background thread, spread evenly over `seconds` (a stream, not a burst)."""
        publisher = Publisher(self, list(self.inputs if items is None else items), seconds)
        publisher.start()
        return publisher

    # reading back ----------------------------------------------------------------------------
    def raw_index(self) -> dict[tuple[int, int], str]:
        """(partition, offset) of the raw topic -> input key, by reading the raw topic back."""
        consumer = KafkaConsumer(
            bootstrap_servers=self.bootstrap,
            group_id=None,
            enable_auto_commit=False,
            fetch_max_bytes=50 * 1024 * 1024,
            **self.security,
        )
        try:
            parts = [TopicPartition(self.topics.raw, p) for p in sorted(consumer.partitions_for_topic(self.topics.raw))]
            consumer.assign(parts)
            consumer.seek_to_beginning(*parts)
            ends = consumer.end_offsets(parts)
            index: dict[tuple[int, int], str] = {}
            deadline = time.monotonic() + 120
            while any(consumer.position(tp) < ends[tp] for tp in parts) and time.monotonic() < deadline:
                for batch in consumer.poll(timeout_ms=500).values():
                    for record in batch:
                        index[(record.partition, record.offset)] = (record.key or b"").decode()
            return index
        finally:
            consumer.close()

    @property
    def outputs(self) -> Outputs:
        if self._outputs is None:
            topics = [self.topics.stories, self.topics.deadletter, identity_topic(self.topics)]
            self._outputs = Outputs(self.bootstrap, topics, {"isolation_level": self.isolation_level, **self.security})
        return self._outputs

    def wait_accounted(self, timeout: float, keys: set[str] | None = None) -> Accounting:
        """Read outputs until every input (or every one of `keys`) has an outcome, or time runs out."""
        wanted = set(self.by_key) if keys is None else keys
        index = self.raw_index()
        deadline = time.monotonic() + timeout
        accounting = self.account(index, wanted)
        while time.monotonic() < deadline:
            self.outputs.poll(2.0)
            accounting = self.account(index, wanted)
            if not accounting.lost:
                break
        self.outputs.poll(2.0)  # a last read picks up late duplicates
        return self.account(index, wanted)

    def account(self, index: dict[tuple[int, int], str], wanted: set[str]) -> Accounting:
        stories: dict[str, list[tuple[str, str]]] = defaultdict(list)  # key -> [(uri, version)]
        places: dict[str, list[str]] = defaultdict(list)  # key -> where its stories and hand-offs sit
        letters: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # key -> [(reason, part, offset)]
        strays = 0
        for record in self.outputs.records.get(self.topics.stories, []):
            story = json.loads(record.value)
            provenance = story["newswire"]["provenance"]
            key = index.get((provenance.get("partition"), provenance.get("offset")))
            if key is None or provenance.get("topic") != self.topics.raw:
                strays += 1
                continue
            stories[key].append((story["uri"], story["version"]))
            places[key].append(_place(record, f"v{story['version']}"))
        for record in self.outputs.records.get(self.topics.deadletter, []):
            headers = {name: value.decode(errors="replace") for name, value in record.headers or []}
            key = (record.key or b"").decode(errors="replace")
            origin = (
                headers.get("newswire-error-original-partition", ""),
                headers.get("newswire-error-original-offset", ""),
            )
            if key not in self.by_key:
                # Dead-lettered by the identity stage (key = story uri): its hand-off header names the raw input.
                parts = headers.get("newswire-message", "").rsplit("/", 2)
                key = index.get((int(parts[1]), int(parts[2])), "") if len(parts) == 3 else ""
                origin = (parts[1], parts[2]) if len(parts) == 3 else origin
                if parts[0] != self.topics.raw or key not in self.by_key:
                    strays += 1
                    continue
            letters[key].append((headers.get("newswire-error-reason", ""), *origin))
        handoffs: dict[str, int] = defaultdict(int)  # key -> hand-offs to the identity stage
        for record in self.outputs.records.get(identity_topic(self.topics), []):
            headers = {name: value.decode() for name, value in record.headers or []}
            parts = headers.get("newswire-message", "").rsplit("/", 2)  # "<raw topic>/<partition>/<offset>"
            if len(parts) != 3 or parts[0] != self.topics.raw:
                continue
            key = index.get((int(parts[1]), int(parts[2])))
            if key is not None:
                handoffs[key] += 1
                places[key].append(_place(record, "hand-off"))
        raw_place = {key: place for place, key in index.items()}
        lost, lost_places, wrong_outcome, wrong_reason = [], [], [], []
        before_dedup = after_dedup = redelivered = suppressed = 0
        repeats: list[str] = []
        for key in sorted(wanted):
            item = self.by_key[key]
            got_stories, got_letters = stories.get(key, []), letters.get(key, [])
            redelivered += max(0, handoffs.get(key, 0) - 1) + max(0, len(got_letters) - 1)
            suppressed += max(0, handoffs.get(key, 0) - max(1, len(got_stories)))
            distinct = len(set(got_stories)) + len({(p, o) for _, p, o in got_letters})
            if distinct == 0:
                lost.append(key)
                partition, offset = raw_place.get(key, (None, None))
                lost_places.append(
                    f"{key}: raw {self.topics.raw}/{partition}/{offset}; {', '.join(places[key]) or 'no hand-off'}"
                )
                continue
            before_dedup += len(got_stories) + len(got_letters) - 1
            if len(got_stories) + len(got_letters) > 1 or handoffs.get(key, 0) > 1:
                repeats.append(f"{key}: {', '.join(places[key])}")
            after_dedup += distinct - 1
            if (item.reason is None and (not got_stories or got_letters)) or (
                item.reason is not None and (got_stories or not got_letters)
            ):
                wrong_outcome.append(key)
            if item.reason is not None and any(reason != item.reason for reason, _, _ in got_letters):
                wrong_reason.append(f"{key}: {[r for r, _, _ in got_letters]} (wanted {item.reason})")
        bad = sum(1 for key in wanted if self.by_key[key].reason is not None)
        return Accounting(
            inputs=len(wanted),
            good=len(wanted) - bad,
            bad=bad,
            story_records=sum(len(stories.get(k, [])) for k in wanted),
            deadletter_records=sum(len(letters.get(k, [])) for k in wanted),
            lost=lost,
            wrong_outcome=wrong_outcome,
            wrong_reason=wrong_reason,
            duplicates_before_dedup=before_dedup,
            duplicates_after_dedup=after_dedup,
            strays=strays,
            raw_redeliveries=redelivered,
            suppressed_redeliveries=suppressed,
            repeats=repeats,
            lost_places=lost_places,
        )

    def close(self) -> None:
        if self._outputs is not None:
            self._outputs.close()


def _place(record: Any, what: str) -> str:
    return f"{what} {record.topic}/{record.partition}/{record.offset}@{record.timestamp}"


class Publisher(threading.Thread):
    def __init__(self, ledger: Ledger, items: list[Input], seconds: float) -> None:
        super().__init__(daemon=True)
        self.ledger, self.items, self.seconds = ledger, items, seconds
        self.sent = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            producer = self.ledger._producer()
            try:
                chunks = max(1, int(self.seconds * 10))
                size = max(1, -(-len(self.items) // chunks))
                started = time.monotonic()
                for number, first in enumerate(range(0, len(self.items), size)):
                    for item in self.items[first : first + size]:
                        producer.send(
                            self.ledger.topics.raw,
                            key=item.key.encode(),
                            value=item.value,
                            headers=[("content-type", b"text/plain"), ("source", b"faults")],
                        )
                    self.sent = min(len(self.items), first + size)
                    pause = started + (number + 1) * self.seconds / chunks - time.monotonic()
                    if pause > 0:
                        time.sleep(pause)
                producer.flush(timeout=120)
            finally:
                producer.close()
        except BaseException as error:  # reported by finish()
            self.error = error

    def finish(self, timeout: float = 180) -> None:
        self.join(timeout)
        assert not self.is_alive(), "publisher did not finish"
        if self.error is not None:
            raise self.error


class Outputs:
    """An incremental reader of the story and dead-letter topics (no group, from the beginning)."""

    def __init__(self, bootstrap: str, topics: list[str], security: dict[str, Any]) -> None:
        self.records: dict[str, list[Any]] = defaultdict(list)
        self.consumer = KafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=None,
            enable_auto_commit=False,
            fetch_max_bytes=50 * 1024 * 1024,
            **security,
        )
        parts = [TopicPartition(t, p) for t in topics for p in sorted(self.consumer.partitions_for_topic(t) or [])]
        self.consumer.assign(parts)
        self.consumer.seek_to_beginning(*parts)

    def poll(self, seconds: float) -> int:
        got = 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for tp, batch in self.consumer.poll(timeout_ms=300).items():
                self.records[tp.topic].extend(batch)
                got += len(batch)
        return got

    def catch_up(self, topics: Iterable[str], timeout: float = 60.0) -> None:
        """Read until each partition of `topics` is at the end offset it had when called: a check of what is in
        the topics must not depend on how fast this reader happens to be (a loaded machine, a deleted topic
        whose metadata errors slow every poll)."""
        wanted = set(topics)
        parts = [tp for tp in self.consumer.assignment() if tp.topic in wanted]
        ends = self.consumer.end_offsets(parts)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            behind = [tp for tp in parts if self.consumer.position(tp) < ends.get(tp, 0)]
            if not behind:
                return
            self.poll(0.5)
        raise AssertionError(f"output reader still behind the topics' end after {timeout:.0f} s")

    def count(self, topic: str) -> int:
        return len(self.records.get(topic, []))

    def close(self) -> None:
        self.consumer.close()


# --------------------------------------------------------------------------------------------
# workers


def outcomes(service: Service) -> float:
    """Messages that reached their final outcome in this worker (published + dead-lettered + dup)."""
    try:
        samples = service.metrics()
    except OSError:
        return -1
    return sum(v for k, v in samples.items() if k.startswith("newswire_messages_outcome_total"))


def metric_total(samples: dict[str, float], name: str) -> float:
    return sum(value for key, value in samples.items() if key == name or key.startswith(name + "{"))


def kill9(service: Service) -> None:
    if service.process.poll() is None:
        os.kill(service.process.pid, signal.SIGKILL)
    service.process.wait(timeout=30)


def worker(bootstrap: str, topics: Topics, tmp_path: Path, **extra: str) -> Service:
    return start_service(bootstrap, topics, tmp_path, **{**FAULT_ENV, **extra})


class RssSampler(threading.Thread):
    """Samples the resident memory of the given worker processes; keeps the peak per process."""

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.pids: set[int] = set()
        self.peak: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self._stop_event = threading.Event()

    def watch(self, service: Service) -> None:
        self.pids.add(service.process.pid)

    def sample(self) -> None:
        for pid in list(self.pids):
            try:
                rss = psutil.Process(pid).memory_info().rss
            except psutil.Error:
                self.pids.discard(pid)
                continue
            self.last[pid] = rss
            self.peak[pid] = max(self.peak.get(pid, 0), rss)

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(5)

    @property
    def peak_mb(self) -> float:
        return round(max(self.peak.values(), default=0) / 2**20, 1)


@pytest.fixture
def rss() -> Iterator[RssSampler]:
    sampler = RssSampler()
    sampler.start()
    yield sampler
    sampler.stop()


# --------------------------------------------------------------------------------------------
# private brokers


def _ephemeral_ports() -> range:
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32768, 60999  # Linux's default
    return range(low, high + 1)


def free_port_triple() -> int:
    """A port p with p, p+1 (controller) and p+2 (internal listener) all free on localhost, below
    the kernel's ephemeral range: these brokers are stopped and restarted on the same ports, and
    while one is down any outgoing connection may take an ephemeral port as its source (a client
    retrying that very port can even connect to itself), so the restart failed to bind once in CI."""
    ephemeral = _ephemeral_ports()
    ports = [port for port in range(20000, 32000) if port not in ephemeral and port + 2 not in ephemeral]
    rng = random.Random()
    for _ in range(200):
        port = rng.choice(ports or list(range(20000, 32000)))
        try:
            for candidate in (port, port + 1, port + 2):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", candidate))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port triple")


@dataclass
class PrivateKafka:
    """A broker of our own (`deploy/local/kafka` with its own home and port): safe to stop and restart."""

    home: Path
    port: int
    security: str = "plaintext"
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def bootstrap(self) -> str:
        return f"localhost:{self.port}"

    @property
    def internal_bootstrap(self) -> str:
        """The PLAINTEXT listener (the client port itself unless the broker is sasl_ssl)."""
        return f"localhost:{self.port + 2}" if self.security == "sasl_ssl" else self.bootstrap

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "NEWSWIRE_LOCAL_KAFKA_HOME": str(self.home),
            "NEWSWIRE_LOCAL_KAFKA_PORT": str(self.port),
            "NEWSWIRE_LOCAL_KAFKA_HEAP": "384m",
            "NEWSWIRE_LOCAL_KAFKA_SECURITY": self.security,
            **self.extra_env,
        }
        if (CACHED_LIBS / ".complete").exists():
            env["NEWSWIRE_LOCAL_KAFKA_LIBS"] = str(CACHED_LIBS)
        return env

    def _run(self, action: str, timeout: float) -> None:
        done = subprocess.run(
            [str(KAFKA_SCRIPT), action],
            env=self.env(),
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"deploy/local/kafka {action} failed ({done.returncode}):\n{done.stderr[-3000:]}")

    def up(self, timeout: float = 240) -> float:
        """Start the broker; a restart right after a stop may fail to bind its port for a few seconds
        (the old listener's sockets), so it is retried until `timeout`."""
        started = time.monotonic()
        while True:
            try:
                self._run("up", max(10.0, timeout - (time.monotonic() - started)))
                return time.monotonic() - started
            except RuntimeError:
                if time.monotonic() - started > timeout - 20:
                    raise
                time.sleep(2)

    def down(self, timeout: float = 90) -> None:
        self._run("down", timeout)

    def pid(self) -> int | None:
        pidfile = self.home / "kafka.pid"
        return int(pidfile.read_text()) if pidfile.exists() else None

    def logs(self) -> str:
        log = self.home / "logs" / "server.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def java_tool(self, main_class: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run a Kafka command-line class (e.g. kafka.admin.ConfigCommand) from the broker's jars."""
        libs = self.env().get("NEWSWIRE_LOCAL_KAFKA_LIBS") or str(self.home / "libs-4.1.1")
        return subprocess.run(
            ["java", "-Xmx256m", "-cp", f"{libs}/*", main_class, *args],
            check=True,
            timeout=timeout,
            capture_output=True,
            text=True,
        )


def private_broker(tmp_root: Path, security: str = "plaintext", **extra_env: str) -> PrivateKafka:
    home = tmp_root / f"kafka-{uuid.uuid4().hex[:6]}"
    home.mkdir(parents=True)
    return PrivateKafka(home, free_port_triple(), security, dict(extra_env))


@pytest.fixture(scope="module")
def private_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateKafka]:
    """A plaintext broker for this module only (stopped and removed at the end)."""
    broker = private_broker(tmp_path_factory.mktemp("private-kafka"))
    broker.up()
    try:
        yield broker
    finally:
        try:
            broker.down()
        finally:
            shutil.rmtree(broker.home, ignore_errors=True)


def drop_topics(bootstrap: str, topics: Topics) -> None:
    """Remove a test's topics from the shared broker (best effort): its own, the identity hand-off and
    faust's changelog/assignor topics (all prefixed with the test's group id)."""
    client = admin(bootstrap)
    try:
        existing = set(client.list_topics())
        ours = {topics.raw, topics.stories, topics.deadletter}
        client.delete_topics([t for t in existing if t in ours or t.startswith(topics.group)])
    except Exception:  # cleanup must not hide the test's result
        pass
    finally:
        client.close()


def set_topic_config(bootstrap: str, topic: str, config: dict[str, str]) -> None:
    """Set a topic's dynamic config (replaces the topic's other dynamic settings)."""
    from kafka.admin import ConfigResource, ConfigResourceType

    client = admin(bootstrap)
    try:
        client.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs=config)])
    finally:
        client.close()


def commits_past_unfinished(ledger: Ledger, keys: set[str] | None = None) -> dict[str, list[str]]:
    """Inputs (of `keys`, default all) the worker group committed past although they have no outcome
    yet (must be empty).

    Raw topic: an input is finished once handed to the identity stage or dead-lettered.
    Identity topic: a hand-off is finished once its story (or dead letter) is in Kafka.
    """
    index = ledger.raw_index()
    # the stories topic may be deleted here (test_produce_failures); hand-offs and dead letters are what count
    ledger.outputs.catch_up([identity_topic(ledger.topics), ledger.topics.deadletter])
    finished = ledger.account(index, set(ledger.by_key) if keys is None else keys)
    unfinished = set(finished.lost)
    handoffs: dict[tuple[int, int], str] = {}  # (identity partition, offset) -> raw input key
    handed: set[str] = set()
    for record in ledger.outputs.records.get(identity_topic(ledger.topics), []):
        headers = {name: value.decode() for name, value in record.headers or []}
        parts = headers.get("newswire-message", "").rsplit("/", 2)
        if len(parts) == 3 and parts[0] == ledger.topics.raw:
            key = index.get((int(parts[1]), int(parts[2])))
            if key is not None:
                handoffs[(record.partition, record.offset)] = key
                handed.add(key)
    past: dict[str, list[str]] = {"raw": [], "identity": []}
    raw_committed = committed_offsets(ledger.bootstrap, ledger.topics.group, ledger.topics.raw)
    for (partition, offset), key in index.items():
        if offset < raw_committed.get(partition, 0) and key in unfinished and key not in handed:
            past["raw"].append(key)
    identity_committed = committed_offsets(ledger.bootstrap, ledger.topics.group, identity_topic(ledger.topics))
    for (partition, offset), key in handoffs.items():
        if offset < identity_committed.get(partition, 0) and key in unfinished:
            past["identity"].append(key)
    return past
