"""Clusters: stories about the same event, across agencies and languages, share a cluster id.

Same event means, together: overlapping people, places and organisations (linked ids: Wikidata
QIDs, GeoNames ids, KB URNs, folded full names of unlinked people), the same kind of event (event
classes from the headline in any of es/en/fr/de/it/pt, `newswire.identity.events`, and IPTC Media
Topics) and time. Shared people on the same day are not enough: a summit and a missile test with
the same leaders stay apart (their event classes share no family), and so do two earthquakes in
different countries (nothing shared).

`ClusterIndex.assign(sig, now)` finds candidate clusters through the story's ids, then scores the
story against every recent member of each candidate cluster (up to ``MAX_COMPARED`` = 12 newest, in
the ``MAX_CLUSTERS`` = 6 clusters most candidates are in) and
joins the cluster with the best *mean* match when it reaches ``threshold`` (0.45): a story joins through its
match to the cluster as a whole, so "A resembles B, B resembles C" cannot chain two events together.
Otherwise it opens a cluster whose id derives from its uri (``cl:`` + 16 hex digits of blake2b), so
replaying a stream yields the same ids. A uri already indexed (a new version) keeps its cluster.

Pair score (`compare`, None when the pair cannot be one event):
  - None when their event days are more than ``day_tolerance`` apart (times when a day is missing),
    when one source sent both under different uris on different days, when both have event
    classes and those share no family (`disaster`, `diplomacy`, ...), when they share no event
    class and fewer than two actors (people, organisations, events), or when they share no id (and
    not one event class plus a country);
  - else  (0.65 entity + 0.2 place [+ 0.15 text, same language]) / (0.85 or 1)
          entity = mean of the weighted Jaccard index and overlap coefficient of the ids
                   (weights: person 1.0, event/other 1.0, organisation 0.7, place 0.5)
          place  = 1 for a shared place id, 0.5 for a shared country
          text   = 1 - SimHash distance / 32
      + 0.15 when they share an event class, - 0.15 when both have classes and share none
      - 0.2 per day between the two story times (capped at 2 days)
      - 0.25 when they share fewer than 2 people/organisations/events (0.1 with a shared event class,
        0 when that class is of a family told by its place (disaster, weather, accident, health, science, civic))
      - 0.2 when both carry IPTC Media Topics and share none.
A member the pair rule rejects counts as ``REJECTED`` (-0.5) in the cluster's mean; one outside the
time window is not compared. `ClusterReason` tells what the decision rested on (`newswire.identity.cluster_reason`).
Measured on tests/eval/data/events (multilingual events and hard negatives) by tests/eval/eval_identity.py.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from newswire.identity.events import PLACE_FAMILIES, families
from newswire.identity.fingerprints import Signature, hamming
from newswire.identity.state import ClusterMember

DAY = 86400.0
WEIGHT_PERSON = 1.0
WEIGHT_ORG = 0.7
WEIGHT_PLACE = 0.5
WEIGHT_OTHER = 1.0
MAX_CANDIDATES = 64  # members found through shared ids per story at most
MAX_COMPARED = 12  # newest members of one cluster a story is compared with
MAX_CLUSTERS = 6  # candidate clusters a story is compared with
REJECTED = -0.5  # a member the pair rule rejects, in a cluster's mean


# a candidate cluster: (cluster id, mean match, the story's probe, members compared, their pair scores)
Ranked = tuple[str, float, "Probe", list[ClusterMember], list[float | None]]


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
    events: frozenset[str] = frozenset()

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
            events=sig.event_classes,
        )

    @classmethod
    def of_member(cls, m: ClusterMember) -> Probe:
        return cls(
            m.uri, m.source, m.language, m.person_ids, m.org_ids, m.place_ids, m.other_ids, m.countries,
            m.event_day, m.time, m.simhash, m.subjects, m.events,
        )  # fmt: skip

    @property
    def ids(self) -> frozenset[str]:
        return self.persons | self.orgs | self.places | self.others

    @property
    def actors(self) -> frozenset[str]:
        return self.persons | self.orgs | self.others

    def weight(self, ident: str) -> float:
        if ident in self.persons:
            return WEIGHT_PERSON
        if ident in self.others:
            return WEIGHT_OTHER
        if ident in self.orgs:
            return WEIGHT_ORG
        return WEIGHT_PLACE


def _entity_overlap(a: Probe, b: Probe) -> float:
    """The mean of the weighted Jaccard index and the weighted overlap coefficient (shared / the
    smaller side) of the two stories' ids: agencies name more or fewer side actors and places, and
    the taggers of six languages do not find the same ones, so a short story fully inside a long
    one counts as close, not as a third of it."""
    union = a.ids | b.ids
    if not union:
        return 0.0
    shared = a.ids & b.ids

    def weight(ident: str) -> float:
        return max(a.weight(ident) if ident in a.ids else 0.0, b.weight(ident) if ident in b.ids else 0.0)

    common = sum(weight(i) for i in shared)
    total = sum(weight(i) for i in union)
    smaller = min(sum(a.weight(i) for i in a.ids), sum(b.weight(i) for i in b.ids))
    jaccard = common / total if total else 0.0
    overlap = common / smaller if smaller else 0.0
    return (jaccard + overlap) / 2


def in_time(a: Probe, b: Probe, day_tolerance: int = 1) -> bool:
    """Are ``a`` and ``b`` close enough in time to be one event?"""
    if a.day is not None and b.day is not None:
        return abs(a.day - b.day) <= day_tolerance
    return abs(a.time - b.time) <= (day_tolerance + 0.5) * DAY


def other_kind(a: Probe, b: Probe) -> bool:
    """True when both stories say what happened and their event classes share no family."""
    return bool(a.events and b.events and not families(a.events) & families(b.events))


def gate(a: Probe, b: Probe, day_tolerance: int = 1) -> bool:
    """May ``a`` and ``b`` be about one event at all? (cheap, before scoring)"""
    if not in_time(a, b, day_tolerance):
        return False
    if a.source == b.source and a.uri != b.uri and a.day is not None and a.day != b.day:
        return False
    if other_kind(a, b):
        return False
    if not a.events & b.events and len(a.actors & b.actors) < 2:
        return False  # without a shared kind of event, a place and one person are two things happening there
    return bool(a.ids & b.ids) or bool(a.events & b.events and a.countries & b.countries)


def score(a: Probe, b: Probe) -> float:
    """How likely ``a`` and ``b`` are about one event (see the module doc for the formula)."""
    entity = _entity_overlap(a, b)
    place = 1.0 if a.places & b.places else 0.5 if a.countries & b.countries else 0.0
    if a.language and a.language == b.language:
        text = max(0.0, 1.0 - hamming(a.simhash, b.simhash) / 32.0)
        value = 0.65 * entity + 0.2 * place + 0.15 * text
    else:
        value = (0.65 * entity + 0.2 * place) / 0.85
    value -= 0.2 * min(abs(a.time - b.time) / DAY, 2.0)
    same_kind = bool(a.events & b.events)
    if same_kind:
        value += 0.15
    elif a.events and b.events:
        value -= 0.15
    if len(a.actors & b.actors) < 2 and not families(a.events & b.events) & PLACE_FAMILIES:
        value -= 0.1 if same_kind else 0.25  # people make the event, unless it is told by its place (a quake)
    if a.subjects and b.subjects and not a.subjects & b.subjects:
        value -= 0.2
    return min(value, 1.0)


def compare(a: Probe, b: Probe, day_tolerance: int = 1) -> float | None:
    """The pair score, or None when the pair cannot be one event (`gate`)."""
    return score(a, b) if gate(a, b, day_tolerance) else None


@dataclass(frozen=True)
class ClusterReason:
    """Why a story joined its cluster (or opened one): what a consumer sees in `newswire.identity`."""

    score: float | None  # mean match to the cluster's members compared (the best cluster's when new)
    compared: int  # members compared
    rejected: int  # of those, members the pair rule rejected (other kind of event, nothing shared)
    matched: str | None  # the closest member's uri
    shared: tuple[str, ...]  # ids the story shares with the members compared
    events: tuple[str, ...]  # event classes it shares with them
    subjects: tuple[str, ...]  # IPTC Media Topics it shares with them

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # shallow: asdict deep-copies


@dataclass(frozen=True)
class Assignment:
    cluster: str
    new: bool  # a new cluster (this story is its first member)
    matched: str | None = None  # the closest member of the cluster it joined
    score: float | None = None
    reason: ClusterReason | None = None


def _reason(probe: Probe, members: list[ClusterMember], values: list[float | None]) -> ClusterReason:
    scored = [(v, m) for v, m in zip(values, members, strict=True) if v is not None]
    best = max(scored, key=lambda pair: pair[0])[1] if scored else None
    ids: set[str] = set()
    events: set[str] = set()
    subjects: set[str] = set()
    for member in members:
        ids |= probe.ids & member.entity_ids
        events |= probe.events & member.events
        subjects |= probe.subjects & member.subjects
    mean = sum(REJECTED if v is None else v for v in values) / len(values) if values else None
    return ClusterReason(
        score=round(mean, 4) if mean is not None else None,
        compared=len(values),
        rejected=sum(1 for v in values if v is None),
        matched=best.uri if best else None,
        shared=tuple(sorted(ids)),
        events=tuple(sorted(events)),
        subjects=tuple(sorted(subjects)),
    )


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
        self._by_cluster: dict[str, dict[str, None]] = {}  # cluster -> member uris, oldest first

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
        self._by_cluster.setdefault(member.cluster, {})[member.uri] = None
        for ident in member.entity_ids:
            self._by_id.setdefault(ident, set()).add(member.uri)

    def remove(self, uri: str) -> None:
        member = self._members.pop(uri, None)
        if member is None:
            return
        group = self._by_cluster.get(member.cluster)
        if group is not None:
            group.pop(uri, None)
            if not group:
                del self._by_cluster[member.cluster]
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
        """Members sharing an indexed id with the probe (at most ``MAX_CANDIDATES``: those sharing most,
        the newest among equals), oldest first."""
        hits: dict[str, int] = {}
        for ident in probe.ids:
            bucket = self._by_id.get(ident)
            if bucket and len(bucket) <= self.max_bucket:
                for uri in bucket:
                    hits[uri] = hits.get(uri, 0) + 1
        hits.pop(probe.uri, None)
        members = self._members
        if len(hits) > MAX_CANDIDATES:
            # A big running story: only the members sharing the most ids lead to clusters, so the
            # cost per story stays flat however many stories the window holds about it.
            top = heapq.nlargest(MAX_CANDIDATES, hits, key=lambda u: (hits[u], members[u].added))
        else:
            top = list(hits)
        found = [members[u] for u in top]
        found.sort(key=lambda m: (m.added, m.uri))
        return found

    def _compared(self, cluster: str, probe: Probe) -> list[tuple[ClusterMember, Probe]]:
        """The cluster's newest members within the probe's time (at most ``MAX_COMPARED``)."""
        out: list[tuple[ClusterMember, Probe]] = []
        for uri in reversed(self._by_cluster.get(cluster, {})):
            member = self._members[uri]
            other = Probe.of_member(member)
            if uri != probe.uri and in_time(probe, other, self.day_tolerance):
                out.append((member, other))
                if len(out) >= MAX_COMPARED:
                    break
        return out

    def rank(self, sig: Signature, now: float) -> list[Ranked]:
        """Candidate clusters with the story's mean match to each, best first (ties: the oldest
        cluster): (cluster, mean, the story's probe, members compared, their pair scores)."""
        probe = Probe.of_signature(sig, now)
        found: dict[str, int] = {}  # cluster -> candidate members in it, in order of first appearance
        for member in self.candidates(probe):
            found[member.cluster] = found.get(member.cluster, 0) + 1
        # the clusters most of the candidates are in: at most MAX_CLUSTERS x MAX_COMPARED pair scores per story
        order = sorted(found, key=lambda c: -found[c])[:MAX_CLUSTERS]
        ranked: list[Ranked] = []
        for cluster in order:
            compared = self._compared(cluster, probe)
            if not compared:
                continue
            values = [compare(probe, other, self.day_tolerance) for _, other in compared]
            mean = sum(REJECTED if v is None else v for v in values) / len(values)
            ranked.append((cluster, mean, probe, [m for m, _ in compared], values))
        ranked.sort(key=lambda item: -item[1])
        return ranked

    def best(self, sig: Signature, now: float) -> tuple[str, ClusterReason] | None:
        """The best-matching recent cluster and why, without adding the story."""
        ranked = self.rank(sig, now)
        if not ranked:
            return None
        cluster, _, probe, members, values = ranked[0]
        return cluster, _reason(probe, members, values)

    def assign(self, sig: Signature, now: float) -> Assignment:
        """The cluster for ``sig``; the story is added (or re-added, as a new version) to the index."""
        self.expire(now)
        known = self._members.get(sig.uri)
        if known is not None:
            self.remove(sig.uri)
            self._link(ClusterMember.of(sig, known.cluster, now))
            return Assignment(known.cluster, new=False, matched=sig.uri)
        found = self.best(sig, now)
        if found is not None and (found[1].score or 0.0) >= self.threshold:
            cluster, joined = found
            assignment = Assignment(cluster, new=False, matched=joined.matched, score=joined.score, reason=joined)
        else:
            best = found[1] if found else None
            assignment = Assignment(cluster_id(sig.uri), new=True, score=best.score if best else None, reason=best)
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
