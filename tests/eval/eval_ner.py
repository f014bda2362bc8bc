#!/usr/bin/env python
"""Evaluate the shipped NER models on CoNLL dev data (esp.testa / eng.testa).

    PYTHONPATH=services .venv/bin/python tests/eval/eval_ner.py --data ../shared/eval/ner

Prints entity-level (exact span, conlleval-style) precision / recall / F1 over
PER+LOC+ORG, the same with MISC included, per-type F1, and the median time to
tag ~500 words on one core (pre-tokenised and raw-text paths).

Then the same sentences through the product path users get: ``newswire annotate
--jsonl`` (one sentence per line, tokens joined by spaces, with its ``lang``);
every entity mention is mapped back to tokens (a mention counts only when it
starts and ends on token edges) and typed person/place/organisation ->
PER/LOC/ORG. Both figures print side by side (``--no-product`` skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "services"))

from newswire.enrich.ner import recognise, recognise_tokens  # noqa: E402
from newswire.enrich.ner.conll import DATA_FILES, Sentence, read_conll, score  # noqa: E402

CORE = ("PER", "LOC", "ORG")
ALL4 = ("PER", "LOC", "ORG", "MISC")


def _chunks_of_words(sentences: list[Sentence], words: int) -> list[list[list[str]]]:
    """Consecutive groups of sentences with ~``words`` tokens each."""
    groups: list[list[list[str]]] = []
    cur: list[list[str]] = []
    n = 0
    for tokens, _ in sentences:
        cur.append(tokens)
        n += len(tokens)
        if n >= words:
            groups.append(cur)
            cur, n = [], 0
    return groups


def _timing(sentences: list[Sentence], lang: str, runs: int) -> dict[str, float]:
    """Median ms per 500 words: CPU time of this thread (one core) and wall time.

    ``tok`` tags pre-tokenised sentences (recognise_tokens); ``raw`` runs the
    full raw-text path (tokenise, split, tag, spans with confidences).
    """
    groups = _chunks_of_words(sentences, 500)[:runs]
    # warm-up: load the model, fill the per-token feature cache the way a
    # long-running service would have after its first stories
    for g in groups[:5]:
        recognise("\n".join(" ".join(s) for s in g), lang)
    out: dict[str, list[float]] = {"tok_cpu": [], "tok_wall": [], "raw_cpu": [], "raw_wall": []}
    for g in groups:
        k = 1000 * 500 / sum(len(s) for s in g)
        c0, w0 = time.thread_time(), time.perf_counter()
        for s in g:
            recognise_tokens(s, lang)
        c1, w1 = time.thread_time(), time.perf_counter()
        out["tok_cpu"].append((c1 - c0) * k)
        out["tok_wall"].append((w1 - w0) * k)
        text = "\n".join(" ".join(s) for s in g)
        c0, w0 = time.thread_time(), time.perf_counter()
        recognise(text, lang)
        c1, w1 = time.thread_time(), time.perf_counter()
        out["raw_cpu"].append((c1 - c0) * k)
        out["raw_wall"].append((w1 - w0) * k)
    return {key: statistics.median(v) for key, v in out.items()}


PRODUCT_TYPES = {"person": "PER", "place": "LOC", "organisation": "ORG"}


def _mention_tags(tokens: list[str], annotated: dict[str, object]) -> list[str]:
    """IOB2 tags from an ``annotate`` result over ``" ".join(tokens)``; mentions off token edges are dropped."""
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    pos = 0
    for i, token in enumerate(tokens):
        starts[pos] = i
        ends[pos + len(token)] = i
        pos += len(token) + 1
    tags = ["O"] * len(tokens)
    entities = annotated.get("entities") or []
    assert isinstance(entities, list)
    for entity in entities:
        label = PRODUCT_TYPES.get(entity.get("type", ""))
        if label is None:
            continue
        for mention in entity.get("mentions") or []:
            first, last = starts.get(mention["start"]), ends.get(mention["end"])
            if first is None or last is None or last < first or any(t != "O" for t in tags[first : last + 1]):
                continue
            tags[first] = "B-" + label
            for k in range(first + 1, last + 1):
                tags[k] = "I-" + label
    return tags


def product_tags(sentences: list[Sentence], lang: str) -> list[list[str]]:
    """Tags for every sentence as ``newswire annotate --jsonl`` (the CLI users run) returns them."""
    lines = "".join(
        json.dumps({"id": str(i), "text": " ".join(tokens), "lang": lang}, ensure_ascii=False) + "\n"
        for i, (tokens, _) in enumerate(sentences)
    )
    cli = Path(sys.executable).with_name("newswire")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "newswire.cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "services")}
    from newswire.enrich.ner import _tagger

    env["NEWSWIRE_NER_MODELS"] = str(_tagger.MODEL_DIR)  # the models scored above (`--models`)
    done = subprocess.run(
        [*command, "annotate", "--jsonl"], input=lines, capture_output=True, text=True, check=True, env=env
    )
    results = {row["id"]: row for row in map(json.loads, done.stdout.splitlines())}
    return [_mention_tags(tokens, results.get(str(i), {})) for i, (tokens, _) in enumerate(sentences)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "ner")
    ap.add_argument("--lang", choices=["es", "en", "all"], default="all")
    ap.add_argument("--split", default="dev", help="dev (testa) or a file name in --data")
    ap.add_argument("--runs", type=int, default=60, help="500-word chunks to time")
    ap.add_argument("--models", type=Path, help="evaluate model files from this directory instead")
    ap.add_argument("--no-product", action="store_true", help="skip the annotate (product path) scores")
    args = ap.parse_args()
    if args.models is not None:
        from newswire.enrich.ner import _tagger

        _tagger.MODEL_DIR = args.models
    langs = ["es", "en"] if args.lang == "all" else [args.lang]
    header = (
        f"{'lang':<5}{'P':>7}{'R':>7}{'F1':>7} | {'F1+MISC':>8} | "
        f"{'PER':>6}{'LOC':>6}{'ORG':>6}{'MISC':>6} | {'tok cpu/wall':>13} | {'raw cpu/wall':>13}"
    )
    rows = []
    product_rows = []
    class_rows = []  # P/R/F1 per class, the tagger alone and through the product
    for lang in langs:
        spec = DATA_FILES[lang]
        fname = spec["dev"] if args.split == "dev" else args.split
        sentences = read_conll(args.data / fname, spec["encoding"])
        gold = [tags for _, tags in sentences]
        pred = [recognise_tokens(tokens, lang) for tokens, _ in sentences]
        core = score(gold, pred, CORE)
        full = score(gold, pred, ALL4)
        t = _timing(sentences, lang, args.runs)
        rows.append(
            f"{lang:<5}{core['ALL'].precision:7.4f}{core['ALL'].recall:7.4f}{core['ALL'].f1:7.4f} | "
            f"{full['ALL'].f1:8.4f} | "
            f"{full['PER'].f1:6.3f}{full['LOC'].f1:6.3f}{full['ORG'].f1:6.3f}{full['MISC'].f1:6.3f} | "
            f"{t['tok_cpu']:6.2f}/{t['tok_wall']:6.2f} | {t['raw_cpu']:6.2f}/{t['raw_wall']:6.2f}"
        )
        if not args.no_product:
            made = score(gold, product_tags(sentences, lang), CORE)
            for path, result in (("tagger", core), ("annotate", made)):
                class_rows.append(
                    f"{lang:<5}{path:<9}"
                    + "".join(
                        f" | {result[k].precision:.4f} {result[k].recall:.4f} {result[k].f1:.4f}"
                        for k in ("PER", "LOC", "ORG", "ALL")
                    )
                )
            product_rows.append(
                f"{lang:<5}{fname:<11}{core['ALL'].f1:8.4f}{made['ALL'].precision:8.4f}{made['ALL'].recall:8.4f}"
                f"{made['ALL'].f1:8.4f} | {made['PER'].f1:6.3f}{made['LOC'].f1:6.3f}{made['ORG'].f1:6.3f}"
            )
    print("Entity-level exact-span scores; P/R/F1 over PER+LOC+ORG (MISC excluded); F1+MISC over all four")
    print("Speed: median ms per 500 words, CPU time of one thread / wall clock (tok: pre-tokenised, raw: text)")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(r)
    if product_rows:
        print()
        print("Product path: `newswire annotate --jsonl`, mentions mapped to tokens, exact span, PER+LOC+ORG")
        head = f"{'lang':<5}{'file':<11}{'tagger':>8}{'P':>8}{'R':>8}{'F1':>8} | {'PER':>6}{'LOC':>6}{'ORG':>6}"
        print(head)
        print("-" * len(head))
        for r in product_rows:
            print(r)
        print()
        print("Per class, P R F1 (exact span)")
        head = f"{'lang':<5}{'path':<9}" + "".join(f" | {k + ' P R F1':<20}" for k in ("PER", "LOC", "ORG", "ALL"))
        print(head)
        print("-" * len(head))
        for r in class_rows:
            print(r)


if __name__ == "__main__":
    main()
