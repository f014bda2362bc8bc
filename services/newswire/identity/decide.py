"""Per-uri identity decisions: exact duplicates, versions, stale arrivals, kills, same-uri re-sends.

`decide` is pure and deterministic: the signature of the arriving story, the state kept for its
uri (or None), the time, and the settings in; a `Decision` (with the new state to store) out.

Rules, in order, for a uri already seen (``prior``):

1. exact: the normalised content hash was seen for this uri within ``window_s`` (unless it
   is a kill of a live story, which always goes through) -> suppressed, ``newswire_duplicates_total{kind="exact"}``.
   A redelivery of the same agency id and version carries the same text, so it lands here.
2. stale: the agency version is lower than the highest seen, or equal with an older
   ``versioncreated``, or the story was killed and this is not a newer agency version
   -> suppressed, kind ``stale``; an older version never replaces a newer one.
3. kill (pubstatus canceled or kind kill) -> published, same uri, next version, canceled.
4. same agency version, same kind, text within ``near_dup_distance`` SimHash bits of the
   last published text (a re-send with a typo fixed, a trimmed version) -> near duplicate:
   published as the next version with ``duplicate_of`` = the version it repeats, or
   suppressed (kind ``near``) when ``drop_near_duplicates``.
5. otherwise a later version (writethru, new lead, correction, update, or new text):
   published as ``max(agency version, last published + 1)`` with ``supersedes``.

Published version numbers per uri therefore only grow; ``supersedes``/``duplicate_of`` name a
published version as ``{uri}@{version}``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from newswire.events.extension import ClusterReason
from newswire.events.ninjs import NinjsStory
from newswire.identity.fingerprints import Signature, hamming, simhash_hex
from newswire.identity.state import StoryState, hash_key

Action = Literal["publish", "suppress"]
Outcome = Literal["new", "version", "kill", "near", "exact", "stale"]

DEFAULT_WINDOW_S = 72 * 3600.0
DEFAULT_NEAR_DUP_DISTANCE = 12  # SimHash bits; see tests/eval/eval_identity.py


def version_ref(uri: str, version: int) -> str:
    return f"{uri}@{version}"


@dataclass(frozen=True)
class Decision:
    """What to do with one arriving story, and the state to store for its uri afterwards.

    ``outcome``: ``new`` (first sight), ``version`` (a later version), ``kill``, ``near``
    (a near duplicate: published with ``duplicate_of`` unless dropped), ``exact`` or
    ``stale`` (both suppressed). ``duplicate_kind`` is the label for
    ``newswire_duplicates_total{kind}`` when the story is suppressed.
    """

    action: Action
    outcome: Outcome
    state: StoryState
    version: int | None = None  # the ninjs version to publish
    supersedes: str | None = None
    duplicate_of: str | None = None
    pubstatus: str | None = None  # the pubstatus to publish (canceled for a kill)
    story_kind: str = "story"  # the agency's kind: story, update, correction, kill, ...

    @property
    def publish(self) -> bool:
        return self.action == "publish"

    @property
    def duplicate_kind(self) -> str | None:
        return None if self.publish else self.outcome


def _seen(state: StoryState, sig: Signature, now: float, published: bool) -> StoryState:
    hashes = dict(state.hashes)
    hashes.setdefault(hash_key(sig.content_hash), now)
    return (
        replace(state, hashes=hashes, last_seen=now)
        if not published
        else replace(
            state,
            hashes=hashes,
            last_seen=now,
            simhash=sig.simhash,
            kind=sig.kind,
            pubstatus="canceled" if sig.canceled else sig.pubstatus,
            event_time=sig.time if sig.time is not None else state.event_time,
            published_at=now,
        )
    )


def decide(
    sig: Signature,
    prior: StoryState | None,
    now: float,
    window_s: float = DEFAULT_WINDOW_S,
    near_dup_distance: int = DEFAULT_NEAR_DUP_DISTANCE,
    *,
    drop_near_duplicates: bool = False,
) -> Decision:
    """Decide what happens to ``sig`` given what was kept for its uri. Pure."""
    pubstatus = "canceled" if sig.canceled else sig.pubstatus
    if prior is None:
        state = StoryState(
            version=sig.version,
            agency_version=sig.version,
            hashes={hash_key(sig.content_hash): now},
            simhash=sig.simhash,
            kind=sig.kind,
            pubstatus=pubstatus,
            event_time=sig.time,
            published_at=now,
            last_seen=now,
        )
        outcome: Outcome = "kill" if sig.canceled else "new"
        return Decision("publish", outcome, state, sig.version, pubstatus=pubstatus, story_kind=sig.kind)

    prior = prior.prune(now, window_s)
    was_canceled = prior.pubstatus == "canceled"
    key = hash_key(sig.content_hash)
    untouched = replace(prior, last_seen=now)

    # 1. exact redelivery
    if key in prior.hashes and not (sig.canceled and not was_canceled):
        return Decision("suppress", "exact", untouched, story_kind=sig.kind)
    # 2. stale: older than what we have
    if sig.version < prior.agency_version:
        return Decision("suppress", "stale", untouched, story_kind=sig.kind)
    newer_agency_version = sig.version > prior.agency_version
    if not newer_agency_version:
        if sig.time is not None and prior.event_time is not None and sig.time < prior.event_time:
            return Decision("suppress", "stale", untouched, story_kind=sig.kind)
        if was_canceled:
            # a killed story stays killed: a second kill notice is a duplicate, a resend of the text is stale
            return Decision("suppress", "exact" if sig.canceled else "stale", untouched, story_kind=sig.kind)

    version = max(sig.version, prior.version + 1)
    supersedes = version_ref(sig.uri, prior.version)
    published = _seen(prior, sig, now, published=True)
    published = replace(published, version=version, agency_version=max(prior.agency_version, sig.version))

    # 3. kill
    if sig.canceled:
        return Decision("publish", "kill", published, version, supersedes, pubstatus="canceled", story_kind=sig.kind)
    # 4. same-uri near duplicate (no new agency version, no change of kind)
    if not newer_agency_version and sig.kind == prior.kind and hamming(sig.simhash, prior.simhash) <= near_dup_distance:
        duplicate_of = supersedes
        if drop_near_duplicates:
            return Decision("suppress", "near", _seen(prior, sig, now, published=False), story_kind=sig.kind)
        return Decision(
            "publish", "near", published, version, supersedes, duplicate_of, pubstatus=pubstatus, story_kind=sig.kind
        )
    # 5. a later version
    return Decision("publish", "version", published, version, supersedes, pubstatus=pubstatus, story_kind=sig.kind)


@dataclass(frozen=True)
class Published:
    """What identity writes into a published story: ``version``, ``pubstatus`` (each when not None)
    and the `newswire.identity` fields other than ``content_hash``."""

    version: str | None
    pubstatus: str | None
    simhash: str
    supersedes: str | None
    duplicate_of: str | None
    cluster: str | None
    cluster_reason: ClusterReason | None = None


def published_fields(
    decision: Decision,
    sig: Signature,
    *,
    cluster: str | None = None,
    duplicate_of: str | None = None,
    cluster_reason: ClusterReason | None = None,
) -> Published:
    """The fields `apply_decision` sets; ``duplicate_of`` is used when the decision has none."""
    return Published(
        version=str(decision.version) if decision.version is not None else None,
        pubstatus=decision.pubstatus if decision.pubstatus in ("usable", "withheld", "canceled") else None,
        simhash=simhash_hex(sig.simhash),
        supersedes=decision.supersedes,
        duplicate_of=decision.duplicate_of or duplicate_of,
        cluster=cluster,
        cluster_reason=cluster_reason,
    )


def apply_published(story: NinjsStory, fields: Published) -> NinjsStory:
    identity = story.newswire.identity.model_copy(
        update={
            "simhash": fields.simhash,
            "supersedes": fields.supersedes,
            "duplicate_of": fields.duplicate_of,
            "cluster": fields.cluster,
            "cluster_reason": fields.cluster_reason,
        }
    )
    update: dict[str, Any] = {"newswire": story.newswire.model_copy(update={"identity": identity})}
    if fields.version is not None:
        update["version"] = fields.version
    if fields.pubstatus is not None:
        update["pubstatus"] = fields.pubstatus
    return story.model_copy(update=update)


def apply_decision(
    story: NinjsStory,
    decision: Decision,
    sig: Signature,
    *,
    cluster: str | None = None,
    duplicate_of: str | None = None,
) -> NinjsStory:
    """The story as published: version, pubstatus and `newswire.identity` set from the decision.

    ``duplicate_of`` (e.g. from `NearDuplicateIndex.query`) is used when the decision has none.
    """
    return apply_published(story, published_fields(decision, sig, cluster=cluster, duplicate_of=duplicate_of))
