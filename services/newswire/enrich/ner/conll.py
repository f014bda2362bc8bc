"""CoNLL-2002/2003 reading, IOB normalisation and conlleval-style scoring."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

Sentence = tuple[list[str], list[str]]

DATA_FILES = {
    "es": {"train": "esp.train", "dev": "esp.testa", "encoding": "latin-1"},
    "en": {"train": "eng.train", "dev": "eng.testa", "encoding": "utf-8"},
}


def read_conll(path: Path, encoding: str) -> list[Sentence]:
    """Read a CoNLL file (token first column, tag last column) into IOB2 sentences."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding=encoding) as fh:
        for line in fh:
            parts = line.split()
            if not parts or parts[0] == "-DOCSTART-":
                if tokens:
                    sentences.append((tokens, to_iob2(tags)))
                    tokens, tags = [], []
                continue
            tokens.append(parts[0])
            tags.append(parts[-1])
    if tokens:
        sentences.append((tokens, to_iob2(tags)))
    return sentences


def to_iob2(tags: Sequence[str]) -> list[str]:
    """Convert IOB1 (or sloppy IOB2) to strict IOB2: every entity starts with B-."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and (prev == "O" or prev[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def entities(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end exclusive, type) chunks from an IOB2 (or IOB1) tag sequence."""
    chunks: list[tuple[int, int, str]] = []
    start = -1
    kind = ""
    for i, tag in enumerate(tags):
        if tag == "O":
            if start >= 0:
                chunks.append((start, i, kind))
                start = -1
            continue
        prefix, _, t = tag.partition("-")
        if start >= 0 and (prefix == "B" or t != kind):
            chunks.append((start, i, kind))
            start = -1
        if start < 0:
            start = i
            kind = t
    if start >= 0:
        chunks.append((start, len(tags), kind))
    return chunks


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]], types: Iterable[str]) -> dict[str, Score]:
    """Exact-span entity scores per type in ``types`` and ``"ALL"`` (micro over ``types``)."""
    wanted = set(types)
    result = {t: Score() for t in sorted(wanted)}
    overall = Score()
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g = {c for c in entities(g_tags) if c[2] in wanted}
        p = {c for c in entities(p_tags) if c[2] in wanted}
        for c in g & p:
            result[c[2]].tp += 1
        for c in p - g:
            result[c[2]].fp += 1
        for c in g - p:
            result[c[2]].fn += 1
    for s in result.values():
        overall.tp += s.tp
        overall.fp += s.fp
        overall.fn += s.fn
    result["ALL"] = overall
    return result
