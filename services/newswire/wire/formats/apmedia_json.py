"""AP's Media API JSON: an item metadata response (`data.item`) or a feed/search page (`data.items[].item`).

    {"api_version": "2.x", ..., "data": {"item": {uri, altids: {itemid, etag, ...}, version, type, urgency,
     profile, language, firstcreated, versioncreated, pubstatus, signals, editorialtypes, ednote, title,
     headline, headline_extended, bylines, located, copyrightnotice, provider, infosource, subject,
     keywords, renditions: {nitf: {href, ...}}, textformat, associations, ...}}}

The item is ninjs 1.x with AP's additions, so the ninjs reader reads it; this module finds the items in the
envelope and reads what AP adds. The story text is usually not inline: AP links it as a rendition
(`renditions.nitf.href`) for the client to download. What is inline is used; an item with no text at all
still ships its headline and metadata (an agate table announced by its envelope is exactly that), its
renditions kept in the story for the consumer that fetches them. Pictures, video, audio and graphics are media
items, not stories.

Kinds: agate/tabular items (`textformat` `at`, profile `Agate`) are tables; `editorialtypes` names kills,
withholds, corrections and write-throughs; an item without the `newscontent` signal is for editors only (an
advisory), as AP's "identifying publishable content" rules say. AP numbers versions from 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from newswire.wire.errors import WireError
from newswire.wire.formats._json import describe, first, is_json, key_paths, load_json, objects, text
from newswire.wire.formats.ninjs import copyright_holder, fold_keys, parse_object
from newswire.wire.model import Dateline, ParsedItem
from newswire.wire.registry import WireInput, register

AGENCY = "AP"
MAX_ITEMS = 1000
_MEDIA_TYPES = frozenset({"picture", "photo", "video", "audio", "graphic"})
# editorialtypes (AP's words for what a version does) -> kind; the most serious wins.
_EDITORIAL_KINDS = (
    ("kill", ("kill", "elimination", "withhold")),
    ("correction", ("correction", "clarification")),
    ("update", ("writethru", "lead", "update", "sub", "add")),
    ("advisory", ("advisory",)),
)
# `BC-` then category codes, a double dash, the name: `BC-BBN--Top Ten`, `BC-US--Harbor Storm`.
_SLUG = re.compile(r"^BC-(?:[A-Za-z0-9]{1,8}-)+-(?P<name>[^\W_].*)$")
_TABLE = re.compile(r"\b(?:agate|table|tabular|standings|statistics)\b", re.IGNORECASE)


@register
class ApMediaJsonParser:
    """AP Media API items; each text item is a story."""

    name: ClassVar[str] = "apmedia_json"
    content_types: ClassVar[tuple[str, ...]] = ("application/json", "application/vnd.ap.media+json")
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        if not is_json(head):
            return 0
        paths = key_paths(head, max_depth=4)
        if ("data", "item") in paths or ("data", "items", "*", "item") in paths:
            return 97
        if ("api_version",) in paths and ("data",) in paths:
            return 80
        return 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        entries = _entries(load_json(wire.text))
        if not entries:
            raise WireError("unrecognised_format", f"JSON without AP Media items (data.item): {describe(wire.data)}")
        texts = [entry for entry in entries if (text(entry.get("type")) or "text").lower() not in _MEDIA_TYPES]
        if not texts:
            kinds = sorted({text(entry.get("type")) or "?" for entry in entries})
            raise WireError("missing_content", f"AP Media item(s) of type {', '.join(kinds)}: media, not a story")
        return [_item(fold_keys(entry), wire.feed_timezone) for entry in texts]


def _entries(document: Any) -> list[dict[str, Any]]:
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("item"), dict):
        return [data["item"]]
    entries = [entry["item"] for entry in objects(data.get("items")) if isinstance(entry.get("item"), dict)]
    if len(entries) > MAX_ITEMS:
        raise WireError("malformed", f"more than {MAX_ITEMS} AP Media items in one document")
    return entries


def _item(obj: Mapping[str, Any], feed_timezone: str) -> ParsedItem:
    if not (text(obj.get("headline")) or text(obj.get("title"))):
        raise WireError("missing_content", "AP Media text item without a headline")
    item = parse_object(obj, feed_timezone)
    # AP's agency is the copyright holder; `provider`/`infosource` name a third party whose data AP carries.
    # `uri` carries per-request tokens; `altids.itemid` stays the same across an item's versions.
    altids = obj.get("altids")
    item.agency_id = (text(altids.get("itemid")) if isinstance(altids, dict) else None) or item.agency_id
    item.agency = copyright_holder(text(obj.get("copyrightnotice"))) or AGENCY
    _slug_headline(item)
    item.byline = item.byline or _bylines(obj)
    item.subheadline = item.subheadline or text(obj.get("headline_extended"))
    item.kind = _kind(obj, item.kind)
    if item.dateline is None:
        _dateline_location(obj, item)
    return item


def _dateline_location(obj: Mapping[str, Any], item: ParsedItem) -> None:
    """`datelinelocation` (`{city, countryareaname, countryname, geometry_geojson}`) where no dateline is given."""
    location = obj.get("datelinelocation")
    place = first(location, "city", "countryareaname", "countryname") if isinstance(location, dict) else None
    if place:
        item.dateline = Dateline(text=place, place=place)


def _slug_headline(item: ParsedItem) -> None:
    """Agate and data items often carry their ANPA slug as the headline (`BC-BBN--Top Ten`): the name after the
    category codes is the headline a reader sees; the slug stays the slugline."""
    found = _SLUG.match(item.headline or "")
    if found:
        item.slugline = item.slugline or item.headline
        item.headline = found["name"].strip()
        item.recoveries.append("headline given as the ANPA slug; the slug's name read as the headline")


def _bylines(obj: Mapping[str, Any]) -> str | None:
    names = []
    for entry in objects(obj.get("bylines"))[:20]:
        name = first(entry, "name", "by")
        if name:
            names.append(re.sub(r"^by\s+", "", name, flags=re.IGNORECASE))
    return ", ".join(names) or None


def _kind(obj: Mapping[str, Any], parsed: str) -> str:
    if parsed == "kill":
        return parsed
    words = {word.lower() for word in (text(entry) for entry in _list(obj.get("editorialtypes"))) if word}
    for kind, names in _EDITORIAL_KINDS:
        if kind == "kill" and words & set(names):
            return kind
    if (text(obj.get("textformat")) or "").lower() == "at" or _TABLE.search(text(obj.get("profile")) or ""):
        return "table"  # the content type wins over the revision state for tables
    for kind, names in _EDITORIAL_KINDS:
        if words & set(names):
            return kind
    signals = {word.lower() for word in (text(entry) for entry in _list(obj.get("signals"))) if word}
    if "advisory" in (text(obj.get("profile")) or "").lower() or (signals and "newscontent" not in signals):
        return "advisory"
    return parsed


def _list(value: Any) -> list[Any]:
    return value[:100] if isinstance(value, list) else [value] if isinstance(value, str) else []
