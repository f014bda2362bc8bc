"""`newswire lag`: how far a consumer group is behind the end of its partitions.

Read-only and outside the group: committed offsets come from the admin API (OffsetFetch),
end offsets from a KafkaConsumer that never joins a group (`group_id=None`), so asking
about lag never triggers a rebalance of the running workers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from newswire.config import Settings
from newswire.stream.admin import admin_client


@dataclass(frozen=True)
class PartitionLag:
    """One partition: the group's committed offset (None if it never committed), the end, the lag."""

    topic: str
    partition: int
    committed: int | None
    end: int
    lag: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _committed_offsets(settings: Settings, group_id: str, partitions: list[TopicPartition] | None) -> dict[Any, int]:
    admin = admin_client(settings)
    try:
        # kafka-python 3 names it list_group_offsets({group: partitions|None}); 2.x had
        # list_consumer_group_offsets(group, partitions=...).
        if hasattr(admin, "list_group_offsets"):
            found = admin.list_group_offsets({group_id: partitions}).get(group_id, {})
        else:  # pragma: no cover - kafka-python 2.x
            found = admin.list_consumer_group_offsets(group_id, partitions=partitions)
        # A partition asked for explicitly but never committed comes back as offset -1.
        return {tp: meta.offset for tp, meta in found.items() if meta.offset is not None and meta.offset >= 0}
    finally:
        admin.close()


def compute_lag(
    partitions: Iterable[TopicPartition],
    committed: dict[Any, int],
    beginning: dict[Any, int],
    end: dict[Any, int],
) -> list[PartitionLag]:
    """Pure part: lag = end - position, where the position is the committed offset, or the
    beginning of the log when nothing was committed (the service starts from `earliest`) or
    when retention already deleted the committed position."""
    rows = []
    for tp in sorted(partitions, key=lambda item: (item.topic, item.partition)):
        end_offset = int(end.get(tp, 0))
        first = int(beginning.get(tp, 0))
        done = committed.get(tp)
        position = first if done is None else max(done, first)
        rows.append(PartitionLag(tp.topic, tp.partition, done, end_offset, max(0, end_offset - position)))
    return rows


def group_lag(
    settings: Settings, group_id: str, topics: list[str] | None = None, timeout_ms: int = 30_000
) -> list[PartitionLag]:
    """Lag of `group_id` per partition.

    With `topics`, every partition of those topics (a partition the group never committed
    counts its whole log as lag); without, every partition the group has committed offsets for.
    Raises ValueError for a named topic that does not exist.
    """
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=None,
        enable_auto_commit=False,
        client_id="newswire-lag",
        request_timeout_ms=max(timeout_ms + 1000, 30_000),
        **settings.kafka_python_security(),
    )
    try:
        wanted: list[TopicPartition] | None = None
        if topics:
            wanted = []
            for topic in topics:
                numbers = consumer.partitions_for_topic(topic)
                if not numbers:
                    raise ValueError(f"topic {topic!r} does not exist")
                wanted.extend(TopicPartition(topic, number) for number in sorted(numbers))
        committed = _committed_offsets(settings, group_id, wanted)
        partitions = wanted if wanted is not None else list(committed)
        if not partitions:
            return []
        end = consumer.end_offsets(partitions, timeout_ms=timeout_ms)
        beginning = consumer.beginning_offsets(partitions, timeout_ms=timeout_ms)
        return compute_lag(partitions, committed, beginning, end)
    finally:
        consumer.close()


def format_table(rows: list[PartitionLag]) -> str:
    """The suggested human output of `newswire lag`: one row per partition and a total."""
    header = ("TOPIC", "PARTITION", "COMMITTED", "END", "LAG")
    lines = [header] + [
        (
            row.topic,
            str(row.partition),
            "-" if row.committed is None else str(row.committed),
            str(row.end),
            str(row.lag),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [
        "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(line))
        for line in lines
    ]
    out.append(f"total lag {sum(row.lag for row in rows)} over {len(rows)} partition(s)")
    return "\n".join(out)
