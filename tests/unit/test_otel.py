"""Optional OpenTelemetry spans (stream/otel.py): one trace from the raw message to its story event.

The whole path runs without a broker: a sample wire through `Ingest.prepare`/`complete` to the
identity hand-off, that hand-off through `identify`/`complete_identified` to the story event, with
the records caught by a fake sink and the spans by the SDK's in-memory exporter.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from newswire.config import SettingsError, load_settings
from newswire.identity.stage import IdentityStage
from newswire.pipeline import RawMessage
from newswire.samples import sample_paths
from newswire.stream.envelope import Record
from newswire.stream.otel import NoSpans, endpoint_problem
from newswire.stream.otel_sdk import OtelSpans, tracer_provider
from newswire.stream.service import Ingest, Prepared
from newswire.stream.tracing import parse_traceparent
from tests.conftest import REPO_ROOT

TRACE_ID = "5af7183fb1d4cf5f0c3ea5f2b6d1e901"
RAW_PARENT = "a1b2c3d4e5f60718"
TRACEPARENT = f"00-{TRACE_ID}-{RAW_PARENT}-01"


class FakeSink:
    def __init__(self) -> None:
        self.records: list[Record] = []

    async def deliver(self, records: list[Record]) -> None:
        self.records.extend(records)


def worker(exporter: InMemorySpanExporter) -> tuple[Ingest, FakeSink]:
    spans = OtelSpans(tracer_provider(exporter, batch=False))
    ingest = Ingest(load_settings(enrich_stages=("language",)), spans=spans)
    ingest.identity = IdentityStage({}, {})
    sink = FakeSink()
    ingest.sink = sink  # type: ignore[assignment]
    return ingest, sink


def raw_to_story(ingest: Ingest, sink: FakeSink, headers: dict[str, bytes]) -> Record:
    """One sample wire, raw -> hand-off -> story event; returns the story event."""
    raw = RawMessage(value=sample_paths()[0].read_bytes(), headers=headers, topic="wire.raw", partition=0, offset=7)

    async def run() -> Record:
        assert await ingest.complete(raw, ingest.prepare(raw)) == "forwarded"
        (handoff,) = sink.records
        message = RawMessage(
            value=handoff.value, headers=dict(handoff.headers), key=handoff.key, topic=handoff.topic, partition=0
        )
        prepared, _ = ingest.identify(message, 1_800_000_000.0)
        assert isinstance(prepared, Prepared)
        assert await ingest.complete_identified(message, prepared, None) == "published"
        return sink.records[-1]

    return asyncio.run(run())


def by_name(spans: tuple[ReadableSpan, ...]) -> dict[str, ReadableSpan]:
    return {span.name: span for span in spans}


def test_one_trace_from_the_raw_traceparent_to_the_story() -> None:
    exporter = InMemorySpanExporter()
    ingest, sink = worker(exporter)
    story = raw_to_story(ingest, sink, {"traceparent": TRACEPARENT.encode(), "tracestate": b"agency=7"})
    handoff_topic = ingest.settings.identity_topic
    spans = by_name(exporter.get_finished_spans())

    assert {span.context.trace_id for span in spans.values()} == {int(TRACE_ID, 16)}
    raw_hop, handoff, identity_hop, publish = (
        spans["process wire.raw"],
        spans[f"send {handoff_topic}"],
        spans[f"process {handoff_topic}"],
        spans["send news.stories"],
    )
    # raw -> process wire.raw -> send hand-off -> process hand-off -> send news.stories
    assert raw_hop.parent is not None and raw_hop.parent.span_id == int(RAW_PARENT, 16) and raw_hop.parent.is_remote
    assert handoff.parent is not None and handoff.parent.span_id == raw_hop.context.span_id
    assert identity_hop.parent is not None and identity_hop.parent.span_id == handoff.context.span_id
    assert publish.parent is not None and publish.parent.span_id == identity_hop.context.span_id
    # every pipeline stage that ran is a child of the raw hop, inside its time
    stages = [span for name, span in spans.items() if name.startswith("stage ")]
    assert {"stage sniff", "stage parse", "stage normalise", "stage language"} <= {span.name for span in stages}
    for span in stages:
        assert span.parent is not None and span.parent.span_id == raw_hop.context.span_id
        assert raw_hop.start_time is not None and span.start_time is not None
        assert span.start_time >= raw_hop.start_time - 1_000_000  # 1 ms: time_ns vs the observer's perf_counter
    # the story's ce_traceparent continues the raw trace from the span that published it
    headers = dict(story.headers)
    _, trace_id, parent_id, flags = headers["ce_traceparent"].decode().split("-")
    assert (trace_id, int(parent_id, 16), flags) == (TRACE_ID, publish.context.span_id, "01")
    assert headers["ce_tracestate"] == b"agency=7"
    assert publish.attributes is not None and publish.attributes["messaging.destination.name"] == "news.stories"


def test_a_raw_message_without_traceparent_starts_the_trace_the_story_carries() -> None:
    exporter = InMemorySpanExporter()
    ingest, sink = worker(exporter)
    story = raw_to_story(ingest, sink, {"traceparent": b"not-a-trace"})
    spans = by_name(exporter.get_finished_spans())
    assert spans["process wire.raw"].parent is None
    parsed = parse_traceparent(dict(story.headers)["ce_traceparent"].decode())
    assert parsed is not None
    assert {span.context.trace_id for span in spans.values()} == {int(parsed[0], 16)}


def test_an_unsampled_raw_trace_records_no_span_but_still_propagates() -> None:
    exporter = InMemorySpanExporter()
    ingest, sink = worker(exporter)
    story = raw_to_story(ingest, sink, {"traceparent": f"00-{TRACE_ID}-{RAW_PARENT}-00".encode()})
    assert exporter.get_finished_spans() == ()
    assert dict(story.headers)["ce_traceparent"].decode().split("-")[1::2] == [TRACE_ID, "00"]


def test_tracing_off_is_the_plain_propagation() -> None:
    spans = NoSpans()
    observed: list[str] = []
    observe = spans.observer(lambda stage, seconds: observed.append(stage))
    observe("parse", 0.1)
    assert observed == ["parse"]
    raw = RawMessage(value=b"x", headers={"traceparent": TRACEPARENT.encode()})
    with spans.publish(raw, [Record("t", b"k", b"v", [])]) as (record,):
        assert dict(record.headers)["ce_traceparent"].split(b"-")[1] == TRACE_ID.encode()


def _opentelemetry_modules(otel: str) -> str:
    """The opentelemetry modules a fresh interpreter (this one imported the SDK above) has after a
    worker is made and has processed a message, with NEWSWIRE_OTEL set to `otel`."""
    code = (
        "import sys, asyncio\n"
        "from newswire.config import load_settings\n"
        "from newswire.pipeline import RawMessage\n"
        "from newswire.stream.service import Ingest\n"
        "ingest = Ingest(load_settings(enrich_stages=(), identity=False))\n"
        "ingest.prepare(RawMessage(value=b'HEADLINE\\n\\nA body of one line.', topic='wire.raw'))\n"
        "print(sorted(name for name in sys.modules if name.startswith('opentelemetry')))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT / "services"), "NEWSWIRE_OTEL": otel}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=REPO_ROOT
    )
    return out.stdout.strip()


def test_with_tracing_off_no_opentelemetry_module_is_imported() -> None:
    assert _opentelemetry_modules("false") == "[]"
    assert "opentelemetry.sdk.trace" in _opentelemetry_modules("true")  # the probe sees them when they are


def test_the_setting_is_off_by_default_and_a_bad_endpoint_stops_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSWIRE_OTEL", raising=False)
    assert load_settings().otel is False
    assert isinstance(Ingest(load_settings(enrich_stages=())).spans, NoSpans)
    assert endpoint_problem({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}) is None
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")
    with pytest.raises(SettingsError, match="OTEL_EXPORTER_OTLP_ENDPOINT='collector:4318'"):
        load_settings(otel=True)
    assert load_settings(otel=False).otel is False  # the endpoint matters only when tracing is on
