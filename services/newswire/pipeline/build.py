"""Assembly: a normalised parsed item becomes a ninjs story, and enrichment findings land in it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from newswire.enrich.registry import Document
from newswire.events.extension import DatelineInfo, Entity, Identity, NewswireExtension, Provenance
from newswire.events.ninjs import (
    AltId,
    Body,
    Genre,
    GeoPoint,
    Headline,
    InfoSource,
    NinjsStory,
    Organisation,
    Person,
    Place,
    Subject,
)
from newswire.identity.fingerprints import simhash64, simhash_hex
from newswire.wire.model import ParsedItem, SubjectCode

_PUBSTATUS: dict[str, Literal["usable", "withheld", "canceled"]] = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
}
INFOSOURCE_ROLE = "http://cv.iptc.org/newscodes/infosourcerole/originfo"
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _SLUG.sub("-", folded).strip("-") or "unknown"


def _digest(text: str, size: int = 20) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def main_text(item: ParsedItem) -> str:
    return "\n\n".join(item.paragraphs)


def content_hash(item: ParsedItem) -> str:
    """Hash of what a reader sees: headline and body, case and spacing folded."""
    seen = " ".join(f"{item.headline or ''}\n{main_text(item)}".lower().split())
    return "sha256:" + hashlib.sha256(seen.encode("utf-8")).hexdigest()


def story_uri(item: ParsedItem, source: str | None) -> str:
    """Stable across versions: the agency id when the wire has one, else agency + day + headline."""
    owner = slug(item.agency or source or "unknown")
    if item.agency_id:
        return f"urn:newswire:{owner}:{slug(item.agency_id)}"
    day = (item.dateline.date.isoformat() if item.dateline and item.dateline.date else None) or (
        item.firstcreated.date().isoformat() if item.firstcreated else ""
    )
    if item.slugline:
        # ANPA / IPTC 7901 carry no item id, but every take of a story keeps its slug.
        return f"urn:newswire:{owner}:{_digest(f'{owner}|{day}|slug|{item.slugline.lower()}')}"
    title = " ".join((item.headline or (item.paragraphs[0][:200] if item.paragraphs else "")).lower().split())
    return f"urn:newswire:{owner}:{_digest(f'{owner}|{day}|{title}')}"


def _subject_uri(code: SubjectCode) -> str | None:
    if code.scheme == "medtop":
        return f"http://cv.iptc.org/newscodes/mediatopic/{code.code}"
    return code.code if code.scheme == "uri" else None


def dateline_info(item: ParsedItem) -> DatelineInfo | None:
    if item.dateline is None:
        return None
    return DatelineInfo(
        text=item.dateline.text,
        place=item.dateline.place,
        date=item.dateline.date.isoformat() if item.dateline.date else None,
        agency=item.dateline.agency,
    )


def document_for(item: ParsedItem) -> Document:
    dateline = dateline_info(item)
    reference = item.dateline.date if item.dateline and item.dateline.date else None
    if reference is None and item.firstcreated:
        reference = item.firstcreated.date()
    return Document(
        text=main_text(item),
        headline=item.headline or "",
        declared_language=item.language,
        dateline=dateline,
        reference_date=reference,
        subjects=tuple(item.subjects),
        keywords=tuple(item.keywords),
    )


def draft_story(item: ParsedItem, provenance: Provenance) -> NinjsStory:
    """The story as parsed, before enrichment."""
    text = main_text(item)
    headlines = [Headline(value=item.headline, role="main", contenttype="text/plain")] if item.headline else []
    if item.subheadline:
        headlines.append(Headline(value=item.subheadline, role="sub", contenttype="text/plain"))
    bodies = [Body(value=text, role="main", contenttype="text/plain", wordcount=len(text.split()), charcount=len(text))]
    if item.body_html:
        bodies.append(Body(value=item.body_html, role="main", contenttype="text/html"))
    agency = item.agency
    return NinjsStory(
        uri=story_uri(item, provenance.source),
        version=str(item.version or 1),
        language=item.language,
        headlines=headlines,
        bodies=bodies,
        by=item.byline,
        slugline=item.slugline,
        located=item.dateline.place if item.dateline else None,
        firstcreated=iso(item.firstcreated),
        versioncreated=iso(item.versioncreated or item.firstcreated),
        embargoed=iso(item.embargoed),
        pubstatus=_PUBSTATUS.get(item.pubstatus, "usable"),
        urgency=item.urgency if item.urgency and 1 <= item.urgency <= 9 else None,
        infosources=[InfoSource(name=agency, role=INFOSOURCE_ROLE, uri=f"urn:newswire:agency:{slug(agency)}")]
        if agency
        else [],
        altids=[AltId(role="agency", value=item.agency_id)] if item.agency_id else [],
        subjects=[
            Subject(
                uri=_subject_uri(code),
                literal=None if code.scheme == "uri" else f"{code.scheme}:{code.code}",
                name=code.name,
                creator="agency",
            )
            for code in item.subjects
        ],
        genres=[Genre(name=genre) for genre in item.genres],
        ednote=item.ednote,
        newswire=NewswireExtension(
            kind=item.kind if item.kind in ("story", "update", "correction", "kill", "advisory", "table") else "story",  # type: ignore[arg-type]
            dateline=dateline_info(item),
            keywords=list(item.keywords),
            identity=Identity(content_hash=content_hash(item), simhash=simhash_hex(simhash64(text))),
            provenance=provenance,
        ),
    )


def apply_findings(story: NinjsStory, findings: Mapping[str, Any]) -> NinjsStory:
    """Write enrichment findings into the extension and the matching ninjs fields."""
    extension_fields = set(NewswireExtension.model_fields)
    extension = story.newswire.model_copy(
        update={key: value for key, value in findings.items() if key in extension_fields}
    )
    update: dict[str, Any] = {"newswire": extension}
    if extension.language is not None:
        update["language"] = extension.language.code
    entities: list[Entity] = list(extension.entities)
    if entities:
        update["people"] = [Person(name=e.name, uri=e.uri, rel="mentioned") for e in entities if e.type == "person"]
        update["organisations"] = [
            Organisation(name=e.name, uri=e.uri, rel="mentioned") for e in entities if e.type == "organisation"
        ]
    places = [
        Place(
            name=e.name,
            uri=e.uri,
            rel="mentioned",
            geojson=GeoPoint(coordinates=(e.lon, e.lat)) if e.lat is not None and e.lon is not None else None,
        )
        for e in entities
        if e.type == "place"
    ]
    dateline = extension.dateline
    if dateline and dateline.place:
        ref = dateline.place_ref
        located = Place(
            name=dateline.place,
            rel="located",
            uri=f"https://sws.geonames.org/{ref.geonames}/" if ref and ref.geonames else None,
            geojson=GeoPoint(coordinates=(ref.lon, ref.lat))
            if ref and ref.lat is not None and ref.lon is not None
            else None,
        )
        places.insert(0, located)
    if places:
        update["places"] = places
    if "subjects" in findings:
        update["subjects"] = list(story.subjects) + list(findings["subjects"])
    return story.model_copy(update=update)
