#!/usr/bin/env python
"""Compare the entities stage of a git revision with the working tree, in one process, on one core.

    PYTHONPATH=services .venv/bin/python tests/eval/ab_entities.py --rev 5acd262 [--rounds 60] [--block 10] [FILE]

Separate `make bench-enrich` processes on a shared machine differ by more than a speed change does, so
this runs both versions in one pipeline: the revision's copies of the entities stage and the modules it
is made of (tagger, features, tokenizer, KB, gazetteer, regions, story country, titles) are loaded as
modules of their own, wired to each other, and the whole pipeline processes the story (default: the
seed) in alternating blocks, the entities stage timed in CPU time (`time.process_time`). Every other
stage is the working tree's. It first checks that both give the same story (received_at aside), then
prints p50 and p10 of the entities stage and of the enrichment per version. Text memos are emptied
before each story, word caches stay warm, as in `bench_enrich.py`.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import re
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "services"))

import newswire.enrich.stages  # noqa: E402,F401  (the working tree's stages register first)
from newswire.enrich import registry  # noqa: E402
from newswire.enrich.lexical import forget_texts  # noqa: E402
from newswire.enrich.registry import Document, Findings, Stage, stages  # noqa: E402
from newswire.enrich.stages import entities  # noqa: E402
from newswire.pipeline.core import Pipeline  # noqa: E402
from newswire.pipeline.message import Accepted, RawMessage  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "000_e6996546eecbb4a4.txt"
# The entities stage and the modules it is made of, in import order.
MODULES = (
    "newswire.enrich.ner.tokenize",
    "newswire.enrich.ner.features",
    "newswire.enrich.ner._tagger",
    "newswire.enrich.gazetteer",
    "newswire.enrich.kb",
    "newswire.enrich.regions",
    "newswire.enrich.story_country",
    "newswire.enrich.titles",
    "newswire.enrich.stages.entities",
)
_RECEIVED = re.compile(r'"received_at":"[^"]*"')


def load_revision(rev: str) -> Callable[[Document, Mapping[str, Any]], Findings]:
    """The entities stage function of `rev`, built from that revision's copies of `MODULES`."""
    loaded: dict[str, str] = {}
    for dotted in MODULES:
        path = "services/" + dotted.replace(".", "/") + ".py"
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True, text=True, check=True
        ).stdout
        for other, alias in loaded.items():  # imports of modules already loaded point at the copies
            source = re.sub(rf"\bfrom {re.escape(other)} import", f"from {alias} import", source)
        source = source.replace("from newswire.enrich.ner import ", "from rev_newswire_enrich_ner__tagger import ")
        alias = "rev_" + dotted.replace(".", "_")
        module = types.ModuleType(alias)
        module.__file__ = str(ROOT / path)  # data files next to the module resolve as in the tree
        sys.modules[alias] = module
        registered = registry._STAGES.pop("entities")
        try:
            exec(compile(source, f"{rev}:{path}", "exec"), module.__dict__)
        finally:
            registry._STAGES["entities"] = registered
        loaded[dotted] = alias
    return sys.modules[loaded[MODULES[-1]]].find_entities  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=Path, default=SEED)
    parser.add_argument("--rev", required=True, help="the git revision to compare with (e.g. HEAD~3)")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--block", type=int, default=10, help="stories per version per round")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})
    versions = {args.rev: load_revision(args.rev), "working tree": entities.find_entities}
    current: list[Callable[[Document, Mapping[str, Any]], Findings]] = [entities.find_entities]
    cpu: dict[str, float] = {}

    def timed(stage: Stage) -> Stage:
        def run(document: Document, found: Mapping[str, Any]) -> Findings:
            started = time.process_time()
            try:
                return (current[0] if stage.name == "entities" else stage.run)(document, found)
            finally:
                cpu[stage.name] = time.process_time() - started

        return dataclasses.replace(stage, run=run)

    pipeline = Pipeline(enrichers=tuple(timed(stage) for stage in stages()))
    message = RawMessage(value=args.file.read_bytes(), path=str(args.file))
    stories = []
    for function in versions.values():
        current[0] = function
        outcome = pipeline.process(message)
        assert isinstance(outcome, Accepted)
        stories.append(_RECEIVED.sub("", outcome.stories[0].model_dump_json()))
        for _ in range(30):  # warm-up: models loaded, word caches filled
            pipeline.process(message)
    if stories[0] != stories[1]:
        print("the two versions give different stories", file=sys.stderr)
        return 1
    samples: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in versions}
    names = list(versions)
    for round_ in range(args.rounds):
        for name in names if round_ % 2 == 0 else names[::-1]:
            current[0] = versions[name]
            gc.collect()
            for _ in range(args.block):
                forget_texts()
                pipeline.process(message)
                samples[name][0].append(cpu["entities"])
                samples[name][1].append(sum(cpu.values()))
    for name, (stage_cpu, total) in samples.items():
        e, t = sorted(stage_cpu), sorted(total)
        print(
            f"{name}: entities CPU p50 {statistics.median(e) * 1000:.2f} ms, p10 {e[len(e) // 10] * 1000:.2f}; "
            f"enrichment CPU p50 {statistics.median(t) * 1000:.2f}, p10 {t[len(t) // 10] * 1000:.2f}"
        )
    ratio = statistics.median(samples[names[1]][0]) / statistics.median(samples[names[0]][0])
    print(f"entities p50, working tree / {args.rev}: {ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
