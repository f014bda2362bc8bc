"""The `newswire` extension property of a story: what parsing and enrichment found.

Offsets (`start`, `end`) are Python string indices (code points) into the main
`text/plain` body.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

StoryKind = Literal["story", "update", "correction", "kill", "advisory", "table"]
EntityType = Literal["person", "organisation", "place", "event", "other"]


class _Ext(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParagraphLanguage(_Ext):
    index: int = Field(description="paragraph number in the main body (paragraphs are separated by a blank line)")
    code: str
    confidence: float = Field(ge=0.0, le=1.0)


class LanguageInfo(_Ext):
    code: str = Field(description="BCP-47 language tag")
    confidence: float = Field(ge=0.0, le=1.0)
    declared: str | None = Field(default=None, description="the language the input claimed, if any")
    paragraphs: list[ParagraphLanguage] = Field(
        default_factory=list, description="per-paragraph languages, given only when the story mixes languages"
    )


class PlaceRef(_Ext):
    geonames: str | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")
    lat: float | None = None
    lon: float | None = None


class DatelineInfo(_Ext):
    text: str = Field(description="the dateline as written")
    place: str | None = None
    date: str | None = Field(default=None, description="ISO date resolved against the message date")
    agency: str | None = None
    place_ref: PlaceRef | None = None


class EntityMention(_Ext):
    start: int
    end: int
    text: str


class Entity(_Ext):
    type: Literal["person", "organisation", "place", "event", "other"]
    name: str
    role: str | None = Field(
        default=None, description="a person's title or role as written before the name (`Mayor`, `Außenminister`)"
    )
    uri: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    mentions: list[EntityMention] = Field(default_factory=list)


class Speaker(_Ext):
    name: str
    uri: str | None = None
    start: int | None = None
    end: int | None = None


class Quote(_Ext):
    text: str
    start: int
    end: int
    speaker: Speaker | None = None
    cue: str | None = None


class ClusterReason(_Ext):
    """Why the story is in its cluster: its match to the cluster's members as a whole."""

    score: float | None = Field(default=None, description="mean match to the members compared (0..1 when close)")
    compared: int = Field(default=0, description="cluster members the story was compared with")
    rejected: int = Field(
        default=0, description="members the pair rule rejected (another kind of event, nothing shared)"
    )
    matched: str | None = Field(default=None, description="uri of the closest member")
    shared: list[str] = Field(
        default_factory=list, description="entity ids shared with the members (wd:, gn:, KB URNs)"
    )
    events: list[str] = Field(default_factory=list, description="event classes shared (quake, meeting, missile, ...)")
    subjects: list[str] = Field(default_factory=list, description="IPTC Media Topics shared")
    new: bool = Field(default=False, description="the story opened a new cluster (score: its best candidate's)")


class Identity(_Ext):
    content_hash: str
    simhash: str | None = None
    duplicate_of: str | None = None
    supersedes: str | None = None
    cluster: str | None = None
    cluster_reason: ClusterReason | None = None


class Provenance(_Ext):
    format: str
    parser: str
    input: str | None = Field(default=None, description="file path the story was read from (parse CLI)")
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    received_at: str
    pipeline_version: str
    source: str | None = Field(default=None, description="feed id from the `source` header")
    assumed_timezone: str | None = Field(
        default=None, description="zone applied to zone-less agency times, when one was assumed"
    )


class StageError(_Ext):
    stage: str
    reason: str


class NewswireExtension(_Ext):
    kind: StoryKind = "story"
    language: LanguageInfo | None = None
    dateline: DatelineInfo | None = None
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    dates: list[dict[str, str]] = Field(default_factory=list)
    amounts: list[dict[str, str | float]] = Field(default_factory=list)
    identity: Identity
    provenance: Provenance
    errors: list[StageError] = Field(default_factory=list)
