"""Delivery of records with acknowledgement: an aiokafka producer (acks=all).

`deliver` returns only once Kafka acknowledged every record, so the caller may let the
input offset be committed. Transient failures (broker down, leader moving, topic briefly
missing) are retried with capped exponential backoff for as long as it takes: the input
is never committed past an unpublished story. Records Kafka can never take (too large)
raise `Undeliverable`, so the caller can dead-letter them instead. Kafka's max.message.bytes bounds
a whole batch, so a size refusal is first retried with the record in a batch of its own: a story is
dead-lettered only when it alone is too large, never for the stories it was batched with.

The producer is not idempotent on purpose. aiokafka's idempotent producer keeps per-partition
sequence numbers that a failed batch leaves out of step with the broker: after a broker restart
mid-outage, or after one record over the topic's max.message.bytes, every later batch to that
partition fails with OutOfOrderSequenceNumber (or never leaves), and publishing stalls for good (found
by tests/faults). Without idempotence a retry may write a record twice; delivery is at-least-once
anyway and a duplicate carries the same story uri, version and ce_id. Order per partition holds:
aiokafka sends one request per broker at a time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    InvalidTopicError,
    KafkaError,
    MessageSizeTooLargeError,
    RecordTooLargeError,
    UnsupportedForMessageFormatError,
)

from newswire.stream.envelope import Record

log = logging.getLogger(__name__)

_PERMANENT = (MessageSizeTooLargeError, RecordTooLargeError, InvalidTopicError, UnsupportedForMessageFormatError)


class Undeliverable(Exception):
    """Kafka will never accept this record as it is."""


class Sink:
    def __init__(
        self,
        bootstrap: str,
        security: dict[str, Any],
        *,
        linger_ms: int,  # NEWSWIRE_PRODUCER_LINGER_MS: one default, in config.py
        on_connectivity: Callable[[bool], None] | None = None,
        max_request_size: int = 10 * 1024 * 1024,
        max_batch_size: int = 1024 * 1024,
    ) -> None:
        # aiokafka binds clients to the running loop, so the producer is made in start().
        self._options: dict[str, Any] = dict(
            bootstrap_servers=bootstrap,
            acks="all",
            enable_idempotence=False,  # see the module docstring
            linger_ms=linger_ms,
            max_request_size=max_request_size,
            # aiokafka's default batch (16 KiB) holds less than one enriched story, so every send to a
            # partition with a batch pending waited for it to drain, and all in-flight senders woke on
            # each drain to retry (a thundering herd on the one-partition hand-off topic, ~9% of CPU).
            max_batch_size=min(max_batch_size, max_request_size),
            request_timeout_ms=30000,
            compression_type=None,
            client_id="newswire-sink",
            **security,
        )
        self._producer: AIOKafkaProducer | None = None
        self._on_connectivity = on_connectivity or (lambda ok: None)
        self._started = False
        self._starting = asyncio.Lock()

    async def start(self) -> None:
        # Deliveries may race the worker's own start(): two starts of one aiokafka producer break it
        # (InvalidStateError in every delivery of a worker restarted with a backlog).
        async with self._starting:
            await self._start()

    async def _start(self) -> None:
        backoff = 0.5
        while not self._started:
            try:
                if self._producer is None:
                    self._producer = AIOKafkaProducer(**self._options)
                await self._producer.start()
                self._started = True
                self._on_connectivity(True)  # reached Kafka: /readyz need not wait for the first delivery
            except KafkaError as error:
                if self._producer is not None:
                    await self._producer.stop()
                self._producer = None
                log.warning("producer cannot reach Kafka (%s); retrying in %.1fs", type(error).__name__, backoff)
                self._on_connectivity(False)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None
        self._started = False

    @property
    def producer(self) -> AIOKafkaProducer:
        if self._producer is None or not self._started:
            raise RuntimeError("sink used before start()")
        return self._producer

    async def deliver(self, records: Sequence[Record]) -> None:
        """Send all records and wait for every acknowledgement, retrying transient failures."""
        if not self._started:
            await self.start()  # the agent may see its first message before the worker's services start
        pending = list(records)
        alone: set[int] = set()  # records refused for size once: resent in a batch of their own
        backoff = 0.2
        while pending:
            sent: list[tuple[Record, Any]] = []
            failed: list[Record] = []
            transient = False
            for record in pending:
                try:
                    send = self._send_alone if id(record) in alone else self._send
                    sent.append((record, await send(record)))
                except _PERMANENT as error:
                    raise Undeliverable(f"{type(error).__name__} on {record.topic}") from error
                except KafkaError as error:
                    log.warning("publish to %s failed (%s); will retry", record.topic, type(error).__name__)
                    failed.append(record)
                    transient = True
            results = await asyncio.gather(*(future for _, future in sent), return_exceptions=True)
            for (record, _), result in zip(sent, results, strict=True):
                if isinstance(result, _PERMANENT):
                    # The broker's max.message.bytes bounds a whole batch: a story may have been refused
                    # for the stories batched with it. Only a refusal of it alone makes it undeliverable.
                    if id(record) in alone:
                        raise Undeliverable(f"{type(result).__name__} on {record.topic}") from result
                    alone.add(id(record))
                    failed.append(record)
                elif isinstance(result, BaseException):
                    log.warning("publish to %s failed (%s); will retry", record.topic, type(result).__name__)
                    failed.append(record)
                    transient = True
            if not failed:
                self._on_connectivity(True)
                return
            if transient:  # a resend alone after a size refusal goes at once
                self._on_connectivity(False)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
            pending = failed

    async def _send(self, record: Record) -> Any:
        return await self.producer.send(record.topic, record.value, key=record.key, headers=record.headers)

    async def _send_alone(self, record: Record) -> Any:
        """The record in a batch of its own, on the partition its key gives (as `send` would)."""
        producer = self.producer
        await producer.partitions_for(record.topic)  # metadata for the partitioner
        partition = producer._partition(record.topic, None, None, None, record.key, record.value)
        batch = producer.create_batch()
        batch.append(timestamp=None, key=record.key, value=record.value, headers=record.headers)
        batch.close()
        return await producer.send_batch(batch, record.topic, partition=partition)

    async def reachable(self, timeout: float = 3.0) -> bool:
        try:
            await asyncio.wait_for(self.producer.client.fetch_all_metadata(), timeout)
            return True
        except (KafkaError, TimeoutError, OSError, RuntimeError):
            return False
