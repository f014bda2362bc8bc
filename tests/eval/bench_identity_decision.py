"""The identity decision's cost per story (`IdentityStage.judge`: decide, the near-duplicate index and
the cluster assignment), for comparing two versions of the code. Not a test: it prints figures.

    PYTHONPATH=services .venv/bin/python tests/eval/bench_identity_decision.py
    # the same on an older commit, without touching the checkout:
    mkdir -p /tmp/before && git archive <commit> services | tar -x -C /tmp/before
    PYTHONPATH=/tmp/before/services .venv/bin/python tests/eval/bench_identity_decision.py

The stories decided are the multilingual event set (tests/eval/data/events, enriched by the same
code), with the window already holding synthetic stories: ``sparse`` (20,000 stories, people and
places drawn from 20,000 and 5,000 made-up ids: few share anything) and ``dense`` (5,000 stories
naming the event set's own people and places: a busy news day where every story arriving has
hundreds of look-alikes in the window).
Median and p90 CPU time (thread time: on shared cores wall time measures the neighbours).
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path
from typing import Any

from newswire.identity import Signature, story_signature
from newswire.identity.stage import IdentityStage

EVENTS = Path(__file__).resolve().parent / "data" / "events"
VALIDATION = Path(__file__).resolve().parent / "data" / "events-validation"  # written after the rule was set
T0 = 1_781_000_000.0
DENSE_HELD = 5_000  # the code before issue 21 takes minutes to fill a dense window of 20,000


def read_events(folder: Path = EVENTS) -> list[dict[str, str]]:
    """Stories of tests/eval/data/events: ``=== <event> <lang> <agency> <received-at>`` then the raw text."""
    stories: list[dict[str, str]] = []
    for path in sorted(folder.glob("*.txt")):
        current: dict[str, str] | None = None
        for row in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if row.startswith("=== "):
                event, lang, agency, received = row[4:].split()
                current = {"event": event, "lang": lang, "agency": agency, "received": received, "text": ""}
                stories.append(current)
            elif current is not None:
                current["text"] += row
    return sorted(stories, key=lambda s: s["received"])  # arrival order


def enriched(stories: list[dict[str, str]]) -> list[Any]:
    """The stories through the whole pipeline (NinjsStory each)."""
    from newswire.pipeline.core import Pipeline
    from newswire.pipeline.message import Accepted, RawMessage

    pipeline = Pipeline()
    out = []
    for story in stories:
        message = RawMessage(story["text"].strip().encode("utf-8"), headers={"received-at": story["received"].encode()})
        outcome = pipeline.process(message)
        assert isinstance(outcome, Accepted), outcome
        out.append(outcome.stories[0])
    return out


def made_up(prefix: str, first: int, count: int, rnd: random.Random) -> list[str]:
    return [f"{prefix}{first + n}" for n in rnd.sample(range(count), 2)]


def synthetic(rnd: random.Random, i: int, people: int | list[str], places: int | list[str]) -> Signature:
    """A story naming 2 people and 2 places, drawn from id pools (or from ``people``/``places`` made-up ids)."""
    persons = frozenset(rnd.sample(people, 2) if isinstance(people, list) else made_up("wd:Q", 100, people, rnd))
    where = frozenset(rnd.sample(places, 2) if isinstance(places, list) else made_up("gn:", 5000, places, rnd))
    return Signature(
        uri=f"urn:newswire:bench:{i:08d}",
        source=f"agency{i % 12}",
        agency_id=f"{i:08d}",
        version=1,
        kind="story",
        pubstatus="usable",
        content_hash="sha256:" + f"{rnd.getrandbits(256):064x}",
        simhash=rnd.getrandbits(64),
        language=rnd.choice(["en", "es", "fr", "de"]),
        entity_ids=persons | where,
        person_ids=persons,
        org_ids=frozenset(),
        place_ids=where,
        countries=frozenset({rnd.choice(["US", "ES", "FR", "DE", "CN", "RU"])}),
        event_day=None,
        time=None,
        headline_tokens=frozenset(),
    )


def decision_times(
    sigs: list[Signature], people: int | list[str], places: int | list[str], held: int = 20_000, runs: int = 3
) -> list[int]:
    """Nanoseconds of CPU per `judge` of each signature, with ``held`` synthetic stories in the window."""
    rnd = random.Random(11)
    samples: list[int] = []
    for _ in range(runs):
        stage = IdentityStage({}, {})
        for i in range(held):
            stage.judge(synthetic(rnd, i, people, places), T0 + i * 0.01)
        for i, sig in enumerate(sigs):
            started = time.thread_time_ns()
            stage.judge(sig, T0 + held * 0.01 + i)
            samples.append(time.thread_time_ns() - started)
    return samples


def summary(name: str, samples: list[int]) -> str:
    p90 = sorted(samples)[int(len(samples) * 0.9)]
    return f"  {name:<7} median {statistics.median(samples) / 1e6:.3f} ms, p90 {p90 / 1e6:.3f} ms CPU per story"


def report(sigs: list[Signature]) -> None:
    print(f"Identity decision time (IdentityStage.judge, {len(sigs)} event-set stories x 3 runs)", flush=True)
    print(summary("sparse", decision_times(sigs, people=20_000, places=5_000)) + ", 20,000 held", flush=True)
    print(summary("dense", decision_times(sigs, *pools(sigs), held=DENSE_HELD)) + f", {DENSE_HELD:,} held", flush=True)


def main() -> None:
    report([story_signature(story) for story in enriched(read_events())])


def pools(sigs: list[Signature]) -> tuple[list[str], list[str]]:
    """The people and places the event set names: a window full of stories about them is a busy news day."""
    return sorted({i for s in sigs for i in s.person_ids}), sorted({i for s in sigs for i in s.place_ids})


if __name__ == "__main__":
    main()
