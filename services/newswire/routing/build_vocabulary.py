"""Build `data/medtop_tree.json` (Media Topic code -> label, ancestors, retired) from the IPTC JSON.

    python -m newswire.routing.build_vocabulary --source ../shared/standards/mediatopics-cptall-en-GB-2025-10-09.json

The output is deterministic (sorted, one topic per line) so a rebuild from the same source is byte-identical
and a vocabulary update shows up as a readable diff.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from newswire.routing.vocabulary import DATA_FILE, code_of

LICENCE = "CC BY 4.0 (http://creativecommons.org/licenses/by/4.0/); IPTC Media Topic NewsCodes, (c) IPTC"


def _label(concept: Mapping[str, Any]) -> str:
    labels = concept.get("prefLabel") or {}
    return str(labels.get("en-GB") or next(iter(labels.values()), ""))


def build_tree(source: Mapping[str, Any], source_name: str) -> dict[str, Any]:
    """The compact tree: every concept (retired ones flagged) with its ancestors, nearest first."""
    parents: dict[str, str | None] = {}
    topics: dict[str, dict[str, Any]] = {}
    subjectcodes: dict[str, list[str]] = {}
    for concept in source["conceptSet"]:
        code = code_of(str(concept.get("qcode") or concept["uri"]))
        if code is None:
            raise ValueError(f"not a Media Topic concept: {concept.get('qcode') or concept.get('uri')}")
        broader = [code_of(str(uri)) for uri in concept.get("broader", [])]
        if len(broader) > 1:
            raise ValueError(f"medtop:{code} has {len(broader)} broader concepts; the tree expects one")
        parents[code] = broader[0] if broader else None
        entry: dict[str, Any] = {"label": _label(concept)}
        if concept.get("retired"):
            entry["retired"] = str(concept["retired"])[:10]
        topics[code] = entry
        for uri in concept.get("exactMatch", []):
            if "/newscodes/subjectcode/" in str(uri):
                subjectcodes.setdefault(str(uri).rstrip("/").rsplit("/", 1)[1], []).append(code)
    for code, entry in topics.items():
        ancestors: list[str] = []
        parent = parents.get(code)
        while parent is not None:
            if parent in ancestors or parent == code:
                raise ValueError(f"cycle in the broader relation at medtop:{code}")
            if parent not in topics:
                raise ValueError(f"medtop:{code} has an unknown broader concept {parent}")
            ancestors.append(parent)
            parent = parents.get(parent)
        entry["ancestors"] = ancestors
    return {
        "source": source_name,
        "released": source.get("dateReleased"),
        "licence": LICENCE,
        "generated_by": "python -m newswire.routing.build_vocabulary",
        "count": len(topics),
        "retired_count": sum(1 for entry in topics.values() if "retired" in entry),
        "topics": {code: topics[code] for code in sorted(topics)},
        # IPTC Subject Code -> Media Topic(s) declaring it an exactMatch, so `subj:` tagged stories route too
        "subjectcode": {subject: sorted(codes) for subject, codes in sorted(subjectcodes.items())},
    }


def dump_tree(tree: Mapping[str, Any]) -> str:
    """JSON with one topic per line (diff-friendly, still compact)."""
    head = {key: value for key, value in tree.items() if key not in ("topics", "subjectcode")}
    lines = ["{"]
    lines += [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}," for key, value in head.items()]
    lines.append('  "topics": {')
    items = list(tree["topics"].items())
    for index, (code, entry) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        lines.append(f"    {json.dumps(code)}: {json.dumps(entry, ensure_ascii=False, sort_keys=True)}{comma}")
    lines.append("  },")
    lines.append('  "subjectcode": {')
    mapped = list(tree["subjectcode"].items())
    for index in range(0, len(mapped), 8):
        chunk = ", ".join(f"{json.dumps(code)}: {json.dumps(targets)}" for code, targets in mapped[index : index + 8])
        lines.append(f"    {chunk}{',' if index + 8 < len(mapped) else ''}")
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newswire.routing.build_vocabulary", description=__doc__)
    parser.add_argument("--source", required=True, type=Path, help="IPTC Media Topics JSON (cptall, en-GB)")
    parser.add_argument("--output", type=Path, default=DATA_FILE, help=f"default: {DATA_FILE}")
    args = parser.parse_args(argv)
    with args.source.open(encoding="utf-8") as handle:
        source = json.load(handle)
    tree = build_tree(source, args.source.name)
    args.output.write_text(dump_tree(tree), encoding="utf-8")
    print(f"wrote {args.output}: {tree['count']} topics ({tree['retired_count']} retired)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
