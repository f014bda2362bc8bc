"""The story payload: IPTC ninjs 2.2, plus the `newswire` extension.

Field names and shapes follow ../shared/standards/ninjs-schema-2.2.json; a payload with the
`newswire` property removed validates against that schema (tests/unit/test_schemas.py).
`NinjsObject` declares every ninjs 2.2 property, so that what an agency sent in ninjs can be
kept (see `newswire.pipeline.build`); `NinjsStory` is the story newswire publishes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from newswire.events.extension import NewswireExtension

NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json#"

Number = int | float


class _Ninjs(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _one_of(value: Any, *keys: str) -> Any:
    """ninjs `oneOf: [required a, required b]`: exactly one of the keys is present."""
    if isinstance(value, dict) and sum(value.get(key) is not None for key in keys) != 1:
        raise ValueError(f"exactly one of {', '.join(keys)} is required")
    return value


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


class Description(_Ninjs):
    value: str
    role: str | None = None
    contenttype: str | None = None


class Address(_Ninjs):
    lines: list[str] | None = None
    locality: str | None = None
    area: str | None = None
    postalcode: str | None = None
    country: str | None = None


class ContactInfo(_Ninjs):
    type: str | None = None
    role: str | None = None
    lang: str | None = None
    name: str | None = None
    value: str | None = None
    address: Address | None = None

    @model_validator(mode="before")
    @classmethod
    def _value_or_address(cls, value: Any) -> Any:
        return _one_of(value, "value", "address")


class InfoSource(_Ninjs):
    name: str | None = None
    role: str | None = None
    uri: str | None = None
    literal: str | None = None
    contactinfo: list[ContactInfo] | None = None


class AltId(_Ninjs):
    role: str | None = None
    value: str


class Person(_Ninjs):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None
    contactinfo: list[ContactInfo] | None = None


class Symbol(_Ninjs):
    ticker: str | None = None
    exchange: str | None = None
    symboltype: str | None = None
    symbol: str | None = None


class Organisation(_Ninjs):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None
    symbols: list[Symbol] | None = None
    contactinfo: list[ContactInfo] | None = None


class GeoPoint(_Ninjs):
    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float] = Field(description="[longitude, latitude] as GeoJSON orders them")


class Place(_Ninjs):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None
    contactinfo: list[ContactInfo] | None = None
    geojson: GeoPoint | None = None


class Subject(_Ninjs):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None
    creator: str | None = None
    relevance: int | None = Field(default=None, ge=0, le=100)
    confidence: int | None = Field(default=None, ge=0, le=100)


class Concept(_Ninjs):
    """An entry of `events` or `objects`."""

    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None


class Genre(_Ninjs):
    name: str | None = None
    uri: str | None = None
    literal: str | None = None


class Rendition(_Ninjs):
    name: str
    href: str | None = None
    contenttype: str | None = None
    title: str | None = None
    height: Number | None = None
    width: Number | None = None
    sizeinbytes: Number | None = None
    duration: Number | None = None
    format: str | None = None


class TrustIndicator(_Ninjs):
    role: str | None = None
    title: str | None = None
    href: str | None = None


class RightsInfo(_Ninjs):
    langid: str | None = None
    linkedrights: str | None = None
    encodedrights: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _linked_or_encoded(cls, value: Any) -> Any:
        return _one_of(value, "linkedrights", "encodedrights")


class DigitalSourceType(_Ninjs):
    name: str | None = None
    uri: str | None = None
    literal: str | None = None


class NinjsObject(_Ninjs):
    """Every ninjs 2.2 property, all optional: an associated object, and the base of the story."""

    uri: str | None = None
    standard: dict[str, str] | None = None
    type: Literal["text", "audio", "video", "picture", "graphic", "composite", "component"] | None = None
    version: str | None = None
    language: str | None = None
    headlines: list[Headline] | None = None
    bodies: list[Body] | None = None
    by: str | None = None
    slugline: str | None = None
    located: str | None = None
    firstcreated: str | None = None
    versioncreated: str | None = None
    embargoed: str | None = None
    pubstatus: Literal["usable", "withheld", "canceled"] | None = None
    urgency: int | None = Field(default=None, ge=1, le=9)
    infosources: list[InfoSource] | None = None
    altids: list[AltId] | None = None
    people: list[Person] | None = None
    organisations: list[Organisation] | None = None
    places: list[Place] | None = None
    subjects: list[Subject] | None = None
    genres: list[Genre] | None = None
    ednote: str | None = None
    # The rest of ninjs 2.2: kept from ninjs input, never filled by newswire itself.
    representationtype: Literal["full", "partial"] | None = None
    profile: str | None = None
    title: str | None = None
    contentcreated: str | None = None
    expires: str | None = None
    copyrightholder: str | None = None
    copyrightnotice: str | None = None
    usageterms: str | None = None
    descriptions: list[Description] | None = None
    events: list[Concept] | None = None
    objects: list[Concept] | None = None
    renditions: list[Rendition] | None = None
    associations: list[Association] | None = None
    trustindicators: list[TrustIndicator] | None = None
    rightsinfo: RightsInfo | None = None
    digitalsourcetype: DigitalSourceType | None = None


class Association(NinjsObject):
    """An associated news object (a photo, a related story): any ninjs, with a name and a uri."""

    name: str
    uri: str


class NinjsStory(NinjsObject):
    """One story event's value on the stories topic."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"$comment": "IPTC ninjs 2.2 plus the newswire extension property"},
    )

    uri: str = Field(description="Stable story identifier; every version of a story keeps it")
    standard: dict[str, str] = Field(
        default_factory=lambda: {"name": "ninjs", "version": "2.2", "schema": NINJS_SCHEMA_URI}
    )
    type: Literal["text"] = "text"
    version: str = "1"
    headlines: list[Headline] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)
    pubstatus: Literal["usable", "withheld", "canceled"] = "usable"
    infosources: list[InfoSource] = Field(default_factory=list)
    altids: list[AltId] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    subjects: list[Subject] = Field(default_factory=list)
    genres: list[Genre] = Field(default_factory=list)
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
