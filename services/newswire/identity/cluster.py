"""Clusters: stories about the same event, across agencies and languages, share a cluster id.

`ClusterIndex.assign(sig, now)` compares a story with the recent members (``window_s``,
default 72 h, at most ``max_members``) and joins the best one's cluster or opens a new one.
The signals are language independent (linked entity ids: Wikidata QIDs, GeoNames ids;
countries; event day; time) plus SimHash text similarity when both are in one language.

Candidate gate (all must hold):
  - the story and the member share >= 2 linked entity ids, or 1 person and 1 place
    (a shared place id or the same country);
  - their event days (dateline date, else firstcreated) are within ``day_tolerance`` (1) day;
    when a day is missing, their times are within ``day_tolerance + 0.5`` days;
  - they are not two stories from one source with different uris on different days.

Score of a candidate (0..1, higher is closer)::

    entity = weighted Jaccard of the entity ids, weights person 1.0, event/other 1.0,
             organisation 0.7, place 0.5 (places and countries are broad)
    place  = 1 if a place id is shared, 0.5 if only a country, else 0
    text   = max(0, 1 - hamming(simhash) / 32), same language only
    score  = (0.65 entity + 0.2 place + 0.15 text) / (0.85, or 1 when the text term applies)
             - 0.2 per day between the two story times (capped at 2 days)
             - 0.25 when they share fewer than 2 people/organisations/events (place-only overlap)
             - 0.2 when both carry IPTC Media Topics and share none (an earthquake vs a wildfire)

Join the best candidate's cluster when score >= ``threshold`` (0.45), else start a cluster
whose id derives from this story's uri (``cl:`` + 16 hex digits of blake2b), so replaying the
same stream yields the same ids. A uri already indexed (a new version) keeps its cluster.
Measured on tests/fixtures/identity/pairs.jsonl by tests/eval/eval_identity.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newswire.identity.fingerprints import Signature, hamming
from newswire.identity.state import ClusterMember

DAY = 86400.0
WEIGHT_PERSON = 1.0
WEIGHT_ORG = 0.7
WEIGHT_PLACE = 0.5
WEIGHT_OTHER = 1.0
MAX_CANDIDATES = 64  # members scored per story at most


def cluster_id(uri: str) -> str:
    return "cl:" + hashlib.blake2b(uri.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Probe:
    """The clustering view of a story (a signature, or a member being compared)."""

    uri: str
    source: str
    language: str | None
    persons: frozenset[str]
    orgs: frozenset[str]
    places: frozenset[str]
    others: frozenset[str]
    countries: frozenset[str]
    day: int | None
    time: float
    simhash: int
    subjects: frozenset[str] = frozenset()

    @classmethod
    def of_signature(cls, sig: Signature, now: float) -> Probe:
        return cls(
            uri=sig.uri,
            source=sig.source,
            language=sig.language,
            persons=sig.person_ids,
            orgs=sig.org_ids,
            places=sig.place_ids,
            others=sig.entity_ids - sig.person_ids - sig.org_ids - sig.place_ids,
            countries=sig.countries,
            day=sig.event_day,
            time=sig.time if sig.time is not None else now,
            simhash=sig.simhash,
            subjects=sig.subject_ids,
        )

    @classmethod
    def of_member(cls, m: ClusterMember) -> Probe:
        return cls(
            m.uri, m.source, m.language, m.person_ids, m.org_ids, m.place_ids, m.other_ids, m.countries,
            m.event_day, m.time, m.simhash, m.subjects,
        )  # fmt: skip

    @property
    def ids(self) -> frozenset[str]:
        return self.persons | self.orgs | self.places | self.others

    def weight(self, ident: str) -> float:
        if ident in self.persons:
            return WEIGHT_PERSON
        if ident in self.others:
            return WEIGHT_OTHER
        if ident in self.orgs:
            return WEIGHT_ORG
        return WEIGHT_PLACE


def _weighted_jaccard(a: Probe, b: Probe) -> float:
    union = a.ids | b.ids
    if not union:
        return 0.0
    shared = a.ids & b.ids

    def weight(ident: str) -> float:
        return max(a.weight(ident) if ident in a.ids else 0.0, b.weight(ident) if ident in b.ids else 0.0)

    total = sum(weight(i) for i in union)
    return sum(weight(i) for i in shared) / total if total else 0.0


def gate(a: Probe, b: Probe, day_tolerance: int = 1) -> bool:
    """May ``a`` and ``b`` be about one event at all? (cheap, before scoring)"""
    if a.day is not None and b.day is not None:
        if abs(a.day - b.day) > day_tolerance:
            return False
    elif abs(a.time - b.time) > (day_tolerance + 0.5) * DAY:
        return False
    if a.source == b.source and a.uri != b.uri and a.day is not None and a.day != b.day:
        return False
    shared = a.ids & b.ids
    if len(shared) >= 2:
        return True
    return bool(a.persons & b.persons) and bool((a.places & b.places) or (a.countries & b.countries))


def score(a: Probe, b: Probe) -> float:
    """How likely ``a`` and ``b`` are about one event (see the module doc for the formula)."""
    entity = _weighted_jaccard(a, b)
    place = 1.0 if a.places & b.places else 0.5 if a.countries & b.countries else 0.0
    if a.language and a.language == b.language:
        text = max(0.0, 1.0 - hamming(a.simhash, b.simhash) / 32.0)
        value = 0.65 * entity + 0.2 * place + 0.15 * text
    else:
        value = (0.65 * entity + 0.2 * place) / 0.85
    value -= 0.2 * min(abs(a.time - b.time) / DAY, 2.0)
    actors = (a.persons | a.orgs | a.others) & (b.persons | b.orgs | b.others)
    if len(actors) < 2:
        value -= 0.25
    if a.subjects and b.subjects and not a.subjects & b.subjects:
        value -= 0.2
    return value


@dataclass(frozen=True)
class Assignment:
    cluster: str
    new: bool  # a new cluster (this story is its first member)
    matched: str | None = None  # the member uri it joined through
    score: float | None = None


class ClusterIndex:
    """Recent stories by linked entity id, to give each new story a cluster id."""

    def __init__(
        self,
        window_s: float = 72 * 3600.0,
        max_members: int = 200_000,
        threshold: float = 0.45,
        day_tolerance: int = 1,
        max_bucket: int = 5000,
    ) -> None:
        self.window_s = window_s
        self.max_members = max_members
        self.threshold = threshold
        self.day_tolerance = day_tolerance
        self.max_bucket = max_bucket  # ids more common than this do not generate candidates
        self._members: dict[str, ClusterMember] = {}  # by uri, oldest first
        self._by_id: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._members)

    def get(self, uri: str) -> ClusterMember | None:
        return self._members.get(uri)

    def members(self) -> Iterable[ClusterMember]:
        return self._members.values()

    def add_member(self, member: ClusterMember) -> None:
        """Index a stored member as it was (rebuilding the index after recovery)."""
        self.remove(member.uri)
        self._link(member)

    def _link(self, member: ClusterMember) -> None:
        self._members[member.uri] = member
        for ident in member.entity_ids:
            self._by_id.setdefault(ident, set()).add(member.uri)

    def remove(self, uri: str) -> None:
        member = self._members.pop(uri, None)
        if member is None:
            return
        for ident in member.entity_ids:
            bucket = self._by_id.get(ident)
            if bucket is not None:
                bucket.discard(uri)
                if not bucket:
                    del self._by_id[ident]

    def expire(self, now: float) -> int:
        dropped = 0
        while self._members:
            oldest = next(iter(self._members.values()))
            if now - oldest.added <= self.window_s and len(self._members) <= self.max_members:
                break
            self.remove(oldest.uri)
            dropped += 1
        return dropped

    def candidates(self, probe: Probe) -> list[ClusterMember]:
        """Members that may pass the gate: >= 2 shared indexed ids, or a shared person (oldest first)."""
        hits: dict[str, int] = {}
        for ident in probe.ids:
            bucket = self._by_id.get(ident)
            if bucket and len(bucket) <= self.max_bucket:
                bonus = 2 if ident in probe.persons else 1  # person + same country passes the gate too
                for uri in bucket:
                    hits[uri] = hits.get(uri, 0) + bonus
        hits.pop(probe.uri, None)
        found = [self._members[u] for u, n in hits.items() if n >= 2]
        if len(found) > MAX_CANDIDATES:
            # A big running story: score only the members sharing the most ids (the newest among equals),
            # so the cost per story stays flat however many stories the window holds about it.
            found.sort(key=lambda m: (-hits[m.uri], -m.added))
            found = found[:MAX_CANDIDATES]
        found.sort(key=lambda m: (m.added, m.uri))
        return found

    def best(self, sig: Signature, now: float) -> tuple[ClusterMember, float] | None:
        """The best-scoring recent member past the gate (ties: the earliest added), without adding."""
        probe = Probe.of_signature(sig, now)
        found: tuple[ClusterMember, float] | None = None
        for member in self.candidates(probe):
            other = Probe.of_member(member)
            if not gate(probe, other, self.day_tolerance):
                continue
            value = score(probe, other)
            if found is None or value > found[1]:
                found = (member, value)
        return found

    def assign(self, sig: Signature, now: float) -> Assignment:
        """The cluster for ``sig``; the story is added (or re-added, as a new version) to the index."""
        self.expire(now)
        known = self._members.get(sig.uri)
        if known is not None:
            self.remove(sig.uri)
            self._link(ClusterMember.of(sig, known.cluster, now))
            return Assignment(known.cluster, new=False, matched=sig.uri)
        found = self.best(sig, now)
        if found is not None and found[1] >= self.threshold:
            member, value = found
            assignment = Assignment(member.cluster, new=False, matched=member.uri, score=round(value, 4))
        else:
            assignment = Assignment(cluster_id(sig.uri), new=True, score=round(found[1], 4) if found else None)
        self._link(ClusterMember.of(sig, assignment.cluster, now))
        self.expire(now)
        return assignment

    def to_dict(self) -> dict[str, Any]:
        return {
            "w": self.window_s,
            "n": self.max_members,
            "th": self.threshold,
            "dt": self.day_tolerance,
            "mb": self.max_bucket,
            "m": [m.to_dict() for m in self._members.values()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClusterIndex:
        index = cls(float(data["w"]), int(data["n"]), float(data["th"]), int(data["dt"]), int(data.get("mb", 5000)))
        for item in data.get("m", ()):
            index._link(ClusterMember.from_dict(item))
        return index

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes | str) -> ClusterIndex:
        return cls.from_dict(json.loads(data))
