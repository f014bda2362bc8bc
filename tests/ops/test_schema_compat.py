"""The story schema stays compatible with the published v1 contract: removing or retyping a field,
or making one required, fails; additions pass."""

from __future__ import annotations

import copy
import json
from typing import Any

from newswire.ops import schema_compat
from newswire.ops.schema_compat import breaks


def _published() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_compat.BASELINE.read_text(encoding="utf-8"))
    return loaded


def test_the_current_schema_keeps_the_published_contract() -> None:
    current = json.loads(schema_compat.CURRENT.read_text(encoding="utf-8"))
    assert breaks(_published(), current) == []
    assert schema_compat.main(["check"]) == 0


def test_identical_and_added_fields_pass() -> None:
    old = _published()
    new = copy.deepcopy(old)
    new["properties"]["newfield"] = {"type": "string"}
    new["$defs"]["Provenance"]["properties"]["shard"] = {"anyOf": [{"type": "integer"}, {"type": "null"}]}
    assert breaks(old, old) == []
    assert breaks(old, new) == []


def test_a_removed_field_breaks() -> None:
    old = _published()
    new = copy.deepcopy(old)
    del new["properties"]["headlines"]
    del new["$defs"]["Provenance"]["properties"]["received_at"]
    found = breaks(old, new)
    assert "$.headlines: removed" in found
    assert "$.newswire.provenance.received_at: removed" in found


def test_a_retyped_field_breaks_deep_inside_arrays() -> None:
    old = _published()
    new = copy.deepcopy(old)
    new["properties"]["uri"] = {"type": "integer"}
    new["$defs"]["Headline"]["properties"]["value"] = {"type": "object", "properties": {}}
    found = breaks(old, new)
    assert any(item.startswith("$.uri: type ['string'] became ['integer']") for item in found), found
    # a definition used in several places is reported once, at the first path that reaches it
    assert any("headlines[].value: type ['string'] became ['object']" in item for item in found), found


def test_a_newly_required_field_breaks_and_narrowing_does_not() -> None:
    old = _published()
    new = copy.deepcopy(old)
    new["required"] = [*old["required"], "headlines"]
    assert breaks(old, new) == ["$.headlines: newly required"]
    narrowed = copy.deepcopy(old)
    narrowed["properties"]["version"] = {"type": "string"}  # was string or null: readers still cope
    assert breaks(old, narrowed) == []
