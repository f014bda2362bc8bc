"""Do the stories of the event sets name the right people, with ids? For any version of the code.

    PYTHONPATH=services .venv/bin/python tests/eval/people_ids.py
    PYTHONPATH=/tmp/before/services .venv/bin/python tests/eval/people_ids.py   # an older commit (git archive)

`people.json` in each event-set folder lists, per event, the people every story of it names, as
linked ids (`wd:` Wikidata QIDs, `urn:newswire:kb:` project KB URNs, `name:` folded full names of
people the KB does not know). Counted after the whole pipeline, on the identity signature's person
ids: found / expected, and the stories with all of theirs; `wd` counts only the Wikidata people.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench_identity_decision import EVENTS, VALIDATION, enriched, read_events

from newswire.identity import story_signature


def people_recall(folder: Path, raw: list[dict[str, str]], sigs: list[Any], only: str = "") -> str | None:
    """``found/expected people, all of them in n/m stories`` (ids starting with ``only``), or None."""
    path = folder / "people.json"
    if not path.exists():
        return None
    gold = {k: set(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    expected = found = whole = stories = 0
    for record, sig in zip(raw, sigs, strict=True):
        want = {i for i in gold.get(record["event"], ()) if i.startswith(only)}
        if want:
            got = want & sig.person_ids
            expected, found, stories, whole = expected + len(want), found + len(got), stories + 1, whole + (got == want)
    return f"{found}/{expected} people found, all of them in {whole}/{stories} stories"


def main() -> None:
    for folder in (EVENTS, VALIDATION):
        raw = read_events(folder)
        sigs = [story_signature(story) for story in enriched(raw)]
        print(f"{folder.name}: all {people_recall(folder, raw, sigs)}; wd: {people_recall(folder, raw, sigs, 'wd:')}")


if __name__ == "__main__":
    main()
