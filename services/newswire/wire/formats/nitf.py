"""NITF 3.x (News Industry Text Format): one `<nitf>` document, one story.

What is read:

- head: `title` (headline fallback); `docdata`: `doc-id@id-string` -> agency_id (`@regsrc`
  agency fallback), `date.issue@norm` -> firstcreated/versioncreated, `date.release@norm`
  -> firstcreated fallback and the embargo when later than the issue or when the management
  status is `embargoed`, `urgency@ed-urg` -> urgency, `du-key@version` -> version and
  `du-key@key` -> slugline, `doc.copyright@holder` -> agency, `ed-msg` -> ednote (its
  `msg-type` may mark a correction, kill, advisory or update), `key-list/keyword@key` ->
  keywords, `management-status` (attribute of docdata or element) -> pubstatus (`canceled`
  is a kill); `tobject/tobject.subject@tobject.subject.refnum` (`IPTC:15000000` or
  `15000000`) -> subjects in the `subj` scheme, `tobject.property` -> genres.
- body.head: `hedline/hl1` headline, `hl2` subheadline, `byline` (without `byttl`),
  `dateline` (`location/city`, `story.date@norm`), `distributor` (agency fallback).
- body.content: `p`, `block`, headings, lists, tables (one line per row) and media captions.
  `body.end` (taglines, sign-offs) is left out. An agency dateline opening the first paragraph
  (`Lisbon, 3 Sep (Acme) -`) is split off and wins over the `dateline` element, which fills its
  gaps; a `dateline` holding only `story.date` gives no place. A body mostly made of tables
  (agate: standings, results) is kind `table`.
- language: `xml:lang` on nitf, head, body or body.content.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from lxml import etree

from newswire.wire.formats._xml import (
    Clock,
    XmlDocument,
    attr,
    children,
    dateline_from_text,
    find,
    find_all,
    fold,
    handoff,
    is_advisory,
    kind_from_note,
    language_of,
    lead_byline,
    mostly_tables,
    name_of,
    paragraphs_of,
    parse_xml,
    settle_dateline,
    sniff_root,
    split_notices,
    text_at,
    text_of,
    urgency,
    version,
)
from newswire.wire.model import Dateline, ParsedItem, SubjectCode
from newswire.wire.registry import WireInput, register

_STATUS = {"usable": "usable", "withheld": "withheld", "canceled": "canceled", "cancelled": "canceled"}


def _kind_from_message(
    msg_type: str | None, status: str | None, tables: bool, notes: list[str], genres: list[str]
) -> str:
    """kill > correction > advisory > table > update > story; `notes`: the ed-msg text and the notices
    opening the body; `genres`: tobject.property types."""
    if status in ("canceled", "cancelled", "kill", "killed"):
        return "kill"
    noted = kind_from_note(" ".join(notes))
    if noted == "correction":
        return noted
    text = (msg_type or "").lower()
    for marker, kind in (("correct", "correction"), ("kill", "kill"), ("withdraw", "kill"), ("advis", "advisory")):
        if marker in text:
            return kind
    if any(is_advisory(genre) for genre in genres):
        return "advisory"
    if tables:
        return "table"  # agate: what the item is wins over its revision state
    if "update" in text or "urgent" in text or noted == "update":
        return "update"
    return "story"


def _subjects(head: etree._Element | None) -> list[SubjectCode]:
    subjects: list[SubjectCode] = []
    for subject in find_all(head, "tobject/tobject.subject"):
        refnum = attr(subject, "tobject.subject.refnum")
        if not refnum:
            continue
        code = refnum.rsplit(":", 1)[-1].strip()
        name = attr(subject, "tobject.subject.detail", "tobject.subject.matter", "tobject.subject.type")
        if code and SubjectCode("subj", code, name) not in subjects:
            subjects.append(SubjectCode(scheme="subj", code=code, name=name))
    return subjects


def _byline(body_head: etree._Element | None) -> str | None:
    bylines = [text_of(byline, skip=frozenset({"byttl"})).strip(" ,;") for byline in children(body_head, "byline")]
    joined = "; ".join(byline for byline in bylines if byline)
    return joined or None


def _dateline(element: etree._Element | None, clock: Clock) -> Dateline | None:
    if element is None:
        return None
    story_date = find(element, "story.date")
    moment = clock.parse(attr(story_date, "norm"))
    place = text_at(element, "location/city") or text_at(element, "location")
    # The place as written, without the story.date (EFE's dateline holds only a timestamp there).
    written = text_of(element, skip=frozenset({"story.date"}))
    dateline = dateline_from_text(written or place or "", moment.date() if moment else None, place)
    if dateline is None:
        return None
    updates: dict[str, object] = {}
    if place:
        updates["place"] = place
    if story_date is not None and text_of(story_date):
        updates["date_text"] = text_of(story_date)
    if moment is not None:
        updates["date"] = moment.date()
    return replace(dateline, **updates)  # type: ignore[arg-type]


def read_nitf(nitf: etree._Element, clock: Clock, recoveries: list[str] | None = None) -> ParsedItem:
    """One NITF element (a document root or inline in NewsML) to a parsed item."""
    head = find(nitf, "head")
    docdata = find(head, "docdata")
    body = find(nitf, "body")
    body_head = find(body, "body.head")

    doc_id = find(docdata, "doc-id")
    issued = clock.parse(attr(find(docdata, "date.issue"), "norm"))
    release = clock.parse(attr(find(docdata, "date.release"), "norm"))
    status_element = find(docdata, "management-status")
    status = (
        attr(docdata, "management-status") or attr(status_element, "info", "value") or text_of(status_element) or ""
    ).lower() or None
    embargoed = None
    if release is not None and (status in ("embargoed", "embargo") or (issued is not None and release > issued)):
        embargoed = release
    ed_msg = find(docdata, "ed-msg")
    du_key = find(docdata, "du-key")

    dateline = _dateline(find(body_head, "dateline"), clock)
    story_moment = clock.parse(attr(find(body_head, "dateline/story.date"), "norm"))
    created = issued or release or story_moment
    reference = created.date() if created else None

    contents = list(children(body, "body.content"))
    paragraphs = [p for content in contents for p in paragraphs_of(content)]
    written_byline, paragraphs = lead_byline(paragraphs)
    notices, paragraphs = split_notices(paragraphs, reference)
    dateline, paragraphs = settle_dateline(dateline, paragraphs, reference)

    copyright_holder = attr(find(docdata, "doc.copyright"), "holder")
    agency = (
        copyright_holder
        or attr(doc_id, "regsrc")
        or text_at(body_head, "distributor")
        or (dateline.agency if dateline else None)
    )
    hl2 = [text_of(element) for element in find_all(body_head, "hedline/hl2")]
    ed_note = attr(ed_msg, "info") or text_of(ed_msg)
    genres = [g for g in (attr(p, "tobject.property.type") for p in find_all(head, "tobject/tobject.property")) if g]
    return ParsedItem(
        headline=text_at(body_head, "hedline/hl1") or text_at(head, "title"),
        subheadline=next((h for h in hl2 if h), None),
        paragraphs=paragraphs,
        byline=_byline(body_head) or written_byline,
        slugline=attr(du_key, "key"),
        dateline=dateline,
        agency=agency,
        agency_id=attr(doc_id, "id-string"),
        firstcreated=created,
        versioncreated=issued or release,
        embargoed=embargoed,
        urgency=urgency(attr(find(docdata, "urgency"), "ed-urg")),
        pubstatus=_STATUS.get(status or "", "usable"),
        kind=_kind_from_message(attr(ed_msg, "msg-type"), status, mostly_tables(contents), [ed_note, *notices], genres),
        version=version(attr(du_key, "version")),
        language=language_of(nitf, head, body, find(body, "body.content")),
        subjects=_subjects(head),
        keywords=[k for k in (attr(kw, "key") or text_of(kw) for kw in find_all(docdata, "key-list/keyword")) if k],
        genres=genres,
        ednote=fold(ed_note or " ".join(notices)) or None,
        recoveries=list(recoveries or []),
        assumed_timezone=clock.assumed_timezone,
    )


@register
class NitfParser:
    """NITF 3.x documents (`<nitf>` root)."""

    name: ClassVar[str] = "nitf"
    content_types: ClassVar[tuple[str, ...]] = ("application/nitf+xml", "application/vnd.nitf+xml")
    binary: ClassVar[bool] = True
    xml_roots: ClassVar[tuple[str, ...]] = ("nitf",)

    def sniff(self, head: bytes) -> int:
        return 95 if sniff_root(head) == "nitf" else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        document = parse_xml(wire.data)
        if name_of(document.root) not in self.xml_roots:
            return handoff(document, wire, "NITF")
        return self.read(document, wire)

    def read(self, document: XmlDocument, wire: WireInput) -> list[ParsedItem]:
        return [read_nitf(document.root, Clock(wire.feed_timezone), document.recoveries)]
