"""Prometheus metrics. Names and labels are a contract (DESIGN.md); labels stay bounded."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector

from newswire import __version__

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
_STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


class Metrics:
    """Every metric the service exports, on its own registry (tests can make fresh ones)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        # process_resident_memory_bytes, process_cpu_seconds_total, process_open_fds, ... (Linux /proc)
        ProcessCollector(registry=r)
        self.consumed = Counter("newswire_messages_consumed", "Raw messages consumed", ["topic"], registry=r)
        self.outcomes = Counter(
            "newswire_messages_outcome",
            "Consumed messages by their one final outcome: published, deadlettered or duplicate",
            ["outcome"],
            registry=r,
        )
        self.published = Counter(
            "newswire_stories_published", "Story events acknowledged by Kafka", ["source", "language"], registry=r
        )
        self.deadletters = Counter("newswire_deadletters", "Dead letters acknowledged by Kafka", ["reason"], registry=r)
        self.duplicates = Counter("newswire_duplicates", "Stories suppressed as duplicates", ["kind"], registry=r)
        self.rereads = Counter(
            "newswire_rereads_skipped",
            "Records delivered a second time in one consumer-group generation, skipped (the first copy counts)",
            ["topic"],
            registry=r,
        )
        self.stage_seconds = Histogram(
            "newswire_stage_seconds", "Time per pipeline stage", ["stage"], buckets=_STAGE_BUCKETS, registry=r
        )
        self.end_to_end = Histogram(
            "newswire_end_to_end_seconds",
            "Raw message broker timestamp to story acknowledged",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.enrichment_errors = Counter(
            "newswire_enrichment_errors",
            "Enrichment stages that failed (the story still shipped)",
            ["stage"],
            registry=r,
        )
        self.lag = Gauge(
            "newswire_consumer_lag", "Messages behind the end of the partition", ["topic", "partition"], registry=r
        )
        self.routed = Counter("newswire_routed", "Stories delivered to a route's topic", ["route"], registry=r)
        self.build_info = Gauge("newswire_build_info", "Build of the running service", ["version"], registry=r)
        self.ready = Gauge("newswire_ready", "1 when the worker holds its partitions and reaches Kafka", registry=r)
        self.assigned_partitions = Gauge("newswire_assigned_partitions", "Partitions this worker holds", registry=r)
        # Feed health (newswire.ops.feeds): `feed` is a configured feed (NEWSWIRE_FEEDS) or `other`.
        self.feed_messages = Counter(
            "newswire_feed_messages", "Messages per feed by final outcome", ["feed", "outcome"], registry=r
        )
        self.feed_last_message = Gauge(
            "newswire_feed_last_message_timestamp_seconds",
            "Broker time of the feed's newest message (the worker's start until its first one)",
            ["feed"],
            registry=r,
        )
        self.feed_expected_interval = Gauge(
            "newswire_feed_expected_interval_seconds",
            "Configured longest gap between a feed's messages",
            ["feed"],
            registry=r,
        )
        self.feed_quiet = Gauge(
            "newswire_feed_quiet", "1 inside the feed's configured quiet hours", ["feed"], registry=r
        )
        self.build_info.labels(version=__version__).set(1)

    def observe_stage(self, stage: str, seconds: float) -> None:
        self.stage_seconds.labels(stage=stage).observe(seconds)

    def enrichment_failed(self, stage: str) -> None:
        self.enrichment_errors.labels(stage=stage).inc()


def bounded_label(value: str | None, allowed: frozenset[str] | None = None, limit: int = 32) -> str:
    """Keep label values bounded: unknown or long free text becomes `other`."""
    if not value:
        return "unknown"
    if allowed is not None and value not in allowed:
        return "other"
    cleaned = "".join(ch for ch in value.lower() if ch.isalnum() or ch in "-_.")[:limit]
    return cleaned or "other"
