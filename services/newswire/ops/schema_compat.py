"""Does a new story JSON Schema break consumers of the published one?

`schemas/published/story.v1.schema.json` is the contract consumers of `io.newswire.story.v1` coded
against. A change to `schemas/story.schema.json` (generated from the models) breaks them when a
property they may read is removed, when its type changes to one they do not expect, or when a
property becomes required. Additions (new properties, new optional objects) pass.

python -m newswire.ops.schema_compat check    # exit 1 and one line per break
python -m newswire.ops.schema_compat accept   # take a compatible schema as the new baseline (locks additions in)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
CURRENT = ROOT / "schemas" / "story.schema.json"
BASELINE = ROOT / "schemas" / "published" / "story.v1.schema.json"

Schema = dict[str, Any]


def _resolve(node: Schema, root: Schema) -> Schema:
    """Follow local `$ref`s (`#/$defs/Name`) to the schema they name."""
    seen = 0
    while "$ref" in node and seen < 50:
        path = node["$ref"].removeprefix("#/").split("/")
        target: Any = root
        for part in path:
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


def _branches(node: Schema, root: Schema) -> list[Schema]:
    """A schema as its alternatives (anyOf/oneOf flattened), each resolved."""
    node = _resolve(node, root)
    for key in ("anyOf", "oneOf"):
        if key in node:
            return [branch for option in node[key] for branch in _branches(option, root)]
    return [node]


def _types(node: Schema, root: Schema) -> set[str]:
    """The JSON types a value of this schema can have (empty: anything)."""
    found: set[str] = set()
    for branch in _branches(node, root):
        kind = branch.get("type")
        if kind is None:
            if "properties" in branch:
                found.add("object")
            elif "const" in branch or "enum" in branch:
                found.update(
                    type(v).__name__.replace("str", "string").replace("NoneType", "null")
                    for v in ([branch["const"]] if "const" in branch else branch["enum"])
                )
            else:
                return set()  # unconstrained
        else:
            found.update([kind] if isinstance(kind, str) else kind)
    if "number" in found:
        found.add("integer")  # an integer is a number: narrowing number to integer is not a break
    return found


def _object_branch(node: Schema, root: Schema) -> Schema | None:
    objects = [b for b in _branches(node, root) if b.get("type") == "object" or "properties" in b]
    return objects[0] if objects else None


def _array_items(node: Schema, root: Schema) -> Schema | None:
    arrays = [b for b in _branches(node, root) if b.get("type") == "array" and isinstance(b.get("items"), dict)]
    return arrays[0]["items"] if arrays else None


def _identity(node: Schema) -> Any:
    """A definition by its `$ref` (the same wherever it is used), an inline schema by its object."""
    return node.get("$ref") or id(node)


def breaks(old: Schema, new: Schema) -> list[str]:
    """Every change from `old` to `new` that breaks a consumer of `old`; [] when compatible."""
    found: list[str] = []
    _compare(old, old, new, new, "$", found, set())
    return found


def _compare(
    old: Schema,
    old_root: Schema,
    new: Schema,
    new_root: Schema,
    path: str,
    found: list[str],
    seen: set[tuple[int, int]],
) -> None:
    key = (_identity(old), _identity(new))
    if key in seen:  # recursive schemas: each pair of definitions once
        return
    seen.add(key)
    old_types, new_types = _types(old, old_root), _types(new, new_root)
    if old_types and (not new_types or not new_types <= old_types):
        found.append(f"{path}: type {sorted(old_types)} became {sorted(new_types) or 'anything'}")
        return
    old_object, new_object = _object_branch(old, old_root), _object_branch(new, new_root)
    if old_object is not None and new_object is not None:
        old_props, new_props = old_object.get("properties", {}), new_object.get("properties", {})
        for name, schema in old_props.items():
            if name not in new_props:
                found.append(f"{path}.{name}: removed")
            else:
                _compare(schema, old_root, new_props[name], new_root, f"{path}.{name}", found, seen)
        for name in sorted(set(new_object.get("required", [])) - set(old_object.get("required", []))):
            found.append(f"{path}.{name}: newly required")
    old_items, new_items = _array_items(old, old_root), _array_items(new, new_root)
    if old_items is not None and new_items is not None:
        _compare(old_items, old_root, new_items, new_root, f"{path}[]", found, seen)


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "check"
    if action not in ("check", "accept"):
        print("usage: python -m newswire.ops.schema_compat check|accept", file=sys.stderr)
        return 2
    new = json.loads(CURRENT.read_text(encoding="utf-8"))
    problems = breaks(json.loads(BASELINE.read_text(encoding="utf-8")), new)
    for problem in problems:
        print(f"breaking change to {CURRENT.name} against {BASELINE.name}: {problem}")
    if problems:
        print("a breaking change needs a new event type (io.newswire.story.v2) and a new published schema")
        return 1
    if action == "accept":
        BASELINE.write_text(CURRENT.read_text(encoding="utf-8"), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
