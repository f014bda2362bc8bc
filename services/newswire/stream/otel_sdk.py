"""OpenTelemetry spans for one worker (imported by stream/otel.py only when NEWSWIRE_OTEL=true).

One trace from raw to story, in the trace of the raw message's `traceparent` (a new one without it):

    process wire.raw                 CONSUMER, child of the raw message's traceparent
      stage sniff, stage parse, ...  one per pipeline stage (from the pipeline's stage observer)
      send <group>.identity          PRODUCER: its span id is the hand-off's ce_traceparent parent id
        process <group>.identity     CONSUMER, child of that ce_traceparent
          send news.stories          PRODUCER: its span id is the story's ce_traceparent parent id

So a downstream consumer that continues the story's `ce_traceparent` hangs under `send news.stories`.
The standard OTEL_* variables apply (endpoint, headers, service name, sampler); spans leave through
a batch processor on its own thread, flushed at exit.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, TraceFlags, TraceState
from opentelemetry.util.types import AttributeValue

from newswire import __version__
from newswire.pipeline.core import StageObserver
from newswire.pipeline.message import RawMessage
from newswire.stream.envelope import Record
from newswire.stream.tracing import CE_TRACEPARENT, CE_TRACESTATE, parse_traceparent, trace_headers

_OPEN_LIMIT = 8192  # consume spans waiting for their publish (in flight is bounded by MAX_IN_FLIGHT per agent)


def tracer_provider(exporter: SpanExporter | None = None, batch: bool = True) -> TracerProvider:
    """The SDK provider: OTLP over HTTP unless an exporter is given (tests, the bench)."""
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()  # OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT
    # OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over these defaults.
    defaults = {"service.version": __version__}
    if not os.environ.get("OTEL_SERVICE_NAME"):
        defaults["service.name"] = "newswire"
    provider = TracerProvider(resource=Resource.create(defaults))  # sampler: OTEL_TRACES_SAMPLER, else parent-based
    provider.add_span_processor(BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter))
    return provider


def _header(headers: Mapping[str, bytes], *names: str) -> str | None:
    for name in names:  # the order stream/tracing.py reads them in
        value = headers.get(name)
        if value is not None:
            return value.decode("ascii", errors="replace").strip().lower()
    return None


def incoming(headers: Mapping[str, bytes]) -> Context:
    """The remote parent a message's trace headers name; an empty context (a new trace) without a valid one."""
    value = _header(headers, "traceparent", CE_TRACEPARENT)
    parsed = parse_traceparent(value)
    if value is None or parsed is None:
        return Context()
    trace_id, flags = parsed
    state = _header(headers, "tracestate", CE_TRACESTATE)
    parent = SpanContext(
        trace_id=int(trace_id, 16),
        span_id=int(value.split("-")[2], 16),
        is_remote=True,
        trace_flags=TraceFlags(int(flags, 16) & TraceFlags.SAMPLED),
        trace_state=TraceState.from_header([state]) if state else None,
    )
    return trace.set_span_in_context(NonRecordingSpan(parent))


def _message_attributes(message: RawMessage) -> dict[str, AttributeValue]:
    attributes: dict[str, AttributeValue] = {"messaging.system": "kafka", "messaging.operation.type": "process"}
    if message.topic is not None:
        attributes["messaging.destination.name"] = message.topic
    if message.partition is not None:
        attributes["messaging.destination.partition.id"] = str(message.partition)
    if message.offset is not None:
        attributes["messaging.kafka.offset"] = message.offset
    return attributes


class OtelSpans:
    """The `Spans` of stream/otel.py, on an SDK tracer."""

    def __init__(self, provider: TracerProvider) -> None:
        self._tracer = provider.get_tracer("newswire", __version__)
        self._current: Context | None = None  # the consume span's, while the (synchronous) pipeline runs
        self._open: OrderedDict[int, Context] = OrderedDict()  # per message object: its consume span

    def observer(self, observe: StageObserver) -> StageObserver:
        def both(stage: str, seconds: float) -> None:
            observe(stage, seconds)
            if self._current is not None:  # not the warm-up, nor the pipeline used outside a hop
                ended = time.time_ns()
                span = self._tracer.start_span(
                    f"stage {stage}", self._current, start_time=ended - int(seconds * 1e9), record_exception=False
                )
                span.end(end_time=ended)

        return both

    @contextmanager
    def consume(self, message: RawMessage) -> Iterator[None]:
        span = self._tracer.start_span(
            f"process {message.topic}",
            incoming(message.headers),
            kind=SpanKind.CONSUMER,
            attributes=_message_attributes(message),
        )
        context = trace.set_span_in_context(span, Context())
        self._current = context
        try:
            yield
        finally:
            self._current = None
            span.end()
            # A publish follows on the same message object; a dead letter or a duplicate never
            # publishes, so the oldest entries are dropped past the limit (an id is reused only
            # by a later message, whose own consume overwrites it first).
            self._open[id(message)] = context
            self._open.move_to_end(id(message))
            if len(self._open) > _OPEN_LIMIT:
                self._open.popitem(last=False)

    @contextmanager
    def publish(self, message: RawMessage, records: list[Record]) -> Iterator[list[Record]]:
        parent = self._open.pop(id(message), None) or incoming(message.headers)
        topic = records[0].topic if records else ""
        attributes: dict[str, AttributeValue] = {
            "messaging.system": "kafka",
            "messaging.operation.type": "send",
            "messaging.destination.name": topic,
            "messaging.batch.message_count": len(records),
        }
        with self._tracer.start_as_current_span(
            f"send {topic}", parent, kind=SpanKind.PRODUCER, attributes=attributes
        ) as span:
            ids = span.get_span_context()
            # stream/tracing.py writes the headers; its "random" ids are this span's, so the next hop
            # (or the story's reader) is this span's child, in the same trace.
            hex_ids = {16: format(ids.trace_id, "032x"), 8: format(ids.span_id, "016x")}
            added = trace_headers(message.headers, random_hex=hex_ids.__getitem__)
            names = {name for name, _ in added}
            yield [
                Record(record.topic, record.key, record.value, [h for h in record.headers if h[0] not in names] + added)
                for record in records
            ]
