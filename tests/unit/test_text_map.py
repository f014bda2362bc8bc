"""`newswire annotate` offsets point into the text the caller sent, not into its cleaned copy."""

from __future__ import annotations

import unicodedata

from newswire.pipeline.core import Pipeline
from newswire.pipeline.normalise import clean_text
from newswire.pipeline.text_map import align, remap_offsets

MESSY = 'Title  line\n\n\n  The mayor,  Ann Lee, spoke.\n\n"We will   not stop now," Lee said.\t\n'


def test_align_maps_every_kept_character_to_its_source() -> None:
    cleaned = "\n\n".join(p for p in (clean_text(p) for p in MESSY.split("\n\n")) if p)
    mapping = align(cleaned, MESSY)
    for i, ch in enumerate(cleaned):
        if not ch.isspace():
            assert MESSY[mapping[i]] == ch


def test_align_steps_over_composed_characters() -> None:
    original = "Jose\u0301 Pe\u0301rez dijo"
    cleaned = unicodedata.normalize("NFC", original)
    mapping = align(cleaned, original)
    assert original[mapping[cleaned.index("P")] :].startswith("Pe\u0301rez")
    assert original[mapping[cleaned.index("d")] :] == "dijo"


def test_remap_rewrites_nested_spans() -> None:
    found = {"quotes": [{"start": 2, "end": 4, "speaker": {"start": 0, "end": 1}}], "other": 3}
    remap_offsets(found, [10, 11, 12, 13, 14, 15])
    assert found == {"quotes": [{"start": 12, "end": 14, "speaker": {"start": 10, "end": 11}}], "other": 3}


def test_annotate_offsets_index_the_sent_text() -> None:
    result = Pipeline().annotate(MESSY, "en")
    quotes = result["quotes"]
    assert quotes and MESSY[quotes[0]["start"] : quotes[0]["end"]].split() == quotes[0]["text"].split()
    speaker = quotes[0]["speaker"]
    assert MESSY[speaker["start"] : speaker["end"]] == "Lee"
    for entity in result["entities"]:
        for mention in entity["mentions"]:
            assert MESSY[mention["start"] : mention["end"]] == mention["text"]
