"""`newswire topics ensure`: create the topics with their settings, and report drift."""

from __future__ import annotations

from dataclasses import dataclass

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import TopicAlreadyExistsError

from newswire.config import Settings


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication: int
    config: dict[str, str]


@dataclass(frozen=True)
class TopicReport:
    name: str
    status: str  # created | ok | drift
    differences: tuple[str, ...] = ()


def topic_specs(settings: Settings, extra_topics: tuple[str, ...] = ()) -> list[TopicSpec]:
    """The topics newswire needs, with settings taken from configuration."""
    size = str(settings.topic_max_message_bytes)
    stories_policy = "compact" if settings.stories_compacted else "delete"
    specs = [
        TopicSpec(
            settings.topic_raw,
            settings.topic_partitions,
            settings.topic_replication_factor,
            {"cleanup.policy": "delete", "retention.ms": str(settings.raw_retention_ms), "max.message.bytes": size},
        ),
        TopicSpec(
            settings.topic_stories,
            settings.topic_partitions,
            settings.topic_replication_factor,
            {
                "cleanup.policy": stories_policy,
                "retention.ms": str(settings.stories_retention_ms),
                "max.message.bytes": size,
            },
        ),
        TopicSpec(
            settings.topic_deadletter,
            settings.topic_partitions,
            settings.topic_replication_factor,
            {
                "cleanup.policy": "delete",
                "retention.ms": str(settings.deadletter_retention_ms),
                "max.message.bytes": size,
            },
        ),
    ]
    if settings.identity:
        # One partition: the identity stage needs every story in one place (it is cheap next to parsing).
        specs.append(
            TopicSpec(
                settings.identity_topic,
                1,
                settings.topic_replication_factor,
                {"cleanup.policy": "delete", "retention.ms": str(24 * 3600 * 1000), "max.message.bytes": size},
            )
        )
    for name in extra_topics:
        specs.append(
            TopicSpec(
                name,
                settings.topic_partitions,
                settings.topic_replication_factor,
                {
                    "cleanup.policy": stories_policy,
                    "retention.ms": str(settings.stories_retention_ms),
                    "max.message.bytes": size,
                },
            )
        )
    return specs


def admin_client(settings: Settings) -> KafkaAdminClient:
    return KafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap, client_id="newswire-admin", **settings.kafka_python_security()
    )


def route_topics(settings: Settings) -> tuple[str, ...]:
    if settings.routes_file is None:
        return ()
    from newswire.routing import load_routes

    return tuple(load_routes(settings.routes_file).topics())


def ensure_topics(settings: Settings, extra_topics: tuple[str, ...] | None = None) -> list[TopicReport]:
    """Create missing topics (the routing file's too); compare existing ones with the wanted settings."""
    specs = topic_specs(settings, route_topics(settings) if extra_topics is None else extra_topics)
    admin = admin_client(settings)
    try:
        existing = set(admin.list_topics())
        reports: list[TopicReport] = []
        missing = [spec for spec in specs if spec.name not in existing]
        for spec in missing:
            try:
                admin.create_topics(
                    [NewTopic(spec.name, spec.partitions, spec.replication, topic_configs=spec.config)],
                    validate_only=False,
                )
                reports.append(TopicReport(spec.name, "created"))
            except TopicAlreadyExistsError:
                existing.add(spec.name)  # another worker won the race; compare it below
        present = [spec for spec in specs if spec.name in existing]
        if present:
            reports.extend(_compare(admin, present))
        return reports
    finally:
        admin.close()


def _compare(admin: KafkaAdminClient, specs: list[TopicSpec]) -> list[TopicReport]:
    described = {item["name"]: item for item in admin.describe_topics([spec.name for spec in specs])}
    resources = [ConfigResource(ConfigResourceType.TOPIC, spec.name) for spec in specs]
    # kafka-python 3: {"topic": {name: {config key: {"value": ...}}}}
    described_configs = admin.describe_configs(resources).get("topic", {})
    configs = {
        name: {key: entry.get("value") for key, entry in entries.items()} for name, entries in described_configs.items()
    }
    reports = []
    for spec in specs:
        differences: list[str] = []
        partitions = len(described.get(spec.name, {}).get("partitions", []))
        if partitions != spec.partitions:
            differences.append(f"partitions {partitions} (wanted {spec.partitions})")
        for key, wanted in spec.config.items():
            actual = configs.get(spec.name, {}).get(key)
            if actual != wanted:
                differences.append(f"{key}={actual} (wanted {wanted})")
        reports.append(TopicReport(spec.name, "drift" if differences else "ok", tuple(differences)))
    return reports
