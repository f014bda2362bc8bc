#!/usr/bin/env python
"""Benchmark the enrichment of whole stories on one core: p50/p99 per stage.

    PYTHONPATH=services .venv/bin/python tests/eval/bench_enrich.py [files...] [-n 300] [--warmup 30] [--cpu N]

Default input: the seed story (`../shared/seed/000_e6996546eecbb4a4.txt`, 465 words, Spanish).
Each file goes through `Pipeline().process(RawMessage(value=bytes))` exactly as the service
runs it; the pipeline's `observe_stage` callback times every step. After `--warmup` untimed
runs (models loaded, caches filled), `-n` timed runs per file print, per file:

- the wire steps (sniff, decode, parse, normalise, validate) and every enrichment stage,
  p50 / p99 / mean in ms (`time.perf_counter`);
- `enrichment`: the sum of the enrichment stages of one story -- the figure the budget is
  about (issue: at most 10 ms median on one core for the seed story);
- `process()`: the whole call, wall time and CPU time (`time.process_time`) per story.

The process is pinned to one core (`os.sched_setaffinity`) so that the numbers are one-core
numbers; on a shared machine run it twice and trust the lower p50 more than the p99.

Memos keyed by a story's text (`lexical.words`) are emptied before every run: the service sees
each story once, so a run that found the previous run's words cached would leave their cost out.
Caches keyed by a word (folding, stems, the tagger's token features) stay warm, as in a worker.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "services"))

from newswire.enrich.lexical import forget_texts  # noqa: E402
from newswire.enrich.registry import Document, Findings, Stage, stages  # noqa: E402
from newswire.pipeline.core import Pipeline  # noqa: E402
from newswire.pipeline.message import Accepted, RawMessage  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "000_e6996546eecbb4a4.txt"
WIRE_STEPS = ("sniff", "decode", "parse", "normalise", "validate")
BUDGET_MS = 10.0


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100.0
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def pin(cpu: int | None) -> int | None:
    """Pin this process to one core (the last allowed one unless `cpu` is given); None where unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    chosen = cpu if cpu is not None else allowed[-1]
    os.sched_setaffinity(0, {chosen})
    return chosen


def cpu_timed(stage: Stage, cpu: dict[str, list[float]]) -> Stage:
    """The stage, recording its CPU time too: on a shared machine wall time also counts other
    processes' time slices, CPU time does not."""
    run = stage.run

    def timed(document: Document, found: Mapping[str, Any]) -> Findings:
        started = time.process_time()
        try:
            return run(document, found)
        finally:
            cpu[stage.name].append(time.process_time() - started)

    return Stage(name=stage.name, run=timed, description=stage.description)


Samples = dict[str, list[float]]


def bench(path: Path, iterations: int, warmup: int) -> tuple[Samples, Samples, list[float], list[float]]:
    """Per-step wall and CPU samples (seconds), whole-call wall and CPU times of `iterations` runs of one file."""
    data = path.read_bytes()
    samples: Samples = defaultdict(list)
    cpu: Samples = defaultdict(list)
    recording = False

    def observe(stage: str, seconds: float) -> None:
        if recording:
            samples[stage].append(seconds)

    pipeline = Pipeline(observe_stage=observe, enrichers=tuple(cpu_timed(stage, cpu) for stage in stages()))
    message = RawMessage(value=data, path=str(path))
    for _ in range(warmup):
        outcome = pipeline.process(message)
        if not isinstance(outcome, Accepted):
            raise SystemExit(f"{path}: rejected: {outcome.rejection.reason}: {outcome.rejection.detail}")
    gc.collect()
    cpu.clear()
    walls: list[float] = []
    cpus: list[float] = []
    recording = True
    for _ in range(iterations):
        forget_texts()
        w0, c0 = time.perf_counter(), time.process_time()
        pipeline.process(message)
        w1, c1 = time.perf_counter(), time.process_time()
        walls.append(w1 - w0)
        cpus.append(c1 - c0)
    return samples, cpu, walls, cpus


def table(
    path: Path, samples: Samples, cpu: Samples, walls: list[float], cpus: list[float], names: tuple[str, ...]
) -> str:
    """The markdown table of one file: wall p50/p99/mean, and CPU p50 where measured."""
    enrich = [name for name in names if samples.get(name)]
    per_story = [sum(samples[name][i] for name in enrich) for i in range(len(walls))] if enrich else []
    cpu_story = [sum(cpu[name][i] for name in enrich) for i in range(len(walls))] if enrich else []
    lines = [
        f"### {path.name} ({len(path.read_text(encoding='utf-8', errors='replace').split())} words), {len(walls)} runs",
        "",
        "| step | p50 ms | p99 ms | mean ms | CPU p50 ms | CPU p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def row(name: str, values: list[float], cpu_values: list[float] | None = None) -> str:
        ms = [v * 1000.0 for v in values]
        line = f"| {name} | {percentile(ms, 50):.3f} | {percentile(ms, 99):.3f} | {statistics.fmean(ms):.3f} |"
        if not cpu_values:
            return line + " | |"
        cpu_ms = [v * 1000.0 for v in cpu_values]
        return line + f" {percentile(cpu_ms, 50):.3f} | {percentile(cpu_ms, 99):.3f} |"

    for step in WIRE_STEPS:
        if samples.get(step):
            lines.append(row(step, samples[step]))
    for name in enrich:
        lines.append(row(name, samples[name], cpu.get(name)))
    if per_story:
        lines.append(row("**enrichment** (sum of stages)", per_story, cpu_story))
    lines.append(row("**process()** (whole call)", walls, cpus))
    if per_story:
        p50 = percentile(per_story, 50) * 1000.0
        cpu_p50 = percentile(cpu_story, 50) * 1000.0
        verdict = "within" if p50 <= BUDGET_MS else "OVER"
        lines += [
            "",
            f"enrichment p50 {p50:.2f} ms wall ({cpu_p50:.2f} ms CPU): {verdict} the {BUDGET_MS:.0f} ms budget",
        ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, default=[SEED])
    parser.add_argument("-n", "--iterations", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--cpu", type=int, default=None, help="core to pin to (default: the last allowed one)")
    args = parser.parse_args()
    cpu = pin(args.cpu)
    names = Pipeline().stage_names
    print(f"pinned to CPU {cpu}; python {sys.version.split()[0]}; stages: {', '.join(names)}")
    print("wall: time.perf_counter; CPU: time.process_time (this process only)\n")
    for path in args.files:
        samples, cpu_samples, walls, cpus = bench(path, args.iterations, args.warmup)
        print(table(path, samples, cpu_samples, walls, cpus, names))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
