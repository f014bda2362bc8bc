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

import re
from copy import deepcopy
from typing import ClassVar

from lxml import etree

from newswire.wire.errors import WireError
from newswire.wire.formats._xml import (
    Clock,
    XmlDocument,
    attr,
    children,
    dateline_from_text,
    descendants,
    find,
    fold,
    handoff,
    is_advisory,
    kind_from_note,
    language_of,
    lead_byline,
    markup_paragraphs,
    merge_dateline,
    mostly_tables,
    name_of,
    originator,
    paragraphs_of,
    parse_xml,
    qcode_value,
    raw_text,
    settle_dateline,
    sniff_root,
    split_notices,
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
# Parts of a newsItem that arrive alone (copied out of a document): read, and marked malformed.
_FRAGMENT_ROOTS = frozenset({"contentMeta", "itemMeta"})
_UPDATE_CODES = frozenset({"update", "replace", "replaces", "writethru", "refile"})
_CORRECTION_CODES = frozenset({"correction", "corrected", "correct"})
_KILL_CODES = frozenset({"kill", "withdraw", "withdrawn", "killed"})
_MEDTOP_URI = "cv.iptc.org/newscodes/mediatopic/"
_SUBJ_URI = "cv.iptc.org/newscodes/subjectcode/"


def _scheme_and_code(qcode: str | None) -> tuple[str, str]:
    """`edStat:U` -> (`edstat`, `u`); a URI gives its last two path steps."""
    if not qcode:
        return "", ""
    parts = [part for part in re.split(r"[:/#]", qcode.strip().lower()) if part]
    return (parts[-2] if len(parts) > 1 else "", parts[-1] if parts else "")


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
            # Markup is told by what the text holds: agencies send HTML in a CDATA labelled text/plain.
            paragraphs = markup_paragraphs(raw_text(alternative))
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


def _signal_kind(signals: list[tuple[str, str]]) -> str | None:
    """`sig:correction`, `sig:update`, Reuters' `edStat:U`, TT's `tt_sig:replace`; `sig:repeat` says nothing."""
    for scheme, code in signals:
        if code in _CORRECTION_CODES or (code == "c" and "stat" in scheme):
            return "correction"
        if code in _KILL_CODES:
            return "kill"
        if code in _UPDATE_CODES or (code == "u" and "stat" in scheme):
            return "update"
    return None


def _kind(
    pubstatus: str,
    signals: list[tuple[str, str]],
    genres: list[str],
    notes: list[str],
    item_class: str | None,
    tables: bool,
) -> str:
    """kill > correction > advisory > update > story: what the item is wins over its revision state."""
    if pubstatus == "canceled":
        return "kill"
    signalled = _signal_kind(signals)
    noted = kind_from_note(" ".join(notes))
    if "correction" in (signalled, noted):
        return "correction"
    if signalled == "kill":
        return "kill"
    if item_class == "advisory" or any(is_advisory(genre) for genre in genres):
        return "advisory"
    if tables or any(code == "table" for _, code in signals):  # agate body, or Reuters' `sic:TABLE`
        return "table"
    if "update" in (signalled, noted):
        return "update"
    return "story"


def read_news_item(item: etree._Element, feed_timezone: str, recoveries: list[str]) -> ParsedItem:
    """One `newsItem` element to a parsed item."""
    clock = Clock(feed_timezone)
    meta = find(item, "itemMeta")
    content_meta = find(item, "contentMeta")

    status_code = qcode_value(attr(find(meta, "pubStatus"), "qcode", "uri")) or "usable"
    pubstatus = _STATUS.get(status_code.lower(), "usable")
    signals = [_scheme_and_code(attr(signal, "qcode", "uri")) for signal in children(meta, "signal")]
    genre_elements = list(children(content_meta, "genre"))
    genres = [g for g in (text_at(e, "name") or qcode_value(attr(e, "qcode", "uri")) for e in genre_elements) if g]
    ed_notes = list(children(meta, "edNote", "ednote"))
    # An edNote whose role says it names the genre (`dpaednoterole:genrenote`) is read as a genre.
    genres += [text_of(note) for note in ed_notes if "genre" in (attr(note, "role") or "").lower()]
    notes = [text_of(note) for note in ed_notes if "genre" not in (attr(note, "role") or "").lower()]

    firstcreated = clock.parse(text_at(meta, "firstCreated")) or clock.parse(text_at(content_meta, "contentCreated"))
    versioncreated = clock.parse(text_at(meta, "versionCreated"))
    anchor = firstcreated or versioncreated
    reference = anchor.date() if anchor else None

    paragraphs, nitf = _content(item, clock)
    located = _name(find(content_meta, "located"))
    dateline_text = text_at(content_meta, "dateline")
    dateline: Dateline | None = dateline_from_text(dateline_text, reference, located) if dateline_text else None
    # The inline NITF's dateline is nearer the text than the envelope's: it leads, the metadata fills gaps.
    dateline = merge_dateline(nitf.dateline if nitf else None, dateline)
    written_byline, paragraphs = lead_byline(paragraphs)
    notices, paragraphs = split_notices(paragraphs, reference)
    if nitf is not None and nitf.ednote:
        notices.insert(0, nitf.ednote)  # the inline NITF's notices (split off when it was read) or ed-msg
    notes += notices
    dateline, paragraphs = settle_dateline(dateline, paragraphs, reference)
    if dateline is None and located:
        dateline = Dateline(text=located, place=located)

    headline, subheadline = _headlines(content_meta)
    creators = [name for name in (_name(c) for c in children(content_meta, "creator")) if name]
    byline = text_at(content_meta, "by") or (", ".join(creators) if creators else None)
    # infoSource names who the content came from; a redistributor among them is a wire, not the origin.
    sources = [s for s in children(content_meta, "infoSource") if "distribut" not in (attr(s, "role") or "").lower()]
    origins = [name for name in (_name(source) for source in sources) if name]
    holder = _name(find(item, "rightsInfo/copyrightHolder"))
    agency, distributor = originator(_name(find(meta, "provider")), [*origins, *([holder] if holder else [])])
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
        byline=byline or (nitf.byline if nitf else None) or written_byline,
        slugline=text_at(content_meta, "slugline"),
        dateline=dateline,
        agency=agency or (nitf.agency if nitf else None),
        distributor=distributor,
        agency_id=attr(item, "guid"),
        firstcreated=firstcreated or versioncreated,
        versioncreated=versioncreated,
        embargoed=clock.parse(text_at(meta, "embargoed")),
        urgency=urgency(text_at(content_meta, "urgency")),
        pubstatus=pubstatus,
        kind=_kind(pubstatus, signals, genres, notes, item_class, mostly_tables(children(find(item, "contentSet")))),
        version=version(attr(item, "version")),
        language=language or (nitf.language if nitf else None),
        subjects=subjects or (nitf.subjects if nitf else []),
        keywords=[k for k in (text_of(keyword) for keyword in children(content_meta, "keyword")) if k],
        genres=genres,
        ednote=fold(" ".join(notes)) or None,
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
        root = sniff_root(head)
        if root in self.xml_roots:
            return 95
        return 40 if root in _FRAGMENT_ROOTS else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        document = parse_xml(wire.data)
        if name_of(document.root) not in (*self.xml_roots, *_FRAGMENT_ROOTS):
            return handoff(document, wire, "NewsML-G2")
        return self.read(document, wire)

    def read(self, document: XmlDocument, wire: WireInput) -> list[ParsedItem]:
        root = document.root
        kind = name_of(root)
        if kind in _FRAGMENT_ROOTS:
            return [_read_fragment(root, wire.feed_timezone, document.recoveries)]
        # A newsMessage carries its items in itemSet (newsItems, packageItems, ...), in document order.
        news_items = [root] if kind == "newsItem" else list(descendants(root, "newsItem"))
        packages = [root] if kind == "packageItem" else list(descendants(root, "packageItem"))
        text_items = [item for item in news_items if _is_text_item(item)]
        if text_items:
            return [read_news_item(item, wire.feed_timezone, document.recoveries) for item in text_items]
        if news_items:
            raise WireError("missing_content", f"{kind} holds no text newsItem (only pictures, graphics, ...)")
        # A package whose groups only reference their items: its own metadata (headline, times, signals) is the
        # story the message carries; the referenced texts travel separately.
        headed = [package for package in packages if _headline_of(package)]
        if headed:
            return [read_news_item(item, wire.feed_timezone, document.recoveries) for item in headed]
        raise WireError("missing_content", f"{kind} holds no text item and no package with a headline")


def _headline_of(item: etree._Element) -> str | None:
    return _headlines(find(item, "contentMeta"))[0] or text_at(find(item, "itemMeta"), "title")


def _read_fragment(root: etree._Element, feed_timezone: str, recoveries: list[str]) -> ParsedItem:
    """A bare `contentMeta` (or itemMeta/contentSet) without its newsItem and namespace: read inside a stand-in."""
    wrapper = etree.Element("newsItem")
    wrapper.append(deepcopy(root))
    note = f"a bare <{name_of(root)}> fragment without its newsItem root was read as one (malformed)"
    return read_news_item(wrapper, feed_timezone, [*recoveries, note])
