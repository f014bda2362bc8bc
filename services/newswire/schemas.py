"""The JSON Schemas in `schemas/` are generated from the pydantic models; CI checks for drift.

python -m newswire.schemas write   # regenerate
python -m newswire.schemas check   # exit 1 if the committed files differ from the models
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from newswire.events.deadletter import DeadLetterHeaders
from newswire.events.ninjs import NinjsStory

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"

MODELS: dict[str, tuple[type[BaseModel], str, str]] = {
    "story.schema.json": (NinjsStory, "newswire story event", "validation"),
    "deadletter-headers.schema.json": (DeadLetterHeaders, "newswire dead-letter headers", "serialization"),
}


def render(model: type[BaseModel], title: str, mode: str) -> str:
    schema: dict[str, Any] = {"$schema": _DIALECT, **model.model_json_schema(by_alias=True, mode=mode)}  # type: ignore[arg-type]
    schema["title"] = title
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def generated() -> dict[str, str]:
    return {name: render(model, title, mode) for name, (model, title, mode) in MODELS.items()}


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "check"
    stale = []
    for name, text in generated().items():
        path = SCHEMA_DIR / name
        if action == "write":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    if stale:
        print(f"schemas out of date with the models: {', '.join(stale)}; run `make schemas`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
