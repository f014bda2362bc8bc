"""Cost per story of the optional OpenTelemetry spans (NEWSWIRE_OTEL=true) against tracing off.

    .venv/bin/python tests/eval/bench_otel.py [--rounds 40] [--stages all|none]

The worker's own path, no broker: each bundled sample wire (with a traceparent) through
`Ingest.prepare`/`complete` to the identity hand-off, then `identify`/`complete_identified` to the
story event, records caught by a fake sink. "on" is the SDK as the worker runs it (batch span
processor on its own thread, default sampler: the raw message's sampled flag) with an exporter
that counts the spans and drops them, as OTLP does once sent, so the network is not measured.
Rounds alternate off and on, each with a fresh identity state (every story is new); the per-story
figure is the median round (a shared machine: the mean is noise); the cost is the median of the
paired differences (each "on" round less the "off" round before it), with the spans per story.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

from newswire.config import load_settings
from newswire.identity.stage import IdentityStage
from newswire.pipeline import RawMessage
from newswire.pipeline.warm import warm_up
from newswire.samples import sample_paths
from newswire.stream.envelope import Record
from newswire.stream.otel import NoSpans, Spans
from newswire.stream.otel_sdk import OtelSpans, tracer_provider
from newswire.stream.service import Ingest, Prepared

TRACEPARENT = b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class CountingExporter(SpanExporter):
    def __init__(self) -> None:
        self.count = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.count += len(spans)
        return SpanExportResult.SUCCESS


class NullSink:
    def __init__(self) -> None:
        self.last: list[Record] = []

    async def deliver(self, records: list[Record]) -> None:
        self.last = records


async def one_story(ingest: Ingest, sink: NullSink, raw: RawMessage) -> None:
    await ingest.complete(raw, ingest.prepare(raw))
    (handoff,) = sink.last
    message = RawMessage(handoff.value, dict(handoff.headers), handoff.key, handoff.topic, 0, raw.offset)
    prepared, kind = ingest.identify(message, 1_800_000_000.0)
    assert isinstance(prepared, Prepared), "every story in a round is new"
    await ingest.complete_identified(message, prepared, kind)


def worker(spans: Spans, stages: tuple[str, ...] | None) -> tuple[Ingest, NullSink]:
    ingest = Ingest(load_settings(enrich_stages=stages), spans=spans)
    sink = NullSink()
    ingest.sink = sink  # type: ignore[assignment]
    return ingest, sink


def per_story(ingest: Ingest, sink: NullSink, wires: list[bytes]) -> float:
    """Seconds per story for one round over the wires."""
    ingest.identity = IdentityStage({}, {})
    raws = [RawMessage(value, {"traceparent": TRACEPARENT}, None, "wire.raw", 0, n) for n, value in enumerate(wires)]

    async def run() -> float:
        started = time.perf_counter()
        for raw in raws:
            await one_story(ingest, sink, raw)
        return (time.perf_counter() - started) / len(raws)

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--stages", choices=["all", "none"], default="all", help="enrichment stages (none: normalise)")
    args = parser.parse_args()
    stages = None if args.stages == "all" else ()
    wires = [path.read_bytes() for path in sample_paths()]
    exporter = CountingExporter()
    provider = tracer_provider(exporter)
    off, on = worker(NoSpans(), stages), worker(OtelSpans(provider), stages)
    warm_up(off[0].pipeline)
    warm_up(on[0].pipeline, freeze=False)
    for side in (off, on):  # one untimed round each: first-use costs out of the figures
        per_story(*side, wires)
    provider.force_flush()
    exporter.count = 0
    times: dict[str, list[float]] = {"off": [], "on": []}
    for _ in range(args.rounds):
        times["off"].append(per_story(*off, wires))
        times["on"].append(per_story(*on, wires))
    provider.force_flush()
    spans = exporter.count / (args.rounds * len(wires))
    median_off, median_on = statistics.median(times["off"]), statistics.median(times["on"])
    # Each "on" round against the "off" round just before it: the load of the moment cancels out.
    extra = statistics.median(on - off for off, on in zip(times["off"], times["on"], strict=True))
    print(f"{len(wires)} sample wires x {args.rounds} rounds, enrichment stages: {args.stages}")
    print(f"tracing off: {median_off * 1e3:.2f} ms per story")
    print(f"tracing on:  {median_on * 1e3:.2f} ms per story ({spans:.0f} spans per story)")
    print(
        f"cost of the spans (median of paired rounds): {extra * 1e6:+.0f} us per story ({extra / median_off:+.1%}), "
        f"{extra / spans * 1e6:.0f} us per span"
    )
    provider.shutdown()


if __name__ == "__main__":
    main()
