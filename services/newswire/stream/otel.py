"""Optional OpenTelemetry spans per pipeline stage and per Kafka hop (NEWSWIRE_OTEL=true; off by default).

Off, the worker gets `NoSpans`: the stage observer is the metrics one unchanged, the hop context
managers are `nullcontext`, records get their `ce_traceparent` from stream/tracing.py as before, and
nothing of OpenTelemetry is imported. On, stream/otel_sdk.py (imported only then) makes the spans,
in the trace of the raw message's `traceparent`; see docs/operations.md ("Tracing").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # config.py imports this module to check the endpoint: it stays light
    from newswire.config import Settings
    from newswire.pipeline.core import StageObserver
    from newswire.pipeline.message import RawMessage
    from newswire.stream.envelope import Record

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")


class Spans(Protocol):
    """What the worker asks of tracing (stream/service.py)."""

    def observer(self, observe: StageObserver) -> StageObserver:
        """The pipeline's stage observer: `observe` (the metrics), plus a span per stage when on."""

    def consume(self, message: RawMessage) -> AbstractContextManager[None]:
        """Around the CPU work on one consumed message (the pipeline, or the identity decision)."""

    def publish(self, message: RawMessage, records: list[Record]) -> AbstractContextManager[list[Record]]:
        """Around publishing what `message` became: yields the records with their trace headers."""


class NoSpans:
    """Tracing off: today's behaviour at the cost of a function call per hop."""

    def __init__(self) -> None:
        from newswire.stream.tracing import traced

        self._traced = traced

    def observer(self, observe: StageObserver) -> StageObserver:
        return observe

    def consume(self, message: RawMessage) -> AbstractContextManager[None]:
        return nullcontext()

    def publish(self, message: RawMessage, records: list[Record]) -> AbstractContextManager[list[Record]]:
        return nullcontext(self._traced(records, message.headers))


def spans_for(settings: Settings) -> Spans:
    if not settings.otel:
        return NoSpans()
    from newswire.stream.otel_sdk import OtelSpans, tracer_provider  # only now: the SDK costs imports

    return OtelSpans(tracer_provider())


def endpoint_problem(environ: Mapping[str, str]) -> str | None:
    """The OTLP endpoint variables, checked when tracing is on (config.py): a bad URL stops the
    worker at start-up (exit 2), not the exporter's thread every few seconds."""
    for name in ENDPOINT_VARIABLES:
        value = environ.get(name)
        if value is not None and not _URL.match(value.strip()):
            return f"{name}={value[:80]!r}: an http(s):// URL of the OTLP/HTTP collector is needed"
    return None
