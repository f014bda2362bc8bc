"""`newswire routes check FILE` and `newswire routes explain FILE STORY.json` (wired in cli.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from newswire.events.ninjs import NinjsStory
from newswire.routing.explain import explain_text
from newswire.routing.loader import RoutesError, load_routes_file

EXIT_OK, EXIT_ERROR = 0, 1


def cmd_routes_check(path: str) -> int:
    """Validate a routing file without starting anything: `OK ...` on stdout (exit 0) or the errors on stderr (1)."""
    try:
        loaded = load_routes_file(path)
    except RoutesError as error:
        print(error, file=sys.stderr)
        return EXIT_ERROR
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    router = loaded.router
    topics = router.topics()
    print(
        f"OK {path}: {len(router)} route{'s' if len(router) != 1 else ''} -> {len(topics)} topic"
        f"{'s' if len(topics) != 1 else ''}; default topic {'on' if router.default_topic else 'off'}"
    )
    return EXIT_OK


def _stories(text: str) -> Iterator[dict[str, Any]]:
    """One JSON story, or JSON lines as `newswire parse` / `newswire tail` print them (rejections skipped)."""
    try:
        documents: list[Any] = [json.loads(text)]
    except json.JSONDecodeError:
        documents = [json.loads(line) for line in text.splitlines() if line.strip()]
    for document in documents:
        if isinstance(document, dict) and "rejected" in document:
            continue
        if isinstance(document, dict) and "specversion" in document and isinstance(document.get("data"), dict):
            document = document["data"]  # a structured-mode CloudEvent
        yield document


def cmd_routes_explain(path: str, story_json_path: str, main_topic: str | None = None) -> int:
    """Print which routes each story in STORY.json (`-` for stdin) matches and why; exit 1 on a bad file."""
    try:
        router = load_routes_file(path).router
    except RoutesError as error:
        print(error, file=sys.stderr)
        return EXIT_ERROR
    if main_topic is None:
        from newswire.config import load_settings

        main_topic = load_settings().topic_stories
    try:
        text = sys.stdin.read() if story_json_path == "-" else Path(story_json_path).read_text(encoding="utf-8")
        documents = list(_stories(text))
    except OSError as error:
        print(f"{story_json_path}: cannot read: {error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR
    except json.JSONDecodeError as error:
        print(f"{story_json_path}:{error.lineno}: not JSON: {error.msg}", file=sys.stderr)
        return EXIT_ERROR
    if not documents:
        print(f"{story_json_path}: no story found", file=sys.stderr)
        return EXIT_ERROR
    outputs = []
    for index, document in enumerate(documents, start=1):
        try:
            story = NinjsStory.model_validate(document)
        except ValidationError as error:
            where = f"{story_json_path} (story {index})" if len(documents) > 1 else story_json_path
            print(f"{where}: not a newswire story: {error}", file=sys.stderr)
            return EXIT_ERROR
        outputs.append(explain_text(router, story, main_topic))
    print("\n\n".join(outputs))
    return EXIT_OK
