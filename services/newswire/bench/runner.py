"""Runs every phase in one go on one machine and reports the figures and the ratios between them."""

from __future__ import annotations

import json
import platform
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil
from kafka.admin import KafkaAdminClient, NewTopic
from rich.console import Console
from rich.table import Table

from newswire.bench import phases
from newswire.bench.corpus import generate

PROFILES: dict[str, str | None] = {"full": None, "normalise": ""}  # env NEWSWIRE_ENRICH_STAGES per profile
console = Console(stderr=True)


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    versions = {}
    for package in ("newswire", "faust-streaming", "aiokafka", "kafka-python", "lingua-language-detector", "pydantic"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    return {
        "cores": psutil.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def _create_topics(bootstrap: str, names: list[str], partitions: int) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics(
        [NewTopic(name, partitions, 1, topic_configs={"max.message.bytes": str(10 * 1024 * 1024)}) for name in names]
    )
    admin.close()


@contextmanager
def _topics_deleted_at_end(bootstrap: str, run_id: str, deleted: list[str]) -> Iterator[None]:
    """On the way out, even after a failed phase, delete every topic of this run: its own
    (`bench.<run>.*`) and its worker groups' internal ones; their names go into `deleted`."""
    try:
        yield
    finally:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap)
        try:
            deleted.extend(sorted(name for name in admin.list_topics() if run_id in name))
            if deleted:
                admin.delete_topics(deleted)
        finally:
            admin.close()


def run(
    bootstrap: str,
    stories: int,
    partitions: int,
    profiles: list[str],
    worker_counts: list[int],
    latency_seconds: float,
    out: Path,
    soak_stories: int = 0,
) -> dict[str, Any]:
    """Every phase, then the run's topics deleted (even when a phase fails): a run leaves the broker
    as it found it, apart from consumer-group offsets."""
    run_id = uuid.uuid4().hex[:8]
    deleted: list[str] = []
    with _topics_deleted_at_end(bootstrap, run_id, deleted):
        log_dir = Path(tempfile.mkdtemp(prefix=f"newswire-bench-{run_id}-"))
        raw = f"bench.{run_id}.raw"
        sinks = {name: f"bench.{run_id}.{name}" for name in ("passthrough", "baseline", "stories", "deadletter")}
        _create_topics(bootstrap, [raw, *sinks.values()], partitions)
        report: dict[str, Any] = {
            "run": run_id,
            "stories": stories,
            "partitions": partitions,
            "machine": machine(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "profiles": {},
        }
        with console.status(f"generating {stories} stories ..."):
            corpus = generate(stories)
        words = [len(w.value.split()) for w in corpus]
        report["corpus"] = {
            "messages": len(corpus),
            "words_min": min(words),
            "words_max": max(words),
            "formats": _count(w.format for w in corpus),
            "languages": _count(w.language for w in corpus),
        }
        with console.status("loading the raw topic ..."):
            report["load_seconds"] = round(phases.load(bootstrap, raw, corpus), 2)
        with console.status("1. ceiling: aiokafka passthrough ..."):
            report["ceiling"] = phases.ceiling(bootstrap, raw, sinks["passthrough"], len(corpus))
        for profile in profiles:
            stages = None if PROFILES[profile] is None else ()
            figures: dict[str, Any] = {}
            with console.status(f"[{profile}] 2. in-process pipeline ..."):
                figures["in_process"] = phases.in_process(corpus, stages)
            with console.status(f"[{profile}] 3. baseline aiokafka loop ..."):
                figures["baseline"] = phases.baseline(bootstrap, raw, sinks["baseline"], len(corpus), stages)
            topics = {"raw": raw, "stories": sinks["stories"], "deadletter": sinks["deadletter"]}
            figures["service"] = {}
            for count in worker_counts:
                with console.status(f"[{profile}] 4. newswire serve, {count} worker(s) ..."):
                    figures["service"][str(count)] = phases.service(
                        bootstrap, topics, len(corpus), count, PROFILES[profile], log_dir, run_id=run_id
                    )
            report["profiles"][profile] = figures
            _ratios(figures)
        if latency_seconds > 0 and "full" in report["profiles"]:
            full = report["profiles"]["full"]
            rate = 0.5 * full["service"][str(worker_counts[0])]["stories_per_s"]
            lat_topics = {name: f"bench.{run_id}.lat.{name}" for name in ("raw", "stories", "deadletter")}
            _create_topics(bootstrap, list(lat_topics.values()), partitions)
            with console.status(f"5. latency at {rate:.0f} stories/s ..."):
                full["latency"] = phases.latency(
                    bootstrap, lat_topics, corpus, rate, latency_seconds, None, log_dir, run_id=run_id
                )
            full["ratios"]["latency_p99_minus_in_process_p99_ms"] = round(
                full["latency"]["p99_ms"] - full["in_process"]["p99_ms"], 1
            )
        if soak_stories > 0:
            soak_topics = {name: f"bench.{run_id}.soak.{name}" for name in ("raw", "stories", "deadletter")}
            _create_topics(bootstrap, list(soak_topics.values()), partitions)
            one = report["profiles"].get("full", {}).get("service", {}).get(str(worker_counts[0]), {})
            rate = 0.9 * one["stories_per_s"] if one.get("stories_per_s") else 50.0  # what one worker sustains
            with console.status(f"6. soak: one worker, {soak_stories} stories at {rate:.0f}/s ..."):
                # Its own corpus (another seed): distinct stories, none an exact duplicate of the main run's.
                report["soak"] = phases.soak(
                    bootstrap, soak_topics, generate(soak_stories, seed=11), rate, log_dir, run_id=run_id
                )
        report["logs"] = str(log_dir)
    report["topics_deleted"] = deleted
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    return report


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _ratios(figures: dict[str, Any]) -> None:
    one = figures["service"].get("1")
    ratios: dict[str, float] = {}
    if one:
        ratios["service1_vs_baseline"] = round(one["stories_per_s"] / max(figures["baseline"]["per_s"], 1e-9), 3)
        ratios["service1_vs_in_process"] = round(
            one["stories_per_s"] / max(figures["in_process"]["stories_per_s"], 1e-9), 3
        )
        two = figures["service"].get("2")
        if two:
            ratios["service2_vs_service1"] = round(two["stories_per_s"] / max(one["stories_per_s"], 1e-9), 3)
    figures["ratios"] = ratios


def render(report: dict[str, Any]) -> Table:
    table = Table(
        title=f"newswire bench — {report['stories']} stories, {report['partitions']} partitions, "
        f"{report['machine']['cores']} cores ({report['machine']['cpu_model']})"
    )
    for column in ("profile", "measure", "value"):
        table.add_column(column)
    table.add_row("-", "1. ceiling (aiokafka passthrough)", f"{report['ceiling']['per_s']} msg/s")
    for profile, figures in report["profiles"].items():
        ip = figures["in_process"]
        table.add_row(
            profile,
            "2. in-process pipeline",
            f"{ip['stories_per_s']} stories/s, {ip['cpu_ms_per_story']} CPU ms/story, "
            f"p50 {ip['p50_ms']} ms, p99 {ip['p99_ms']} ms",
        )
        table.add_row(profile, "3. baseline aiokafka loop", f"{figures['baseline']['per_s']} stories/s")
        for count, svc in figures["service"].items():
            table.add_row(
                profile,
                f"4. newswire serve x{count}",
                f"{svc['stories_per_s']} stories/s, {svc['cpu_s_per_story']} CPU s/story, "
                f"RSS peak {svc['peak_rss_mb']} MB steady {svc['steady_rss_mb']} MB, "
                f"machine busy {svc['machine_busy_share']:.0%}",
            )
        if "latency" in figures:
            lat = figures["latency"]
            table.add_row(
                profile,
                f"5. latency at {lat['offered_per_s']}/s",
                f"p50 {lat['p50_ms']} ms, p99 {lat['p99_ms']} ms, max {lat['max_ms']} ms",
            )
        for name, value in figures.get("ratios", {}).items():
            table.add_row(profile, name, str(value))
        for stage, times in ip["stages"].items():
            table.add_row(profile, f"   stage {stage}", f"p50 {times['p50_ms']} ms, p99 {times['p99_ms']} ms")
    if "soak" in report:
        soak = report["soak"]
        table.add_row(
            "full",
            f"6. soak, {soak['stories']} stories, 1 worker",
            f"RSS after warm-up {soak['warm_rss_mb']} MB, at the end {soak['end_rss_mb']} MB "
            f"({soak['end_vs_warm']:+.1%}), peak {soak['peak_rss_mb']} MB, {soak['stories_per_s']} stories/s",
        )
    return table
