"""The story payload: the subset of IPTC ninjs 2.2 newswire fills, plus the `newswire` extension.

Field names and shapes follow ../shared/standards/ninjs-schema-2.2.json; a payload with the
`newswire` property removed validates against that schema (tests/unit/test_schemas.py).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newswire.events.extension import NewswireExtension

NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json#"


class _Ninjs(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Headline(_Ninjs):
    value: str
    role: str | None = None
    contenttype: str | None = None


class Body(_Ninjs):
    value: str
    role: str | None = None
    contenttype: str | None = None
    charcount: int | None = None
    wordcount: int | None = None


class InfoSource(_Ninjs):
    name: str | None = None
    role: str | None = None
    uri: str | None = None
    literal: str | None = None


class AltId(_Ninjs):
    role: str | None = None
    value: str


class Person(_Ninjs):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None


class Organisation(_Ninjs):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None


class GeoPoint(_Ninjs):
    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float] = Field(description="[longitude, latitude] as GeoJSON orders them")


class Place(_Ninjs):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None
    geojson: GeoPoint | None = None


class Subject(_Ninjs):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None
    creator: str | None = None
    relevance: int | None = Field(default=None, ge=0, le=100)
    confidence: int | None = Field(default=None, ge=0, le=100)


class Genre(_Ninjs):
    name: str | None = None
    uri: str | None = None
    literal: str | None = None


class NinjsStory(_Ninjs):
    """One story event's value on the stories topic."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"$comment": "IPTC ninjs 2.2 subset plus the newswire extension property"},
    )

    uri: str = Field(description="Stable story identifier; every version of a story keeps it")
    standard: dict[str, str] = Field(
        default_factory=lambda: {"name": "ninjs", "version": "2.2", "schema": NINJS_SCHEMA_URI}
    )
    type: Literal["text"] = "text"
    version: str = "1"
    language: str | None = None
    headlines: list[Headline] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)
    by: str | None = None
    slugline: str | None = None
    located: str | None = None
    firstcreated: str | None = None
    versioncreated: str | None = None
    embargoed: str | None = None
    pubstatus: Literal["usable", "withheld", "canceled"] = "usable"
    urgency: int | None = Field(default=None, ge=1, le=9)
    infosources: list[InfoSource] = Field(default_factory=list)
    altids: list[AltId] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    subjects: list[Subject] = Field(default_factory=list)
    genres: list[Genre] = Field(default_factory=list)
    ednote: str | None = None
    newswire: NewswireExtension

    def to_payload(self) -> dict[str, Any]:
        """JSON-ready dict without empty optional fields (ninjs treats absent and empty alike)."""
        return self.model_dump(mode="json", exclude_none=True)

    def main_text(self) -> str:
        """The `text/plain` main body that every offset in the extension points into."""
        for body in self.bodies:
            if body.contenttype == "text/plain":
                return body.value
        return ""
