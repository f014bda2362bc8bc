"""NEWSWIRE_OTEL=true against the real broker: the worker's spans reach an OTLP/HTTP collector (a
small one in this test) in the trace of the raw message's traceparent, and the story's
ce_traceparent names the span that published it."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from newswire.samples import sample_paths
from tests.integration.conftest import Topics, consume, produce, start_service

TRACE_ID = "3d1e6a9f20b47c58e1f0a2b3c4d5e6f7"
TRACEPARENT = f"00-{TRACE_ID}-1122334455667788-01"


class Collector(ThreadingHTTPServer):
    """Keeps every span POSTed to /v1/traces."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.spans: list[Span] = []
        self.paths: list[str] = []
        self.arrived = threading.Condition()


class _Handler(BaseHTTPRequestHandler):
    server: Collector

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest.FromString(body)
        with self.server.arrived:
            self.server.paths.append(self.path)
            for resource in request.resource_spans:
                for scope in resource.scope_spans:
                    self.server.spans.extend(scope.spans)
            self.server.arrived.notify_all()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


@pytest.fixture
def collector() -> Iterator[Collector]:
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_worker_exports_one_trace_from_raw_to_story(
    kafka_bootstrap: str, topics: Topics, tmp_path: Path, collector: Collector
) -> None:
    service = start_service(
        kafka_bootstrap,
        topics,
        tmp_path,
        NEWSWIRE_OTEL="true",
        OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{collector.server_address[1]}",
        OTEL_BSP_SCHEDULE_DELAY="200",  # ms: export soon, not after the default 5 s
    )
    try:
        produce(
            kafka_bootstrap,
            topics.raw,
            [(b"k", sample_paths()[0].read_bytes(), [("traceparent", TRACEPARENT.encode())])],
        )
        (story,) = consume(kafka_bootstrap, topics.stories, 1)
        _, trace_id, parent_id, _ = dict(story.headers)["ce_traceparent"].decode().split("-")
        assert trace_id == TRACE_ID
        wanted = {f"process {topics.raw}", f"send {topics.group}.identity", f"process {topics.group}.identity"}
        wanted.add(f"send {topics.stories}")
        with collector.arrived:
            collector.arrived.wait_for(lambda: wanted <= {span.name for span in collector.spans}, timeout=30)
            spans = {span.name: span for span in collector.spans if span.trace_id.hex() == TRACE_ID}
    finally:
        service.stop()
    assert set(collector.paths) == {"/v1/traces"}
    assert wanted <= set(spans), sorted(spans)
    assert any(name.startswith("stage ") for name in spans)
    assert spans[f"process {topics.raw}"].parent_span_id.hex() == TRACEPARENT.split("-")[2]
    handoff = f"{topics.group}.identity"
    assert spans[f"process {handoff}"].parent_span_id == spans[f"send {handoff}"].span_id  # across the broker
    assert spans[f"send {topics.stories}"].span_id.hex() == parent_id
