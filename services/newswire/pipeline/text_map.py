"""Map offsets in the cleaned main text back to the text a caller sent (`newswire annotate`).

Cleaning (`normalise.clean_text`) only changes spacing (runs of spaces, trimmed lines, dropped empty
paragraphs), replaces control characters with spaces and composes characters (NFC). So the two texts
align by walking them together: equal characters map one to one, a run of spacing maps to the run it
came from, and a composed character maps to the base character it was made from.
"""

from __future__ import annotations

import unicodedata
from typing import Any


def _blank(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Cc"


def align(cleaned: str, original: str) -> list[int]:
    """For each index of `cleaned` (and its length), the index in `original` of the character it came from."""
    out = [0] * (len(cleaned) + 1)
    i = j = 0
    n, m = len(cleaned), len(original)
    while i < n:
        while j < m and _blank(original[j]) and not _blank(cleaned[i]):
            j += 1  # spacing the cleaning trimmed away
        if j >= m:
            out[i] = m
            i += 1
            continue
        if _blank(cleaned[i]):
            run = j
            while run < m and _blank(original[run]):
                run += 1
            while i < n and _blank(cleaned[i]):
                out[i] = min(j, max(run - 1, j))
                i += 1
            j = run
            continue
        out[i] = j
        i += 1
        j += 1
        if i < n and j < m and cleaned[i] != original[j]:
            while j < m and unicodedata.combining(original[j]):
                j += 1  # marks composed into the character before (NFC)
    out[n] = m
    return out


def remap_offsets(value: Any, mapping: list[int]) -> None:
    """Rewrite, in place, every `start`/`end` pair of ints in nested dicts and lists through `mapping`."""
    if isinstance(value, list):
        for item in value:
            remap_offsets(item, mapping)
        return
    if not isinstance(value, dict):
        return
    start, end = value.get("start"), value.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end < len(mapping):
        value["start"] = mapping[start]
        value["end"] = mapping[end - 1] + 1 if end > start else mapping[start]
    for item in value.values():
        if isinstance(item, dict | list):
            remap_offsets(item, mapping)
