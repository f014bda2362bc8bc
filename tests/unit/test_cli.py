"""The `newswire parse` and `annotate` contracts: NDJSON lines and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newswire.cli import main
from newswire.samples import SAMPLES_DIR, sample_paths


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:  # type: ignore[type-arg]
    code = main(list(argv))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return code, lines


def test_parse_directory_prints_one_line_per_story_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run(capsys, "parse", "--no-enrich", str(SAMPLES_DIR))
    assert code == 0
    assert len(lines) == len(sample_paths())
    assert {Path(line["newswire"]["provenance"]["input"]).name for line in lines} == {p.name for p in sample_paths()}


def test_parse_reports_rejections_and_exits_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, lines = run(capsys, "parse", "--no-enrich", str(sample_paths()[0]), str(empty))
    assert code == 1
    assert lines[0]["uri"].startswith("urn:newswire:")
    assert lines[1] == {
        "rejected": {"reason": "empty", "stage": "sniff", "detail": "the message has no content", "input": str(empty)}
    }


def test_parse_usage_errors_exit_two(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["parse", str(tmp_path / "missing.txt")]) == 2
    assert main(["parse", "--format", "no-such-format", str(sample_paths()[0])]) == 2
    assert main(["no-such-command"]) == 2


def test_annotate_jsonl_echoes_ids(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a1", "text": "El Gobierno aprobó hoy el presupuesto del próximo año."}) + "\n")
    code, lines = run(capsys, "annotate", "--jsonl", str(source))
    assert code == 0
    assert lines[0]["id"] == "a1" and lines[0]["language"]["code"] == "es"
