"""`group_lag` against the real local broker: committed offsets from the admin API, ends from a consumer."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from newswire.config import Settings
from newswire.stream.lag import PartitionLag, compute_lag, format_table, group_lag
from tests.integration.conftest import produce, temporary_topic

pytestmark = pytest.mark.kafka


@pytest.fixture
def one_partition_topic(kafka_bootstrap: str) -> Iterator[str]:
    with temporary_topic(kafka_bootstrap, 1, prefix="ops-test.lag") as name:
        yield name


def _commit(bootstrap: str, group: str, topic: str, offset: int) -> None:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    try:
        # A manual assignment commits without a group rebalance.
        consumer.assign([TopicPartition(topic, 0)])
        consumer.commit({TopicPartition(topic, 0): OffsetAndMetadata(offset, "", -1)})
    finally:
        consumer.close()


def test_lag_is_end_minus_committed(kafka_bootstrap: str, one_partition_topic: str) -> None:
    topic = one_partition_topic
    produce(kafka_bootstrap, topic, [(None, f"m{i}".encode(), []) for i in range(10)])
    group = f"ops-test-{uuid.uuid4().hex[:10]}"
    _commit(kafka_bootstrap, group, topic, 4)
    settings = Settings(kafka_bootstrap=kafka_bootstrap)

    named = group_lag(settings, group, [topic])
    assert named == [PartitionLag(topic=topic, partition=0, committed=4, end=10, lag=6)]
    # Without topics: every partition the group committed for.
    assert [row for row in group_lag(settings, group, None) if row.topic == topic] == named
    assert "total lag 6 over 1 partition(s)" in format_table(named)


def test_a_group_that_never_committed_lags_by_the_whole_log(kafka_bootstrap: str, one_partition_topic: str) -> None:
    produce(kafka_bootstrap, one_partition_topic, [(None, b"x", [])] * 3)
    settings = Settings(kafka_bootstrap=kafka_bootstrap)
    rows = group_lag(settings, f"ops-test-none-{uuid.uuid4().hex[:8]}", [one_partition_topic])
    assert rows == [PartitionLag(one_partition_topic, 0, None, 3, 3)]
    assert group_lag(settings, f"ops-test-none-{uuid.uuid4().hex[:8]}", None) == []


def test_unknown_topic_is_an_error(kafka_bootstrap: str) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        group_lag(Settings(kafka_bootstrap=kafka_bootstrap), "g", [f"ops-test.missing.{uuid.uuid4().hex[:8]}"])


def test_compute_lag_clamps_to_the_log_start_after_retention() -> None:
    tp = TopicPartition("t", 0)
    assert compute_lag([tp], {tp: 2}, {tp: 5}, {tp: 9}) == [PartitionLag("t", 0, 2, 9, 4)]
