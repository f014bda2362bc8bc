"""Story identity, pure: exact duplicates, versions, near duplicates and cross-agency clusters.

No Kafka here: the stream layer keeps `StoryState` per uri, a `NearDuplicateIndex` and a
`ClusterIndex` in its tables and calls `decide`, `NearDuplicateIndex.query/add` and
`ClusterIndex.assign` with a `Signature` made by `story_signature`.
"""

from newswire.identity.cluster import Assignment, ClusterIndex, cluster_id
from newswire.identity.decide import (
    DEFAULT_NEAR_DUP_DISTANCE,
    DEFAULT_WINDOW_S,
    Decision,
    apply_decision,
    decide,
    version_ref,
)
from newswire.identity.fingerprints import (
    Signature,
    entity_id,
    hamming,
    near_duplicate,
    simhash64,
    simhash_hex,
    story_signature,
)
from newswire.identity.near import NearDuplicateIndex, NearEntry, NearMatch
from newswire.identity.state import ClusterMember, StoryState

__all__ = [
    "DEFAULT_NEAR_DUP_DISTANCE",
    "DEFAULT_WINDOW_S",
    "Assignment",
    "ClusterIndex",
    "ClusterMember",
    "Decision",
    "NearDuplicateIndex",
    "NearEntry",
    "NearMatch",
    "Signature",
    "StoryState",
    "apply_decision",
    "cluster_id",
    "decide",
    "entity_id",
    "hamming",
    "near_duplicate",
    "simhash64",
    "simhash_hex",
    "story_signature",
    "version_ref",
]
