"""Near duplicates across uris from one source: a re-send of the same text under a new id.

`NearDuplicateIndex` is an LSH index over 64-bit SimHashes. Each hash is cut into 8 bands of
8 bits, in ``tables`` different ways (table 0: the 8 bytes; the others: fixed pseudo-random
partitions of the 64 bit positions); two hashes become candidates when they agree on any whole
band *and* come from the same source, and a candidate is a match when its Hamming distance is
at most ``max_distance``. By pigeonhole any pair within 7 bits shares a band of table 0; further apart each
band survives with probability about (1 - d/64)^8. Simulated in tests/eval/eval_identity.py:
a pair at d = 10 is found 100% of the time, at d = 12 97.5%, at d = 14 92%. A query looks at about
``tables * 8 / 256`` of the source's entries.

State is bounded twice: entries older than ``window_s`` (by the time they were added) and
beyond ``max_items`` are dropped oldest first. Pure data structure; `to_json`/`from_json`.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from newswire.identity.fingerprints import hamming

BANDS = 8
BAND_BITS = 8


def _band_masks(tables: int) -> list[int]:
    masks: list[int] = []
    for table in range(tables):
        positions = list(range(64))
        if table:
            random.Random(0x5EED + table).shuffle(positions)
        for band in range(BANDS):
            mask = 0
            for bit in positions[band * BAND_BITS : (band + 1) * BAND_BITS]:
                mask |= 1 << bit
            masks.append(mask)
    return masks


MAX_EXAMINED = 256  # indexed stories compared per query at most, so the cost per story stays flat


@dataclass(frozen=True, slots=True)
class NearEntry:
    uri: str
    source: str
    simhash: int
    added: float  # when it was added (wall clock): what the window counts from
    version: int = 1

    @property
    def ref(self) -> str:
        """``{uri}@{version}``: what ``duplicate_of`` names."""
        return f"{self.uri}@{self.version}"


@dataclass(frozen=True)
class NearMatch:
    entry: NearEntry
    distance: int


class NearDuplicateIndex:
    """Recent stories per source, findable by SimHash within ``max_distance`` bits."""

    def __init__(
        self, max_distance: int = 12, window_s: float = 72 * 3600.0, max_items: int = 200_000, tables: int = 2
    ) -> None:
        self.max_distance = max_distance
        self.window_s = window_s
        self.max_items = max_items
        self.tables = tables
        self._masks = _band_masks(tables)
        self._entries: dict[str, NearEntry] = {}  # by uri, oldest first
        # per source: (band number << 64 | the hash's bits in that band) -> uris (small lists)
        self._buckets: dict[str, dict[int, list[str]]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, uri: object) -> bool:
        return uri in self._entries

    def _keys(self, simhash: int) -> list[int]:
        return [band << 64 | (simhash & mask) for band, mask in enumerate(self._masks)]

    def _link(self, entry: NearEntry) -> None:
        self._entries[entry.uri] = entry
        buckets = self._buckets.setdefault(entry.source, {})
        for key in self._keys(entry.simhash):
            buckets.setdefault(key, []).append(entry.uri)

    def _unlink(self, entry: NearEntry) -> None:
        buckets = self._buckets.get(entry.source)
        if buckets is None:
            return
        for key in self._keys(entry.simhash):
            bucket = buckets.get(key)
            if bucket is not None and entry.uri in bucket:
                bucket.remove(entry.uri)
                if not bucket:
                    del buckets[key]
        if not buckets:
            del self._buckets[entry.source]

    def remove(self, uri: str) -> None:
        entry = self._entries.pop(uri, None)
        if entry is not None:
            self._unlink(entry)

    def add(self, uri: str, source: str, simhash: int, now: float, version: int = 1) -> None:
        """Index (or re-index, moving it to the newest end) a story; then enforce the bounds."""
        self.remove(uri)
        self._link(NearEntry(uri, source, simhash, now, version))
        self.expire(now)

    def expire(self, now: float) -> int:
        """Drop entries older than the window and beyond ``max_items``; returns how many went."""
        dropped = 0
        while self._entries:
            oldest = next(iter(self._entries.values()))
            if now - oldest.added <= self.window_s and len(self._entries) <= self.max_items:
                break
            self.remove(oldest.uri)
            dropped += 1
        return dropped

    def query(
        self, source: str, simhash: int, now: float | None = None, exclude_uri: str | None = None
    ) -> NearMatch | None:
        """The closest indexed story from ``source`` within ``max_distance`` (ties: the earliest added)."""
        seen: set[str] = set()
        best: NearMatch | None = None
        buckets = self._buckets.get(source, {})
        for key in self._keys(simhash):
            for uri in buckets.get(key, ()):
                if uri in seen or uri == exclude_uri:
                    continue
                if len(seen) >= MAX_EXAMINED:
                    return best  # a source sending hundreds of look-alikes: the first few hundred decide
                seen.add(uri)
                entry = self._entries[uri]
                if now is not None and now - entry.added > self.window_s:
                    continue
                distance = hamming(simhash, entry.simhash)
                if distance > self.max_distance:
                    continue
                if best is None or (distance, entry.added, entry.uri) < (
                    best.distance,
                    best.entry.added,
                    best.entry.uri,
                ):
                    best = NearMatch(entry, distance)
        return best

    def to_dict(self) -> dict[str, Any]:
        return {
            "md": self.max_distance,
            "w": self.window_s,
            "n": self.max_items,
            "t": self.tables,
            "e": [[e.uri, e.source, f"{e.simhash:016x}", round(e.added, 3), e.version] for e in self._entries.values()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NearDuplicateIndex:
        index = cls(int(data["md"]), float(data["w"]), int(data["n"]), int(data.get("t", 2)))
        for uri, source, simhash, added, version in data.get("e", ()):
            index._link(NearEntry(str(uri), str(source), int(simhash, 16), float(added), int(version)))
        return index

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes | str) -> NearDuplicateIndex:
        return cls.from_dict(json.loads(data))
