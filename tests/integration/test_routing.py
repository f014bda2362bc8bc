"""Routing on the real broker: each story lands on exactly the topics its routes name (plus the main
stories topic), once per topic, with the same key, payload and headers on each.

Stories and routes: tests/fixtures/routing/ (invented wire copy, enriched as the service does by default).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from tests.conftest import REPO_ROOT
from tests.integration.conftest import Service, Topics, consume, newswire_cmd, payload, produce, start_service

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "routing"

# fixture file -> (the suffixes of the route topics it must land on, the routes it matches)
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "sport_g2.xml": ({"sport"}, {"sport", "sport-es"}),  # NewsML-G2, Spanish, Madrid, subject 20001065 (football)
    "latam_es.txt": ({"latam.es"}, {"latam-es"}),  # EFE-style plain text, `Bogotá, 3 sep (EFE).-`
    "flash_en.txt": ({"alerts"}, {"alerts"}),  # `FLASH` (urgency 1)
    "plain_en.txt": (set(), set()),  # no route
}
ROUTE_TOPICS = ("alerts", "sport", "latam.es", "watchlist")


def routes_file(tmp_path: Path, prefix: str) -> Path:
    path = tmp_path / "routes.yml"
    path.write_text((FIXTURES / "routes.yml").read_text(encoding="utf-8").replace("test.RUN.", prefix))
    return path


def topic_size(bootstrap: str, topic: str) -> int:
    """Records in a topic (end minus beginning offsets): exact, whatever a consumer would have fetched so far."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        assert partitions, f"topic {topic} does not exist"
        ends = consumer.end_offsets(partitions)
        starts = consumer.beginning_offsets(partitions)
        return sum(ends[tp] - starts[tp] for tp in partitions)
    finally:
        consumer.close()


def routed(service: Service) -> dict[str, float]:
    prefix = 'newswire_routed_total{route="'
    return {
        key[len(prefix) : -2]: value for key, value in service.metrics().items() if key.startswith(prefix) and value
    }


def wait_published(service: Service, expected: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    published = 0.0
    while time.monotonic() < deadline:
        samples = service.metrics()
        published = sum(v for k, v in samples.items() if k.startswith("newswire_stories_published_total"))
        dead = sum(v for k, v in samples.items() if k.startswith("newswire_deadletters_total"))
        assert not dead, f"dead letters: {service.log_path.read_text()[-3000:]}"
        if published >= expected:
            return
        time.sleep(0.3)
    raise AssertionError(f"only {published} of {expected} stories published:\n{service.log_path.read_text()[-3000:]}")


def test_each_story_lands_on_exactly_its_topics(kafka_bootstrap: str, topics: Topics, tmp_path: Path) -> None:
    prefix = topics.raw.removesuffix("raw")  # `test.<run>.`
    path = routes_file(tmp_path, prefix)
    route_topics = {suffix: prefix + suffix for suffix in ROUTE_TOPICS}

    # `topics ensure` creates the routing file's topics (the main ones exist already: the `topics` fixture).
    env = {**os.environ, **topics.env(kafka_bootstrap), "NEWSWIRE_ROUTES_FILE": str(path)}
    ensured = subprocess.run(newswire_cmd("topics", "ensure"), env=env, timeout=60, capture_output=True, text=True)
    assert ensured.returncode == 0, ensured.stderr
    for topic in route_topics.values():
        assert topic_size(kafka_bootstrap, topic) == 0

    service = start_service(kafka_bootstrap, topics, tmp_path, NEWSWIRE_ROUTES_FILE=str(path))
    try:
        produce(
            kafka_bootstrap,
            topics.raw,
            [(name.encode(), (FIXTURES / name).read_bytes(), [("source", b"routing-test")]) for name in EXPECTED],
        )
        wait_published(service, len(EXPECTED))
        metrics = routed(service)
    finally:
        assert service.stop() == 0

    # Where each record went, by the story's headline (the fixture it came from).
    headline_of: dict[str, str] = {}
    landed: dict[str, dict[str, Any]] = {}  # fixture -> {topic: record}
    main = consume(kafka_bootstrap, topics.stories, len(EXPECTED))
    assert topic_size(kafka_bootstrap, topics.stories) == len(EXPECTED) == len(main)
    for record in main:
        story = payload(record)
        headline = story["headlines"][0]["value"]
        name = next(name for name in EXPECTED if headline in (FIXTURES / name).read_text(encoding="utf-8"))
        headline_of[headline] = name
        landed.setdefault(name, {})[topics.stories] = record
    assert set(landed) == set(EXPECTED)

    for suffix, topic in route_topics.items():
        wanted = sum(suffix in topics_ for topics_, _ in EXPECTED.values())
        records = consume(kafka_bootstrap, topic, wanted, timeout=30) if wanted else []
        assert topic_size(kafka_bootstrap, topic) == wanted == len(records), topic
        for record in records:
            name = headline_of[payload(record)["headlines"][0]["value"]]
            assert topic not in landed[name], f"{name} twice on {topic}"
            landed[name][topic] = record

    for name, (suffixes, _) in EXPECTED.items():
        assert set(landed[name]) == {topics.stories, *(route_topics[s] for s in suffixes)}, name
        first = landed[name][topics.stories]
        headers = dict(first.headers)
        assert headers["ce_type"] and headers["ce_id"] and headers["content-type"] == b"application/json"
        for topic, record in landed[name].items():
            assert record.key == first.key == payload(first)["uri"].encode(), (name, topic)
            assert record.value == first.value, (name, topic)
            assert record.headers == first.headers, (name, topic)

    story = {name: payload(record) for name, by_topic in landed.items() for record in [by_topic[topics.stories]]}
    assert story["sport_g2.xml"]["language"] == "es"
    assert story["latam_es.txt"]["newswire"]["dateline"]["place_ref"]["country"] == "CO"
    assert story["flash_en.txt"]["urgency"] == 1

    expected_routes: dict[str, float] = {}
    for _, routes in EXPECTED.values():
        for route in routes:
            expected_routes[route] = expected_routes.get(route, 0) + 1
    assert metrics == expected_routes
