#!/usr/bin/env python
"""Evaluate story identity on our own invented pairs (tests/fixtures/identity/pairs.jsonl).

    .venv/bin/python tests/eval/eval_identity.py [--pairs PATH] [--stories 100000]

Prints:
  - near duplicates: SimHash-64 Hamming distance per pair, precision/recall at the default
    distance and a sweep; the same pairs through `decide` (same uri) and through
    `NearDuplicateIndex` (new uri, same source); a MinHash baseline (64 one-permutation bins)
    for the SimHash-vs-MinHash choice; the LSH band recall at distances 8-16 (simulated);
  - clustering: precision/recall of "shares a cluster" over the same-event vs
    same-entities-different-event pairs, with each pair's score;
  - speed: simhash64 on 500 words, story_signature, decide, index query, cluster assign;
  - memory per 100k stories held: serialised bytes of StoryState, NearDuplicateIndex and
    ClusterIndex, and tracemalloc of the live structures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "services"))

from newswire.events.extension import (  # noqa: E402
    DatelineInfo,
    Entity,
    Identity,
    LanguageInfo,
    NewswireExtension,
    Provenance,
)
from newswire.events.ninjs import Body, Headline, InfoSource, NinjsStory, Subject  # noqa: E402
from newswire.identity import (  # noqa: E402
    DEFAULT_NEAR_DUP_DISTANCE,
    ClusterIndex,
    NearDuplicateIndex,
    StoryState,
    decide,
    hamming,
    simhash64,
    story_signature,
)
from newswire.identity.cluster import Probe, compare  # noqa: E402
from newswire.identity.fingerprints import epoch, shingles, tokens  # noqa: E402
from newswire.pipeline.build import content_hash  # noqa: E402
from newswire.wire.model import ParsedItem  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_identity_decision import (  # noqa: E402
    EVENTS,
    VALIDATION,
    enriched,
    read_events,
    report,
    synthetic,
)
from people_ids import people_recall  # noqa: E402

PAIRS = ROOT / "tests" / "fixtures" / "identity" / "pairs.jsonl"
T0 = 1_757_000_000.0  # a fixed "now" (2025-09-04)


def make_story(rec: dict[str, Any], uri: str, version: int = 1) -> NinjsStory:
    """A NinjsStory from a fixture record: source, lang, headline, body, day?, time?, entities?, subjects?"""
    paragraphs = rec["body"].split("\n\n")
    item = ParsedItem(headline=rec["headline"], paragraphs=paragraphs)
    text = "\n\n".join(paragraphs)
    return NinjsStory(
        uri=uri,
        version=str(version),
        language=rec["lang"],
        headlines=[Headline(value=rec["headline"], role="main", contenttype="text/plain")],
        bodies=[Body(value=text, role="main", contenttype="text/plain")],
        firstcreated=rec.get("time"),
        versioncreated=rec.get("time"),
        infosources=[InfoSource(name=rec["source"])],
        subjects=[Subject(literal=code) for code in rec.get("subjects", [])],
        newswire=NewswireExtension(
            language=LanguageInfo(code=rec["lang"], confidence=1.0),
            dateline=DatelineInfo(text="", date=rec["day"]) if rec.get("day") else None,
            entities=[
                Entity(type=e["type"], name=e["name"], uri=e.get("uri"), country=e.get("country"), confidence=1.0)
                for e in rec.get("entities", [])
            ],
            identity=Identity(content_hash=content_hash(item)),
            provenance=Provenance(
                format="eval", parser="eval", received_at="2025-09-04T00:00:00Z", pipeline_version="0"
            ),
        ),
    )


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def counts(rows: list[tuple[bool, bool]]) -> tuple[int, int, int]:
    tp = sum(1 for gold, pred in rows if gold and pred)
    fp = sum(1 for gold, pred in rows if not gold and pred)
    fn = sum(1 for gold, pred in rows if gold and not pred)
    return tp, fp, fn


def line(name: str, rows: list[tuple[bool, bool]]) -> str:
    tp, fp, fn = counts(rows)
    p, r, f = prf(tp, fp, fn)
    return f"  {name:<44} P={p:.3f} R={r:.3f} F1={f:.3f}  (tp={tp} fp={fp} fn={fn}, n={len(rows)})"


# --- MinHash baseline: one-permutation hashing, 64 bins of the same blake2b shingle hashes
def minhash_oph(text: str, bins: int = 64) -> list[int]:
    import hashlib

    sketch = [1 << 64] * bins
    for gram in shingles(tokens(text)):
        h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
        b, v = h % bins, h // bins
        if v < sketch[b]:
            sketch[b] = v
    return sketch


def minhash_jaccard(a: list[int], b: list[int]) -> float:
    both = [(x, y) for x, y in zip(a, b, strict=True) if x != 1 << 64 or y != 1 << 64]
    return sum(1 for x, y in both if x == y) / len(both) if both else 0.0


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median CPU milliseconds per call (thread time: on 2 shared cores wall time mostly measures the neighbours)."""
    samples = []
    for _ in range(runs):
        t = time.thread_time_ns()
        fn()
        samples.append(time.thread_time_ns() - t)
    return statistics.median(samples) / 1e6


def near_eval(pairs: list[dict[str, Any]]) -> None:
    rows = []
    for pair in pairs:
        a, b = (f"{r['headline']}\n{r['body']}" for r in (pair["a"], pair["b"]))
        sa, sb = simhash64(a), simhash64(b)
        ma, mb = minhash_oph(a), minhash_oph(b)
        rows.append((pair, hamming(sa, sb), minhash_jaccard(ma, mb)))
    print(f"Near duplicates ({len(rows)} pairs: {sum(p['same'] for p, _, _ in rows)} re-sends, "
          f"{sum(not p['same'] for p, _, _ in rows)} distinct same-topic/same-template stories)")  # fmt: skip
    for pair, dist, jac in rows:
        tag = "DUP " if pair["same"] else "DIFF"
        print(f"  {tag} {pair['variant']:<24} simhash d={dist:>2}  minhash J={jac:.2f}  {pair['id']}")
    print(f"  SimHash-64 Hamming <= k (default k={DEFAULT_NEAR_DUP_DISTANCE}):")
    for k in (6, 8, 10, 12, 14, 16, 18, 20):
        print(line(f"k={k}" + (" (default)" if k == DEFAULT_NEAR_DUP_DISTANCE else ""),
                   [(p["same"], d <= k) for p, d, _ in rows]))  # fmt: skip
    tails = ", ".join(f"k={k}: {sum(math.comb(64, i) for i in range(k + 1)) / 2**64:.1e}" for k in (10, 12, 14, 16))
    print(f"  chance that two unrelated texts (random 64-bit hashes) fall within k: {tails}")
    print("  MinHash (64 one-permutation bins) Jaccard >= t, baseline:")
    for t in (0.5, 0.6, 0.7):
        print(line(f"t={t}", [(p["same"], j >= t) for p, _, j in rows]))
    # by variant at the default distance
    variants: dict[str, list[bool]] = {}
    for p, d, _ in rows:
        variants.setdefault(p["variant"], []).append(d <= DEFAULT_NEAR_DUP_DISTANCE)
    print("  flagged at default k, by variant: " + ", ".join(f"{v} {sum(x)}/{len(x)}" for v, x in variants.items()))

    # the same pairs end to end: same uri through decide, new uri through NearDuplicateIndex
    decided, indexed = [], []
    for pair, _, _ in rows:
        sig_a = story_signature(make_story(pair["a"], "urn:eval:a"))
        sig_b = story_signature(make_story(pair["b"], "urn:eval:a"))
        first = decide(sig_a, None, T0)
        second = decide(sig_b, first.state, T0 + 60)
        decided.append((pair["same"], second.outcome == "near"))
        index = NearDuplicateIndex()
        index.add("urn:eval:a", sig_a.source, sig_a.simhash, T0)
        sb2 = story_signature(make_story(pair["b"], "urn:eval:b"))
        indexed.append((pair["same"], index.query(sb2.source, sb2.simhash, T0 + 60, exclude_uri=sb2.uri) is not None))
    print(line("decide(): same uri, same version re-send -> near", decided))
    print(line("NearDuplicateIndex: new uri, same source", indexed))

    # LSH band recall: random 64-bit pairs at exactly distance d
    rnd = random.Random(7)
    index = NearDuplicateIndex(max_distance=64)
    parts = []
    for d in (4, 8, 10, 12, 14, 16):
        found = 0
        trials = 400
        for i in range(trials):
            x = rnd.getrandbits(64)
            y = x
            for bit in rnd.sample(range(64), d):
                y ^= 1 << bit
            index.add(f"u{d}-{i}", "s", x, T0)
            match = index.query("s", y, T0)
            found += match is not None and match.entry.uri == f"u{d}-{i}"
            index.remove(f"u{d}-{i}")
        parts.append(f"d={d}: {found / trials:.3f}")
    print("  LSH candidate recall (2 tables x 8 bands of 8 bits, simulated): " + ", ".join(parts))


def cluster_eval(pairs: list[dict[str, Any]]) -> None:
    rows = []
    print(f"Clusters ({len(pairs)} pairs: {sum(p['same'] for p in pairs)} same event across agencies/languages, "
          f"{sum(not p['same'] for p in pairs)} same entities but a different event)")  # fmt: skip
    for pair in pairs:
        index = ClusterIndex()
        sa = story_signature(make_story(pair["a"], pair["a"]["uri"]))
        sb = story_signature(make_story(pair["b"], pair["b"]["uri"]))
        first = index.assign(sa, T0)
        second = index.assign(sb, T0 + 60)
        joined = first.cluster == second.cluster
        pa, pb = Probe.of_signature(sb, T0), Probe.of_signature(sa, T0)
        value = compare(pa, pb)
        shown = f"{value:.3f}" if value is not None else "gated"
        langs = f"{pair['a']['lang']}/{pair['b']['lang']}"
        print(f"  {'SAME' if pair['same'] else 'DIFF'} {langs:<6} score={shown:<6} joined={joined!s:<5} {pair['id']}")
        rows.append((pair["same"], joined))
    print(line(f"shares a cluster (threshold {ClusterIndex().threshold})", rows))


def speed(pairs: list[dict[str, Any]]) -> None:
    rnd = random.Random(3)
    vocab = sorted({w for p in pairs for r in (p["a"], p["b"]) for w in r["body"].split()})
    text500 = " ".join(rnd.choice(vocab) for _ in range(500))
    sample = next(p for p in pairs if p["task"] == "cluster")
    story = make_story(sample["a"], sample["a"]["uri"])
    sig = story_signature(story)
    state = decide(sig, None, T0).state
    near = NearDuplicateIndex()
    clusters = ClusterIndex()
    for i in range(20_000):
        near.add(f"u{i}", f"src{i % 20}", rnd.getrandbits(64), T0)
    print("Speed (median CPU time per call, this machine)")
    print(f"  simhash64, 500 words                      {timed(lambda: simhash64(text500), 300):.3f} ms")
    print(f"  (MinHash baseline, 64 OPH bins, 500 words  {timed(lambda: minhash_oph(text500), 300):.3f} ms)")
    print(f"  story_signature (short story, with simhash) {timed(lambda: story_signature(story), 300):.3f} ms")
    print(f"  decide                                    {timed(lambda: decide(sig, state, T0 + 5), 2000):.4f} ms")
    print(f"  NearDuplicateIndex.query (20k held, 20 sources) "
          f"{timed(lambda: near.query('src3', rnd.getrandbits(64), T0), 2000):.4f} ms")  # fmt: skip
    _fill_clusters(clusters, 20_000, rnd)
    probe = _synthetic_sig(rnd, 99_999_999)
    print(f"  ClusterIndex.best (20k held)              {timed(lambda: clusters.best(probe, T0), 300):.3f} ms")


def _synthetic_sig(rnd: random.Random, i: int) -> Any:
    """A story of 2 people out of 20,000 and 2 places out of 5,000, on one of 3 days."""
    sig = synthetic(rnd, i, people=20_000, places=5_000)
    return dataclasses.replace(sig, event_day=739_500 + rnd.randrange(3), time=T0 + rnd.uniform(0, 72 * 3600))


def _fill_clusters(index: ClusterIndex, n: int, rnd: random.Random) -> None:
    for i in range(n):
        index.assign(_synthetic_sig(rnd, i), T0 + i * 0.01)


def memory(n: int) -> None:
    rnd = random.Random(5)
    print(f"Memory for {n:,} stories held (synthetic: 1 version, 1 content hash, 4 linked entities each)")
    sigs = [_synthetic_sig(rnd, i) for i in range(n)]
    # per-uri StoryState (one table entry per uri)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    states = {s.uri: decide(s, None, T0).state for s in sigs}
    live = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    blob = sum(len(k.encode()) + len(v.to_json()) for k, v in states.items())
    one = next(iter(states.values()))
    print(f"  StoryState: {blob / 1e6:.1f} MB serialised (key + value, ~{blob // n} B/story), "
          f"{live / 1e6:.1f} MB live (tracemalloc); e.g. {one.to_json().decode()}")  # fmt: skip
    assert StoryState.from_json(one.to_json()) == one
    del states
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    near = NearDuplicateIndex(max_items=n)
    for s in sigs:
        near.add(s.uri, s.source, s.simhash, T0)
    live = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    size = len(near.to_json())
    print(f"  NearDuplicateIndex: {size / 1e6:.1f} MB serialised, {live / 1e6:.1f} MB live (tracemalloc)")
    del near
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    clusters = ClusterIndex(max_members=n)
    t = time.thread_time()
    for i, s in enumerate(sigs):
        clusters.assign(s, T0 + i * 0.01)
    took = time.thread_time() - t
    live = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    size = len(clusters.to_json())
    print(f"  ClusterIndex: {size / 1e6:.1f} MB serialised, {live / 1e6:.1f} MB live (tracemalloc); "
          f"assign: {took / n * 1000:.3f} ms CPU/story over {n:,}")  # fmt: skip


# --- multilingual events: raw wire texts through the whole pipeline, then the identity step


def pair_counts(gold: list[str], predicted: list[str]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for i in range(len(gold)):
        for j in range(i + 1, len(gold)):
            same, joined = gold[i] == gold[j], predicted[i] == predicted[j]
            tp += same and joined
            fp += joined and not same
            fn += same and not joined
    return tp, fp, fn


def bcubed(gold: list[str], predicted: list[str]) -> tuple[float, float]:
    precision = recall = 0.0
    for i in range(len(gold)):
        cluster = [j for j in range(len(gold)) if predicted[j] == predicted[i]]
        event = [j for j in range(len(gold)) if gold[j] == gold[i]]
        both = sum(1 for j in cluster if gold[j] == gold[i])
        precision += both / len(cluster)
        recall += both / len(event)
    return precision / len(gold), recall / len(gold)


def events_eval(folder: Path, verbose: bool) -> list[NinjsStory]:
    from newswire.identity.stage import IdentityStage

    raw = read_events(folder)
    stories = enriched(raw)
    stage = IdentityStage({}, {})
    gold, predicted, reasons = [], [], []
    for i, (record, story) in enumerate(zip(raw, stories, strict=True)):
        outcome = stage.process(story, epoch(record["received"]) or T0 + i)  # arrival time
        assert outcome.story is not None
        identity = outcome.story.newswire.identity
        gold.append(record["event"])
        predicted.append(identity.cluster or "")
        reasons.append(identity.cluster_reason)
    events = sorted(set(gold))
    multi = sum(1 for e in events if len({r["lang"] for r in raw if r["event"] == e}) >= 2)
    langs = sorted({r["lang"] for r in raw})
    print(f"Multilingual events ({folder}: {len(raw)} stories, {len(events)} events, "
          f"{multi} told in 2-4 languages, languages {', '.join(langs)}; pipeline, then identity)")  # fmt: skip
    tp, fp, fn = pair_counts(gold, predicted)
    p, r, f = prf(tp, fp, fn)
    bp, br = bcubed(gold, predicted)
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0
    print(f"  pairwise   P={p:.3f} R={r:.3f} F1={f:.3f}  (tp={tp} fp={fp} fn={fn})")
    print(f"  BCubed     P={bp:.3f} R={br:.3f} F1={bf:.3f}")
    names = {c: min(g for g, x in zip(gold, predicted, strict=True) if x == c) for c in set(predicted)}
    for i, (record, cluster) in enumerate(zip(raw, predicted, strict=True)):
        wrong = names[cluster] != record["event"] or any(
            gold[j] == record["event"] and predicted[j] != cluster for j in range(len(gold))
        )
        if wrong or verbose:
            reason = reasons[i]
            why = (
                f"score={reason.score} shared={reason.shared} events={reason.events} new={reason.new}"
                if reason is not None
                else "no candidate"
            )
            tag = "WRONG" if wrong else "ok   "
            print(f"  {tag} {record['event']:<22} {record['lang']} -> {names[cluster]:<22} {why}")
    sigs = [story_signature(s) for s in stories]
    people = people_recall(folder, raw, sigs)
    if people:
        print(f"  people with ids (people.json): {people}")
    classified = sum(1 for s in sigs if s.event_classes)
    people = sum(len(s.person_ids) for s in sigs)
    print(f"  event classes found: {classified}/{len(sigs)} stories; people with ids: {people} in "
          f"{sum(1 for s in sigs if s.person_ids)} stories")  # fmt: skip
    return stories


def decision_time(stories: list[NinjsStory]) -> None:
    print("(tests/eval/bench_identity_decision.py compares versions of the code)")
    report([story_signature(s) for s in stories])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--stories", type=int, default=100_000, help="stories held for the memory figures")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--events", type=Path, default=EVENTS, help="folder of multilingual event stories")
    parser.add_argument("--only-events", action="store_true", help="only the multilingual event set and its timing")
    parser.add_argument("-v", "--verbose", action="store_true", help="every story's cluster and reason")
    parser.add_argument("--no-timing", action="store_true", help="skip the decision-time figures")
    args = parser.parse_args(argv)
    stories = events_eval(args.events, args.verbose)
    print()
    events_eval(VALIDATION, args.verbose)
    print()
    if not args.no_timing:
        decision_time(stories)
    if args.only_events:
        return 0
    print()
    pairs = [json.loads(row) for row in args.pairs.read_text(encoding="utf-8").splitlines() if row.strip()]
    near_eval([p for p in pairs if p["task"] == "near"])
    print()
    cluster_eval([p for p in pairs if p["task"] == "cluster"])
    print()
    speed(pairs)
    if not args.skip_memory:
        print()
        memory(args.stories)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
