"""What the JSON wire formats share: bounded loading, clean strings, and a look at a document's structure.

Several agency formats are JSON (ninjs, EFE's API, AP's Media API), so no single key says which one a
document is. Each format's detector asks for its own structure instead: `key_paths` reads the key paths in
the first bytes (`data.item.headline`, `data.items.*.packageInfo`) without parsing the whole document, and
`describe` names what an unclaimed document holds, for the dead letter's detail.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from newswire.wire.errors import WireError
from newswire.wire.model import ParsedItem

MAX_JSON_CHARS = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_LIST = 10_000
DESCRIBE_BYTES = 16 * 1024

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# A string (a key when a colon follows) or a bracket, in raw bytes.
_TOKENS = re.compile(rb'"((?:[^"\\]|\\.){0,200})"(\s*:)?|[\[\]{}]', re.DOTALL)

Path = tuple[str, ...]


def is_json(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def key_paths(head: bytes, max_depth: int = 8) -> set[Path]:
    """The key paths the first bytes of a JSON document open: `("data", "items", "*", "item")`.

    Array members are `*`. A truncated head gives the paths seen so far, which is what a detector needs.
    """
    paths: set[Path] = set()
    frames: list[list[Any]] = []  # per open container: [opener, the key last seen in it]
    for token in _TOKENS.finditer(head.lstrip(b"\xef\xbb\xbf")):
        text = token.group()
        if text in (b"{", b"["):
            frames.append([text, None])
        elif text in (b"}", b"]"):
            if frames:
                frames.pop()
        elif token.group(2) and frames and frames[-1][0] == b"{" and len(frames) <= max_depth:
            key = token.group(1).decode("utf-8", errors="replace")
            frames[-1][1] = key
            paths.add((*("*" if opener == b"[" else str(name) for opener, name in frames[:-1]), key))
    return paths


def load_json(text: str) -> Any:
    """Parse untrusted JSON with limits; every failure is a `malformed` rejection."""
    if len(text) > MAX_JSON_CHARS:
        raise WireError("malformed", f"JSON document of {len(text)} characters exceeds {MAX_JSON_CHARS}")
    depth = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise WireError("malformed", f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(text.lstrip("\ufeff"), parse_constant=lambda _: None, parse_float=_finite_float)
    except RecursionError:
        raise WireError("malformed", "JSON nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, and integers beyond the digit limit
        raise WireError("malformed", f"invalid JSON: {str(error)[:200]}") from None


def _finite_float(text: str) -> float | None:
    value = float(text)
    return value if math.isfinite(value) else None


def describe(head: bytes) -> str:
    """What a JSON document is, in a few words: its top-level keys, or that it is an array of what.

    Reads the first DESCRIBE_BYTES only, so a hostile document costs no more than a short one.
    """
    stripped = head[:DESCRIBE_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    paths = key_paths(stripped, max_depth=2)
    if stripped[:1] == b"[":
        inner = sorted({path[1] for path in paths if len(path) == 2 and path[0] == "*"})
        return "a JSON array" + (f" of objects with keys: {_names(inner)}" if inner else "")
    top = sorted({path[0] for path in paths if len(path) == 1})
    return f"a JSON object with top-level keys: {_names(top)}" if top else "an empty JSON object"


def _names(keys: list[str], limit: int = 12) -> str:
    shown = ", ".join(key[:40] for key in keys[:limit])
    return shown + (f" (+{len(keys) - limit} more)" if len(keys) > limit else "")


def text(value: Any) -> str | None:
    """A clean string from a JSON value (strings, and numbers where producers send them)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return None
    cleaned = BAD_CHARS.sub("", value).strip()
    return cleaned or None


def objects(value: Any) -> list[dict[str, Any]]:
    """The objects in a value that should be a list of them (one object counts as a list of one)."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [entry for entry in value[:MAX_LIST] if isinstance(entry, dict)]
    return []


def integer(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        value = int(value.strip())
    if isinstance(value, int) and low <= value <= high:
        return value
    return None


def moment(value: Any, feed_timezone: str, item: ParsedItem) -> datetime | None:
    """An ISO 8601 time, extended (`2021-07-26T14:37:03Z`) or basic (`20210726T143703Z`); zone-less in the feed's."""
    raw = text(value)
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        item.assumed_timezone = feed_timezone
        parsed = parsed.replace(tzinfo=ZoneInfo(feed_timezone))
    return parsed


def first(mapping: Mapping[str, Any], *keys: str) -> str | None:
    """The first of `keys` that holds a clean string."""
    for key in keys:
        found = text(mapping.get(key))
        if found:
            return found
    return None
