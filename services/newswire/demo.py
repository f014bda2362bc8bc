"""`make run`: the service on the embedded default, with the bundled sample wires flowing through it.

Starts `newswire serve` (local Kafka and topics are already up: see the Makefile), publishes the
sample wires, prints each story event as it comes out, and keeps the service running until Ctrl-C.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from rich.console import Console

from newswire.config import Settings, load_settings
from newswire.samples import sample_paths
from newswire.stream.tools import iter_inputs, publish

console = Console(stderr=True)


def wait_ready(settings: Settings, service: subprocess.Popen[bytes], timeout: float = 120) -> None:
    url = f"http://127.0.0.1:{settings.metrics_port}/readyz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.poll() is not None:
            raise SystemExit(f"newswire serve exited with {service.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"newswire serve was not ready within {timeout:.0f}s")


def summary(story: dict[str, Any]) -> str:
    extension = story.get("newswire", {})
    dateline = extension.get("dateline") or {}
    names = sorted({entity["name"] for entity in extension.get("entities", [])})
    headline = story.get("headlines", [{}])[0].get("value", "(no headline)")
    parts = [
        f"[bold]{headline}[/bold]",
        f"  language={story.get('language')}  dateline={dateline.get('text', '-')} date={dateline.get('date', '-')}",
    ]
    if names:
        parts.append(f"  entities: {', '.join(names[:12])}")
    return "\n".join(parts)


def main() -> int:
    settings = load_settings()
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=None,
        enable_auto_commit=False,
        **settings.kafka_python_security(),
    )
    partitions = [
        TopicPartition(settings.topic_stories, p)
        for p in sorted(consumer.partitions_for_topic(settings.topic_stories) or [])
    ]
    consumer.assign(partitions)
    consumer.seek_to_end(*partitions)
    for partition in partitions:
        consumer.position(partition)  # pin "the end" now, before anything is published

    log_path = Path.home() / ".cache" / "newswire" / "serve.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    console.print(f"service log: {log_path}")
    with log_path.open("ab") as log:
        service = subprocess.Popen(
            [sys.executable, "-m", "newswire", "serve"], env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        with console.status("starting newswire serve ..."):
            wait_ready(settings, service)
        samples = sample_paths()
        sent = publish(settings, iter_inputs(str(path) for path in samples), settings.topic_raw, source="samples")
        console.print(
            f"published {sent} sample wire(s) to [cyan]{settings.topic_raw}[/cyan]; story events on "
            f"[cyan]{settings.topic_stories}[/cyan]:"
        )
        shown = 0
        started = time.monotonic()
        while shown < sent and time.monotonic() - started < 60:
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    console.print(summary(json.loads(record.value)))
                    shown += 1
        console.print(
            f"\nmetrics: http://127.0.0.1:{settings.metrics_port}/metrics   "
            f"ready: http://127.0.0.1:{settings.metrics_port}/readyz"
        )
        console.print("newswire is running; publish more with `newswire publish PATH`. Ctrl-C to stop.")
        service.wait()
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
        if service.poll() is None:
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
