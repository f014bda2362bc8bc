"""The identity step: one story in, published (with version, supersedes, duplicate_of, cluster) or suppressed.

State lives in two mappings keyed by story uri, which the service backs with faust tables
(changelog topics, so it survives restarts and rebalances): per-story `StoryState` and the
`ClusterMember` every recent story leaves behind. The near-duplicate and cluster indexes are
in-memory views of the members mapping, rebuilt from it after a (re)assignment.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import MutableMapping
from dataclasses import dataclass, replace

from newswire.events.extension import ClusterReason
from newswire.events.ninjs import NinjsStory
from newswire.identity.cluster import ClusterIndex
from newswire.identity.decide import Decision, Published, apply_published, decide, published_fields
from newswire.identity.fingerprints import Signature, story_signature
from newswire.identity.near import NearDuplicateIndex
from newswire.identity.state import ClusterMember, StoryState, is_expired

StateTable = MutableMapping[bytes, bytes]
REPLAYS_KEPT = 4  # publishing hand-offs remembered per uri; more than a crash ever leaves uncommitted


@dataclass(frozen=True)
class IdentityOptions:
    window_s: float = 72 * 3600.0
    near_duplicate_distance: int = 12
    drop_near_duplicates: bool = False


@dataclass(frozen=True)
class Judgement:
    """The decision on one signature: the fields to publish with, or None when suppressed."""

    published: Published | None
    duplicate_kind: str | None  # exact | stale | near, when suppressed


@dataclass(frozen=True)
class IdentityOutcome:
    story: NinjsStory | None  # the story to publish, or None when suppressed
    duplicate_kind: str | None  # exact | stale | near, when suppressed


class IdentityStage:
    def __init__(self, states: StateTable, members: StateTable, options: IdentityOptions | None = None) -> None:
        self.states = states
        self.members = members
        self.options = options or IdentityOptions()
        self.near = NearDuplicateIndex(
            max_distance=self.options.near_duplicate_distance, window_s=self.options.window_s
        )
        self.clusters = ClusterIndex(window_s=self.options.window_s)
        # uri key -> last_seen, least recently seen first: expiry pops from the front instead of
        # parsing every stored state (a 72 h window holds hundreds of thousands of them).
        self._last_seen: OrderedDict[bytes, float] = OrderedDict()

    def rebuild(self, now: float) -> int:
        """Refill the in-memory indexes from the tables (after recovery or a rebalance)."""
        self.near = NearDuplicateIndex(
            max_distance=self.options.near_duplicate_distance, window_s=self.options.window_s
        )
        self.clusters = ClusterIndex(window_s=self.options.window_s)
        seen = sorted((StoryState.from_json(value).last_seen, key) for key, value in list(self.states.items()))
        self._last_seen = OrderedDict((key, last_seen) for last_seen, key in seen)
        count = 0
        for value in list(self.members.values()):
            member = ClusterMember.from_json(value)
            if now - member.added > self.options.window_s:
                continue
            self.clusters.add_member(member)
            self.near.add(member.uri, member.source, member.simhash, member.added)
            count += 1
        return count

    def process(self, story: NinjsStory, now: float, handoff: tuple[int, int] | None = None) -> IdentityOutcome:
        """Decide on one story. `handoff` is its (partition, offset) in the hand-off topic, if any."""
        judgement = self.judge(story_signature(story), now, handoff)
        if judgement.published is None:
            return IdentityOutcome(None, judgement.duplicate_kind)
        return IdentityOutcome(apply_published(story, judgement.published), None)

    def judge(self, sig: Signature, now: float, handoff: tuple[int, int] | None = None) -> Judgement:
        """Decide from the signature alone (the stream layer splices the result into the story JSON)."""
        key = sig.uri.encode("utf-8")
        prior_bytes = self.states.get(key)
        prior = StoryState.from_json(prior_bytes) if prior_bytes else None
        if prior is not None and _is_replay(prior, handoff):
            return self._replay(sig, prior, handoff)
        decision = decide(
            sig,
            prior,
            now,
            self.options.window_s,
            self.options.near_duplicate_distance,
            drop_near_duplicates=self.options.drop_near_duplicates,
        )
        if not decision.publish:
            self._store(key, _remember(decision.state, handoff, None))
            return Judgement(None, decision.duplicate_kind)
        duplicate_of = None
        if decision.outcome == "new":
            match = self.near.query(sig.source, sig.simhash, now, exclude_uri=sig.uri)
            if match is not None:
                if self.options.drop_near_duplicates:
                    self._store(key, _remember(decision.state, handoff, None))
                    return Judgement(None, "near")
                duplicate_of = match.entry.ref
        self.near.add(sig.uri, sig.source, sig.simhash, now, version=decision.version or 1)
        assignment = self.clusters.assign(sig, now)
        decision.state.cluster = assignment.cluster
        reason = assignment.reason
        explained: ClusterReason | None = None
        if reason is not None:
            explained = ClusterReason.model_validate({**reason.to_dict(), "new": assignment.new})
        elif assignment.new:
            explained = ClusterReason(new=True)  # no recent story shared anything with it
        published = published_fields(
            decision, sig, cluster=assignment.cluster, duplicate_of=duplicate_of, cluster_reason=explained
        )
        record = (int(published.version or sig.version), published.supersedes, published.duplicate_of)
        self._store(key, _remember(decision.state, handoff, record))
        member = self.clusters.get(sig.uri)
        if member is not None:
            self.members[key] = member.to_json()
        return Judgement(published, None)

    def _replay(self, sig: Signature, prior: StoryState, handoff: tuple[int, int] | None) -> Judgement:
        """A hand-off read again after a crash: publish what it published then (same version), or
        suppress it again if it was suppressed. At-least-once: never lost, maybe repeated."""
        assert handoff is not None
        published = prior.replays.get(handoff[1])
        if published is None:
            return Judgement(None, "exact")
        version, supersedes, duplicate_of = published
        decision = Decision(
            "publish",
            "version",
            prior,
            version,
            supersedes,
            duplicate_of,
            pubstatus="canceled" if sig.canceled else sig.pubstatus,
            story_kind=sig.kind,
        )
        return Judgement(published_fields(decision, sig, cluster=prior.cluster), None)

    def _store(self, key: bytes, state: StoryState) -> None:
        self.states[key] = state.to_json()
        self._last_seen[key] = state.last_seen
        self._last_seen.move_to_end(key)

    def expire(self, now: float, limit: int = 1000) -> int:
        """Drop state not seen within the window, oldest first (at most `limit` keys per call, and
        no work beyond the first key still inside the window); returns how many keys went."""
        dropped = 0
        while self._last_seen and dropped < limit:
            key, last_seen = next(iter(self._last_seen.items()))
            if not is_expired(last_seen, now, self.options.window_s):
                break
            del self._last_seen[key]
            self.states.pop(key, None)
            self.members.pop(key, None)
            self.near.remove(key.decode("utf-8"))
            self.clusters.remove(key.decode("utf-8"))
            dropped += 1
        self.near.expire(now)
        self.clusters.expire(now)
        return dropped


def _is_replay(prior: StoryState, handoff: tuple[int, int] | None) -> bool:
    """True when this hand-off (or a later one of the same partition) already updated the state."""
    return (
        handoff is not None
        and prior.handoff is not None
        and prior.handoff[0] == handoff[0]
        and handoff[1] <= prior.handoff[1]
    )


def _remember(
    state: StoryState, handoff: tuple[int, int] | None, published: tuple[int, str | None, str | None] | None
) -> StoryState:
    if handoff is None:
        return state
    replays = dict(state.replays) if state.handoff is None or state.handoff[0] == handoff[0] else {}
    if published is not None:
        replays[handoff[1]] = published
        for offset in sorted(replays)[:-REPLAYS_KEPT]:
            del replays[offset]
    return replace(state, handoff=handoff, replays=replays)
