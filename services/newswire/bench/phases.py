"""The benchmark's measurements, each a function over the same raw topic and corpus."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from newswire.bench.corpus import RawWire
from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage
from newswire.pipeline.warm import warm_up


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


# 2. the pipeline alone ---------------------------------------------------------------------
def in_process(corpus: list[RawWire], enrich_stages: tuple[str, ...] | None) -> dict[str, Any]:
    stage_times: dict[str, list[float]] = defaultdict(list)
    pipeline = Pipeline(
        PipelineOptions(enrich_stages=enrich_stages),
        observe_stage=lambda stage, seconds: stage_times[stage].append(seconds),
    )
    warm_up(pipeline)  # load models outside the clock, as `serve` does
    stage_times.clear()
    per_story: list[float] = []
    stories = 0
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for wire in corpus:
        started = time.perf_counter()
        outcome = pipeline.process(RawMessage(value=wire.value, headers=dict(wire.headers)))
        per_story.append(time.perf_counter() - started)
        stories += len(outcome.stories) if isinstance(outcome, Accepted) else 0
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    return {
        "messages": len(corpus),
        "stories": stories,
        "stories_per_s": round(len(corpus) / wall, 1),
        "cpu_ms_per_story": round(cpu / len(corpus) * 1000, 3),
        "p50_ms": round(percentile(per_story, 50) * 1000, 3),
        "p99_ms": round(percentile(per_story, 99) * 1000, 3),
        "stages": {
            stage: {"p50_ms": round(percentile(times, 50) * 1000, 4), "p99_ms": round(percentile(times, 99) * 1000, 4)}
            for stage, times in sorted(stage_times.items())
        },
    }


# loading ----------------------------------------------------------------------------------
def load(bootstrap: str, topic: str, corpus: list[RawWire]) -> float:
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=20, batch_size=256 * 1024, max_request_size=8 * 1024 * 1024
    )
    started = time.perf_counter()
    for wire in corpus:
        producer.send(topic, key=wire.key, value=wire.value, headers=wire.headers)
    producer.flush(timeout=300)
    producer.close()
    return time.perf_counter() - started


# 1 and 3. plain aiokafka loops ---------------------------------------------------------------
async def _loop(bootstrap: str, source: str, sink: str, count: int, pipeline: Pipeline | None) -> dict[str, Any]:
    consumer = AIOKafkaConsumer(
        source,
        bootstrap_servers=bootstrap,
        group_id=f"bench-loop-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=500,
        fetch_max_bytes=64 * 1024 * 1024,
        max_partition_fetch_bytes=16 * 1024 * 1024,
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=2, max_request_size=8 * 1024 * 1024
    )
    await consumer.start()
    await producer.start()
    done, started = 0, 0.0
    cpu_start = time.process_time()
    try:
        while done < count:
            batches = await consumer.getmany(timeout_ms=1000, max_records=200)
            if not started and batches:
                started = time.perf_counter()
            futures = []
            for records in batches.values():
                for record in records:
                    if pipeline is None:
                        futures.append(await producer.send(sink, record.value, key=record.key))
                        continue
                    outcome = pipeline.process(
                        RawMessage(
                            value=record.value,
                            headers=dict(record.headers),
                            topic=record.topic,
                            partition=record.partition,
                            offset=record.offset,
                            timestamp_ms=record.timestamp,
                        )
                    )
                    if isinstance(outcome, Accepted):
                        for story in outcome.stories:
                            value = story.model_dump_json(exclude_none=True).encode()
                            futures.append(await producer.send(sink, value, key=story.uri.encode()))
                    else:
                        futures.append(await producer.send(sink, record.value, key=record.key))
            await asyncio.gather(*futures)
            await consumer.commit()  # at-least-once: commit only what was acknowledged
            done += sum(len(records) for records in batches.values())
        elapsed = time.perf_counter() - started
    finally:
        await consumer.stop()
        await producer.stop()
    return {
        "messages": done,
        "per_s": round(done / elapsed, 1),
        "cpu_ms_per_message": round((time.process_time() - cpu_start) / done * 1000, 3),
    }


def ceiling(bootstrap: str, source: str, sink: str, count: int) -> dict[str, Any]:
    return asyncio.run(_loop(bootstrap, source, sink, count, None))


def baseline(
    bootstrap: str, source: str, sink: str, count: int, enrich_stages: tuple[str, ...] | None
) -> dict[str, Any]:
    pipeline = Pipeline(PipelineOptions(enrich_stages=enrich_stages))
    warm_up(pipeline)
    return asyncio.run(_loop(bootstrap, source, sink, count, pipeline))


# 4. the service ------------------------------------------------------------------------------
@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    port: int
    rss: list[float] = field(default_factory=list)

    def outcomes(self) -> float:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as response:
                text = response.read().decode()
        except OSError:
            return 0.0
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("newswire_messages_outcome_total{")
        )

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def cpu_seconds(self) -> float:
        times = psutil.Process(self.process.pid).cpu_times()
        return float(times.user + times.system)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def group_name(run_id: str, phase: str) -> str:
    """A worker group's id; it names the group's internal topics too, so the run id lets the runner
    delete them at the end."""
    return f"bench-{run_id}-{phase}-{uuid.uuid4().hex[:4]}"


def start_workers(
    bootstrap: str,
    topics: dict[str, str],
    count: int,
    group: str,
    enrich: str | None,
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
) -> list[Worker]:
    workers = []
    for index in range(count):
        port = _free_port()
        env = {
            **os.environ,
            "NEWSWIRE_KAFKA_BOOTSTRAP": bootstrap,
            "NEWSWIRE_TOPIC_RAW": topics["raw"],
            "NEWSWIRE_TOPIC_STORIES": topics["stories"],
            "NEWSWIRE_TOPIC_DEADLETTER": topics["deadletter"],
            "NEWSWIRE_GROUP_ID": group,
            "NEWSWIRE_METRICS_PORT": str(port),
            "NEWSWIRE_METRICS_HOST": "127.0.0.1",
            "NEWSWIRE_LOG_FORMAT": "json",
            "NEWSWIRE_LOG_LEVEL": "WARNING",
        }
        if enrich is not None:
            env["NEWSWIRE_ENRICH_STAGES"] = enrich
        env.update(extra_env or {})
        log = (log_dir / f"{group}-{index}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "newswire", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        workers.append(Worker(process, port))
    return workers


def _wait_ready(workers: list[Worker], log_dir: Path, timeout: float = 420) -> None:
    """Wait until every worker holds partitions (a cold broker and a loaded machine can take minutes)."""
    deadline = time.monotonic() + timeout
    while not all(worker.ready() for worker in workers):
        exited = [w for w in workers if w.process.poll() is not None]
        if time.monotonic() > deadline or exited:
            logs = "\n".join(path.read_text(errors="replace")[-2000:] for path in sorted(log_dir.glob("*.log")))
            raise RuntimeError(f"workers not ready (exited: {len(exited)}); logs in {log_dir}:\n{logs}")
        time.sleep(0.2)


def stop_workers(workers: list[Worker]) -> None:
    for worker in workers:
        if worker.process.poll() is None:
            worker.process.terminate()
    for worker in workers:
        try:
            worker.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.process.kill()


def _busy_share(before: Any, after: Any) -> float:
    idle = (after.idle + getattr(after, "iowait", 0.0)) - (before.idle + getattr(before, "iowait", 0.0))
    total = sum(after) - sum(before)
    return round(1.0 - idle / total, 3) if total > 0 else 0.0


def _sample_rss(workers: list[Worker]) -> None:
    for worker in workers:
        worker.rss.append(psutil.Process(worker.process.pid).memory_info().rss / 1e6)


def service(
    bootstrap: str,
    topics: dict[str, str],
    count: int,
    workers_wanted: int,
    enrich: str | None,
    log_dir: Path,
    timeout: float = 3600,
    run_id: str = "",
) -> dict[str, Any]:
    """Start N workers on an already-loaded raw topic; measure once all of them hold partitions."""
    group = group_name(run_id, f"svc{workers_wanted}")
    workers = start_workers(bootstrap, topics, workers_wanted, group, enrich, log_dir)
    try:
        _wait_ready(workers, log_dir)
        # Settle: with several workers the group rebalances as each joins.
        time.sleep(2 if workers_wanted > 1 else 0)
        window_start, done_start = time.perf_counter(), sum(w.outcomes() for w in workers)
        cpu_start = sum(w.cpu_seconds() for w in workers)
        machine_start = psutil.cpu_times()
        deadline = time.monotonic() + timeout
        done = done_start
        _sample_rss(workers)  # at least one sample, even when a small load is done before the first tick
        while done < count and time.monotonic() < deadline:
            time.sleep(0.5)
            _sample_rss(workers)
            done = sum(w.outcomes() for w in workers)
        elapsed = time.perf_counter() - window_start
        measured = done - done_start
        cpu = sum(w.cpu_seconds() for w in workers) - cpu_start
        return {
            # How busy the whole machine was (workers, broker, this harness): near 1.0 means the
            # phase ran out of cores, which bounds what more workers can add.
            "machine_busy_share": _busy_share(machine_start, psutil.cpu_times()),
            "workers": workers_wanted,
            "messages_measured": int(measured),
            "stories_per_s": round(measured / elapsed, 1) if elapsed > 0 else 0.0,
            "cpu_s_per_story": round(cpu / measured, 5) if measured else 0.0,
            "peak_rss_mb": [round(max(w.rss), 1) if w.rss else 0.0 for w in workers],
            "steady_rss_mb": [
                round(statistics.median(w.rss[-max(1, len(w.rss) // 5) :]), 1) if w.rss else 0.0 for w in workers
            ],
            "warm_rss_mb": [
                round(statistics.median(w.rss[len(w.rss) // 10 : len(w.rss) // 10 + 5] or w.rss), 1) if w.rss else 0.0
                for w in workers
            ],
        }
    finally:
        stop_workers(workers)


# 5. latency at a fixed offered rate -----------------------------------------------------------
LATENCY_WARMUP_S = 5.0  # the same rate, before the measured window: a fresh worker's first stories


def latency(
    bootstrap: str,
    topics: dict[str, str],
    corpus: list[RawWire],
    rate: float,
    seconds: float,
    enrich: str | None,
    log_dir: Path,
    warmup_s: float = LATENCY_WARMUP_S,
    run_id: str = "",
) -> dict[str, Any]:
    """Offer `rate` stories/s for `warmup_s + seconds`; percentiles over the stories offered after the
    warm-up. A fresh worker's first second is slower (lingua loads a language's model on its first
    story, and the first sends fetch metadata); that is reported apart, as `warmup_max_ms`."""
    group = group_name(run_id, "lat")
    workers = start_workers(bootstrap, topics, 1, group, enrich, log_dir)
    try:
        _wait_ready(workers, log_dir)
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0, max_request_size=8 * 1024 * 1024)
        producer.partitions_for(topics["raw"])  # metadata before the clock: the first send must not wait for it
        total = max(1, int(rate * (warmup_s + seconds)))
        started = time.perf_counter()
        measured_from_ms = time.time() * 1000 + warmup_s * 1000
        for index in range(total):
            wire = corpus[index % len(corpus)]
            target = started + index / rate
            pause = target - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            producer.send(topics["raw"], key=f"lat-{index}".encode(), value=wire.value, headers=wire.headers)
        producer.flush()
        producer.close()
        while workers[0].outcomes() < total and time.perf_counter() - started < (warmup_s + seconds) * 4 + 60:
            time.sleep(0.5)
    finally:
        stop_workers(workers)
    return {
        "offered_per_s": round(rate, 1),
        "messages": total,
        **_story_latencies(bootstrap, topics["stories"], measured_from_ms),
    }


# 6. memory over a long run ----------------------------------------------------------------------
SOAK_IDENTITY_WINDOW_S = 120.0


def soak(
    bootstrap: str,
    topics: dict[str, str],
    corpus: list[RawWire],
    rate: float,
    log_dir: Path,
    identity_window_s: float = SOAK_IDENTITY_WINDOW_S,
    run_id: str = "",
) -> dict[str, Any]:
    """One worker, full profile, fed `corpus` (distinct stories) at `rate` stories/s: RSS against
    stories done. The identity state is meant to hold every story of its window (72 h by default:
    a run of minutes never leaves it), so the run uses a window of `identity_window_s`; it fills
    within the warm-up, and any growth after that is a leak. Fed at a pace, not preloaded: a
    preloaded backlog is read before the identity stage gets its turn (see the README)."""
    group = group_name(run_id, "soak")
    env = {"NEWSWIRE_IDENTITY_WINDOW_S": str(identity_window_s)}
    workers = start_workers(bootstrap, topics, 1, group, None, log_dir, extra_env=env)
    count = len(corpus)
    curve: list[tuple[float, float]] = []  # (stories done, RSS MB)
    try:
        _wait_ready(workers, log_dir)
        worker = workers[0]
        feeder = threading.Thread(target=_feed, args=(bootstrap, topics["raw"], corpus, rate), daemon=True)
        started = time.perf_counter()
        feeder.start()
        deadline = time.monotonic() + count / max(rate, 1e-9) * 2 + 600
        done = 0.0
        while done < count and time.monotonic() < deadline:
            time.sleep(1.0)
            done = worker.outcomes()
            curve.append((done, psutil.Process(worker.process.pid).memory_info().rss / 2**20))
        elapsed = time.perf_counter() - started
    finally:
        stop_workers(workers)

    def steady(low: float, high: float) -> float:
        window = [rss for stories, rss in curve if low * count <= stories <= high * count]
        return round(statistics.median(window), 1) if window else 0.0

    warm, end = steady(0.10, 0.15), steady(0.90, 1.0)
    return {
        "stories": int(done),
        "seconds": round(elapsed, 1),
        "offered_per_s": round(rate, 1),
        "stories_per_s": round(done / elapsed, 1) if elapsed > 0 else 0.0,
        "identity_window_s": identity_window_s,
        "warm_rss_mb": warm,  # median RSS while stories 10-15% of the run were done
        "end_rss_mb": end,  # median RSS over the last 10%
        "end_vs_warm": round(end / warm - 1, 3) if warm else 0.0,
        "peak_rss_mb": round(max((rss for _, rss in curve), default=0.0), 1),
        "rss_mb_every_tenth": [steady(k / 10, k / 10 + 0.02) for k in range(1, 10)],
    }


def _feed(bootstrap: str, topic: str, corpus: list[RawWire], rate: float) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_request_size=8 * 1024 * 1024)
    started = time.perf_counter()
    for index, wire in enumerate(corpus):
        pause = started + index / rate - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        producer.send(topic, key=wire.key, value=wire.value, headers=wire.headers)
    producer.flush()
    producer.close()


def _story_latencies(bootstrap: str, topic: str, measured_from_ms: float = 0.0) -> dict[str, Any]:
    """Story record timestamp (set when produced) minus the raw message's broker timestamp."""
    import json

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    latencies: list[float] = []
    warmup: list[float] = []
    idle = 0
    while idle < 3:
        batches = consumer.poll(timeout_ms=1000)
        idle = 0 if batches else idle + 1
        for records in batches.values():
            for record in records:
                received = json.loads(record.value)["newswire"]["provenance"]["received_at"]
                raw_ms = _iso_ms(received)
                (latencies if raw_ms >= measured_from_ms else warmup).append((record.timestamp - raw_ms) / 1000)
    consumer.close()
    return {
        "stories": len(latencies),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else 0.0,
        "warmup_stories": len(warmup),
        "warmup_max_ms": round(max(warmup) * 1000, 1) if warmup else 0.0,
    }


def _iso_ms(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000
