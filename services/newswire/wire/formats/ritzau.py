"""Ritzau's RBNews XML: one `<RBNews>` element per story (alone, or listed in the queued-news API's
`XMLNewsQueuedResponse/.../ListOfRBNews`), flat fields without a namespace.

What is read:

- `NewsID` -> agency_id, `version` -> version, `PublishDate` (local time, zone-less, fractional
  seconds) -> firstcreated/versioncreated, `Priority` -> urgency.
- `headline` (nil on flashes: then the agency's teaser `ContentShort`) and `subtitle`,
  `strapline` -> slugline, `section` -> keyword, `byLine` -> byline.
- `content`: HTML escaped as text (`&lt;p&gt;...`) -> paragraphs.
- `town` -> dateline place (an agency dateline opening the text wins), `origin` (`/ritzau/`) ->
  agency (Ritzau when absent); `Via Ritzau` marks relayed third-party copy: Ritzau is the distributor
  and the originator is whom the text's dateline credits (`(GLOBE NEWSWIRE) --`).
- kind: `Annuleret` true -> kill, `Korrektion` true -> correction, `NyVersion` true or a non-empty
  `Replaces`/`replacedID` -> update.

The `i:nil` attribute is read by its local name: Ritzau's files bind `i` to a misspelt schema
namespace, so it is not `xsi:nil`; an empty element says the same.
"""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from newswire.wire.errors import WireError
from newswire.wire.formats._xml import (
    Clock,
    XmlDocument,
    attr,
    descendants,
    find,
    handoff,
    markup_paragraphs,
    name_of,
    parse_xml,
    raw_text,
    settle_dateline,
    sniff_root,
    text_at,
    urgency,
    version,
)
from newswire.wire.model import Dateline, ParsedItem
from newswire.wire.registry import WireInput, register

_TRUE = frozenset({"true", "1", "yes"})


def _field(root: etree._Element, name: str) -> str | None:
    element = find(root, name)
    if element is None or (attr(element, "nil") or "").lower() in _TRUE:
        return None
    return text_at(root, name)


def _flag(root: etree._Element, name: str) -> bool:
    return (_field(root, name) or "").lower() in _TRUE


def _kind(root: etree._Element) -> str:
    if _flag(root, "Annuleret"):
        return "kill"
    if _flag(root, "Korrektion"):
        return "correction"
    if _flag(root, "NyVersion") or _field(root, "Replaces") or _field(root, "replacedID"):
        return "update"
    return "story"


def read_rbnews(root: etree._Element, wire: WireInput, recoveries: list[str]) -> ParsedItem:
    clock = Clock(wire.feed_timezone)
    published = clock.parse(_field(root, "PublishDate"))
    content = find(root, "content")
    paragraphs = markup_paragraphs(raw_text(content)) if content is not None else []
    origin = (_field(root, "origin") or "").strip(" /")
    # `Via Ritzau`: Ritzau relays a third party's copy (a press release); the text names its originator.
    relayed = origin.lower().startswith("via ")
    town = _field(root, "town")
    located = Dateline(text=town, place=town) if town else None
    dateline, paragraphs = settle_dateline(located, paragraphs, published.date() if published else None)
    if relayed:
        agency, distributor = (dateline.agency if dateline else None), origin[4:].strip() or "Ritzau"
    else:
        agency, distributor = origin or "Ritzau", None
    section = _field(root, "section")
    return ParsedItem(
        # A flash comes without a headline: Ritzau's own teaser (ContentShort) is what its clients show.
        headline=_field(root, "headline") or _field(root, "ContentShort"),
        subheadline=_field(root, "subtitle"),
        paragraphs=paragraphs,
        byline=_field(root, "byLine"),
        slugline=_field(root, "strapline"),
        dateline=dateline,
        agency=agency,
        distributor=distributor,
        agency_id=_field(root, "NewsID"),
        firstcreated=published,
        versioncreated=published,
        urgency=urgency(_field(root, "Priority")),
        pubstatus="canceled" if _flag(root, "Annuleret") else "usable",
        kind=_kind(root),
        version=version(_field(root, "version")),
        keywords=[section] if section else [],
        recoveries=list(recoveries),
        assumed_timezone=clock.assumed_timezone,
    )


@register
class RitzauParser:
    """Ritzau RBNews XML: one `<RBNews>`, or the queued-news response that lists several (`ListOfRBNews`)."""

    name: ClassVar[str] = "ritzau"
    content_types: ClassVar[tuple[str, ...]] = ()  # no registered media type: sniffed only
    binary: ClassVar[bool] = True
    xml_roots: ClassVar[tuple[str, ...]] = ("RBNews", "XMLNewsQueuedResponse")

    def sniff(self, head: bytes) -> int:
        return 95 if sniff_root(head) in self.xml_roots or (sniff_root(head) and b"<RBNews" in head) else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        document = parse_xml(wire.data)
        if name_of(document.root) not in self.xml_roots:
            return handoff(document, wire, "Ritzau RBNews")
        return self.read(document, wire)

    def read(self, document: XmlDocument, wire: WireInput) -> list[ParsedItem]:
        root = document.root
        news = [root] if name_of(root) == "RBNews" else list(descendants(root, "RBNews"))
        if not news:
            raise WireError("missing_content", f"<{name_of(root)}> lists no RBNews item")
        return [read_rbnews(item, wire, document.recoveries) for item in news]
