"""EFE's news API JSON: packages (`packageInfo`) of objects (texts, photos, videos), one story per text object.

    {"data": {"items": [{"packageInfo": {id, version, date, firstCreated, title, guide, ...},
                         "objects": [{id, format: {id: 1, description: "Texto"}, title, subtitle, summary,
                                      text, firstCreated, date, guide, guideComplements, keyWords,
                                      tabSeparatedText, richText, metaData: {langCode, iptcList, source,
                                      credit, authors, geoProperties}}, ...]}, ...]}}

A single package (`{"packageInfo", "objects"}`) or a bare array of packages reads the same. The text is
plain, one paragraph per line, opening with EFE's dateline (`Quito, 9 may (EFE).-`) and often closing with
the writer's name on a line of its own. A package's `version` counts its revisions: above 1 the texts in it
are updates (EFE's NewsML twin of the same package says `Update="U"`). Photo and video objects are media, not
stories. Times are ISO 8601 basic (`20210726T143703Z`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any, ClassVar

from newswire.wire.datelines import split_dateline
from newswire.wire.errors import WireError
from newswire.wire.formats._json import describe, first, integer, is_json, key_paths, load_json, moment, objects, text
from newswire.wire.formats.agency_text import Signals, read_signals, strip_signoff
from newswire.wire.formats.ninjs import MAX_HTML_CHARS, html_paragraphs
from newswire.wire.model import Dateline, ParsedItem, SubjectCode
from newswire.wire.registry import WireInput, register

AGENCY = "EFE"
MAX_PACKAGES = 1000
_CONTAINERS = ("data", "items", "packages", "results")
_TEXT_FORMATS = frozenset({"texto", "text", "textos"})
# A closing line that is only a name: `Lucía Ferrer`, `Juan Pablo Ortega`, `Ana de la Fuente`.
_NAME_WORD = r"[^\W\d_][^\W\d_]*(?:[-'’][^\W\d_]+)*"
_SIGNATURE = re.compile(rf"^{_NAME_WORD}(?:\s+(?:(?:de|del|la|las|los|y|da|do|dos|van|von)\s+)*{_NAME_WORD}){{1,3}}$")
# An EFE dateline shape beyond the shared ones: a full stop without its dash (`Lima, 9 may (EFE). El`).
_BARE_STOP = re.compile(r"^(?P<head>[^\n]{1,120}?\(EFE\w{0,12}(?:[ /-]\w{1,15})?\))\.\s+(?=\S)", re.IGNORECASE)
_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "do", "dos", "van", "von"})


@register
class EfeJsonParser:
    """EFE API packages; each text object in them is a story."""

    name: ClassVar[str] = "efe_json"
    content_types: ClassVar[tuple[str, ...]] = ("application/json", "application/vnd.efe+json")
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        if not is_json(head):
            return 0
        # `packageInfo` at the top, in an array of packages, or in the API's `data.items`.
        if any(path[-1] == "packageInfo" and len(path) <= 4 for path in key_paths(head, max_depth=4)):
            return 97
        return 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        packages = _packages(load_json(wire.text))
        if not packages:
            raise WireError("unrecognised_format", f"JSON without EFE packages (packageInfo): {describe(wire.data)}")
        items = [item for package in packages for item in _package_items(package, wire.feed_timezone)]
        if not items:
            raise WireError("missing_content", f"{len(packages)} EFE package(s) without a text object")
        return items


def _packages(document: Any, depth: int = 0) -> list[dict[str, Any]]:
    """The packages wherever the response puts them: the document itself, `data.items`, `data`, `items`, an array."""
    if isinstance(document, dict) and isinstance(document.get("packageInfo"), dict):
        return [document]
    if depth >= 3:
        return []
    if isinstance(document, dict):
        members: list[Any] = [document[key] for key in _CONTAINERS if key in document]
    else:
        members = document[: MAX_PACKAGES + 1] if isinstance(document, list) else []
    packages = [package for member in members for package in _packages(member, depth + 1)]
    if len(packages) > MAX_PACKAGES:
        raise WireError("malformed", f"more than {MAX_PACKAGES} EFE packages in one document")
    return packages


def _is_text(obj: Mapping[str, Any]) -> bool:
    kind = obj.get("format")
    if not isinstance(kind, dict):
        return False
    return integer(kind.get("id"), 0, 1000) == 1 or (text(kind.get("description")) or "").lower() in _TEXT_FORMATS


def _package_items(package: Mapping[str, Any], feed_timezone: str) -> list[ParsedItem]:
    info: dict[str, Any] = package["packageInfo"]
    members = objects(package.get("objects"))
    texts = [obj for obj in members if _is_text(obj)]
    if not members and text(info.get("text")):
        texts = [info]  # a text-only package sent without its objects list
    return [_item(obj, info, feed_timezone) for obj in texts if first(obj, "title", "text", "summary")]


def _item(obj: Mapping[str, Any], info: Mapping[str, Any], feed_timezone: str) -> ParsedItem:
    item = ParsedItem()
    meta = _mapping(obj.get("metaData"))
    item.agency_id = text(obj.get("id")) or text(info.get("id"))
    item.headline = text(obj.get("title")) or text(info.get("title"))
    item.subheadline = text(obj.get("subtitle"))
    item.slugline = text(obj.get("guide")) or text(info.get("guide"))
    item.language = (text(meta.get("langCode")) or "").lower() or None
    item.firstcreated = moment(obj.get("firstCreated"), feed_timezone, item) or moment(
        info.get("firstCreated"), feed_timezone, item
    )
    item.versioncreated = moment(obj.get("date"), feed_timezone, item) or moment(info.get("date"), feed_timezone, item)
    item.version = integer(info.get("version"), 1, 1_000_000)
    if item.version and item.version > 1:
        item.kind = "update"
    _signals(obj, item)
    if obj.get("tabSeparatedText") is True:
        item.preformatted, item.kind = True, "table"
    item.subjects = [code for code in (_subject(entry) for entry in objects(meta.get("iptcList"))) if code]
    keywords = obj.get("keyWords") if isinstance(obj.get("keyWords"), list) else info.get("keyWords")
    item.keywords = [word for word in (text(entry) for entry in (keywords or [])[:200]) if word]
    item.byline = _authors(meta)
    _body(obj, item)
    item.agency = _agency(meta) or (item.dateline.agency if item.dateline else None) or AGENCY
    return item


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _signals(obj: Mapping[str, Any], item: ParsedItem) -> None:
    """`guideComplements` carry EFE's version words (`Ampliación`, `Corrección`, `Anulación`)."""
    signals = Signals()
    for entry in objects(obj.get("guideComplements")):
        words = text(entry.get("description"))
        if words:
            read_signals(words, signals, any_case=True)
    signals.apply(item)


def _body(obj: Mapping[str, Any], item: ParsedItem) -> None:
    raw = obj.get("text")
    raw = raw if isinstance(raw, str) else ""
    if obj.get("richText") is True and "<" in raw:
        if len(raw) > MAX_HTML_CHARS:
            raise WireError("malformed", f"EFE rich text of {len(raw)} characters exceeds {MAX_HTML_CHARS}")
        paragraphs = html_paragraphs(raw)
    else:
        # One paragraph per line; the preformatted (tab-separated) ones keep their columns.
        lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        paragraphs = [line.rstrip() if item.preformatted else " ".join(line.split()) for line in lines]
        paragraphs = [paragraph for paragraph in paragraphs if paragraph.strip()]
    if not paragraphs and text(obj.get("summary")):
        paragraphs = [text(obj.get("summary")) or ""]
    created = item.firstcreated or item.versioncreated
    reference: date | None = created.date() if created else None
    if paragraphs:
        split = _dateline(paragraphs[0], reference)
        if split:
            item.dateline, rest = split
            paragraphs = ([rest] if rest.strip() else []) + paragraphs[1:]
    paragraphs = strip_signoff(paragraphs, AGENCY)
    if len(paragraphs) > 1 and _is_signature(paragraphs[-1]):
        # EFE signs longer pieces with the writer's name on the last line: a byline, not text.
        signature = paragraphs.pop()
        item.byline = item.byline or signature
    item.paragraphs = paragraphs


def _dateline(paragraph: str, reference: date | None) -> tuple[Dateline, str] | None:
    found = split_dateline(paragraph, reference)
    if found:
        return found
    # Read EFE's variants as the shared shape; the changes sit before the split, so the rest is the input's.
    candidate = _BARE_STOP.sub(r"\g<head>.- ", paragraph, count=1)
    found = split_dateline(candidate, reference) if candidate != paragraph else None
    if not found:
        return None
    dateline, rest = found
    return replace(dateline, text=paragraph[: len(paragraph) - len(rest)].strip()), rest


def _is_signature(line: str) -> bool:
    if not _SIGNATURE.match(line):
        return False
    return all(word[0].isupper() for word in line.split() if word not in _PARTICLES)


def _agency(meta: Mapping[str, Any]) -> str | None:
    """The credit (`EFE`) or source (`EFE/EFE`, agency/partner) the object names."""
    for key in ("credit", "source"):
        value = text(meta.get(key))
        if value:
            return value.split("/")[0].strip() or None
    return None


def _authors(meta: Mapping[str, Any]) -> str | None:
    names = []
    for entry in (meta.get("authors") or [])[:20] if isinstance(meta.get("authors"), list) else []:
        name = text(entry) if not isinstance(entry, dict) else first(entry, "name", "fullName", "description")
        if name:
            names.append(name)
    return ", ".join(names) or None


def _subject(entry: Mapping[str, Any]) -> SubjectCode | None:
    code = text(entry.get("code"))
    if not code:
        return None
    levels = [text(entry.get(f"descriptionlevel{level}")) for level in (3, 2, 1)]
    # IPTC subject codes are eight digits; EFE's own codes keep EFE's scheme.
    scheme = "subj" if code.isdigit() and len(code) == 8 else "efe"
    return SubjectCode(scheme, code, next((level for level in levels if level), None))
