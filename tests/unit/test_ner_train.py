"""The NER training command on a tiny invented corpus (fast: a few sentences, few iterations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newswire.enrich.ner.features import Lexicon
from newswire.enrich.ner.train import train

_SENTENCES = [
    [("Ana", "B-PER"), ("Ruiz", "I-PER"), ("visitó", "O"), ("Toledo", "B-LOC"), (".", "O")],
    [("El", "O"), ("Banco", "B-ORG"), ("Central", "I-ORG"), ("subió", "O"), ("tipos", "O"), (".", "O")],
    [("Luis", "B-PER"), ("Gil", "I-PER"), ("llegó", "O"), ("a", "O"), ("Lima", "B-LOC"), (".", "O")],
]


def _corpus(path: Path, copies: int) -> None:
    lines = []
    for _ in range(copies):
        for sentence in _SENTENCES:
            lines += [f"{word} {tag}" for word, tag in sentence] + [""]
    path.write_text("\n".join(lines), encoding="latin-1")


def test_training_with_a_held_out_part_scores_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _corpus(tmp_path / "esp.train", copies=10)
    model = train("es", tmp_path, tmp_path / "out", c1=0.1, c2=0.1, max_iter=30, folds=2, hold_out=5)
    assert model.exists() and (tmp_path / "out" / "es.lex.json.gz").exists()
    report = capsys.readouterr().out
    assert "hold-out (6 sentences" in report  # the last fifth of 30 sentences
    # the held-out sentences repeat the training ones: the model finds them all
    assert "ALL 1.0000/1.0000/1.0000" in report
    lexicon = Lexicon.load(tmp_path / "out" / "es.lex.json.gz")
    assert lexicon.attrs and "GN" in lexicon.attrs  # `Ana` and `Luis` are common given names
