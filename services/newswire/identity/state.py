"""What identity keeps between messages: plain dataclasses with compact JSON forms.

`StoryState` is the value of the per-uri table (key: story uri); `ClusterMember` is what
`ClusterIndex` keeps of a recent story. Both serialise to short-keyed compact JSON bytes
(`to_json`/`from_json`) so they can be faust table values. Content hashes are kept as their
first 16 hex digits (64 bits): enough to tell the versions of one story apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from newswire.identity.fingerprints import Signature


def hash_key(content_hash: str) -> str:
    """``sha256:ab12...`` -> ``ab12...`` (16 hex digits)."""
    return content_hash.rpartition(":")[2][:16]


def _dumps(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _loads(data: bytes | str) -> dict[str, Any]:
    loaded = json.loads(data)
    if not isinstance(loaded, dict):
        raise ValueError("identity state must be a JSON object")
    return loaded


def is_expired(last_seen: float, now: float, retention_s: float) -> bool:
    """The expiry rule of a uri's state, from when anything for it last arrived."""
    return now - last_seen > retention_s


@dataclass(slots=True)
class StoryState:
    """Per story uri: what has been seen and what was last published."""

    version: int  # last published version
    agency_version: int  # highest version the agency itself gave
    hashes: dict[str, float] = field(default_factory=dict)  # hash_key -> first seen (epoch s), within the window
    simhash: int = 0  # of the last published text
    kind: str = "story"
    pubstatus: str = "usable"
    event_time: float | None = None  # versioncreated of the last published version
    published_at: float = 0.0  # when the last version was published (wall clock)
    last_seen: float = 0.0  # when anything for this uri last arrived
    cluster: str | None = None
    # The hand-off position (partition, offset) of the last message decided for this uri, and what
    # the last few publishing hand-offs published (offset -> [version, supersedes, duplicate_of]).
    # A worker that dies after storing state but before its story was acknowledged leaves the
    # hand-off uncommitted; when it is read again it must be published again, not suppressed.
    handoff: tuple[int, int] | None = None
    replays: dict[int, tuple[int, str | None, str | None]] = field(default_factory=dict)

    def prune(self, now: float, window_s: float) -> StoryState:
        """A copy without content hashes older than the window."""
        kept = {key: seen for key, seen in self.hashes.items() if now - seen <= window_s}
        return replace(self, hashes=kept)

    def is_expired(self, now: float, retention_s: float) -> bool:
        """True when nothing arrived for the uri within ``retention_s``: the table may drop it."""
        return is_expired(self.last_seen, now, retention_s)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "v": self.version,
            "av": self.agency_version,
            "h": {key: round(seen, 3) for key, seen in self.hashes.items()},
            "s": f"{self.simhash:016x}",
            "k": self.kind,
            "p": self.pubstatus,
            "pa": round(self.published_at, 3),
            "ls": round(self.last_seen, 3),
        }
        if self.event_time is not None:
            data["et"] = self.event_time
        if self.cluster is not None:
            data["c"] = self.cluster
        if self.handoff is not None:
            data["o"] = list(self.handoff)
        if self.replays:
            data["r"] = {str(offset): list(published) for offset, published in self.replays.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryState:
        return cls(
            version=int(data["v"]),
            agency_version=int(data["av"]),
            hashes={str(key): float(seen) for key, seen in data.get("h", {}).items()},
            simhash=int(data.get("s", "0"), 16),
            kind=str(data.get("k", "story")),
            pubstatus=str(data.get("p", "usable")),
            event_time=float(data["et"]) if data.get("et") is not None else None,
            published_at=float(data.get("pa", 0.0)),
            last_seen=float(data.get("ls", 0.0)),
            cluster=data.get("c"),
            handoff=(int(data["o"][0]), int(data["o"][1])) if data.get("o") else None,
            replays={int(offset): (int(v), s or None, d or None) for offset, (v, s, d) in data.get("r", {}).items()},
        )

    def to_json(self) -> bytes:
        return _dumps(self.to_dict())

    @classmethod
    def from_json(cls, data: bytes | str) -> StoryState:
        return cls.from_dict(_loads(data))


def _ids(values: frozenset[str]) -> list[str]:
    return sorted(values)


@dataclass(frozen=True, slots=True)
class ClusterMember:
    """The part of a signature clustering needs, kept for every recent story."""

    uri: str
    cluster: str
    source: str
    language: str | None
    person_ids: frozenset[str]
    org_ids: frozenset[str]
    place_ids: frozenset[str]
    other_ids: frozenset[str]
    countries: frozenset[str]
    event_day: int | None
    time: float  # story time (versioncreated/firstcreated, else arrival), epoch seconds
    simhash: int
    added: float = 0.0  # when it joined the index (wall clock): what the window counts from
    subjects: frozenset[str] = frozenset()  # IPTC Media Topic codes
    events: frozenset[str] = frozenset()  # event classes (identity.events)

    @property
    def entity_ids(self) -> frozenset[str]:
        return self.person_ids | self.org_ids | self.place_ids | self.other_ids

    @classmethod
    def of(cls, sig: Signature, cluster: str, now: float) -> ClusterMember:
        return cls(
            uri=sig.uri,
            cluster=cluster,
            source=sig.source,
            language=sig.language,
            person_ids=sig.person_ids,
            org_ids=sig.org_ids,
            place_ids=sig.place_ids,
            other_ids=sig.entity_ids - sig.person_ids - sig.org_ids - sig.place_ids,
            countries=sig.countries,
            event_day=sig.event_day,
            time=sig.time if sig.time is not None else now,
            simhash=sig.simhash,
            added=now,
            subjects=sig.subject_ids,
            events=sig.event_classes,
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"u": self.uri, "c": self.cluster, "src": self.source, "t": round(self.time, 3)}
        data["a"] = round(self.added, 3)
        data["s"] = f"{self.simhash:016x}"
        for key, value in (
            ("pe", self.person_ids),
            ("or", self.org_ids),
            ("pl", self.place_ids),
            ("ot", self.other_ids),
            ("co", self.countries),
            ("sb", self.subjects),
            ("ev", self.events),
        ):
            if value:
                data[key] = _ids(value)
        if self.language:
            data["l"] = self.language
        if self.event_day is not None:
            data["d"] = self.event_day
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClusterMember:
        return cls(
            uri=str(data["u"]),
            cluster=str(data["c"]),
            source=str(data.get("src", "")),
            language=data.get("l"),
            person_ids=frozenset(data.get("pe", ())),
            org_ids=frozenset(data.get("or", ())),
            place_ids=frozenset(data.get("pl", ())),
            other_ids=frozenset(data.get("ot", ())),
            countries=frozenset(data.get("co", ())),
            event_day=int(data["d"]) if data.get("d") is not None else None,
            time=float(data["t"]),
            simhash=int(data.get("s", "0"), 16),
            added=float(data.get("a", 0.0)),
            subjects=frozenset(data.get("sb", ())),
            events=frozenset(data.get("ev", ())),
        )

    def to_json(self) -> bytes:
        return _dumps(self.to_dict())

    @classmethod
    def from_json(cls, data: bytes | str) -> ClusterMember:
        return cls.from_dict(_loads(data))
