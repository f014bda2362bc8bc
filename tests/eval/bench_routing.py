#!/usr/bin/env python
"""Benchmark story routing: 200 generated routes, 1,000 varied stories.

    .venv/bin/python tests/eval/bench_routing.py [--routes 200] [--stories 1000] [--repeat 5]

Prints the time to validate + compile the routing file, then µs per story for `Router.route()`
(StoryFacts extraction + all compiled predicates), split into its two parts, and compares it with
the pipeline's ~5 ms per story (budget: 5 % = 250 µs). Also checks that `explain()` agrees with
`route()` on every story.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "services"))

from newswire.events.extension import (  # noqa: E402
    DatelineInfo,
    Entity,
    Identity,
    NewswireExtension,
    PlaceRef,
    Provenance,
)
from newswire.events.ninjs import InfoSource, NinjsStory, Organisation, Person, Place, Subject  # noqa: E402
from newswire.routing import Router, parse_routes  # noqa: E402
from newswire.routing.vocabulary import medtop_tree  # noqa: E402

PIPELINE_MS = 5.0
BUDGET = 0.05
LANGUAGES = ["en", "es", "fr", "de", "pt", "it", "es-MX", "pt-BR", "en-GB"]
SOURCES = ["afp", "ap", "reuters", "efe", "dpa", "ansa", "lusa", "kyodo"]
KINDS = ["story", "update", "correction", "kill", "advisory"]
COUNTRIES = ["AR", "MX", "CO", "CL", "PE", "VE", "ES", "FR", "DE", "US", "GB", "IT", "BR", "PT", "JP", "CN", "NG"]
KEYWORDS = ["election", "storm", "flood", "futbol", "inflation", "strike", "summit", "earthquake", "oil", "ai"]
QIDS = [f"Q{n}" for n in (95, 312, 2283, 380, 355, 3884, 37156, 81965, 1420, 66)]
GEONAMES = ["3435910", "3117735", "2988507", "2950159", "5128581", "2643743", "3530597", "3936456"]


def _leaf(rng: random.Random, codes: list[str]) -> dict[str, Any]:
    operator = rng.choice(
        ["language", "source", "urgency", "kind", "medtop", "medtop", "entity", "country", "geonames", "keyword"]
    )
    pick = {
        "language": LANGUAGES,
        "source": SOURCES,
        "kind": KINDS,
        "medtop": codes,
        "entity": [*QIDS, "Acme Corp"],
        "country": COUNTRIES,
        "geonames": GEONAMES,
        "keyword": KEYWORDS,
    }
    if operator == "urgency":
        low = rng.randint(1, 6)
        return {"urgency": {"min": low, "max": rng.randint(low, 9)}}
    return {operator: rng.sample(pick[operator], rng.randint(1, 4))}


def _expression(rng: random.Random, codes: list[str], depth: int = 0) -> dict[str, Any]:
    roll = rng.random()
    if depth < 2 and roll < 0.25:
        return {"all": [_expression(rng, codes, depth + 1) for _ in range(rng.randint(2, 3))]}
    if depth < 2 and roll < 0.45:
        return {"any": [_expression(rng, codes, depth + 1) for _ in range(rng.randint(2, 4))]}
    if depth < 2 and roll < 0.52:
        return {**_leaf(rng, codes), "not": _leaf(rng, codes)}
    return _leaf(rng, codes)


def routes_yaml(count: int, rng: random.Random, codes: list[str]) -> str:
    routes = [
        {"name": f"route-{index:03d}", "topic": f"news.route.{index:03d}", "match": _expression(rng, codes)}
        for index in range(count)
    ]
    return yaml.safe_dump({"default_topic": True, "routes": routes}, sort_keys=False)


def make_story(rng: random.Random, index: int, codes: list[str]) -> NinjsStory:
    entities = [
        Entity(
            type=rng.choice(["person", "organisation", "place"]),
            name=f"Name {rng.randint(1, 500)}",
            uri=f"http://www.wikidata.org/entity/{rng.choice(QIDS)}" if rng.random() < 0.3 else None,
            country=rng.choice(COUNTRIES),
            confidence=0.9,
        )
        for _ in range(rng.randint(0, 20))
    ]
    geo = rng.choice(GEONAMES)
    return NinjsStory(
        uri=f"urn:newswire:bench:{index}",
        language=rng.choice(LANGUAGES),
        urgency=rng.choice([None, *range(1, 10)]),
        infosources=[InfoSource(name=(agency := rng.choice(SOURCES)).upper(), uri=f"urn:newswire:agency:{agency}")],
        subjects=[
            Subject(uri=f"http://cv.iptc.org/newscodes/mediatopic/{code}")
            for code in rng.sample(codes, rng.randint(0, 4))
        ],
        people=[Person(name=e.name, uri=e.uri) for e in entities if e.type == "person"],
        organisations=[Organisation(name=e.name, uri=e.uri) for e in entities if e.type == "organisation"],
        places=[Place(name="Dateline", uri=f"https://sws.geonames.org/{geo}/")]
        + [Place(name=e.name, uri=e.uri) for e in entities if e.type == "place"],
        newswire=NewswireExtension(
            kind=rng.choice(KINDS),  # type: ignore[arg-type]
            dateline=DatelineInfo(text="X", place="X", place_ref=PlaceRef(country=rng.choice(COUNTRIES), geonames=geo)),
            entities=entities,
            keywords=rng.sample(KEYWORDS, rng.randint(0, 5)),
            identity=Identity(content_hash="x"),
            provenance=Provenance(
                format="t",
                parser="t",
                received_at="2025-01-01T00:00:00Z",
                pipeline_version="0",
                source=rng.choice(SOURCES),
            ),
        ),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--routes", type=int, default=200)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--closures", action="store_true", help="time the closure fallback instead of generated code")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    tree = medtop_tree()
    active = sorted(code for code in tree.ancestors if code not in tree.retired)
    top = [code for code in active if not tree.ancestors[code]]
    rule_codes = top + rng.sample(active, 150)  # routes name top-level and deeper topics
    text = routes_yaml(args.routes, rng, rule_codes)

    started = time.perf_counter()
    router = parse_routes(text, "bench.yml").router
    if args.closures:
        router = Router(router.rules, generate=False)
    load_ms = (time.perf_counter() - started) * 1000
    stories = [make_story(rng, index, active) for index in range(args.stories)]

    def per_story(fn: Any) -> tuple[float, float]:
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for story in stories:
                fn(story)
            runs.append((time.perf_counter() - t0) / len(stories) * 1e6)
        return min(runs), statistics.median(runs)

    facts = [router.facts(story) for story in stories]
    route_min, route_median = per_story(router.route)
    facts_min, facts_median = per_story(router.facts)
    runs = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for item in facts:
            router.route_facts(item)
        runs.append((time.perf_counter() - t0) / len(facts) * 1e6)
    match_min, match_median = min(runs), statistics.median(runs)

    matched = [len(router.route(story)) for story in stories]
    disagreements = sum(
        1
        for story in stories
        if [name for name, ok, _ in router.explain(story) if ok] != [route.name for route in router.route(story)]
    )
    budget_us = PIPELINE_MS * 1000 * BUDGET
    print(
        f"routes: {len(router)} (validated + compiled in {load_ms:.1f} ms); stories: {len(stories)}; "
        f"repeat {args.repeat}"
    )
    print(
        f"routes matched per story: mean {statistics.mean(matched):.1f}, max {max(matched)}, "
        f"stories with none {sum(1 for n in matched if n == 0)}"
    )
    print(f"route() per story:          {route_median:7.1f} µs median  ({route_min:.1f} µs best run)")
    print(f"  StoryFacts extraction:    {facts_median:7.1f} µs median  ({facts_min:.1f} µs best run)")
    print(f"  200 compiled predicates:  {match_median:7.1f} µs median  ({match_min:.1f} µs best run)")
    share = route_median / (PIPELINE_MS * 1000) * 100
    print(
        f"vs pipeline {PIPELINE_MS:.0f} ms/story: {share:.2f} % (budget {BUDGET * 100:.0f} % = {budget_us:.0f} µs) "
        f"-> {'OK' if route_median <= budget_us else 'OVER BUDGET'}"
    )
    print(f"explain() agrees with route(): {len(stories) - disagreements}/{len(stories)}")
    return 0 if route_median <= budget_us and not disagreements else 1


if __name__ == "__main__":
    raise SystemExit(main())
