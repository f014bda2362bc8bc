"""Per-story time and the collector's pauses over the in-process pipeline, with and without the
heap frozen after warm-up (what `serve` does). Not a test: it prints figures.

    PYTHONPATH=services .venv/bin/python tests/eval/bench_gc.py [stories] [--no-freeze]
"""

from __future__ import annotations

import gc
import sys
import time

from newswire.bench.corpus import generate
from newswire.bench.phases import percentile
from newswire.pipeline import Pipeline, PipelineOptions, RawMessage
from newswire.pipeline.warm import warm_up


def main() -> None:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    count = int(args[0]) if args else 1000
    freeze = "--no-freeze" not in sys.argv
    corpus = generate(count)
    pipeline = Pipeline(PipelineOptions())
    warm_up(pipeline, freeze=freeze)
    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            pauses[info["generation"]].append(time.perf_counter() - started.pop())

    gc.callbacks.append(on_gc)
    per_story = []
    for wire in corpus:
        begun = time.perf_counter()
        pipeline.process(RawMessage(value=wire.value, headers=dict(wire.headers)))
        per_story.append(time.perf_counter() - begun)
    gc.callbacks.remove(on_gc)
    print(f"{count} stories, heap {'frozen' if freeze else 'not frozen'} after warm-up")
    print(f"per story: p50 {percentile(per_story, 50) * 1000:.1f} ms, p99 {percentile(per_story, 99) * 1000:.1f} ms")
    for generation, times in pauses.items():
        worst = max(times, default=0.0) * 1000
        print(f"gen-{generation} collections: {len(times)}, longest {worst:.1f} ms")


if __name__ == "__main__":
    main()
