"""`newswire serve`: the faust-streaming worker.

Two agents. `ingest` consumes the raw topic (N partitions, spread over the workers), runs
the pure pipeline and forwards each story, keyed by uri, to the one-partition identity
topic, or dead-letters the input. `identify` consumes that topic with the per-story state in
faust tables (changelogged: restart- and rebalance-safe), suppresses duplicates, numbers
versions, assigns clusters and publishes the story events (and their routes). Every event is
acked only once what it produced is acknowledged by Kafka, so a crash at any point
redelivers rather than loses (at-least-once); redelivered stories are then exact duplicates.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import faust
import mode
from faust.types import TP, EventT

from newswire.config import Settings
from newswire.events.deadletter import Rejection
from newswire.events.extension import Identity, StageError
from newswire.events.ninjs import NinjsStory
from newswire.identity import handoff as fast_handoff
from newswire.identity.clock import StreamClock
from newswire.identity.decide import Published
from newswire.identity.fingerprints import story_signature
from newswire.identity.stage import IdentityOptions, IdentityStage
from newswire.logs import about_message, about_story, configure_logging
from newswire.metrics import Metrics, bounded_label
from newswire.ops.feeds import FeedHealth, feed_of
from newswire.ops.status import status_document
from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage
from newswire.pipeline.warm import warm_up
from newswire.routing import RouteTable
from newswire.routing.loader import install_sighup_reload
from newswire.stream import guard, offset_trace
from newswire.stream.envelope import Record, deadletter_record, event_id_of, story_json_record, story_record
from newswire.stream.fairness import PRIORITY_POLL_RECORDS, STREAM_BUFFER_RECORDS, prioritise
from newswire.stream.offsets import (
    ack_processed,
    count_processed_acks_only,
    fetch_only_active,
    python_stream_iterator,
    seek_before_resume,
    unread_undelivered,
)
from newswire.stream.otel import Spans, spans_for
from newswire.stream.rereads import FirstReads
from newswire.stream.security import aiokafka_security, faust_credentials
from newswire.stream.sink import Sink, Undeliverable
from newswire.stream.transactional import (
    CommitGate,
    Revoked,
    SendBuffer,
    TransactionalSink,
    fresh,
    install_gate,
)
from newswire.stream.web import HealthServer

log = logging.getLogger(__name__)

LAG_INTERVAL_S = 5.0
_MAX_SOURCE_LABELS = 64


def _headers(raw: Any) -> dict[str, bytes]:
    if not raw:
        return {}
    items: Iterable[tuple[Any, Any]] = raw.items() if isinstance(raw, Mapping) else raw
    return {str(name): (value if isinstance(value, bytes) else str(value).encode()) for name, value in items}


def _identity_header(story: NinjsStory, value: bytes) -> list[tuple[str, bytes]]:
    """The signature header for the hand-off (made here, where the work scales with the partitions);
    none when the JSON layout is not the expected one, and the identity side then parses the story."""
    spans = fast_handoff.locate(story, value)
    if spans is None:
        return []
    carried = fast_handoff.Handoff(story_signature(story), spans, story.language)
    return [(H_IDENTITY, fast_handoff.encode(carried))]


@dataclass(frozen=True)
class Prepared:
    """A message's story records (one per destination topic), and what the metrics need of them."""

    records: list[Record]
    languages: list[str | None]
    routes: list[str]
    forwarded: bool = False  # handed to the identity stage, which counts the outcome


# Headers on the identity hand-off topic (internal; not part of the public contract).
H_SOURCE, H_RAW_TS, H_MESSAGE, H_ITEMS = "newswire-source", "newswire-raw-ts", "newswire-message", "newswire-items"
H_IDENTITY = "newswire-identity"  # the story's signature and where identity's fields sit in its JSON
H_FEED = "newswire-feed"  # the feed (source header, else the agency) for feed health


class Ingest:
    """The worker's moving parts: pipeline, sink, metrics, readiness and lag bookkeeping."""

    def __init__(self, settings: Settings, metrics: Metrics | None = None, spans: Spans | None = None) -> None:
        self.settings = settings
        self.metrics = metrics or Metrics()
        self.spans = spans or spans_for(settings)  # OpenTelemetry, when NEWSWIRE_OTEL is on (stream/otel.py)
        self.pipeline = Pipeline(
            PipelineOptions(
                max_message_bytes=settings.max_message_bytes,
                feed_timezone=settings.feed_timezone,
                enrich_stages=settings.enrich_stages,
            ),
            observe_stage=self.spans.observer(self.metrics.observe_stage),
            observe_enrich_error=self.metrics.enrichment_failed,
        )
        self.sink: Sink | TransactionalSink = Sink(
            settings.kafka_bootstrap,
            aiokafka_security(settings),
            on_connectivity=self._set_connectivity,
            max_request_size=settings.topic_max_message_bytes,
            linger_ms=settings.producer_linger_ms,
        )
        self.dataschema = f"{settings.schema_base_uri.rstrip('/')}/story.schema.json"
        # A broken routing file stops the worker here, at start-up, with the file and line.
        self.routes: RouteTable | None = RouteTable.from_file(settings.routes_file) if settings.routes_file else None
        self.identity: IdentityStage | None = None  # set by build_app once the tables exist
        self.identity_clock = StreamClock()  # the identity window runs on the raw messages' broker time
        self._identity_generation = 0
        self._index_generation = -1
        self._since_expiry = 0
        self._messages: dict[str, tuple[int, bool, bool]] = {}
        self.assigned: set[TP] = set()
        self.joined = False
        self.broker_ok = False
        self.deadletter_ok = True  # false while the dead-letter topic refuses even a headers-only record
        self.stopping = False  # set at shutdown: agents take no new message
        self.flights: dict[str, InFlight] = {}  # per agent, its window of messages being published
        self.next_offsets: dict[TP, int] = {}
        self._sources: set[str] = set()
        self.feeds = FeedHealth(settings.feeds, self.metrics, settings.feed_timezone)

    # readiness -------------------------------------------------------------------------
    def _set_connectivity(self, ok: bool) -> None:
        self.broker_ok = ok
        self._update_ready()

    def _update_ready(self) -> None:
        self.metrics.ready.set(1 if self.readiness()[0] else 0)

    def readiness(self) -> tuple[bool, dict[str, object]]:
        detail: dict[str, object] = {
            "joined": self.joined,
            "broker": self.broker_ok,
            "deadletter": self.deadletter_ok,
            "partitions": sorted(f"{tp.topic}/{tp.partition}" for tp in self.assigned),
        }
        return self.joined and self.broker_ok and self.deadletter_ok, detail

    def on_assigned(self, assigned: set[TP]) -> None:
        self._identity_generation += 1  # the identity indexes are rebuilt from the recovered tables
        self.assigned = {tp for tp in assigned if tp.topic == self.settings.topic_raw}
        self.joined = True
        self.metrics.assigned_partitions.set(len(self.assigned))
        self._update_ready()

    def on_revoked(self, revoked: set[TP]) -> None:
        self.joined = False
        for tp in revoked:
            self.assigned.discard(tp)
            self.next_offsets.pop(tp, None)
            with contextlib.suppress(KeyError):  # never had a lag sample
                self.metrics.lag.remove(tp.topic, str(tp.partition))
        self._update_ready()

    # processing ------------------------------------------------------------------------
    def _source_label(self, source: str | None) -> str:
        label = bounded_label(source)
        if label in self._sources or len(self._sources) < _MAX_SOURCE_LABELS:
            self._sources.add(label)
            return label
        return "other"

    def prepare(self, raw: RawMessage) -> Prepared | Rejection:
        """The CPU part: run the pipeline and build the records to publish (or the rejection)."""
        with self.spans.consume(raw):
            return self._prepare(raw)

    def _prepare(self, raw: RawMessage) -> Prepared | Rejection:
        self.metrics.consumed.labels(topic=raw.topic or "").inc()
        outcome = self.pipeline.process(raw)
        if not isinstance(outcome, Accepted):
            return outcome.rejection
        try:
            if self.settings.identity:
                return self._forward(raw, outcome.stories)
            return self._publishable(list(outcome.stories))
        except Exception as error:  # a bug in the envelope must not stop the worker
            return Rejection(reason="internal", stage="serialise", detail=f"{type(error).__name__}: {error}"[:500])

    def _forward(self, raw: RawMessage, stories: tuple[NinjsStory, ...]) -> Prepared | Rejection:
        message_id = f"{raw.topic}/{raw.partition}/{raw.offset}"
        headers = [(H_MESSAGE, message_id.encode()), (H_ITEMS, str(len(stories)).encode())]
        if raw.header("source"):
            headers.append((H_SOURCE, raw.headers["source"]))
        feed = feed_of(raw.header("source"), stories)
        if feed:
            headers.append((H_FEED, feed.encode()))
        if raw.timestamp_ms:
            headers.append((H_RAW_TS, str(raw.timestamp_ms).encode()))
        records = []
        for story in stories:
            value = story.model_dump_json(exclude_none=True).encode("utf-8")
            if len(value) + 2048 > self.settings.topic_max_message_bytes:
                detail = (
                    f"story of {len(value)} bytes exceeds max.message.bytes {self.settings.topic_max_message_bytes}"
                )
                return Rejection(reason="too_large", stage="publish", detail=detail)
            story_headers = headers + _identity_header(story, value)
            records.append(Record(self.settings.identity_topic, story.uri.encode("utf-8"), value, story_headers))
        return Prepared(records, [], [], forwarded=True)

    def _publishable(self, stories: list[NinjsStory]) -> Prepared:
        """Story events for every destination: the stories topic and each matching route's topic."""
        records: list[Record] = []
        routed: list[str] = []
        router = self.routes.router if self.routes else None  # one router per message, even across a reload
        for story in stories:
            record = story_record(story, self.settings.topic_stories, self.settings.ce_source, self.dataschema)
            if router is None:
                records.append(record)
                continue
            # The same CloudEvents message, same key, on every destination.
            destinations = router.destinations(story, self.settings.topic_stories)
            records.extend(replace(record, topic=topic) for topic in destinations)
            routed.extend(route.name for route in router.route(story))
        return Prepared(records, [story.language for story in stories], routed)

    async def complete(self, raw: RawMessage, prepared: Prepared | Rejection) -> str:
        """The I/O part: publish, wait for Kafka's acknowledgement, count the one outcome."""
        if isinstance(prepared, Rejection):
            return await self._deadletter(raw, prepared)
        try:
            with self.spans.publish(raw, prepared.records) as records:
                await self.sink.deliver(records)
        except Undeliverable as error:
            return await self._deadletter(raw, Rejection(reason="too_large", stage="publish", detail=str(error)))
        if prepared.forwarded:
            self._advance(raw)
            return "forwarded"
        source = self._source_label(raw.header("source"))
        for language in prepared.languages:
            self.metrics.published.labels(source=source, language=bounded_label(language, limit=8)).inc()
        for route in prepared.routes:
            self.metrics.routed.labels(route=route).inc()
        self._finish(raw, "published")
        return "published"

    async def handle(self, raw: RawMessage) -> str:
        """Process one message to its single final outcome; returns that outcome's name."""
        return await self.complete(raw, self.prepare(raw))

    async def _deadletter(self, raw: RawMessage, rejection: Rejection) -> str:
        await self.deliver_deadletter(deadletter_record(raw, rejection, self.settings.topic_deadletter))
        self.metrics.deadletters.labels(reason=rejection.reason).inc()
        self._finish(raw, "deadlettered", rejection)
        return "deadlettered"

    async def deliver_deadletter(self, record: Record) -> None:
        """Dead-letter a record; if the topic refuses it, its headers alone (the payload dropped); if it
        refuses even those, wait (not ready, this message unacked, so consumption stops at
        `max_in_flight`) and try again until the topic takes one: no input goes without an outcome."""
        backoff = 1.0
        while not await self._deadletter_once(record):
            self.deadletter_ok = False
            self._update_ready()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 30.0)
        if not self.deadletter_ok:
            log.warning("%s takes dead letters again", record.topic)
            self.deadletter_ok = True
            self._update_ready()

    async def _deadletter_once(self, record: Record) -> bool:
        try:
            await self.sink.deliver([record])
            return True
        except Undeliverable:
            log.error("dead letter too large for %s; sending headers only", record.topic)
        try:
            await self.sink.deliver([Record(record.topic, record.key, b"", record.headers)])
            return True
        except Undeliverable as error:
            log.critical("%s refuses even a headers-only dead letter (%s); will retry", record.topic, error)
            return False

    def _finish(self, raw: RawMessage, outcome: str, rejection: Rejection | None = None) -> None:
        self.metrics.outcomes.labels(outcome=outcome).inc()
        _log_outcome(outcome, rejection)
        sent_at = raw.timestamp_ms / 1000 if raw.timestamp_ms else None
        where = f"{raw.topic}/{raw.partition}/{raw.offset}"
        self.feeds.record(feed_of(raw.header("source")), outcome, sent_at, rejection, where)
        if raw.timestamp_ms:
            self.metrics.end_to_end.observe(max(0.0, time.time() - raw.timestamp_ms / 1000))
        self._advance(raw)

    def _advance(self, raw: RawMessage) -> None:
        if raw.topic is not None and raw.partition is not None and raw.offset is not None:
            self.next_offsets[TP(raw.topic, raw.partition)] = raw.offset + 1

    # the identity stage --------------------------------------------------------------------
    def identity_now(self, message: RawMessage) -> float:
        """The identity stage's "now" for a hand-off: its raw message's broker time (see identity/clock.py)."""
        raw_ts = message.header(H_RAW_TS)
        return self.identity_clock.now(int(raw_ts) if raw_ts and raw_ts.isdigit() else None, time.time())

    def identify(self, message: RawMessage, now: float) -> tuple[Prepared | Rejection | None, str | None]:
        """Decide on one forwarded story (sync: table writes happen in the event's context)."""
        with self.spans.consume(message):
            return self._identify(message, now)

    def _identify(self, message: RawMessage, now: float) -> tuple[Prepared | Rejection | None, str | None]:
        assert self.identity is not None
        if self._identity_generation != self._index_generation:
            rebuilt = self.identity.rebuild(now)
            self._index_generation = self._identity_generation
            log.info("identity indexes rebuilt from %d stored stories", rebuilt)
        handoff = None
        if message.partition is not None and message.offset is not None:
            handoff = (message.partition, message.offset)
        carried = self._carried(message)
        if carried is None:
            return self._identify_story(message, now, handoff)
        try:
            judgement = self.identity.judge(carried.signature, now, handoff)
        except Exception as error:  # identity is enrichment too: its failure must not cost the story
            log.exception("identity failed for %s", carried.signature.uri)
            return self._identity_failed(message, error), None
        self._count_for_expiry(now)
        if judgement.published is None:
            return None, judgement.duplicate_kind
        return self._spliced(message.value or b"", carried, judgement.published), None

    def _carried(self, message: RawMessage) -> fast_handoff.Handoff | None:
        """The ingest side's signature header, when the story need not be parsed here: routing
        reads the whole story, and a hand-off written without the header (an older worker's) has none."""
        header = message.headers.get(H_IDENTITY)
        if header is None or self.routes is not None:
            return None
        try:
            return fast_handoff.decode(header)
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable %s header at %s; parsing the story instead", H_IDENTITY, message.offset)
            return None

    def _spliced(self, value: bytes, carried: fast_handoff.Handoff, published: Published) -> Prepared:
        """The story event with identity's fields spliced into the hand-off JSON (no parse, no dump)."""
        sig, spans = carried.signature, carried.spans
        version = published.version or json.loads(value[spans.version[0] : spans.version[1]])
        pubstatus = published.pubstatus or json.loads(value[spans.pubstatus[0] : spans.pubstatus[1]])
        identity = Identity(
            content_hash=sig.content_hash,
            simhash=published.simhash,
            duplicate_of=published.duplicate_of,
            supersedes=published.supersedes,
            cluster=published.cluster,
            cluster_reason=published.cluster_reason,
        )
        data = fast_handoff.patch(value, spans, version, pubstatus, identity)
        ce_id = event_id_of(sig.uri, version, sig.content_hash, pubstatus)
        record = story_json_record(
            sig.uri, ce_id, data, self.settings.topic_stories, self.settings.ce_source, self.dataschema
        )
        return Prepared([record], [carried.language], [])

    def _identify_story(
        self, message: RawMessage, now: float, handoff: tuple[int, int] | None
    ) -> tuple[Prepared | Rejection | None, str | None]:
        """The parsing path: routes configured, or no signature header."""
        assert self.identity is not None
        try:
            story = NinjsStory.model_validate_json(message.value or b"")
        except ValueError as error:
            return Rejection(reason="internal", stage="identity", detail=f"unreadable hand-off: {error}"[:500]), None
        try:
            outcome = self.identity.process(story, now, handoff)
        except Exception as error:  # identity is enrichment too: its failure must not cost the story
            log.exception("identity failed for %s", story.uri)
            return self._with_identity_error(story, error), None
        self._count_for_expiry(now)
        if outcome.story is None:
            return None, outcome.duplicate_kind
        return self._publishable([outcome.story]), None

    def _identity_failed(self, message: RawMessage, error: Exception) -> Prepared | Rejection:
        try:
            story = NinjsStory.model_validate_json(message.value or b"")
        except ValueError as unreadable:
            return Rejection(reason="internal", stage="identity", detail=f"unreadable hand-off: {unreadable}"[:500])
        return self._with_identity_error(story, error)

    def _with_identity_error(self, story: NinjsStory, error: Exception) -> Prepared:
        errors = [*story.newswire.errors, StageError(stage="identity", reason=f"{type(error).__name__}: {error}"[:300])]
        story = story.model_copy(update={"newswire": story.newswire.model_copy(update={"errors": errors})})
        return self._publishable([story])

    def _count_for_expiry(self, now: float) -> None:
        assert self.identity is not None
        self._since_expiry += 1
        if self._since_expiry >= 1000:
            self._since_expiry = 0
            self.identity.expire(now)

    async def complete_identified(
        self, message: RawMessage, prepared: Prepared | Rejection | None, kind: str | None
    ) -> str:
        source = self._source_label(message.header(H_SOURCE))
        if isinstance(prepared, Rejection):
            await self.deliver_deadletter(deadletter_record(message, prepared, self.settings.topic_deadletter))
            self.metrics.deadletters.labels(reason=prepared.reason).inc()
            return self._item_done(message, published=False, deadlettered=True, rejection=prepared)
        if prepared is None:
            self.metrics.duplicates.labels(kind=kind or "exact").inc()
            return self._item_done(message, published=False)
        try:
            with self.spans.publish(message, prepared.records) as records:
                await self.sink.deliver(records)
        except Undeliverable as error:
            # The story cannot be published anywhere: dead-letter it (the story JSON, with where it came from).
            rejection = Rejection(reason="too_large", stage="publish", detail=str(error))
            record = deadletter_record(message, rejection, self.settings.topic_deadletter)
            await self.deliver_deadletter(Record(record.topic, record.key, b"", record.headers))
            self.metrics.deadletters.labels(reason="too_large").inc()
            return self._item_done(message, published=False, deadlettered=True, rejection=rejection)
        for language in prepared.languages:
            self.metrics.published.labels(source=source, language=bounded_label(language, limit=8)).inc()
        for route in prepared.routes:
            self.metrics.routed.labels(route=route).inc()
        return self._item_done(message, published=True)

    def _item_done(
        self, message: RawMessage, published: bool, deadlettered: bool = False, rejection: Rejection | None = None
    ) -> str:
        """A raw message's outcome is known once all its items are: published if any item was."""
        message_id = message.header(H_MESSAGE) or f"{message.topic}/{message.partition}/{message.offset}"
        items = int(message.header(H_ITEMS) or "1")
        remaining, any_published, any_deadlettered = self._messages.get(message_id, (items, False, False))
        remaining -= 1
        any_published, any_deadlettered = any_published or published, any_deadlettered or deadlettered
        if remaining > 0:
            self._messages[message_id] = (remaining, any_published, any_deadlettered)
            return "pending"
        self._messages.pop(message_id, None)
        outcome = "published" if any_published else "deadlettered" if any_deadlettered else "duplicate"
        self.metrics.outcomes.labels(outcome=outcome).inc()
        _log_outcome(outcome, rejection)
        raw_ts = message.header(H_RAW_TS)
        sent_at = int(raw_ts) / 1000 if raw_ts and raw_ts.isdigit() else None
        self.feeds.record(message.header(H_FEED), outcome, sent_at, rejection, message_id)
        if raw_ts:
            self.metrics.end_to_end.observe(max(0.0, time.time() - int(raw_ts) / 1000))
        return outcome

    def update_lag(self, highwaters: Mapping[TP, int | None]) -> None:
        for tp, highwater in highwaters.items():
            if highwater is None or tp not in self.next_offsets:
                continue
            self.metrics.lag.labels(topic=tp.topic, partition=str(tp.partition)).set(
                max(0, highwater - self.next_offsets[tp])
            )


def _log_outcome(outcome: str, rejection: Rejection | None) -> None:
    """A message's one outcome (the log context names the message: logs.about_message); an `internal`
    dead letter is a bug in the pipeline, so it is a warning."""
    if rejection is None:
        log.debug("%s", outcome)
        return
    level = logging.WARNING if rejection.reason == "internal" else logging.DEBUG
    log.log(
        level,
        "%s: %s at %s: %s",
        outcome,
        rejection.reason,
        rejection.stage,
        rejection.detail,
        extra={"reason": rejection.reason},
    )


def _raw_message(event: EventT[bytes]) -> RawMessage:
    message = event.message
    return RawMessage(
        value=event.value,
        headers=_headers(event.headers),
        key=event.key,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        timestamp_ms=int(message.timestamp * 1000) if message.timestamp else None,
    )


class InFlight:
    """Events whose outcome is being published, acked in arrival order as each completes.

    With a commit gate (exactly-once), an event is admitted before its processing starts and leaves
    the gate once acked, so no commit falls between a story's publication and its input's ack.
    """

    def __init__(
        self,
        stream: faust.StreamT[bytes],
        limit: int,
        gate: CommitGate | None = None,
        fresh: Callable[[EventT[bytes]], bool] = lambda event: True,
        skip_rereads: bool = True,
    ) -> None:
        self._stream = stream
        self._gate = gate
        self._fresh = fresh  # an event fetched before a rebalance is read again, never acked
        self._pending: deque[tuple[EventT[bytes], asyncio.Future[str]]] = deque()
        self._limit = max(1, limit)
        self._room = asyncio.Condition()
        self._acker: asyncio.Task[None] | None = None
        # Exactly-once only, a second guard since recovery seeks before it fetches (stream/offsets.py):
        # at-least-once may process a copy twice, and the identity stage suppresses the repeat.
        self._first_reads = FirstReads() if skip_rereads else None
        self._reread_logged: set[tuple[TP, int]] = set()

    def reread(self, event: EventT[bytes]) -> bool:
        """A second copy of a record this generation already took (see stream/rereads.py): skip it."""
        message = event.message
        generation = message.generation_id or 0
        if self._first_reads is None or self._first_reads.first(message.tp, generation, message.offset):
            return False
        if (message.tp, generation) not in self._reread_logged:  # once per partition and generation
            self._reread_logged.add((message.tp, generation))
            log.info(
                "%s: skipping records delivered again in generation %d (from %d)",
                message.tp,
                generation,
                message.offset,
            )
        return True

    async def admit(self) -> None:
        if self._gate is not None:
            await self._gate.enter()

    async def add(self, event: EventT[bytes], outcome: asyncio.Future[str]) -> None:
        async with self._room:
            await self._room.wait_for(lambda: len(self._pending) < self._limit)  # backpressure
            self._pending.append((event, outcome))
            if self._acker is None or self._acker.done():
                self._acker = asyncio.ensure_future(self._ack_in_order())

    async def _ack_in_order(self) -> None:
        while self._pending:
            event, outcome = self._pending[0]
            try:
                await asyncio.shield(outcome)
            except Revoked:
                # Exactly-once: the input's partition moved on and its transaction with it; the next
                # owner processes it again. Not acked, not counted.
                self._pending.popleft()
            else:
                if self._fresh(event):
                    await ack_processed(self._stream, event)
                    if self._gate is not None:
                        self._gate.acked(event.message.tp, event.message.offset)
                # An event fetched before a rebalance is not acked: its partition is read again
                # from the committed offset. Acked, it joined the new generation's ack list ahead
                # of the re-read events, and faust's reckoning lets a commit pass one missing
                # offset at the head of that list (`min(acked) - committed > 1`): the input at
                # the committed offset, still in flight, was committed past and lost if the
                # worker died then (the likely way one at-least-once kill -9 run lost one input).
                self._pending.popleft()
            if self._gate is not None:
                await self._gate.leave()
            async with self._room:
                self._room.notify_all()

    async def drain(self, timeout: float) -> None:
        if self._acker is None or not self._pending:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._acker), timeout)
        except (TimeoutError, asyncio.CancelledError):
            log.warning("%d message(s) still in flight at shutdown; they will be redelivered", len(self._pending))


IDENTITY_RETENTION_S = 24 * 3600.0  # a hand-off is consumed within seconds; a day covers any outage


def state_dir(settings: Settings) -> Path:
    path = Path.home() / ".cache" / "newswire" / "state" / settings.group_id
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_app(settings: Settings, given: Ingest | None = None) -> tuple[faust.App, Ingest]:
    ingest = given or Ingest(settings)
    exactly_once = settings.processing_guarantee == "exactly_once"
    app = faust.App(
        settings.group_id,
        broker=f"kafka://{settings.kafka_bootstrap}",
        broker_credentials=faust_credentials(settings),
        store="memory://",
        datadir=str(state_dir(settings)),
        web_enabled=False,
        consumer_auto_offset_reset="earliest",
        broker_commit_interval=settings.commit_interval_s,
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        broker_rebalance_timeout=settings.rebalance_timeout_s,
        consumer_group_instance_id=settings.group_instance_id,
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication_factor,
        producer_acks=-1,
        processing_guarantee=settings.processing_guarantee,
        producer_max_request_size=settings.topic_max_message_bytes,
        producer_linger=settings.producer_linger_ms / 1000,  # changelog writes: two per story, batched
        stream_wait_empty=False,
        broker_max_poll_records=PRIORITY_POLL_RECORDS,  # see stream/fairness.py
        stream_buffer_maxsize=STREAM_BUFFER_RECORDS,
        table_key_serializer="raw",  # identity tables hold compact JSON bytes of their own
        table_value_serializer="raw",
    )
    raw_topic = app.topic(
        settings.topic_raw, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
    )
    # Offsets are committed only past records an agent processed (see stream/offsets.py).
    python_stream_iterator()  # every ack through Consumer.ack, where the rule below applies
    seek_before_resume()
    fetch_only_active()
    unread_undelivered()
    count_processed_acks_only([settings.topic_raw, *([settings.identity_topic] if settings.identity else [])])
    if settings.trace_offsets:
        offset_trace.install()  # after the patches: it shows what they let through
    gate = CommitGate() if exactly_once else None
    send_buffer = SendBuffer(app) if exactly_once else None

    def is_fresh(event: EventT[bytes]) -> bool:
        return fresh(app, event)

    if exactly_once:
        ingest.sink = TransactionalSink(app, on_connectivity=ingest._set_connectivity)
    health = HealthServer(
        ingest.metrics,
        ingest.readiness,
        settings.metrics_host,
        settings.metrics_port,
        status=lambda: status_document(ingest.feeds, ingest.metrics, ingest.readiness, settings.group_id),
    )
    if settings.identity:
        prioritise([settings.identity_topic])
        identity_topic = app.topic(
            settings.identity_topic,
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            partitions=1,
            # Created by the worker itself when missing (any group id, no `topics ensure` needed); same
            # settings as `topics ensure` gives it.
            internal=True,
            retention=IDENTITY_RETENTION_S,
            deleting=True,
            config={"max.message.bytes": str(settings.topic_max_message_bytes)},
        )
        states = app.Table(
            "story-state",
            partitions=1,
            key_type=bytes,
            value_type=bytes,
            help="per story uri: versions and content hashes seen",
        )
        members = app.Table(
            "cluster-members",
            partitions=1,
            key_type=bytes,
            value_type=bytes,
            help="recent stories' cluster signatures",
        )
        ingest.identity = IdentityStage(
            states,
            members,
            IdentityOptions(  # type: ignore[arg-type]
                window_s=settings.identity_window_s,
                near_duplicate_distance=settings.near_duplicate_distance,
                drop_near_duplicates=settings.drop_near_duplicates,
            ),
        )

        @app.agent(identity_topic, name="newswire.identify")
        async def identify_agent(stream: faust.StreamT[bytes]) -> None:
            manual = stream.noack()  # type: ignore[attr-defined]
            in_flight = InFlight(manual, settings.max_in_flight, gate, is_fresh, skip_rereads=exactly_once)
            ingest.flights["identify"] = in_flight
            try:
                async for event in manual.events():
                    if ingest.stopping:
                        break  # not acked: the next owner reads it again
                    if in_flight.reread(event):
                        ingest.metrics.rereads.labels(topic=event.message.topic).inc()
                        continue
                    await in_flight.admit()
                    message = _raw_message(event)
                    about_message(message.topic, message.partition, message.offset, _key_text(message.key))
                    prepared, kind = ingest.identify(message, ingest.identity_now(message))
                    outcome = asyncio.ensure_future(ingest.complete_identified(message, prepared, kind))
                    await in_flight.add(event, outcome)
            finally:
                await in_flight.drain(settings.drain_timeout_s)

    @app.on_partitions_assigned.connect  # type: ignore[arg-type,misc]
    async def _assigned(app: faust.App, assigned: set[TP], **_: Any) -> None:
        if gate is not None:
            install_gate(app, gate, send_buffer)  # before the first event of the assignment can be acked
            gate.own(assigned)
        ingest.on_assigned(assigned)

    @app.on_partitions_revoked.connect  # type: ignore[arg-type,misc]
    async def _revoked(app: faust.App, revoked: set[TP], **_: Any) -> None:
        if gate is not None:
            gate.disown(revoked)
        ingest.on_revoked(revoked)

    @app.service
    class Edges(mode.Service):
        """HTTP endpoints and the output producer live as long as the worker."""

        async def on_start(self) -> None:
            if gate is not None:
                install_gate(app, gate, send_buffer)  # before the consumer's first commit, whatever the timing
            await health.start()
            await ingest.sink.start()
            if ingest.routes is not None:
                install_sighup_reload(ingest.routes)  # re-read the routing file on SIGHUP

        async def on_stop(self) -> None:
            # SIGTERM: take no new message, let what is in flight be published and acked, commit
            # those offsets now (the consumer's own last commit may come before these acks, and every
            # hand-off processed since the last periodic commit would be published again after a
            # restart), and only then close the producer.
            ingest.stopping = True
            for in_flight in list(ingest.flights.values()):
                await in_flight.drain(settings.drain_timeout_s)
            try:
                await app.consumer.commit()
            except Exception as error:  # the consumer may already be gone; the restart then redoes a little
                log.warning("final offset commit at shutdown failed: %s", error)
            await ingest.sink.stop()
            await health.stop()

    @app.agent(raw_topic, name="newswire.ingest")
    async def ingest_agent(stream: faust.StreamT[bytes]) -> None:
        # Manual acks: an event is acked only once its story or dead letter is acknowledged by
        # Kafka, never merely because the loop moved on. Up to `max_in_flight` messages are
        # published concurrently, so the CPU work of the next message overlaps the wait for
        # the broker's acknowledgement of the previous ones.
        manual = stream.noack()  # type: ignore[attr-defined]
        in_flight = InFlight(manual, settings.max_in_flight, gate, is_fresh, skip_rereads=exactly_once)
        ingest.flights["ingest"] = in_flight
        try:
            async for event in manual.events():
                if ingest.stopping:
                    break  # not acked: the next owner reads it again
                if in_flight.reread(event):
                    ingest.metrics.rereads.labels(topic=event.message.topic).inc()
                    continue
                await in_flight.admit()
                raw = _raw_message(event)
                about_message(raw.topic, raw.partition, raw.offset)
                prepared = ingest.prepare(raw)
                if isinstance(prepared, Prepared) and prepared.records and prepared.records[0].key:
                    about_story(_key_text(prepared.records[0].key))  # stories are keyed by uri
                await in_flight.add(event, asyncio.ensure_future(ingest.complete(raw, prepared)))
        finally:
            # SIGTERM or rebalance: finish what is in flight so its offsets can be committed.
            await in_flight.drain(settings.drain_timeout_s)

    @app.timer(LAG_INTERVAL_S)
    async def _lag() -> None:
        ingest._set_connectivity(await ingest.sink.reachable())
        highwaters = {tp: app.consumer.highwater(tp) for tp in ingest.assigned}
        ingest.update_lag(highwaters)
        ingest.feeds.refresh()  # quiet-hours gauges

    return app, ingest


EXIT_REFUSED = 3  # the installed faust/aiokafka/mode are not the code the delivery patches were written for


def verified(settings: Settings) -> bool:
    """Whether the worker may start: the patched libraries are the expected ones, or an expert said
    to start anyway (logged at CRITICAL level, at every start). See stream/guard.py."""
    found = guard.problems()
    if settings.allow_unverified_patches:
        log.critical(
            "%s is set: starting without the check that the delivery patches fit the installed faust, "
            "aiokafka and mode (%s); inputs may be lost",
            guard.OVERRIDE_VARIABLE,
            "; ".join(found) if found else "no mismatch found today",
        )
        return True
    if found:
        print(guard.refusal(found), file=sys.stderr)
        return False
    return True


def _key_text(key: bytes | str | None) -> str | None:
    if isinstance(key, bytes):
        return key.decode("utf-8", "replace")
    return key


class Worker(faust.Worker):
    """faust's worker, with our log handlers put back after mode replaced them with its own."""

    def __init__(self, settings: Settings, *args: Any, **kwargs: Any) -> None:
        self._settings = settings
        super().__init__(*args, **kwargs)

    def on_setup_root_logger(self, logger: logging.Logger, level: int) -> None:
        super().on_setup_root_logger(logger, level)
        configure_logging(self._settings)


def serve(settings: Settings) -> int:
    if not verified(settings):
        return EXIT_REFUSED
    app, ingest = build_app(settings)
    # Load models (language, entities) before joining the group, not on the first story.
    warm_up(ingest.pipeline)
    worker = Worker(settings, app, loglevel=settings.log_level.lower(), quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()
    return 0
