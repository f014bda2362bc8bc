"""The product path for the evals: run ``newswire annotate --jsonl`` (the CLI users run) in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def annotate_jsonl(lines: str) -> dict[str, dict[str, Any]]:
    """Feed JSONL request lines ({"id", "text", "lang"?}) to ``newswire annotate --jsonl``; results by id."""
    cli = Path(sys.executable).with_name("newswire")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "newswire.cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "services")}
    done = subprocess.run(
        [*command, "annotate", "--jsonl"], input=lines, capture_output=True, text=True, check=True, env=env
    )
    return {row["id"]: row for row in map(json.loads, done.stdout.splitlines())}
