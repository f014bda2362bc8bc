"""IPTC ninjs (News in JSON) 1.x, 2.x and 3.x as input.

- 1.x: `headline` string, `body_text`/`body_html` (any `body_*`), `description_text`, `byline`,
  `subject`/`person`/`place`/`genre` arrays of `{name, scheme, code}`.
- 2.x: `headlines`/`bodies`/`descriptions` arrays of `{role, contenttype, value}`, `by`,
  `subjects`/`genres` of `{name, uri, literal}`, `infosources`, `altids`.
- 3.x: the 2.x shapes with camelCase names (`versionCreated`, `contentType`, `pubStatus`);
  keys are folded to lower case, which maps them onto the 2.x names.

Every ninjs 2.2 property the input held also goes, converted to 2.2 names and shapes, into
`ParsedItem.carried` (`ninjs22`), so the story keeps what the agency sent: 1.x `headline`, `byline`,
`person`/`organisation`/`place`/`subject`/... with `scheme` + `code`, `description_*`, `body_*`, and the
`renditions`/`associations`/`altids` objects keyed by name; 3.x needs nothing beyond the folded names.

The agency's `uri` is kept as `agency_id`, so a re-published story keeps its identity. Untrusted
JSON is bounded: size, nesting depth, item count; non-finite numbers and over-long integers become
`malformed` or are dropped; control characters and lone surrogates are removed from strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from html import escape
from html.parser import HTMLParser
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from newswire.wire.datelines import split_dateline
from newswire.wire.errors import WireError
from newswire.wire.formats._json import BAD_CHARS as _BAD_CHARS
from newswire.wire.formats._json import MAX_DEPTH, MAX_LIST, describe, load_json
from newswire.wire.formats._json import integer as _int
from newswire.wire.formats._json import moment as _moment
from newswire.wire.formats._json import objects as _objects
from newswire.wire.formats._json import text as _text
from newswire.wire.formats.agency_text import split_paragraphs
from newswire.wire.model import Dateline, ParsedItem, SubjectCode
from newswire.wire.registry import WireInput, register

MAX_ITEMS = 1000
MAX_HTML_CHARS = 512 * 1024  # the standard library's HTML parser runs at about 1 MB/s on tag-dense markup

_NINJS_KEYS = frozenset(
    {
        "uri",
        "headline",
        "headlines",
        "bodies",
        "body_text",
        "body_html",
        "body_xhtml",
        "versioncreated",
        "firstcreated",
        "pubstatus",
        "urgency",
        "slugline",
        "located",
        "byline",
        "by",
        "subjects",
        "subject",
        "description_text",
        "descriptions",
        "renditions",
        "associations",
        "altids",
        "infosources",
        "standard",
        "$standard",
        "ednote",
        "embargoed",
        "genres",
        "genre",
        "representationtype",
        "profile",
    }
)
_CONTENT_KEYS = ("headline", "headlines", "bodies", "title", "descriptions", "description_text")
_SNIFF_KEYS = re.compile(
    rb'"(?:headlines?|bodies|body_(?:text|html|xhtml)|versioncreated|versionCreated|firstcreated|'
    rb'firstCreated|pubstatus|pubStatus|located|slugline|description_text|descriptions)"\s*:'
)
_VOCABULARIES = {
    "mediatopic": "medtop",
    "subjectcode": "subj",
    "genre": "genre",
    "scene": "scene",
    "productgenre": "prodgenre",
    "urgency": "urgency",
}
_IPTC_CODE = re.compile(r"^https?://cv\.iptc\.org/newscodes/(?P<vocab>[a-z]+)/(?P<code>[\w.-]*)/?$", re.IGNORECASE)
_QCODE = re.compile(r"^(?P<scheme>[A-Za-z][\w-]{0,30}):(?P<code>[^\s/:][^\s]*)$")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml")
# ninjs 2.2 properties; `name` only on associated objects.
_NINJS22 = frozenset(
    {
        "uri",
        "type",
        "representationtype",
        "profile",
        "version",
        "firstcreated",
        "versioncreated",
        "contentcreated",
        "embargoed",
        "pubstatus",
        "urgency",
        "copyrightholder",
        "copyrightnotice",
        "usageterms",
        "ednote",
        "language",
        "descriptions",
        "bodies",
        "headlines",
        "people",
        "organisations",
        "places",
        "subjects",
        "events",
        "objects",
        "infosources",
        "title",
        "by",
        "slugline",
        "located",
        "renditions",
        "associations",
        "altids",
        "trustindicators",
        "standard",
        "genres",
        "expires",
        "rightsinfo",
        "digitalsourcetype",
    }
)
# ninjs 1.x arrays of `{name, rel, scheme, code}` and their 2.2 names.
_LEGACY_ARRAYS = {
    "person": "people",
    "organisation": "organisations",
    "place": "places",
    "subject": "subjects",
    "event": "events",
    "object": "objects",
    "infosource": "infosources",
    "genre": "genres",
    "trustindicator": "trustindicators",
}
# ninjs 1.x `headline_*`, `description_*`, `body_*` strings and the 2.2 arrays they join.
_LEGACY_TEXTS = {"headline": "headlines", "description": "descriptions", "body": "bodies"}
_SUFFIX_TYPES = {"text": "text/plain", "html": "text/html", "xhtml": "application/xhtml+xml"}
_TIMES = frozenset({"firstcreated", "versioncreated", "contentcreated", "embargoed", "expires"})
_URI = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@register
class NinjsParser:
    """ninjs JSON documents, one story each (or a JSON array of them)."""

    name: ClassVar[str] = "ninjs"
    content_types: ClassVar[tuple[str, ...]] = (
        "application/ninjs+json",
        "application/vnd.iptc.ninjs+json",
        "application/json",
    )
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped[:1] not in (b"{", b"["):
            return 0
        if b'"ninjs"' in stripped or b"iptc.org/std/ninjs" in stripped:
            return 95
        has_uri = re.search(rb'"(?:uri|guid)"\s*:', stripped) is not None
        if _SNIFF_KEYS.search(stripped):
            return 90 if has_uri else 70
        return 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        document = load_json(wire.text)
        candidates, envelope = _candidates(document)
        if len(candidates) > MAX_ITEMS:
            raise WireError("malformed", f"more than {MAX_ITEMS} items in one JSON document")
        objects = [fold_keys(candidate) for candidate in candidates if isinstance(candidate, dict)]
        ninjs = [obj for obj in objects if looks_like_ninjs(obj)]
        if not ninjs:
            raise WireError("unrecognised_format", f"JSON, but not a ninjs document: {describe(wire.data)}")
        texts = [obj for obj in ninjs if (_text(obj.get("type")) or "text").lower() not in _MEDIA_TYPES]
        if not texts:
            kinds = sorted({_text(obj.get("type")) or "?" for obj in ninjs})
            raise WireError("missing_content", f"ninjs item(s) of type {', '.join(kinds)}: media, not a story")
        items = [parse_object(obj, wire.feed_timezone) for obj in texts]
        if envelope:
            for item in items:
                item.recoveries.append(f"ninjs items read from a result envelope's `{envelope}` array")
        return items


# Media objects: a story event carries text, so these are refused (they travel as a story's associations).
_MEDIA_TYPES = frozenset({"picture", "video", "audio", "graphic", "image", "photo"})
# Result envelopes that list ninjs items (`{"total": 1, "limit": 20, "offset": 0, "item": [...]}`).
_ENVELOPE_KEYS = ("item", "items", "results", "data")


def _candidates(document: Any) -> tuple[list[Any], str | None]:
    """The objects that may be ninjs items, and the envelope key they sat under, if any."""
    if isinstance(document, list):
        return document, None
    if isinstance(document, dict) and not looks_like_ninjs(fold_keys(document)):
        for key in _ENVELOPE_KEYS:
            listed = document.get(key)
            if isinstance(listed, list) and any(isinstance(entry, dict) for entry in listed):
                return listed, key
    return [document], None


def fold_keys(value: Any, depth: int = 0) -> Any:
    """ninjs 3.x camelCase names onto 2.x lower-case names (`versionCreated` -> `versioncreated`)."""
    if depth > MAX_DEPTH:
        raise WireError("malformed", "JSON nested too deeply")
    if isinstance(value, dict):
        folded: dict[str, Any] = {}
        for key, item in value.items():
            lowered = str(key).lower()
            if lowered not in folded or folded[lowered] is None:
                folded[lowered] = fold_keys(item, depth + 1)
        return folded
    if isinstance(value, list):
        return [fold_keys(item, depth + 1) for item in value[:MAX_LIST]]
    return value


def looks_like_ninjs(obj: Mapping[str, Any]) -> bool:
    standard = obj.get("standard") or obj.get("$standard")
    if isinstance(standard, dict) and str(standard.get("name", "")).lower() == "ninjs":
        return True
    keys = set(obj) & _NINJS_KEYS
    has_content = any(key in obj for key in _CONTENT_KEYS) or any(key.startswith("body_") for key in obj)
    return has_content and (("uri" in obj or "guid" in obj) or len(keys) >= 3)


def parse_object(obj: Mapping[str, Any], feed_timezone: str) -> ParsedItem:
    """One (key-folded) ninjs object as a parsed item; formats built on ninjs (AP's Media API) use it too."""
    item = ParsedItem()
    item.agency_id = _text(obj.get("uri")) or _text(obj.get("guid"))
    item.version = _int(obj.get("version"), 1, 1_000_000)
    status = (_text(obj.get("pubstatus")) or "usable").lower()
    item.pubstatus = {"cancelled": "canceled"}.get(status, status)
    if item.pubstatus not in ("usable", "withheld", "canceled"):
        item.pubstatus = "usable"
    if item.pubstatus == "canceled":
        item.kind = "kill"
    item.urgency = _int(obj.get("urgency"), 1, 9)
    item.firstcreated = _moment(obj.get("firstcreated"), feed_timezone, item) or _moment(
        obj.get("contentcreated"), feed_timezone, item
    )
    item.versioncreated = _moment(obj.get("versioncreated"), feed_timezone, item)
    item.embargoed = _moment(obj.get("embargoed"), feed_timezone, item)
    item.language = _text(obj.get("language"))
    item.byline = _text(obj.get("by")) or _text(obj.get("byline"))
    item.slugline = _text(obj.get("slugline"))
    item.ednote = _text(obj.get("ednote"))
    _headlines(obj, item)
    used_bodies = _bodies(obj, item)
    item.subjects = [code for code in (_subject(entry) for entry in _subject_entries(obj)) if code]
    genres = _objects(obj.get("genres")) + _objects(obj.get("genre"))
    item.genres = [name for name in (_genre(entry) for entry in genres) if name]
    keywords = obj.get("keywords")
    if isinstance(keywords, list):
        item.keywords = [word for word in (_text(entry) for entry in keywords[:MAX_LIST]) if word]
    _type(obj, item)
    if _objects(obj.get("replacing")) or _texts(obj.get("replacing")) or _texts(obj.get("replaces")):
        item.kind = "update" if item.kind == "story" else item.kind  # TT: this item replaces an earlier one
    item.agency = _agency(obj)
    _dateline(obj, item)
    item.agency = item.agency or copyright_holder(_text(obj.get("copyrightnotice")))
    if not item.headline and not item.paragraphs:
        raise WireError("missing_content", "ninjs item without headline or text body")
    # The bodies read above come back as the story's own (clean, dateline split off); the rest is carried.
    item.carried = ninjs22(obj, feed_timezone, skip_bodies=used_bodies)
    _repair_associations(obj, item)
    return item


# ninjs types; what producers write instead, and the kind it implies.
_TYPES = frozenset({"text", "audio", "video", "picture", "graphic", "composite", "planning", "component", "event"})
_TYPE_REPAIRS = {
    "story": ("text", None),
    "article": ("text", None),
    "advisory": ("text", "advisory"),
    "image": ("picture", None),
    "photo": ("picture", None),
}


def _type(obj: Mapping[str, Any], item: ParsedItem) -> None:
    declared = (_text(obj.get("type")) or "").lower()
    if declared and declared not in _TYPES and declared in _TYPE_REPAIRS:
        standard, kind = _TYPE_REPAIRS[declared]
        item.recoveries.append(f"ninjs type `{declared}` read as `{standard}`")
        if kind and item.kind == "story":
            item.kind = kind


def _texts(value: Any) -> list[str]:
    return [text for text in (_text(entry) for entry in value[:MAX_LIST]) if text] if isinstance(value, list) else []


def _repair_associations(obj: Mapping[str, Any], item: ParsedItem) -> None:
    """Associations as producers send them, made ninjs: a name from `id` (BBC LDRS arrays), a uri from `guid`
    (Superdesk) or, failing both, from the object's first rendition link. Each repair is recorded."""
    raw = obj.get("associations")
    carried = item.carried.get("associations")
    if not isinstance(carried, list):
        return
    sources = [entry for _, entry in raw.items() if isinstance(entry, dict)] if isinstance(raw, dict) else _objects(raw)
    named = linked = 0
    for source, entry in zip(sources, carried, strict=False):
        if not isinstance(entry, dict):
            continue
        if "name" not in entry and _text(source.get("id")):
            entry["name"] = _text(source.get("id"))
            named += 1
        if "uri" not in entry:
            uri = _text(source.get("guid")) or _rendition_href(source.get("renditions"))
            if uri:
                entry["uri"] = uri
                linked += 1
    if named:
        item.recoveries.append(f"{named} association(s) named by `id` instead of `name`")
    if linked:
        item.recoveries.append(f"{linked} association(s) without `uri`: identified by guid or rendition link")


def _rendition_href(renditions: Any) -> str | None:
    entries = list(renditions.values()) if isinstance(renditions, dict) else renditions
    return next((_text(entry.get("href")) for entry in _objects(entries) if _text(entry.get("href"))), None)


def _headlines(obj: Mapping[str, Any], item: ParsedItem) -> None:
    main: str | None = None
    sub: str | None = None
    for entry in _objects(obj.get("headlines")):
        value = _text(entry.get("value"))
        if not value:
            continue
        if (_text(entry.get("contenttype")) or "").lower() in _HTML_TYPES and len(value) <= MAX_HTML_CHARS:
            value = " ".join(html_paragraphs(value)) or value
        role = (_text(entry.get("role")) or "").lower()
        if role in ("sub", "subheadline", "subtitle", "secondary", "deck") and sub is None:
            sub = value
        elif role in ("", "main", "headline", "title", "primary") and main is None:
            main = value
    legacy = _text(obj.get("headline"))
    main = main or legacy
    for key, value in obj.items():
        if key.startswith("headline_") and "sub" in key and sub is None:
            sub = _text(value)
    if main is None:
        remaining = [_text(entry.get("value")) for entry in _objects(obj.get("headlines"))]
        main = next((value for value in remaining if value and value != sub), None) or _text(obj.get("title"))
    item.headline = main
    item.subheadline = sub


def _bodies(obj: Mapping[str, Any], item: ParsedItem) -> frozenset[str]:
    """Fill the text and HTML body; returns the input bodies used, as given."""
    plain: str | None = None
    markup: str | None = None
    for entry in _objects(obj.get("bodies")):
        value = entry.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        content_type = (_text(entry.get("contenttype")) or "text/plain").split(";")[0].strip().lower()
        if content_type in _HTML_TYPES:
            markup = markup or value
        elif content_type.startswith("text/") and plain is None:
            plain = value
    for key, value in obj.items():
        if not key.startswith("body_") or not isinstance(value, str) or not value.strip():
            continue
        if "html" in key:  # body_html, body_xhtml, and producers' own (TT's body_html5, body_richhtml)
            if markup is None and key not in ("body_html", "body_xhtml"):
                item.recoveries.append(f"HTML body read from `{key}`, not a ninjs property")
            markup = markup or value
        elif key == "body_text" or key.endswith("text"):
            plain = plain or value
    if markup is not None and len(markup) > MAX_HTML_CHARS:
        raise WireError("malformed", f"HTML body of {len(markup)} characters exceeds {MAX_HTML_CHARS}")
    if markup is not None:
        cleaned = sanitise_html(_BAD_CHARS.sub("", markup))
        item.body_html = cleaned or None
    if plain is not None:
        item.paragraphs = split_paragraphs(_BAD_CHARS.sub("", plain).replace("\r\n", "\n").replace("\r", "\n"))
    elif markup is not None:
        item.paragraphs = html_paragraphs(markup)
    if not item.paragraphs:
        description = _text(obj.get("description_text")) or next(
            (_text(entry.get("value")) for entry in _objects(obj.get("descriptions")) if _text(entry.get("value"))),
            None,
        )
        if description:
            item.paragraphs = [description]
    return frozenset(value for value in (plain, markup) if value is not None)


def _subject_entries(obj: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    yield from _objects(obj.get("subjects"))
    yield from _objects(obj.get("subject"))


def _subject(entry: Mapping[str, Any]) -> SubjectCode | None:
    name = _text(entry.get("name"))
    uri = _text(entry.get("uri"))
    literal = _text(entry.get("literal"))
    scheme = _text(entry.get("scheme"))
    code = _text(entry.get("code")) or _text(entry.get("qcode"))
    if uri:
        found = _IPTC_CODE.match(uri)
        if found and found["code"]:
            return SubjectCode(_VOCABULARIES.get(found["vocab"].lower(), found["vocab"].lower()), found["code"], name)
    if scheme and code:
        found = _IPTC_CODE.match(scheme.rstrip("/") + "/" + code)
        if found:
            return SubjectCode(_VOCABULARIES.get(found["vocab"].lower(), found["vocab"].lower()), found["code"], name)
        return SubjectCode(scheme, code, name)
    for value in (code, literal):
        if value:
            qcode = _QCODE.match(value)
            if qcode:
                return SubjectCode(qcode["scheme"], qcode["code"], name)
    if uri:
        return SubjectCode("uri", uri, name)
    if literal or code:
        return SubjectCode("literal", literal or code or "", name)
    if name:
        return SubjectCode("name", name, name)
    return None


def _genre(entry: Mapping[str, Any]) -> str | None:
    for key in ("name", "literal", "code", "uri"):
        value = _text(entry.get(key))
        if value:
            return value
    return None


def _agency(obj: Mapping[str, Any]) -> str | None:
    """The sender as the fields name it: infosources, then a producer's `source`/`provider`, then the copyright holder.

    (The dateline's agency and the copyright notice come after these, in `parse_object`.)
    """
    sources = _objects(obj.get("infosources")) + _objects(obj.get("infosource"))
    # An originator named as such comes before a distributor listed first.
    sources.sort(key=lambda entry: 0 if "origin" in (_text(entry.get("role")) or "").lower() else 1)
    for entry in sources:
        name = _text(entry.get("name"))
        if name:
            return name
    for key in ("source", "provider", "copyrightholder"):
        name = _text(obj.get(key))
        if name:
            return name
    return None


_COPYRIGHT = re.compile(
    r"(?:copyright|©|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?:by\s+)?(?P<holder>[^\W\d_][^.,;©()]{1,60}?)"
    r"\s*(?:[.,;(]|\ball rights\b|\bwww\.|$)",
    re.IGNORECASE,
)


def copyright_holder(notice: str | None) -> str | None:
    """`Copyright 2021 Associated Press. All rights reserved.` -> `Associated Press`."""
    found = _COPYRIGHT.search(notice or "")
    if not found:
        return None
    holder = found["holder"].strip()
    return holder if holder.lower() not in ("the", "all rights reserved") else None


def _dateline(obj: Mapping[str, Any], item: ParsedItem) -> None:
    located = _text(obj.get("located"))
    reference = item.firstcreated or item.versioncreated
    if item.paragraphs:
        split = split_dateline(item.paragraphs[0], reference.date() if reference else None)
        if split:
            dateline, rest = split
            item.paragraphs = ([rest] if rest.strip() else []) + item.paragraphs[1:]
            if located:
                dateline = Dateline(
                    text=dateline.text,
                    place=located,
                    date_text=dateline.date_text,
                    agency=dateline.agency,
                    date=dateline.date,
                )
            item.dateline = dateline
            item.agency = item.agency or dateline.agency
            return
    if located:
        item.dateline = Dateline(text=located, place=located)


# --- ninjs 2.2 properties to carry into the story ------------------------------------------------------------------


def ninjs22(
    obj: Mapping[str, Any],
    feed_timezone: str,
    skip_bodies: frozenset[str] = frozenset(),
    association: bool = False,
    html_budget: list[int] | None = None,
) -> dict[str, Any]:
    """A (key-folded) ninjs 1.x, 2.x or 3.x object's properties in ninjs 2.2 names and shapes.

    1.x names and shapes are converted, strings lose control characters, HTML is sanitised, times are UTC;
    properties ninjs 2.2 has no place for are left out. Values are not checked against the 2.2 model here:
    the pipeline validates them (`newswire.pipeline.build.carried_fields`). At most MAX_HTML_CHARS of HTML
    in all are sanitised (`html_budget`, shared with associated objects); HTML beyond that is left out.
    """
    out: dict[str, Any] = {}
    budget = html_budget if html_budget is not None else [MAX_HTML_CHARS]

    def extend(name: str, entries: list[Any]) -> None:
        out.setdefault(name, [])
        if isinstance(out[name], list):
            out[name].extend(entries)

    for key, raw in obj.items():
        if key == "bodies" or key.startswith("body_"):
            raw = _without_bodies(raw, skip_bodies)
        value = _clean(raw)
        if value is None:
            continue
        prefix, _, suffix = key.partition("_")
        if key in _LEGACY_ARRAYS:
            extend(_LEGACY_ARRAYS[key], [_coded(entry, key) for entry in _objects(value)])
        elif key == "headline" and isinstance(value, str):
            extend("headlines", [{"role": "main", "value": value}])
        elif prefix in _LEGACY_TEXTS and suffix and isinstance(value, str):
            content_type = _SUFFIX_TYPES.get(suffix)
            entry = {"value": value, "contenttype": content_type} if content_type else {"value": value}
            if prefix == "headline" or not content_type:
                entry["role"] = suffix
            extend(_LEGACY_TEXTS[prefix], [entry])
        elif key == "byline" and isinstance(value, str):
            out.setdefault("by", value)
        elif key == "$standard":
            out.setdefault("standard", value)
        elif key == "altids" and isinstance(value, dict):
            extend(
                "altids",
                [{"role": role, "value": str(alt)} for role, alt in value.items() if isinstance(alt, (str, int))],
            )
        elif key == "renditions" and isinstance(value, dict):
            extend(
                "renditions",
                [{**_rendition(entry), "name": name} for name, entry in value.items() if isinstance(entry, dict)],
            )
        elif key == "renditions":
            extend("renditions", [_rendition(entry) for entry in _objects(value)])
        elif key == "associations":
            # 1.x: an object of associated objects by name; 2.x: an array of them, each with its name.
            named = value.items() if isinstance(value, dict) else (("", entry) for entry in _objects(value))
            extend(
                "associations",
                [
                    {"name": name, **ninjs22(entry, feed_timezone, association=True, html_budget=budget)}
                    if name
                    else ninjs22(entry, feed_timezone, association=True, html_budget=budget)
                    for name, entry in named
                    if isinstance(entry, dict)
                ],
            )
        elif key in _TIMES:
            moment = _utc_text(value, feed_timezone)
            if moment:
                out[key] = moment
        elif key == "version" and isinstance(value, (int, str)) and not isinstance(value, bool):
            out[key] = str(value)
        elif key == "representationtype" and isinstance(value, str):
            out[key] = {"complete": "full", "incomplete": "partial"}.get(value, value)
        elif key in _NINJS22 or (association and key == "name"):
            if isinstance(value, list):
                extend(key, value)
            else:
                out.setdefault(key, value)
    for name in ("headlines", "descriptions", "bodies"):
        if name in out:
            out[name] = _safe_texts(out[name], budget)
    if isinstance(out.get("standard"), dict):
        out["standard"] = {k: v for k, v in out["standard"].items() if k in ("name", "version", "schema")}
    return {name: value for name, value in out.items() if value not in ([], {})}


def _without_bodies(value: Any, used: frozenset[str]) -> Any:
    if isinstance(value, str):
        return None if value in used else value
    if isinstance(value, list):
        return [entry for entry in value if not (isinstance(entry, dict) and entry.get("value") in used)]
    return value


def _clean(value: Any) -> Any:
    """JSON without control characters, lone surrogates, blank strings and nulls."""
    if isinstance(value, str):
        cleaned = _BAD_CHARS.sub("", value)
        return cleaned if cleaned.strip() else None
    if isinstance(value, dict):
        items = ((str(key), _clean(entry)) for key, entry in value.items())
        return {key: entry for key, entry in items if entry is not None}
    if isinstance(value, list):
        return [entry for entry in (_clean(entry) for entry in value[:MAX_LIST]) if entry is not None]
    return value


def _coded(entry: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A ninjs 1.x `{name, rel, scheme, code}` entry with a 2.2 `uri` or `literal` for the scheme and code."""
    out = {name: value for name, value in entry.items() if name not in ("scheme", "code")}
    scheme, code = _text(entry.get("scheme")), _text(entry.get("code"))
    if code and "uri" not in out and "literal" not in out:
        if scheme and _URI.match(scheme) and "/" in scheme:
            out["uri"] = scheme + code if scheme.endswith(("/", "#", "=")) else f"{scheme}/{code}"
        else:
            out["literal"] = f"{scheme}:{code}" if scheme else code
    if key == "infosource" and "rel" in out:
        out.setdefault("role", out.pop("rel"))
    if key == "trustindicator":
        role = out.pop("uri", None) or out.pop("literal", None)
        if role:
            out.setdefault("role", role)
    for name in [name for name in out if name.startswith("geometry_")]:
        geometry = out.pop(name)
        if isinstance(geometry, dict):
            out.setdefault("geojson", geometry)
    return out


def _rendition(entry: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(entry)
    if "mimetype" in out:
        out.setdefault("contenttype", out.pop("mimetype"))
    return out


def _safe_texts(entries: Any, budget: list[int]) -> list[Any]:
    """Headlines, descriptions or bodies with their HTML sanitised; HTML beyond the budget is left out."""
    kept = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("value"), str):
            content_type = str(entry.get("contenttype", "")).split(";")[0].strip().lower()
            if content_type in _HTML_TYPES:
                if len(entry["value"]) > budget[0]:
                    continue
                budget[0] -= len(entry["value"])
                entry = {**entry, "value": sanitise_html(entry["value"])}
                if not entry["value"]:
                    continue
        kept.append(entry)
    return kept


def _utc_text(value: Any, feed_timezone: str) -> str | None:
    text = _text(value)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(feed_timezone))
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- HTML: paragraphs for the plain body, and a sanitised copy for the html body ----------------------------------


def _tags(*groups: str) -> frozenset[str]:
    return frozenset(tag for group in groups for tag in group.split())


_HEADINGS = "h1 h2 h3 h4 h5 h6"
_BLOCKS = _tags(_HEADINGS, "p li blockquote pre td th dd dt figcaption div section article br tr table ul ol")
_DROP = _tags("script style iframe object embed noscript template head title svg math form button select textarea")
_ALLOWED = _tags(
    _HEADINGS,
    "p ul ol li b strong i em u a br blockquote q cite table thead tbody tfoot tr td th caption pre code",
    "section article div span sub sup figure figcaption hr dl dt dd abbr small mark s del ins",
)
# Blocks whose text is a paragraph of the story: quotes and list items as well as `<p>` (crossheads are not).
_TEXT_BLOCKS = _tags("p blockquote li pre")
_VOID = frozenset({"br", "hr"})
_ALLOWED_ATTRIBUTES = {
    "a": ("href", "title"),
    "abbr": ("title",),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan", "scope"),
    "q": ("cite",),
    "blockquote": ("cite",),
}
_MAX_OPEN = 48
# An opening tag that ends the open element in HTML (`<p>a<p>b` is two paragraphs).
_IMPLIED_END = {"p": ("p", "li"), "li": ("li", "p"), "tr": ("tr", "td", "th"), "td": ("td", "th"), "th": ("td", "th")}
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|/|#)", re.IGNORECASE)


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.blocks: list[str] = []
        self._in_p = 0
        self._drop = 0
        self._p: list[str] = []
        self._block: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self._drop += 1
        elif tag in _TEXT_BLOCKS:
            self._flush_p()
            self._in_p += 1
        if tag in _BLOCKS:
            self._flush_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self._drop = max(0, self._drop - 1)
        elif tag in _TEXT_BLOCKS:
            self._flush_p()
            self._in_p = max(0, self._in_p - 1)
        if tag in _BLOCKS:
            self._flush_block()

    def handle_data(self, data: str) -> None:
        if self._drop:
            return
        if self._in_p:
            self._p.append(data)
        self._block.append(data)

    def _flush_p(self) -> None:
        text = " ".join("".join(self._p).split())
        if text:
            self.paragraphs.append(text)
        self._p = []

    def _flush_block(self) -> None:
        text = " ".join("".join(self._block).split())
        if text:
            self.blocks.append(text)
        self._block = []

    def close(self) -> None:
        super().close()
        self._flush_p()
        self._flush_block()


def html_paragraphs(markup: str) -> list[str]:
    """The text of each `<p>` (and quote, list item, preformatted block); without those, of each block element."""
    parser = _Paragraphs()
    parser.feed(_BAD_CHARS.sub("", markup))
    parser.close()
    return parser.paragraphs or parser.blocks


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._drop = 0
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self._drop += 1
            return
        if self._drop or tag not in _ALLOWED:
            return
        if tag in _IMPLIED_END and self._open and self._open[-1] in _IMPLIED_END[tag]:
            self.out.append(f"</{self._open.pop()}>")
        if len(self._open) >= _MAX_OPEN and tag not in _VOID:
            return  # nested too deeply: keep the text, drop the tag
        kept = []
        for name, value in attrs:
            if name in _ALLOWED_ATTRIBUTES.get(tag, ()) and value is not None:
                if name in ("href", "cite") and not _SAFE_URL.match(value.strip()):
                    continue
                kept.append(f' {name}="{escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in _VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _DROP:
            self._drop = max(0, self._drop - 1)
        elif tag not in _VOID and self._open and self._open[-1] == tag:
            self._open.pop()
            self.out.append(f"</{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self._drop = max(0, self._drop - 1)
            return
        if self._drop or tag not in self._open:
            return
        while self._open:
            last = self._open.pop()
            self.out.append(f"</{last}>")
            if last == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._drop:
            self.out.append(escape(data, quote=False))

    def result(self) -> str:
        self.close()
        while self._open:
            self.out.append(f"</{self._open.pop()}>")
        return "".join(self.out).strip()


def sanitise_html(markup: str) -> str:
    """Allow-listed tags and attributes only; scripts, styles, handlers and unsafe links go."""
    sanitiser = _Sanitiser()
    sanitiser.feed(markup)
    return sanitiser.result()
