"""IPTC NewsML 1.2: a `<NewsML>` envelope with one or more `NewsItem`s, each one story.

What is read from each `NewsItem`:

- Identification/NewsIdentifier: `ProviderId`, `DateId`, `NewsItemId` -> agency_id
  `urn:newsml:provider:date:item` (the identity shared by every revision), `RevisionId` ->
  version; its `@Update` `U` (replace) or `A` (add) marks an update, `N` a full item.
- NewsManagement: `FirstCreated`, `ThisRevisionCreated`, `Status@FormalName`
  (Usable, Withheld, Canceled -> kill, Embargoed with `StatusWillChange/DateAndTime` as the
  embargo), `Urgency@FormalName`, `NewsItemType@FormalName` (Advisory, Alert -> advisory),
  `Instruction@FormalName` (correction, kill).
- NewsComponents, nested to any depth (the item's first ones win): NewsLines (`HeadLine`,
  `SubHeadLine`, `ByLine`, `DateLine`, `SlugLine`, `KeywordLine`, `CopyrightLine`),
  AdministrativeMetadata (`Provider`/`Source`/`Creator` `Party@FormalName`),
  DescriptiveMetadata (`Language@FormalName`, `SubjectCode/Subject|SubjectMatter|
  SubjectDetail@FormalName` -> `subj` subjects, `Genre@FormalName`, `Property
  FormalName="Keyword"`), and the first `ContentItem/DataContent` with text: inline NITF,
  XHTML, bare paragraphs, plain text or escaped HTML. Components whose `Role` is `Main`
  are tried first.
- NewsEnvelope: `DateAndTime` and `Priority` as fallbacks for the times and the urgency.
"""

from __future__ import annotations

from dataclasses import replace
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
    find_all,
    handoff,
    is_advisory,
    kind_from_note,
    language_of,
    lead_byline,
    markup_paragraphs,
    merge_dateline,
    name_of,
    originator,
    paragraphs_of,
    parse_xml,
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

_BODY_ROLES = frozenset({"main", "body", "text", "story", "maintext"})
_NOT_BODY_ROLES = frozenset({"headline", "subheadline", "stylesheet", "logo", "photo", "contact", "caption"})
_STATUS = {"usable": "usable", "withheld": "withheld", "canceled": "canceled", "cancelled": "canceled"}


def _formal(element: etree._Element | None, path: str | None = None) -> str | None:
    return attr(find(element, path) if path else element, "FormalName")


def _first_text(components: list[etree._Element], path: str) -> str | None:
    for component in components:
        found = text_at(component, path)
        if found:
            return found
    return None


def _party(components: list[etree._Element], role: str) -> str | None:
    for component in components:
        for party in find_all(component, f"AdministrativeMetadata/{role}/Party"):
            name = attr(party, "FormalName") or text_of(party)
            if name:
                return name
    return None


def _data_paragraphs(data: etree._Element, clock: Clock) -> tuple[list[str], ParsedItem | None]:
    for child in children(data):
        if name_of(child) == "nitf":
            nitf = read_nitf(child, clock)
            return nitf.paragraphs, nitf
        if name_of(child) == "html":
            return paragraphs_of(find(child, "body")), None
        if name_of(child) == "body":
            return paragraphs_of(child), None
    if any(True for _ in children(data)):
        return paragraphs_of(data), None
    # Plain text, or HTML escaped into text (CDATA): markup_paragraphs tells them apart.
    return markup_paragraphs(raw_text(data)), None


def _role_rank(component: etree._Element) -> int:
    """Components whose Role names the story text first, then unnamed ones, then the rest (Business Wire's
    SubHeadLine, HeadLine, Contact components carry text that is not the body)."""
    role = (_formal(component, "Role") or "").lower()
    if role in _BODY_ROLES:
        return 0
    return 1 if not role else 2


def _is_text_content(content_item: etree._Element) -> bool:
    media_type = (_formal(content_item, "MediaType") or "text").lower()
    mime = (_formal(content_item, "MimeType") or "").lower()
    form = (_formal(content_item, "Format") or "").lower()
    if media_type not in ("text", "complexdata"):
        return False
    # A style sheet or script carried as its own component is never story text.
    return not any(marker in f"{mime} {form}" for marker in ("css", "javascript", "image/", "audio/", "video/"))


def _content(components: list[etree._Element], clock: Clock) -> tuple[list[str], ParsedItem | None]:
    for component in sorted(components, key=_role_rank):
        if _role_rank(component) == 2 and (_formal(component, "Role") or "").lower() in _NOT_BODY_ROLES:
            continue
        for content_item in children(component, "ContentItem"):
            data = find(content_item, "DataContent")
            if data is None or not _is_text_content(content_item):
                continue
            paragraphs, nitf = _data_paragraphs(data, clock)
            if paragraphs or nitf is not None:
                return paragraphs, nitf
    return [], None


def _kind(
    status: str | None,
    update: str | None,
    item_type: str | None,
    instructions: list[str],
    signals: list[str],
    notices: list[str],
) -> str:
    """kill > correction > advisory > update > story. `signals`: Genre names and AdvisoryLine texts;
    `notices`: editors' notices that open the body before its dateline."""
    if status == "canceled":
        return "kill"
    lowered = " ".join(instructions).lower()
    noted = kind_from_note(" ".join([*signals, *notices]))
    if "correct" in lowered or "rectif" in lowered or noted == "correction":
        return "correction"
    if "kill" in lowered or "withdraw" in lowered:
        return "kill"
    if (item_type or "").lower() in ("advisory", "alert") or any(is_advisory(s) for s in signals):
        return "advisory"
    if (update or "").upper() in ("U", "A") or noted == "update":
        return "update"
    return "story"


def _origin_city(components: list[etree._Element]) -> str | None:
    for component in components:
        for location in find_all(component, "DescriptiveMetadata/Location"):
            if (attr(location, "HowPresent") or "origin").lower() != "origin":
                continue
            for prop in children(location, "Property"):
                value = attr(prop, "Value")
                if (attr(prop, "FormalName") or "").lower() == "city" and value:
                    return value
    return None


def _advisory_lines(components: list[etree._Element]) -> list[str]:
    """NewsLine texts of type AdvisoryLine (`UPDATES throughout`, `CORRECTS spelling`)."""
    lines = []
    for component in components:
        for line in find_all(component, "NewsLines/NewsLine"):
            if (_formal(line, "NewsLineType") or "").lower() == "advisoryline":
                lines.append(text_at(line, "NewsLineText") or "")
    return [line for line in lines if line]


def read_news_item(
    item: etree._Element, envelope: etree._Element | None, wire: WireInput, recoveries: list[str]
) -> ParsedItem:
    """One NewsML 1.2 `NewsItem` to a parsed item."""
    clock = Clock(wire.feed_timezone)
    identifier = find(item, "Identification/NewsIdentifier")
    provider_id, date_id, item_id = (text_at(identifier, name) for name in ("ProviderId", "DateId", "NewsItemId"))
    revision = find(identifier, "RevisionId")
    agency_id = f"urn:newsml:{provider_id or ''}:{date_id or ''}:{item_id}" if item_id else None
    if agency_id is None:
        public = text_at(identifier, "PublicIdentifier")
        agency_id = public.rsplit(":", 1)[0] if public and public.count(":") >= 4 else public

    management = find(item, "NewsManagement")
    status_name = (_formal(management, "Status") or "usable").lower()
    pubstatus = _STATUS.get(status_name, "usable")
    embargoed = None
    if status_name == "embargoed":
        embargoed = clock.parse(text_at(management, "StatusWillChange/DateAndTime"))
    instructions = [name for name in (_formal(i) for i in children(management, "Instruction")) if name]
    firstcreated = clock.parse(text_at(management, "FirstCreated")) or clock.parse(text_at(envelope, "DateAndTime"))
    versioncreated = clock.parse(text_at(management, "ThisRevisionCreated")) or firstcreated
    reference = firstcreated.date() if firstcreated else None

    top = list(children(item, "NewsComponent"))
    components = [node for component in top for node in [component, *descendants(component, "NewsComponent")]]
    components += [c for c in descendants(item, "NewsComponent") if c not in components]  # inside Update elements
    paragraphs, nitf = _content(components, clock)

    dateline_text = _first_text(components, "NewsLines/DateLine")
    dateline = dateline_from_text(dateline_text, reference) if dateline_text else None
    # The inline NITF's dateline is nearer the text than the envelope's: it leads, the metadata fills gaps.
    dateline = merge_dateline(nitf.dateline if nitf else None, dateline)
    written_byline, paragraphs = lead_byline(paragraphs)
    notices, paragraphs = split_notices(paragraphs, reference)
    if nitf is not None and nitf.ednote:
        notices.insert(0, nitf.ednote)  # the inline NITF's notices (split off when it was read) or ed-msg
    dateline, paragraphs = settle_dateline(dateline, paragraphs, reference)
    if dateline is None or not dateline.place:
        # Neither the text nor the DateLine names a place: the Location's City does (`HowPresent="Origin"`).
        city = _origin_city(components)
        if city:
            dateline = replace(dateline, place=city) if dateline else Dateline(text=city, place=city)

    subjects: list[SubjectCode] = []
    keywords: list[str] = []
    genres: list[str] = []
    language = None
    for component in components:
        descriptive = find(component, "DescriptiveMetadata")
        if descriptive is None:
            continue
        language = language or _formal(descriptive, "Language")
        for subject in find_all(descriptive, "SubjectCode/Subject|SubjectMatter|SubjectDetail"):
            code = attr(subject, "FormalName")
            if code and SubjectCode("subj", code) not in subjects:
                subjects.append(SubjectCode(scheme="subj", code=code))
        for prop in children(descriptive, "Property"):
            value = attr(prop, "Value")
            if (attr(prop, "FormalName") or "").lower() == "keyword" and value and value not in keywords:
                keywords.append(value)
        genres.extend(g for g in (_formal(genre) for genre in children(descriptive, "Genre")) if g and g not in genres)
    for component in components:
        for line in find_all(component, "NewsLines/KeywordLine"):
            text = text_of(line)
            if text and text not in keywords:
                keywords.append(text)

    # Provider is who delivers the item (SentFrom in the envelope says the same); Source may be the agency that
    # wrote it (copy relayed by another wire) or, on a press-release wire, the issuer (not an agency).
    provider = _party(components, "Provider") or attr(find(envelope, "SentFrom/Party"), "FormalName")
    sources = [name for name in (_party([c], "Source") for c in components) if name]
    agency, distributor = originator(provider, sources)
    agency = agency or (nitf.agency if nitf else None) or (dateline.agency if dateline else None) or provider_id
    byline = _first_text(components, "NewsLines/ByLine") or (nitf.byline if nitf else None)
    byline = byline or written_byline or _party(components, "Creator")
    headline = _first_text(components, "NewsLines/HeadLine") or (nitf.headline if nitf else None)
    return ParsedItem(
        headline=headline,
        subheadline=_first_text(components, "NewsLines/SubHeadLine") or (nitf.subheadline if nitf else None),
        paragraphs=paragraphs,
        byline=byline,
        slugline=_first_text(components, "NewsLines/SlugLine"),
        dateline=dateline,
        agency=agency,
        distributor=distributor,
        agency_id=agency_id,
        firstcreated=firstcreated,
        versioncreated=versioncreated,
        embargoed=embargoed,
        urgency=urgency(_formal(management, "Urgency") or _formal(envelope, "Priority")),
        pubstatus=pubstatus,
        kind=_kind(
            pubstatus,
            attr(revision, "Update"),
            _formal(management, "NewsItemType"),
            instructions,
            [*genres, *_advisory_lines(components)],
            notices,
        ),
        version=version(text_of(revision)),
        language=language or language_of(item, *components) or (nitf.language if nitf else None),
        subjects=subjects or (nitf.subjects if nitf else []),
        keywords=keywords or (nitf.keywords if nitf else []),
        genres=genres,
        ednote=" ".join(notices) or None,
        recoveries=list(recoveries),
        assumed_timezone=clock.assumed_timezone,
    )


@register
class NewsML1Parser:
    """IPTC NewsML 1.x documents (`<NewsML>` root)."""

    name: ClassVar[str] = "newsml1"
    content_types: ClassVar[tuple[str, ...]] = ()  # NewsML 1 has no registered media type: sniffed only
    binary: ClassVar[bool] = True
    xml_roots: ClassVar[tuple[str, ...]] = ("NewsML",)

    def sniff(self, head: bytes) -> int:
        return 95 if sniff_root(head) in self.xml_roots else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        document = parse_xml(wire.data)
        if name_of(document.root) not in self.xml_roots:
            return handoff(document, wire, "NewsML 1")
        return self.read(document, wire)

    def read(self, document: XmlDocument, wire: WireInput) -> list[ParsedItem]:
        envelope = find(document.root, "NewsEnvelope")
        items = list(children(document.root, "NewsItem"))
        if not items:
            raise WireError("missing_content", "NewsML document without a NewsItem")
        return [read_news_item(item, envelope, wire, document.recoveries) for item in items]
