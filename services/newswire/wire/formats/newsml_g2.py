"""IPTC NewsML-G2: a `newsItem` is one story; `newsMessage` and `packageItem` hold several.

What is read from each text `newsItem` (items of another class, pictures or graphics, are
skipped; a message without any text item is `missing_content`):

- `@guid` -> agency_id, `@version` -> version, `@xml:lang` -> language fallback.
- itemMeta: `provider` (`@literal`, `name`, or the code of `@qcode`) -> agency;
  `versionCreated`, `firstCreated`, `embargoed`; `pubStatus` (`stat:usable|withheld|canceled`)
  -> pubstatus, `canceled` is a kill; `signal` `sig:correction` -> correction, `sig:update`
  -> update (`sig:repeat` stays a story); `edNote`; `title` (headline fallback).
- contentMeta: `urgency`, `contentCreated` (firstcreated fallback), `located/name`,
  `dateline`, `infoSource` (`@literal` or `name`, agency fallback), `by` or
  `creator/name` -> byline, `language@tag`, `subject@qcode` `medtop:` / `subj:` (or their
  cv.iptc.org URIs) -> subjects, `keyword`, `headline` (with `@role` `...sub...` ->
  subheadline; also `subheadline`), `slugline`, `genre` (advisory genres -> kind advisory).
- contentSet: the first `inlineXML` (XHTML `html/body`, an inline NITF document, or bare
  paragraphs) or `inlineData` (plain text, or escaped HTML) that yields paragraphs.
- dateline: `contentMeta/dateline`, else the agency dateline that opens the first
  paragraph, else `located`.

A `packageItem` whose groups only reference their items (`itemRef`) carries no story
itself: `missing_content`.
"""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from newswire.wire.errors import WireError
from newswire.wire.formats._xml import (
    Clock,
    XmlDocument,
    attr,
    children,
    dateline_from_paragraphs,
    dateline_from_text,
    descendants,
    find,
    fold,
    handoff,
    language_of,
    markup_paragraphs,
    merge_dateline,
    name_of,
    paragraphs_of,
    parse_xml,
    qcode_value,
    raw_text,
    sniff_root,
    split_text,
    strip_repeated_dateline,
    text_at,
    text_of,
    urgency,
    version,
)
from newswire.wire.formats.nitf import read_nitf
from newswire.wire.model import Dateline, ParsedItem, SubjectCode
from newswire.wire.registry import WireInput, register

_STATUS = {"usable": "usable", "withheld": "withheld", "canceled": "canceled", "cancelled": "canceled"}
_TEXT_CLASSES = frozenset({"text", "composite"})
_MEDTOP_URI = "cv.iptc.org/newscodes/mediatopic/"
_SUBJ_URI = "cv.iptc.org/newscodes/subjectcode/"


def _name(element: etree._Element | None) -> str | None:
    """A G2 concept's display text: `@literal`, its `name` child, or the code of `@qcode`."""
    if element is None:
        return None
    return attr(element, "literal") or text_at(element, "name") or qcode_value(attr(element, "qcode")) or None


def _subject(element: etree._Element) -> SubjectCode | None:
    qcode = attr(element, "qcode") or ""
    uri = attr(element, "uri") or ""
    name = text_at(element, "name")
    scheme, _, code = qcode.partition(":")
    if scheme in ("medtop", "subj") and code:
        return SubjectCode(scheme=scheme, code=code, name=name)
    for marker, uri_scheme in ((_MEDTOP_URI, "medtop"), (_SUBJ_URI, "subj")):
        if marker in uri:
            code = uri.split(marker, 1)[1].strip("/")
            if code:
                return SubjectCode(scheme=uri_scheme, code=code, name=name)
    return None


def _headlines(content_meta: etree._Element | None) -> tuple[str | None, str | None]:
    headline = subheadline = None
    for element in children(content_meta, "headline", "subheadline"):
        text = text_of(element)
        if not text:
            continue
        role = (attr(element, "role") or "").lower()
        if name_of(element) == "subheadline" or "sub" in role:
            subheadline = subheadline or text
        else:
            headline = headline or text
    return headline, subheadline


def _content(item: etree._Element, clock: Clock) -> tuple[list[str], ParsedItem | None]:
    """Paragraphs from the first content alternative that has any, and an inline NITF if that was it."""
    for alternative in children(find(item, "contentSet"), "inlineXML", "inlineData"):
        if name_of(alternative) == "inlineData":
            raw = raw_text(alternative)
            kind = (attr(alternative, "contenttype") or "").lower()
            paragraphs = markup_paragraphs(raw) if "html" in kind or "xml" in kind else split_text(raw)
            if paragraphs:
                return paragraphs, None
            continue
        for child in children(alternative):
            if name_of(child) == "nitf":
                nitf = read_nitf(child, clock)
                if nitf.paragraphs or nitf.headline:
                    return nitf.paragraphs, nitf
            elif name_of(child) == "html":
                paragraphs = paragraphs_of(find(child, "body"))
                if paragraphs:
                    return paragraphs, None
        paragraphs = paragraphs_of(alternative)
        if paragraphs:
            return paragraphs, None
    return [], None


def _kind(pubstatus: str, signals: list[str], genres: list[str], item_class: str | None) -> str:
    if pubstatus == "canceled":
        return "kill"
    if "correction" in signals:
        return "correction"
    if "update" in signals:
        return "update"
    if any("advisory" in genre.lower() for genre in genres) or item_class == "advisory":
        return "advisory"
    return "story"


def read_news_item(item: etree._Element, feed_timezone: str, recoveries: list[str]) -> ParsedItem:
    """One `newsItem` element to a parsed item."""
    clock = Clock(feed_timezone)
    meta = find(item, "itemMeta")
    content_meta = find(item, "contentMeta")

    status_code = qcode_value(attr(find(meta, "pubStatus"), "qcode", "uri")) or "usable"
    pubstatus = _STATUS.get(status_code.lower(), "usable")
    signal_codes = (qcode_value(attr(signal, "qcode", "uri")) for signal in children(meta, "signal"))
    signals = [code.lower() for code in signal_codes if code]
    genre_elements = list(children(content_meta, "genre"))
    genres = [g for g in (text_at(e, "name") or qcode_value(attr(e, "qcode", "uri")) for e in genre_elements) if g]

    firstcreated = clock.parse(text_at(meta, "firstCreated")) or clock.parse(text_at(content_meta, "contentCreated"))
    versioncreated = clock.parse(text_at(meta, "versionCreated"))
    anchor = firstcreated or versioncreated
    reference = anchor.date() if anchor else None

    paragraphs, nitf = _content(item, clock)
    located = _name(find(content_meta, "located"))
    dateline_text = text_at(content_meta, "dateline")
    dateline: Dateline | None = dateline_from_text(dateline_text, reference, located) if dateline_text else None
    dateline = merge_dateline(dateline, nitf.dateline if nitf else None)
    if dateline is None:
        dateline, paragraphs = dateline_from_paragraphs(paragraphs, reference)
    else:
        dateline, paragraphs = strip_repeated_dateline(dateline, paragraphs, reference)
    if dateline is None and located:
        dateline = Dateline(text=located, place=located)

    headline, subheadline = _headlines(content_meta)
    creators = [name for name in (_name(c) for c in children(content_meta, "creator")) if name]
    byline = text_at(content_meta, "by") or (", ".join(creators) if creators else None)
    info_sources = [name for name in (_name(source) for source in children(content_meta, "infoSource")) if name]
    agency = _name(find(meta, "provider")) or (info_sources[0] if info_sources else None)
    subjects: list[SubjectCode] = []
    for element in children(content_meta, "subject"):
        subject = _subject(element)
        if subject is not None and subject not in subjects:
            subjects.append(subject)
    language = attr(find(content_meta, "language"), "tag") or language_of(content_meta, item)
    item_class = qcode_value(attr(find(meta, "itemClass"), "qcode", "uri"))

    return ParsedItem(
        headline=headline or text_at(meta, "title") or (nitf.headline if nitf else None),
        subheadline=subheadline or (nitf.subheadline if nitf else None),
        paragraphs=paragraphs,
        byline=byline or (nitf.byline if nitf else None),
        slugline=text_at(content_meta, "slugline"),
        dateline=dateline,
        agency=agency or (nitf.agency if nitf else None),
        agency_id=attr(item, "guid"),
        firstcreated=firstcreated or versioncreated,
        versioncreated=versioncreated,
        embargoed=clock.parse(text_at(meta, "embargoed")),
        urgency=urgency(text_at(content_meta, "urgency")),
        pubstatus=pubstatus,
        kind=_kind(pubstatus, signals, genres, item_class),
        version=version(attr(item, "version")),
        language=language or (nitf.language if nitf else None),
        subjects=subjects or (nitf.subjects if nitf else []),
        keywords=[k for k in (text_of(keyword) for keyword in children(content_meta, "keyword")) if k],
        genres=genres,
        ednote=fold(" ".join(text_of(note) for note in children(meta, "edNote"))) or None,
        recoveries=list(recoveries),
        assumed_timezone=clock.assumed_timezone,
    )


def _is_text_item(item: etree._Element) -> bool:
    item_class = qcode_value(attr(find(item, "itemMeta/itemClass"), "qcode", "uri"))
    return item_class is None or item_class.lower() in _TEXT_CLASSES


@register
class NewsMLG2Parser:
    """NewsML-G2 `newsItem`, `newsMessage` and `packageItem` documents."""

    name: ClassVar[str] = "newsml_g2"
    content_types: ClassVar[tuple[str, ...]] = (
        "application/vnd.iptc.g2.newsitem+xml",
        "application/vnd.iptc.g2.newsmessage+xml",
        "application/vnd.iptc.g2.packageitem+xml",
    )
    binary: ClassVar[bool] = True
    xml_roots: ClassVar[tuple[str, ...]] = ("newsItem", "newsMessage", "packageItem")

    def sniff(self, head: bytes) -> int:
        return 95 if sniff_root(head) in self.xml_roots else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        document = parse_xml(wire.data)
        if name_of(document.root) not in self.xml_roots:
            return handoff(document, wire, "NewsML-G2")
        return self.read(document, wire)

    def read(self, document: XmlDocument, wire: WireInput) -> list[ParsedItem]:
        root = document.root
        kind = name_of(root)
        if kind == "newsItem":
            items = [root]
        else:
            items = list(descendants(root, "newsItem"))
            if not items:
                where = "its groups only reference their items" if kind == "packageItem" else "its itemSet is empty"
                raise WireError("missing_content", f"{kind} holds no inline newsItem: {where}")
        text_items = [item for item in items if _is_text_item(item)]
        if not text_items:
            raise WireError("missing_content", f"{kind} holds no text newsItem (only pictures, graphics, ...)")
        return [read_news_item(item, wire.feed_timezone, document.recoveries) for item in text_items]
