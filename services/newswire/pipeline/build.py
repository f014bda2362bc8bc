"""Assembly: a normalised parsed item becomes a ninjs story, and enrichment findings land in it.

ninjs input keeps its ninjs 2.2 properties (`ParsedItem.carried`, `carried_fields`): newswire owns `uri`
(the agency's is an `altids` entry with role `agency`), `standard`, `type`, `version`, `newswire`, the times,
`pubstatus`, `urgency` and `language` (detected; the declared one is `newswire.language.declared`), and
fills `by`, `slugline`, `located` and `ednote` from the same input. In arrays the agency's entries come
first and newswire's are added unless they name the same thing (`merged`), except `headlines`, `bodies`,
`infosources` and `altids`, where newswire's lead (identity reads the first) and the agency's follow
unless one of newswire's already says all they say.
"""

from __future__ import annotations

import hashlib
import re
import types
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from newswire.enrich.registry import Document
from newswire.events.extension import DatelineInfo, Entity, Identity, NewswireExtension, Provenance, StageError
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
# IPTC's infosource roles name no distributor; a wire that relays another agency's copy gets our own role uri.
DISTRIBUTOR_ROLE = "urn:newswire:infosourcerole:distributor"
_SLUG = re.compile(r"[^a-z0-9]+")
# Never taken from the input: newswire's own values (see the module docstring).
OWNED = frozenset(
    {
        "uri",
        "standard",
        "type",
        "version",
        "newswire",
        "firstcreated",
        "versioncreated",
        "embargoed",
        "pubstatus",
        "urgency",
        "language",
    }
)
# Arrays where newswire's entries lead and the agency's follow.
OURS_FIRST = frozenset({"headlines", "bodies", "infosources", "altids"})
_Entry = TypeVar("_Entry", bound=BaseModel)


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


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _fit(annotation: Any, value: Any) -> Any:
    """`value` without the keys the models in `annotation` do not declare (ninjs 3.x additions, for one)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not isinstance(value, dict):
            return value
        fields = annotation.model_fields
        return {key: _fit(fields[key].annotation, entry) for key, entry in value.items() if key in fields}
    if get_origin(annotation) is list:
        return [_fit(get_args(annotation)[0], entry) for entry in value] if isinstance(value, list) else value
    members = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) in (Union, types.UnionType) and len(members) == 1:  # X | None
        return _fit(members[0], value)
    return value


def _entry_type(annotation: Any) -> Any:
    """X for `list[X]` and `list[X] | None`; None for anything else."""
    return next((get_args(arg)[0] for arg in (annotation, *get_args(annotation)) if get_origin(arg) is list), None)


def _validated(annotation: Any, value: Any, where: str, notes: list[str]) -> Any:
    """`value` as `annotation`; a property that does not fit is left out, and then the whole value."""
    value = _fit(annotation, value)
    try:
        return _adapter(annotation).validate_python(value)
    except ValidationError as error:
        bad = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
        if not bad or not isinstance(value, dict) or not bad <= set(value):
            notes.append(f"{where}: {error.errors()[0]['msg']}"[:300])
            return None
        notes.append(f"{where}.{'/'.join(sorted(bad))}: {error.errors()[0]['msg']}"[:300])
    try:
        return _adapter(annotation).validate_python({key: entry for key, entry in value.items() if key not in bad})
    except ValidationError as error:
        notes.append(f"{where}: {error.errors()[0]['msg']}"[:300])
        return None


def carried_fields(carried: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The carried ninjs 2.2 properties newswire does not own, validated against the story model.

    Array entries are validated one by one; what does not fit ninjs 2.2 is left out, with a note saying so. Pure.
    """
    fields = NinjsStory.model_fields
    kept: dict[str, Any] = {}
    notes: list[str] = []
    for name, value in carried.items():
        if name in OWNED or name not in fields:
            continue
        annotation = fields[name].annotation
        entry_type = _entry_type(annotation)
        if entry_type is not None:
            entries = [
                _validated(entry_type, entry, f"{name}[{index}]", notes)
                for index, entry in enumerate(value if isinstance(value, list) else [value])
            ]
            if any(entry is not None for entry in entries):
                kept[name] = [entry for entry in entries if entry is not None]
        else:
            found = _validated(annotation, value, name, notes)
            if found is not None:
                kept[name] = found
    return kept, [f"dropped ninjs {note}" for note in notes]


def _name(entry: BaseModel) -> str:
    return str(getattr(entry, "name", None) or "").casefold()


def merged(first: Sequence[_Entry], then: Iterable[_Entry]) -> list[_Entry]:
    """All of `first`, then each of `then` that names nothing `first` names: not the same uri or literal, nor the
    same name (but for subjects, one name under two different uris is two things)."""
    uris = {uri for entry in first if (uri := getattr(entry, "uri", None))}
    literals = {literal for entry in first if (literal := getattr(entry, "literal", None))}
    names = {name for entry in first if (name := _name(entry))}
    bare = {name for entry in first if (name := _name(entry)) and not getattr(entry, "uri", None)}

    def named(entry: _Entry) -> bool:
        uri, literal, name = getattr(entry, "uri", None), getattr(entry, "literal", None), _name(entry)
        if (uri and uri in uris) or (literal and literal in literals):
            return True
        return bool(name) and name in names and (not isinstance(entry, Subject) or not uri or name in bare)

    return [*first, *(entry for entry in then if not named(entry))]


def _after(ours: Sequence[_Entry], theirs: Iterable[_Entry]) -> list[_Entry]:
    """`ours`, then each of `theirs` that says something none of ours says (every property the same)."""
    said = [entry.model_dump(exclude_none=True) for entry in ours]

    def new(entry: _Entry) -> bool:
        says = entry.model_dump(exclude_none=True).items()
        return not any(all(mine.get(key) == value for key, value in says) for mine in said)

    return [*ours, *(entry for entry in theirs if new(entry))]


def with_carried(story: NinjsStory, carried: Mapping[str, Any]) -> NinjsStory:
    """The story with the agency's validated ninjs properties (from `carried_fields`) merged in."""
    update: dict[str, Any] = {}
    for name, value in carried.items():
        current = getattr(story, name)
        if not isinstance(value, list):
            if current is None:
                update[name] = value
        elif name in OURS_FIRST:
            update[name] = _after(current or [], value)
        else:
            update[name] = merged(value, current or [])
    return story.model_copy(update=update)


def infosources(item: ParsedItem) -> list[InfoSource]:
    """The originating agency first (identity and routing read the first), then the distributor, if any."""
    parties = [(item.agency, INFOSOURCE_ROLE), (item.distributor, DISTRIBUTOR_ROLE)]
    return [InfoSource(name=name, role=role, uri=f"urn:newswire:agency:{slug(name)}") for name, role in parties if name]


def draft_story(item: ParsedItem, provenance: Provenance) -> NinjsStory:
    """The story as parsed, with what the input carried in ninjs 2.2 (`ParsedItem.carried`), before enrichment."""
    text = main_text(item)
    headlines = [Headline(value=item.headline, role="main", contenttype="text/plain")] if item.headline else []
    if item.subheadline:
        headlines.append(Headline(value=item.subheadline, role="sub", contenttype="text/plain"))
    bodies = [Body(value=text, role="main", contenttype="text/plain", wordcount=len(text.split()), charcount=len(text))]
    if item.body_html:
        bodies.append(Body(value=item.body_html, role="main", contenttype="text/html"))
    carried, dropped = carried_fields(item.carried)
    story = NinjsStory(
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
        infosources=infosources(item),
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
            errors=[StageError(stage="parse", reason=note) for note in dropped],
        ),
    )
    return with_carried(story, carried)


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
    # Enrichment adds to what the agency named, and leaves out what it already named.
    if entities:
        people = [Person(name=e.name, uri=e.uri, rel="mentioned") for e in entities if e.type == "person"]
        update["people"] = merged(story.people, people)
        organisations = [
            Organisation(name=e.name, uri=e.uri, rel="mentioned") for e in entities if e.type == "organisation"
        ]
        update["organisations"] = merged(story.organisations, organisations)
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
        update["places"] = merged(story.places, places)
    if "subjects" in findings:
        update["subjects"] = merged(story.subjects, findings["subjects"])
    return story.model_copy(update=update)
