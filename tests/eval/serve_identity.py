"""Score an event set through the running service, as a held-out set is scored: each story a raw
file published to Kafka, `newswire serve` in between, the stories read back from the stories topic.

    deploy/local/kafka up
    PYTHONPATH=services .venv/bin/python tests/eval/serve_identity.py [EVENTS_DIR]

Topics and consumer group get a fresh run id, so a shared broker is not disturbed; the topics
are deleted at the end. Prints pairwise precision/recall, BCubed and every story's cluster reason.
Same-event pairs apart and different-event pairs together are listed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench_identity_decision import EVENTS, read_events

ROOT = Path(__file__).resolve().parents[2]
NEWSWIRE = [str(ROOT / ".venv" / "bin" / "newswire")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def delete_topics(bootstrap: str, run: str) -> None:
    """This run's topics, and the internal ones faust made for its group (named after the run id)."""
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        mine = [topic for topic in admin.list_topics() if run in topic]
        if mine:
            admin.delete_topics(mine)
    finally:
        admin.close()


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else EVENTS
    stories = read_events(folder)
    run = uuid.uuid4().hex[:8]
    env = {
        **os.environ,
        "NEWSWIRE_TOPIC_RAW": f"eval-{run}.raw",
        "NEWSWIRE_TOPIC_STORIES": f"eval-{run}.stories",
        "NEWSWIRE_TOPIC_DEADLETTER": f"eval-{run}.dlq",
        "NEWSWIRE_GROUP_ID": f"eval-{run}",
        "NEWSWIRE_METRICS_PORT": str(free_port()),
        "NEWSWIRE_METRICS_HOST": "127.0.0.1",
    }
    gold: dict[str, str] = {}  # file name -> event
    by_headline: dict[str, str] = {}  # the story keeps its headline, not the file name: headline -> file name
    with tempfile.TemporaryDirectory() as tmp:
        for i, story in enumerate(stories):
            name = f"{i:03d}.txt"
            text = story["text"].strip()
            (Path(tmp) / name).write_text(text + "\n", encoding="utf-8")
            gold[name] = story["event"]
            by_headline[text.splitlines()[0].strip()] = name
        subprocess.run([*NEWSWIRE, "topics", "ensure"], env=env, check=True, capture_output=True)
        log = open(Path(tmp) / "serve.log", "wb")  # noqa: SIM115  (closed after the service stops)
        service = subprocess.Popen([*NEWSWIRE, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            time.sleep(8)  # joins its group before the stories arrive
            subprocess.run([*NEWSWIRE, "publish", tmp], env=env, check=True, capture_output=True)
            tail = subprocess.run(
                [*NEWSWIRE, "tail", "--from-beginning", "--max", str(len(stories)), "--timeout", "180"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
        finally:
            service.terminate()
            service.wait(timeout=60)
            log.close()
            delete_topics(env.get("NEWSWIRE_KAFKA_BOOTSTRAP", "localhost:9092"), run)
    rows = []
    for line in tail.stdout.splitlines():
        value = json.loads(line)["value"]
        identity = value["newswire"]["identity"]
        name = by_headline[value["headlines"][0]["value"].strip()]
        rows.append((name, identity.get("cluster"), identity.get("cluster_reason")))
    print(f"{len(rows)} of {len(stories)} stories read back through newswire serve ({folder})")
    names = [n for n, _, _ in rows]
    predicted = {n: c for n, c, _ in rows}
    tp = fp = fn = 0
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            same, joined = gold[a] == gold[b], predicted[a] == predicted[b]
            tp, fp, fn = tp + (same and joined), fp + (joined and not same), fn + (same and not joined)
            if same != joined:
                print(f"  {'APART' if same else 'MERGED'} {gold[a]} {a} / {gold[b]} {b}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    bp = sum(
        sum(1 for m in names if predicted[m] == predicted[n] and gold[m] == gold[n])
        / sum(1 for m in names if predicted[m] == predicted[n])
        for n in names
    ) / len(names)
    br = sum(
        sum(1 for m in names if predicted[m] == predicted[n] and gold[m] == gold[n])
        / sum(1 for m in names if gold[m] == gold[n])
        for n in names
    ) / len(names)
    print(f"  pairwise P={precision:.3f} R={recall:.3f} (tp={tp} fp={fp} fn={fn});  BCubed P={bp:.3f} R={br:.3f}")
    for name, cluster, reason in sorted(rows, key=lambda r: (gold[r[0]], r[0])):
        print(f"  {gold[name]:<22} {name} {cluster} {json.dumps(reason, ensure_ascii=False)[:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
