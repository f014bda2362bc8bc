#!/usr/bin/env python
"""Evaluate the quotes stage on the PolNeAR dev split, plus the seed-story check and timing.

    PYTHONPATH=services .venv/bin/python tests/eval/eval_quotes.py [--show 20] [--no-product] [--no-polnear]

Gold: PolNeAR brat attributions (Source, Cue, Content spans; discontinuous spans joined).
Articles annotated by several annotators are scored with one annotation, the first file in
name order. A gold attribution is a *direct quote* when its Content text contains a double
quotation mark (one of " “ ” « » „, or a doubled '' or ``): PolNeAR includes the marks in
Content spans.

Matching (printed with the results):
- a found quote matches a gold direct-quote attribution when the found quote's span
  [start, end) overlaps one of the gold Content spans (character offsets);
- precision = found quotes matching at least one gold direct-quote attribution / found quotes;
- recall = gold direct-quote attributions matched by at least one found quote / all of them;
- speaker correct (for matched found quotes) when, for one of the gold attributions it
  matches, the found speaker mention span overlaps the gold Source span, or a capitalised word
  of the found speaker name (3+ letters) occurs in the gold Source text (case-insensitive).
  Matched quotes whose gold attributions all lack a Source (Attribution-no-source) are left
  out of the speaker figure. "strict" also leaves out gold Sources that are bare pronouns,
  where the overlap rule cannot tell whether the pronoun was resolved correctly.

Strict scoring (issue 20's bars), beside the figures above:
- only quotes of 4+ words count, found or gold; the gold unit is a quoted span (text between a
  pair of quotation marks inside a direct-quote Content);
- a found quote is right when it covers at least half of a gold quoted span; recall is the share
  of gold quoted spans so covered by one found quote;
- speaker right: see `names_same_person`; gold Sources that are a bare pronoun or a lone speech
  verb (an annotation slip: the cue `said` marked as the Source) are left out;
- the speaker mix: named (the mention names the speaker), resolved (a pronoun, a role, an
  apposition or a dropped subject stands for them), null (no speaker, the cue kept).
The quotes stage runs after the entities stage, on its entities, as in the pipeline.

Two paths are scored and printed side by side: the stages in-process, and the product path users
run, `newswire annotate --jsonl` (quotes and entities read back from its JSON; offsets must point
into the text sent). A second set, our own news stories (tests/eval/data/quotes-news, see its
README), is scored the same strict way on both paths; its gold names every speaker (or null), so a
pronoun or role must resolve to the right person to count. A third set, tests/eval/data/quotes-blind
(30 stories, en and es), was written without reading the quote rules or the own set: the independent
figure for issue 20's bar; it is scored the same way on both paths.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "services"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotate_cli import annotate_jsonl  # noqa: E402

from newswire.enrich.quotes.cues import lexicon  # noqa: E402
from newswire.enrich.registry import Document  # noqa: E402
from newswire.enrich.stages.entities import find_entities  # noqa: E402
from newswire.enrich.stages.quotes import detect_quotes  # noqa: E402
from newswire.events.extension import LanguageInfo, Quote  # noqa: E402

QUOTE_CHARS = set('"“”«»„')
DOUBLED = ("''", "``")  # typewriter double quotes some PolNeAR sources use
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}
SEED = ROOT.parent / "shared" / "seed" / "000_e6996546eecbb4a4.txt"
SEED_EXPECTED = ["Kim"] * 3 + ["Putin"] * 5

Span = tuple[int, int]


@dataclass
class Attribution:
    content: list[Span]
    source: list[Span]
    cue: list[Span]


def load_article(ann: Path, text: str) -> list[Attribution]:
    spans: dict[str, list[Span]] = {}
    events: list[dict[str, list[str]]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0].startswith("T") and len(parts) >= 2:
            _, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = [(int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";"))]
        elif parts[0].startswith("E") and len(parts) >= 2:
            roles: dict[str, list[str]] = defaultdict(list)
            for role in parts[1].split():
                key, _, ref = role.partition(":")
                if ref:
                    roles[re.sub(r"\d+$", "", key)].append(ref)
            events.append(roles)
    out = []
    for roles in events:

        def get(key: str, roles: dict[str, list[str]] = roles) -> list[Span]:
            return [s for ref in roles.get(key, []) for s in spans.get(ref, [])]

        out.append(Attribution(content=get("Content"), source=get("Source"), cue=get("Cue")))
    return out


def load(data: Path) -> list[tuple[str, str, list[Attribution]]]:
    by_article: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted((data / "attributions").glob("*.ann")):
        by_article[ann.stem.rsplit("_", 1)[0]].append(ann)
    articles = []
    for name, anns in sorted(by_article.items()):
        text = (data / "text" / f"{name}.txt").read_text(encoding="utf-8")
        articles.append((name, text, load_article(anns[0], text)))
    return articles


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def is_direct(att: Attribution, text: str) -> bool:
    content = " ".join(text[s:e] for s, e in att.content)
    return any(ch in QUOTE_CHARS for ch in content) or any(d in content for d in DOUBLED)


def speaker_ok(quote: Quote, att: Attribution, text: str) -> bool:
    sp = quote.speaker
    if sp is None:
        return False
    if sp.start is not None and sp.end is not None and any(overlaps((sp.start, sp.end), s) for s in att.source):
        return True
    source_text = " ".join(text[s:e] for s, e in att.source).lower()
    words = re.findall(r"\w+", source_text)
    return any(w[0].isupper() and len(w) >= 3 and w.lower() in words for w in re.findall(r"\w+", sp.name))


def run_stages(text: str, language: str) -> tuple[list[Quote], list[Span], dict[str, list[Span]]]:
    """The quotes stage as the pipeline runs it, after the entities stage and on its entities; also
    the spans of the person and organisation mentions and their names."""
    document = Document(text=text)
    found: dict[str, Any] = {"language": LanguageInfo(code=language, confidence=1.0)}
    found.update(find_entities(document, found))
    named = [
        (m.start, m.end)
        for e in found["entities"]
        if e.type in ("person", "organisation")
        for m in e.mentions
        if m.start is not None and m.end is not None
    ]
    people: dict[str, list[Span]] = defaultdict(list)
    for e in found["entities"]:
        if e.type in ("person", "organisation"):
            people[e.name] += [(m.start, m.end) for m in e.mentions if m.start is not None and m.end is not None]
    return list(detect_quotes(document, found)["quotes"]), named, dict(people)


def run_quotes(text: str, language: str) -> list[Quote]:
    return run_stages(text, language)[0]


Found = tuple[list[Quote], list[Span], dict[str, list[Span]]]


def run_product(texts: list[tuple[str, str]]) -> list[Found]:
    """The same as `run_stages`, but through the product path users run: `newswire annotate --jsonl`,
    one line per text (with its language), quotes and entities read back from the JSON it prints.
    Offsets must point into the text as sent; a quote whose `text` differs (beyond spacing) from the
    sent text at its offsets is reported, since scoring would then be meaningless."""
    lines = "".join(
        json.dumps({"id": str(i), "text": text, "lang": lang}, ensure_ascii=False) + "\n"
        for i, (text, lang) in enumerate(texts)
    )
    rows = annotate_jsonl(lines)
    out: list[Found] = []
    shifted = 0
    for i, (text, _lang) in enumerate(texts):
        row = rows.get(str(i), {})
        quotes = [Quote.model_validate(q) for q in row.get("quotes") or []]
        shifted += sum(text[q.start : q.end].split() != q.text.split() for q in quotes)  # spacing is cleaned
        named: list[Span] = []
        people: dict[str, list[Span]] = defaultdict(list)
        for e in row.get("entities") or []:
            if e.get("type") in ("person", "organisation"):
                spans = [(m["start"], m["end"]) for m in e.get("mentions") or [] if "start" in m and "end" in m]
                named += spans
                people[e["name"]] += spans
        out.append((quotes, named, dict(people)))
    if shifted:
        print(f"WARNING: {shifted} product-path quotes whose offsets do not match the text sent")
    return out


# --- strict scoring -------------------------------------------------------------------------
STRICT_WORDS = 4  # only quotes of this many words or more count, found or gold
_MARKS = re.compile(r"''|``|[\"“”«»„]")


def quoted_segments(att: Attribution, text: str) -> list[Span]:
    """The gold quoted spans of a direct-quote attribution: text between pairs of marks in Content."""
    out: list[Span] = []
    for a, b in att.content:
        marks = [(m.start(), m.end()) for m in _MARKS.finditer(text, a, b)]
        for k in range(0, len(marks), 2):
            start = marks[k][1]
            end = marks[k + 1][0] if k + 1 < len(marks) else b
            if end > start:
                out.append((start, end))
    return out


def n_words(text: str, span: Span) -> int:
    return len(re.findall(r"\w+", text[span[0] : span[1]]))


def covers_half(found: Span, gold: Span) -> bool:
    inter = min(found[1], gold[1]) - max(found[0], gold[0])
    return inter > 0 and inter * 2 >= gold[1] - gold[0]


def names_nobody(att: Attribution, text: str) -> bool:
    """A gold Source that cannot be scored: a bare pronoun, or a lone speech verb (PolNeAR sometimes
    marks the cue as the Source: `[said] David Plouffe`), which names nobody to compare with."""
    source = " ".join(text[s:e] for s, e in att.source).strip().lower()
    return source in PRONOUNS or source in lexicon("en").verbs


def names_same_person(
    quote: Quote, att: Attribution, text: str, named: list[Span], people: dict[str, list[Span]]
) -> bool:
    """The found speaker names the gold Source's person. A Source that holds a person or organisation
    name (`named`: the story's person/organisation mentions, from the entities stage) is right when it
    holds a mention of the found speaker's entity (`the IMF` for the International Monetary Fund) or a
    capitalised name word (3+ letters) of the found speaker occurs in one of the names inside it; a
    Source without one (`the Indiana governor`, `the letter`) when the found speaker is a person or
    organisation of the story and its mention overlaps the Source (PolNeAR has no coreference to check
    whom a description means). A null speaker, or one named as written (`the letter`), is never right."""
    sp = quote.speaker
    if sp is None or not any(sp.name == name for name in people):
        return False
    inside = [m for m in named if any(s <= m[0] and m[1] <= e for s, e in att.source)]
    if inside:
        if any(m in inside for m in people[sp.name]):
            return True
        source_names = {w.lower() for a, b in inside for w in re.findall(r"\w+", text[a:b]) if len(w) >= 3}
        found_names = {w.lower() for w in re.findall(r"\w+", sp.name) if w[0].isupper() and len(w) >= 3}
        return bool(found_names & source_names)
    return sp.start is not None and sp.end is not None and any(overlaps((sp.start, sp.end), s) for s in att.source)


def speaker_kind(quote: Quote, text: str) -> str:
    """named (the mention carries a word of the speaker's name), resolved (a pronoun, a role or a
    dropped subject standing for them), or null (no speaker, cue kept)."""
    sp = quote.speaker
    if sp is None:
        return "null"
    if sp.start is None or sp.end is None:
        return "resolved"
    mention = {w.lower() for w in re.findall(r"\w+", text[sp.start : sp.end])}
    return "named" if mention & {w.lower() for w in re.findall(r"\w+", sp.name)} else "resolved"


@dataclass
class Strict:
    found: int = 0
    found_ok: int = 0
    gold: int = 0
    gold_ok: int = 0
    speaker_n: int = 0
    speaker_ok: int = 0

    def add(
        self,
        text: str,
        gold: list[Attribution],
        found: tuple[list[Quote], list[Span], dict[str, list[Span]]],
        wrong: list[str],
    ) -> None:
        quotes, names, people = found
        segments = [(seg, g) for g in gold for seg in quoted_segments(g, text)]
        for q in quotes:
            if n_words(text, (q.start, q.end)) < STRICT_WORDS:
                continue
            self.found += 1
            hits = [(seg, g) for seg, g in segments if covers_half((q.start, q.end), seg)]
            if not hits:
                continue
            self.found_ok += 1
            sourced = [g for _, g in hits if g.source]
            named = [g for g in sourced if not names_nobody(g, text)]
            if named:
                ok = any(names_same_person(q, g, text, names, people) for g in named)
                self.speaker_n += 1
                self.speaker_ok += ok
                if not ok:
                    src = " | ".join(" ".join(text[s:e] for s, e in g.source) for g in named)
                    said = f"{q.speaker.name!r}@{q.speaker.start}" if q.speaker else None
                    wrong.append(f"gold={src!r} found={said} cue={q.cue!r} :: {_ctx(text, q.start - 1, q.end + 1)}")
        for seg, _g in segments:
            if n_words(text, seg) < STRICT_WORDS:
                continue
            self.gold += 1
            self.gold_ok += any(covers_half((q.start, q.end), seg) for q in quotes)


def evaluate(data: Path, show: int, product: bool) -> dict[str, float]:
    """Score one path (the stage in-process, or `newswire annotate` when `product`); print its table and
    return the strict figures for the side-by-side summary."""
    articles = load(data)
    results = run_product([(text, "en") for _, text, _ in articles]) if product else None
    n_att = n_gold = n_found = tp = recalled = 0
    sp_n = sp_ok = strict_n = strict_ok = 0
    fps: list[str] = []
    fns: list[str] = []
    bad_speakers: list[str] = []
    strict = Strict()
    strict_wrong: list[str] = []
    mix: dict[str, int] = defaultdict(int)
    for k, (_name, text, atts) in enumerate(articles):
        gold = [a for a in atts if is_direct(a, text)]
        n_att += len(atts)
        n_gold += len(gold)
        stages = results[k] if results is not None else run_stages(text, "en")
        quotes = stages[0]
        n_found += len(quotes)
        strict.add(text, gold, stages, strict_wrong)
        for q in quotes:
            mix[speaker_kind(q, text)] += 1
        for q in quotes:
            matched = [g for g in gold if any(overlaps((q.start, q.end), c) for c in g.content)]
            if not matched:
                fps.append(_ctx(text, q.start - 1, q.end + 1))
                continue
            tp += 1
            sourced = [g for g in matched if g.source]
            if not sourced:
                continue
            ok = any(speaker_ok(q, g, text) for g in sourced)
            sp_n += 1
            sp_ok += ok
            if not all(" ".join(text[s:e] for s, e in g.source).lower() in PRONOUNS for g in sourced):
                strict_n += 1
                strict_ok += ok
            if not ok:
                src = " | ".join(" ".join(text[s:e] for s, e in g.source) for g in sourced)
                said = f"{q.speaker.name!r}@{q.speaker.start}" if q.speaker else None
                bad_speakers.append(f"gold={src!r} found={said} cue={q.cue!r} :: {_ctx(text, q.start - 1, q.end + 1)}")
        for g in gold:
            if any(overlaps((q.start, q.end), c) for q in quotes for c in g.content):
                recalled += 1
            else:
                fns.append(" | ".join(_ctx(text, s, e) for s, e in g.content))
    precision = tp / n_found if n_found else 0.0
    recall = recalled / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    path = "product path: `newswire annotate --jsonl`" if product else "stage path: entities + quotes stages in-process"
    print(f"\n## PolNeAR dev, {path}")
    print(f"{len(articles)} articles, {n_att} attributions, {n_gold} with a quotation in Content")
    print()
    print("| metric | value | counts |")
    print("|---|---|---|")
    print(f"| precision | {precision:.3f} | {tp}/{n_found} found quotes overlap a gold direct-quote Content |")
    print(f"| recall | {recall:.3f} | {recalled}/{n_gold} gold direct-quote attributions overlapped |")
    print(f"| F1 | {f1:.3f} | |")
    print(f"| speaker accuracy | {sp_ok / max(sp_n, 1):.3f} | {sp_ok}/{sp_n} matched quotes with a gold Source |")
    print(
        f"| speaker accuracy (strict) | {strict_ok / max(strict_n, 1):.3f} "
        f"| {strict_ok}/{strict_n} without pronoun Sources |"
    )
    sp_, sr_ = strict.found_ok / max(strict.found, 1), strict.gold_ok / max(strict.gold, 1)
    print(f"| strict precision | {sp_:.3f} | {strict.found_ok}/{strict.found} found quotes of 4+ words (bar 0.90) |")
    print(f"| strict recall | {sr_:.3f} | {strict.gold_ok}/{strict.gold} gold quoted spans of 4+ words (bar 0.95) |")
    print(
        f"| strict speaker right | {strict.speaker_ok / max(strict.speaker_n, 1):.3f} "
        f"| {strict.speaker_ok}/{strict.speaker_n} matched, gold Source not a bare pronoun nor a lone verb (bar 0.85) |"
    )
    _print_mix(mix)
    if product:  # the notes below were printed with the stage table
        _show(show, fps, fns, bad_speakers, strict_wrong)
        return _summary(strict, mix)
    print()
    print(
        "Strict: a found quote of 4+ words counts when it covers at least half of a gold quoted span (the\n"
        "text between a pair of quotation marks inside a direct-quote Content); recall over gold quoted\n"
        "spans of 4+ words. Speaker right: the found speaker is a person or organisation of the story and,\n"
        "when the gold Source holds a person/organisation mention, one of them is the speaker's or shares a\n"
        "capitalised name word with it; for a Source without a name, the found mention overlaps it. A null\n"
        "speaker is wrong; quotes whose gold Sources are bare pronouns, or a lone speech verb (the cue\n"
        "`said` marked as the Source), are left out. Quotes run after the entities stage, as in the pipeline."
    )
    print()
    print(
        "Matching: found quote span overlaps a gold Content span whose text holds a double quotation mark;\n"
        "speaker correct if the found speaker span overlaps the gold Source span or a capitalised name word\n"
        "(3+ letters) of the found speaker occurs in the gold Source text."
    )
    _show(show, fps, fns, bad_speakers, strict_wrong)
    return _summary(strict, mix)


def _print_mix(mix: dict[str, int]) -> None:
    total = max(sum(mix.values()), 1)
    print(
        "| speaker mix | "
        + ", ".join(f"{k} {mix[k] / total:.2f}" for k in ("named", "resolved", "null"))
        + f" | {mix['named']}/{mix['resolved']}/{mix['null']} of {sum(mix.values())} found quotes |"
    )


def _summary(strict: Strict, mix: dict[str, int]) -> dict[str, float]:
    total = max(sum(mix.values()), 1)
    return {
        "recall": strict.gold_ok / max(strict.gold, 1),
        "precision": strict.found_ok / max(strict.found, 1),
        "speaker": strict.speaker_ok / max(strict.speaker_n, 1),
        **{kind: mix[kind] / total for kind in ("named", "resolved", "null")},
    }


def _show(show: int, fps: list[str], fns: list[str], bad_speakers: list[str], strict_wrong: list[str]) -> None:
    shown = (
        ("false positives", fps),
        ("missed", fns),
        ("wrong speakers", bad_speakers),
        ("strict wrong", strict_wrong),
    )
    for title, rows in shown:
        if show and rows:
            print(f"\n--- {title} ({len(rows)}), first {show}:")
            for row in rows[:show]:
                print("  ", row)


def _ctx(text: str, start: int, end: int, pad: int = 50) -> str:
    s = max(0, start)
    snippet = text[max(0, s - pad) : s] + "[[" + text[s:end] + "]]" + text[end : end + pad]
    return snippet.replace("\n", " / ")


def seed_check(runs: int) -> None:
    if not SEED.exists():
        print("\nseed: ../shared/seed not available, skipped")
        return
    raw = SEED.read_text(encoding="utf-8")
    body = raw.split("(EFE).- ", 1)[1]
    quotes = run_quotes(body, "es")
    speakers = [q.speaker.name if q.speaker else "" for q in quotes]
    ok = len(speakers) == len(SEED_EXPECTED) and all(
        want in name.split() or name.endswith(" " + want) or want in name
        for name, want in zip(speakers, SEED_EXPECTED, strict=True)
    )
    print(
        f"\nseed story ({len(body.split())} words): {len(quotes)} quotes found, expected 8; "
        f"speakers {'OK' if ok else 'WRONG'}"
    )
    for q in quotes:
        who = q.speaker.name if q.speaker else None
        print(f"  [{q.start}:{q.end}] {who!s:8} cue={q.cue!s:10} «{q.text[:60]}{'…' if len(q.text) > 60 else ''}»")
    document = Document(text=body)
    found: dict[str, object] = {"language": LanguageInfo(code="es", confidence=1.0)}
    found.update(find_entities(document, found))
    for _ in range(20):
        detect_quotes(document, found)
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        detect_quotes(document, found)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(
        f"  speed: median {statistics.median(times):.3f} ms wall, {statistics.median(cpu):.3f} ms CPU; p95 "
        f"{sorted(times)[int(runs * 0.95)]:.3f} ms wall over {runs} runs of the stage on the seed body (bar: 1.5 ms)"
    )


# --- our own news set -----------------------------------------------------------------------
NEWS = ROOT / "tests" / "eval" / "data" / "quotes-news" / "news.jsonl"
# Written without reading the quote rules or the set above: an independent check on them (see its README).
BLIND = ROOT / "tests" / "eval" / "data" / "quotes-blind" / "news.jsonl"


def same_person(found: str, gold: str) -> bool:
    """The found speaker's name and the gold one name the same person or organisation: the name words
    (3+ letters, case-folded) of one are all among the other's (`Kinew` for `Wab Kinew`)."""
    a = {w.casefold() for w in re.findall(r"\w+", found) if len(w) >= 3}
    b = {w.casefold() for w in re.findall(r"\w+", gold) if len(w) >= 3}
    return bool(a and b) and (a <= b or b <= a)


def evaluate_news(path: Path, show: int, product: bool, title: str = "Own news set") -> dict[str, float]:
    """Score `path` (JSONL: text, lang, quotes [{start, end, speaker}]) strictly, as PolNeAR strict: found
    and gold quotes of 4+ words, a found quote right when it covers half of a gold quote; its speaker
    right when it names the gold speaker, or is null when the gold speaker is null (nobody the text
    names said it)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [(row["text"], row["lang"]) for row in rows]
    results = run_product(texts) if product else [run_stages(text, lang) for text, lang in texts]
    n = {"found": 0, "found_ok": 0, "gold": 0, "gold_ok": 0, "named": 0, "named_ok": 0, "null": 0, "null_ok": 0}
    mix: dict[str, int] = defaultdict(int)
    wrong: list[str] = []
    for row, (quotes, _names, _people) in zip(rows, results, strict=True):
        text = row["text"]
        gold = [(g["start"], g["end"], g["speaker"]) for g in row["quotes"]]
        for q in quotes:
            mix[speaker_kind(q, text)] += 1
            if n_words(text, (q.start, q.end)) < STRICT_WORDS:
                continue
            n["found"] += 1
            hit = next((g for g in gold if covers_half((q.start, q.end), (g[0], g[1]))), None)
            if hit is None:
                wrong.append(f"not a gold quote: {_ctx(text, q.start - 1, q.end + 1)}")
                continue
            n["found_ok"] += 1
            want, got = hit[2], q.speaker.name if q.speaker else None
            kind = "named" if want is not None else "null"
            ok = got is None if want is None else got is not None and same_person(got, want)
            n[kind] += 1
            n[kind + "_ok"] += ok
            if not ok:
                wrong.append(f"gold={want!r} found={got!r} cue={q.cue!r} :: {_ctx(text, q.start - 1, q.end + 1)}")
        for start, end, _who in gold:
            if n_words(text, (start, end)) >= STRICT_WORDS:
                n["gold"] += 1
                n["gold_ok"] += any(covers_half((q.start, q.end), (start, end)) for q in quotes)
    label = "product path: `newswire annotate --jsonl`" if product else "stage path, in-process"
    right = n["named_ok"] + n["null_ok"]
    print(f"\n## {title} ({path.name}: {len(rows)} stories, {n['gold']} gold quotes of 4+ words), {label}")
    print("| metric | value | counts |")
    print("|---|---|---|")
    print(f"| strict recall | {n['gold_ok'] / max(n['gold'], 1):.3f} | {n['gold_ok']}/{n['gold']} (bar 0.90) |")
    print(f"| strict precision | {n['found_ok'] / max(n['found'], 1):.3f} | {n['found_ok']}/{n['found']} (bar 0.90) |")
    print(
        f"| speaker right | {right / max(n['named'] + n['null'], 1):.3f} | {right}/{n['named'] + n['null']} "
        f"(bar 0.80); named gold {n['named_ok']}/{n['named']}, null gold {n['null_ok']}/{n['null']} |"
    )
    _print_mix(mix)
    if show and wrong:
        print(f"\n--- news errors ({len(wrong)}), first {show}:")
        for line in wrong[:show]:
            print("  ", line)
    total = max(sum(mix.values()), 1)
    return {
        "recall": n["gold_ok"] / max(n["gold"], 1),
        "precision": n["found_ok"] / max(n["found"], 1),
        "speaker": right / max(n["named"] + n["null"], 1),
        **{kind: mix[kind] / total for kind in ("named", "resolved", "null")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "quotes" / "polnear-dev")
    parser.add_argument("--show", type=int, default=0, help="print this many errors of each kind")
    parser.add_argument("--runs", type=int, default=500, help="timing runs on the seed")
    parser.add_argument("--news", type=Path, default=NEWS, help="our own news set (JSONL), scored both ways")
    parser.add_argument("--blind", type=Path, default=BLIND, help="the blind news set (JSONL), scored both ways")
    parser.add_argument("--no-product", action="store_true", help="skip the `newswire annotate` (product) path")
    parser.add_argument("--no-polnear", action="store_true", help="only the news set and the seed")
    args = parser.parse_args()
    summary: dict[str, dict[str, float]] = {}
    paths = [False] if args.no_product else [False, True]
    for product in paths if not args.no_polnear else []:
        summary[f"PolNeAR dev, {'product' if product else 'stage'}"] = evaluate(args.data, args.show, product)
    for product in paths:
        summary[f"news set, {'product' if product else 'stage'}"] = evaluate_news(args.news, args.show, product)
    for product in paths if args.blind.exists() else []:
        blind = evaluate_news(args.blind, args.show, product, "Blind set (written without reading the rules)")
        summary[f"blind set (written without reading the rules), {'product' if product else 'stage'}"] = blind
    print("\n## Strict summary (stage = in-process, product = `newswire annotate --jsonl`)")
    print("| set, path | recall | precision | speaker right | mix named/resolved/null |")
    print("|---|---|---|---|---|")
    for name, row in summary.items():
        print(
            f"| {name} | {row['recall']:.3f} | {row['precision']:.3f} | {row['speaker']:.3f} "
            f"| {row['named']:.2f}/{row['resolved']:.2f}/{row['null']:.2f} |"
        )
    seed_check(args.runs)


if __name__ == "__main__":
    main()
