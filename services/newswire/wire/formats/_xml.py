"""Safe XML for the wire formats (NITF, NewsML-G2, NewsML 1.2): parsing, encodings, lookups, times.

Safety. Documents are parsed with lxml/libxml2 with entity resolution, DTD loading, DTD
validation, network access and libxml2's "huge" mode all switched off, so nothing a document
says can make the parser read a file or open a connection. On top of that:

- The internal DTD subset is read by `_dtd.strip_subset` before the parser sees the bytes:
  internal general entities are expanded there within count, depth and size bounds; external
  entities (XXE), parameter entities naming a URL and blow-ups are `forbidden_xml`. A plain
  `<!DOCTYPE nitf SYSTEM "nitf-3-5.dtd">` is accepted and never fetched; references to
  entities it would have declared are left unexpanded.
- Bounds, each `forbidden_xml` when exceeded (and checked again after a recovering parse):
  nesting depth `MAX_DEPTH` = 256 (libxml2's own limit without XML_PARSE_HUGE),
  `MAX_ELEMENTS` = 100,000 elements, `MAX_ATTRIBUTES` = 1,024 attributes on one element,
  `MAX_TOTAL_ATTRIBUTES` = 200,000 attributes in all; libxml2 also caps one text node at
  10 MB and a name at 50,000 characters. The pipeline caps a message at 5 MiB before this.
- Malformed XML is `malformed`, except damage a careful human would read through: an unbound
  namespace prefix, elements left open at the end of a truncated feed dump, a mismatched
  closing tag, an undeclared entity (`&nbsp;`). For those a second, recovering parse is
  made, and a human note per kind of damage goes to `ParsedItem.recoveries`.

Encoding: the XML declaration is a hint. Feeds declare ISO-8859-1 and send UTF-8; if the
bytes hold non-ASCII, are valid UTF-8 and the declaration names a single-byte Latin charset,
they are read as UTF-8 (and a recovery is noted). The reverse, bytes declared (or defaulting
to) UTF-8 that are not valid UTF-8, are read as Windows-1252, also noted.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from html import unescape
from zoneinfo import ZoneInfo

from lxml import etree

from newswire.wire.agencies import AGENCIES, canonical_agency
from newswire.wire.datelines import parse_day_month, resolve_date, split_dateline
from newswire.wire.errors import WireError
from newswire.wire.formats._dtd import strip_subset
from newswire.wire.model import Dateline, ParsedItem
from newswire.wire.registry import WireInput, parsers

MAX_DEPTH = 256
MAX_ELEMENTS = 100_000
MAX_ATTRIBUTES = 1_024
MAX_TOTAL_ATTRIBUTES = 200_000
MAX_RECOVERED_ERRORS = 50

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_LATIN_SINGLE_BYTE = frozenset({"iso8859-1", "cp1252", "iso8859-15", "ascii"})
_SPACE = re.compile(r"\s+")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

# libxml2 error types the recovering parse may repair, each with the note a human would write.
_RECOVERABLE: dict[str, str] = {
    "NS_ERR_UNDEFINED_NAMESPACE": "an unbound namespace prefix was read as part of the element name",
    "ERR_TAG_NOT_FINISHED": "elements left open at the end of the document (truncated feed) were closed",
    "ERR_TAG_NAME_MISMATCH": "a mismatched closing tag was repaired",
    "ERR_UNDECLARED_ENTITY": "an undeclared entity reference was dropped",
    "WAR_UNDECLARED_ENTITY": "an undeclared entity reference was dropped",
    "ERR_DOCUMENT_END": "stray content after the root element was ignored",
    "ERR_LTSLASH_REQUIRED": "elements left open at the end of the document (truncated feed) were closed",
    "ERR_GT_REQUIRED": "a tag cut short at the end of the document was dropped",
}
_SECURITY_TYPES = frozenset({"ERR_RESOURCE_LIMIT", "ERR_ENTITY_LOOP", "ERR_ENTITY_AMPLIFICATION"})


@dataclass
class XmlDocument:
    """A parsed wire document: its root and the repairs that reading it took."""

    root: etree._Element
    encoding: str
    recoveries: list[str] = field(default_factory=list)


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        encoding="utf-8",  # the bytes handed over are always transcoded to UTF-8 first
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        attribute_defaults=False,
        recover=recover,
        remove_pis=True,
    )


# ---------------------------------------------------------------------------- encodings


def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    label = name.decode("ascii", "replace") if isinstance(name, bytes) else name
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_xml(data: bytes) -> tuple[str, str, list[str]]:
    """The document as text, the encoding actually used, and notes on a mislabelled charset."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec, []
            except UnicodeDecodeError as error:
                raise WireError("undecodable", f"invalid {codec} after its byte-order mark: {error.reason}") from None
    if data.startswith((b"<\x00", b"\x00<")):
        codec = "utf-16-le" if data.startswith(b"<\x00") else "utf-16-be"
        try:
            return data.decode(codec), codec, []
        except UnicodeDecodeError as error:
            raise WireError("undecodable", f"invalid {codec}: {error.reason}") from None
    found = _DECLARATION.match(data[:512])
    declared_label = found.group(1).decode("ascii") if found else None
    declared = _codec(declared_label) or "utf-8"
    if found and _codec(declared_label) is None:
        notes = [f"unknown declared encoding {declared_label!r} ignored"]
    else:
        notes = []
    has_non_ascii = any(byte > 0x7F for byte in data)
    if declared == "utf-8" or not has_non_ascii:
        if not has_non_ascii:
            return data.decode("ascii"), "ascii", notes
        try:
            return data.decode("utf-8"), "utf-8", notes
        except UnicodeDecodeError:
            label = f"declared {declared_label}" if declared_label else "no encoding declared (UTF-8)"
            notes.append(f"{label} but the bytes are not UTF-8: read as Windows-1252")
            return _decode_single_byte(data, "cp1252"), "cp1252", notes
    if declared in _LATIN_SINGLE_BYTE:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return _decode_single_byte(data, declared), declared, notes
        notes.append(f"declared {declared_label} but the bytes are UTF-8: read as UTF-8")
        return text, "utf-8", notes
    try:
        return data.decode(declared), declared, notes
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise WireError("undecodable", f"bytes are neither the declared {declared_label} nor UTF-8") from None
    notes.append(f"declared {declared_label} but the bytes are UTF-8: read as UTF-8")
    return text, "utf-8", notes


_MOJIBAKE = re.compile("â€|Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]")


def repair_double_utf8(text: str) -> str | None:
    """The text with doubly encoded UTF-8 undone (`worldâ€™s` -> `world’s`), or None when it is not that.

    UTF-8 bytes once read as Windows-1252 and encoded again: reversing it must give valid UTF-8 for the
    whole text, which real Latin-1 or Windows-1252 text practically never does.
    """
    if not _MOJIBAKE.search(text):
        return None
    raw = bytearray()
    for char in text:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return None
            raw.append(ord(char))  # the five bytes Windows-1252 leaves undefined came through as C1 controls
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_single_byte(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return data.decode("latin-1")  # Windows-1252 leaves five bytes undefined; Latin-1 maps every byte


# ---------------------------------------------------------------------------- parsing


def parse_xml(data: bytes) -> XmlDocument:
    """Parse wire bytes safely; raise `WireError` (forbidden_xml, malformed, undecodable) otherwise."""
    text, encoding, notes = decode_xml(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = strip_subset(text)  # internal entities expanded within bounds; libxml2 sees no declaration
    repaired = repair_double_utf8(text)
    if repaired is not None:
        text = repaired
        notes.append("doubly encoded UTF-8 (mojibake such as â€™) was decoded once more")
    payload = text.encode("utf-8")
    parser = _parser(recover=False)
    try:
        root = etree.fromstring(payload, parser)
    except etree.XMLSyntaxError:
        root = _recover(payload, list(parser.error_log), notes)
    except ValueError as error:
        raise WireError("malformed", f"not parseable as XML: {error}") from None
    else:
        for warning in parser.error_log:
            note = _RECOVERABLE.get(warning.type_name)
            if note and note not in notes:
                notes.append(note)
    if root is None:
        raise WireError("malformed", "no root element")
    _check_bounds(root)
    _check_dtd(root)
    return XmlDocument(root=root, encoding=encoding, recoveries=notes)


def _describe(errors: Iterable[etree._LogEntry]) -> str:
    first = next(iter(errors), None)
    return f"{first.message} (line {first.line}, column {first.column})" if first is not None else "parse error"


def _recover(payload: bytes, errors: list[etree._LogEntry], notes: list[str]) -> etree._Element:
    if any(error.type_name in _SECURITY_TYPES for error in errors):
        limits = (error for error in errors if error.type_name in _SECURITY_TYPES)
        raise WireError("forbidden_xml", f"parser limit exceeded: {_describe(limits)}")
    fatal = [error for error in errors if error.type_name not in _RECOVERABLE and error.level_name != "WARNING"]
    if fatal:
        raise WireError("malformed", _describe(fatal))
    parser = _parser(recover=True)
    try:
        root = etree.fromstring(payload, parser)
    except etree.XMLSyntaxError:
        root = None
    repaired = list(parser.error_log)
    if any(error.type_name in _SECURITY_TYPES for error in repaired):
        raise WireError("forbidden_xml", f"parser limit exceeded: {_describe(repaired)}")
    unknown = [e for e in repaired if e.type_name not in _RECOVERABLE and e.level_name != "WARNING"]
    if root is None or unknown or len(repaired) > MAX_RECOVERED_ERRORS:
        raise WireError("malformed", _describe(unknown or errors))
    for error in repaired or errors:
        note = _RECOVERABLE.get(error.type_name)
        if note and note not in notes:
            notes.append(note)
    return root


def _check_bounds(root: etree._Element) -> None:
    elements = 0
    attributes = 0
    depth = 0
    # An explicit stack: recursion would hit Python's limit before MAX_DEPTH in hostile input.
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, level = stack.pop()
        elements += 1
        count = len(element.attrib) if isinstance(element.tag, str) else 0
        attributes += count
        depth = max(depth, level)
        if elements > MAX_ELEMENTS:
            raise WireError("forbidden_xml", f"more than {MAX_ELEMENTS} elements")
        if count > MAX_ATTRIBUTES:
            raise WireError("forbidden_xml", f"an element has {count} attributes (limit {MAX_ATTRIBUTES})")
        if attributes > MAX_TOTAL_ATTRIBUTES:
            raise WireError("forbidden_xml", f"more than {MAX_TOTAL_ATTRIBUTES} attributes")
        if depth > MAX_DEPTH:
            raise WireError("forbidden_xml", f"nesting deeper than {MAX_DEPTH}")
        stack.extend((child, level + 1) for child in element)


def _check_dtd(root: etree._Element) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # type: ignore[attr-defined]
        raise WireError("forbidden_xml", "the document declares entities in its DTD")


# ---------------------------------------------------------------------------- sniffing

_FIRST_TAG = re.compile(r"<(?![?!])([A-Za-z_][\w.:-]*)")
_DOCTYPE_NAME = re.compile(r"<!DOCTYPE\s+([A-Za-z_][\w.:-]*)", re.IGNORECASE)
_SKIP_PROLOG = re.compile(r"<\?.*?\?>|<!--.*?-->", re.DOTALL)


def sniff_root(head: bytes) -> str | None:
    """The local name of the root element from the first bytes, or None if this is not XML."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
    elif head.startswith(b"<\x00"):
        text = head.decode("utf-16-le", errors="ignore")
    elif head.startswith(b"\x00<"):
        text = head.decode("utf-16-be", errors="ignore")
    else:
        text = head.decode("latin-1")
    text = text.lstrip("\ufeff\xef\xbb\xbf \t\r\n")
    if not text.startswith("<"):
        return None
    text = _SKIP_PROLOG.sub("", text)
    named = _DOCTYPE_NAME.search(text)
    if named:
        return local(named.group(1))
    found = _FIRST_TAG.search(text)
    return local(found.group(1)) if found else None


# ---------------------------------------------------------------------------- lookups


def local(tag: object) -> str:
    """Local name of an element tag (`{ns}name`, `prefix:name` from a recovered parse, `name`)."""
    if not isinstance(tag, str):
        return ""  # comments, processing instructions, entity references
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def name_of(element: etree._Element) -> str:
    return local(element.tag)


def children(element: etree._Element | None, *names: str) -> Iterator[etree._Element]:
    """Child elements whose local name is one of `names` (all child elements when none given)."""
    if element is None:
        return
    for child in element:
        if isinstance(child.tag, str) and (not names or local(child.tag) in names):
            yield child


def find(element: etree._Element | None, path: str) -> etree._Element | None:
    """The first element along a `/`-separated path of local names (`itemMeta/pubStatus`)."""
    found = find_all(element, path)
    return found[0] if found else None


def find_all(element: etree._Element | None, path: str) -> list[etree._Element]:
    """Every element along a `/`-separated path of local names, in document order."""
    if element is None:
        return []
    current = [element]
    for step in path.split("/"):
        names = tuple(step.split("|"))
        current = [child for parent in current for child in children(parent, *names)]
        if not current:
            return []
    return current


def descendants(element: etree._Element | None, *names: str) -> Iterator[etree._Element]:
    """Descendant elements (not `element` itself) with one of the local names, in document order."""
    if element is None:
        return
    for node in element.iterdescendants():
        if isinstance(node.tag, str) and local(node.tag) in names:
            yield node


def fold(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def text_of(element: etree._Element | None, skip: frozenset[str] = frozenset()) -> str:
    """All text under an element with whitespace folded, skipping comments and `skip` subtrees."""
    if element is None:
        return ""
    return fold("".join(_texts(element, skip)))


def _texts(element: etree._Element, skip: frozenset[str]) -> Iterator[str]:
    if element.text and isinstance(element.tag, str):
        yield element.text
    for child in element:
        if isinstance(child.tag, str) and local(child.tag) not in skip:
            if local(child.tag) == "br":
                yield " "
            yield from _texts(child, skip)
        if child.tail:
            yield child.tail


def text_at(element: etree._Element | None, path: str) -> str | None:
    """Folded text of the element at `path`, or None when missing or empty."""
    return text_of(find(element, path)) or None


def attr(element: etree._Element | None, *names: str) -> str | None:
    """The first non-empty attribute among `names` (local names; `xml:lang` may be asked as `lang`)."""
    if element is None:
        return None
    wanted = set(names)
    for name in names:
        value = element.get(name)
        if value and value.strip():
            return value.strip()
    for key, raw in element.attrib.items():
        value = str(raw)
        if local(str(key)) in wanted and value.strip():
            return value.strip()
    return None


def raw_text(element: etree._Element) -> str:
    """The element's text exactly as written (line breaks kept), comments left out."""
    return "".join(str(piece) for piece in element.itertext())


def language_of(*elements: etree._Element | None) -> str | None:
    """`xml:lang` (or a plain `lang`) on the first of the elements that carries one."""
    for element in elements:
        if element is None:
            continue
        value = element.get(XML_LANG) or element.get("lang")
        if value and value.strip():
            return value.strip()
    return None


def qcode_value(qcode: str | None) -> str | None:
    """`stat:usable` -> `usable`; `http://cv.iptc.org/newscodes/signal/correction` -> `correction`."""
    if not qcode:
        return None
    return re.split(r"[:/#]", qcode.strip().rstrip("/"))[-1] or None


# ---------------------------------------------------------------------------- bodies

PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "hl2", "li", "dt", "dd", "pre", "caption"})
CONTAINER_TAGS = frozenset(
    {"body", "body.content", "block", "div", "section", "article", "ul", "ol", "dl", "blockquote", "main", "nitf-table"}
)
MEDIA_TEXT_TAGS = frozenset({"media-caption", "figcaption", "media-producer"})
# Never story text: style sheets, scripts, and an HTML page's header/footer/navigation (headline and metadata
# repeated as markup, as dpa's XHTML does).
SKIPPED_TAGS = frozenset(
    {
        "body.end",
        "tagline",
        "bibliography",
        "script",
        "style",
        "head",
        "header",
        "footer",
        "nav",
        "media-reference",
        "media-object",
        "note",
    }
)


def paragraphs_of(container: etree._Element | None) -> list[str]:
    """Paragraph texts of a body: `p`, headings, list items, `block`s, tables and media captions."""
    if container is None:
        return []
    out: list[str] = []
    _collect(container, out)
    return [_unescape_leftovers(paragraph) for paragraph in out if paragraph]


def _collect(container: etree._Element, out: list[str]) -> None:
    loose = [container.text or ""]
    for child in container:
        name = local(child.tag)
        if not isinstance(child.tag, str) or name in SKIPPED_TAGS:
            loose.append(child.tail or "")
            continue
        if name in PARAGRAPH_TAGS or name in MEDIA_TEXT_TAGS or name in CONTAINER_TAGS | {"table", "media", "figure"}:
            _flush(loose, out)
            if name == "table":
                out.append(table_text(child))
            elif name in ("media", "figure"):
                out.extend(text_of(caption) for caption in descendants(child, *MEDIA_TEXT_TAGS))
            elif name in CONTAINER_TAGS:
                _collect(child, out)
            else:
                out.append(text_of(child))
            loose = [child.tail or ""]
        else:
            # Inline markup (em, a, span, person, location, ...) inside loose text.
            loose.append(text_of(child))
            loose.append(child.tail or "")
    _flush(loose, out)


def _flush(loose: list[str], out: list[str]) -> None:
    text = "".join(loose)
    out.extend(fold(block) for block in re.split(r"\n\s*\n", text) if fold(block))
    loose.clear()


_AGATE_ENTRY = re.compile(r"[^;]{2,60}?\d[\d.,:-]*\s*;")


def _agate_line(text: str) -> bool:
    """A paragraph that is a listing, not prose: `Name, Team, 31; Name, Team, 28; ...` (leaders, results)."""
    return len(_AGATE_ENTRY.findall(text)) >= 3


def mostly_tables(containers: Iterable[etree._Element]) -> bool:
    """True when tables and listing paragraphs hold most of the body text (agate: standings, results, leaders)."""
    total = agate = 0
    for container in containers:
        total += len(text_of(container))
        agate += sum(len(text_of(table)) for table in descendants(container, "table"))
        agate += sum(len(text) for text in map(text_of, descendants(container, "p")) if _agate_line(text))
    return total > 0 and agate * 2 > total


def table_text(table: etree._Element) -> str:
    """A table as text: one line per row, cells separated by a tab (as TSV: no separator word between them)."""
    rows = []
    caption = text_at(table, "caption")
    if caption:
        rows.append(caption)
    for row in descendants(table, "tr"):
        cells = [text_of(cell) for cell in children(row, "td", "th")]
        if any(cells):
            rows.append("\t".join(cells))
    return "\n".join(rows)


def split_text(text: str) -> list[str]:
    """Plain-text content (inlineData, DataContent): blank lines separate paragraphs."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    if len(blocks) == 1 and "\n" in blocks[0]:
        blocks = blocks[0].split("\n")
    return [fold(block) for block in blocks if fold(block)]


# ---------------------------------------------------------------------------- times

_ISO_EXTENDED = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_ISO_BASIC = re.compile(
    r"^(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})"
    r"(?:T(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?(?:[.,](?P<f>\d+))?)?"
    r"\s*(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?$"
)


class Clock:
    """Parses ISO 8601 times (extended and basic forms) to aware datetimes.

    Zone-less times get the feed's zone; `assumed` records that it happened so the parser
    can set `ParsedItem.assumed_timezone`.
    """

    def __init__(self, feed_timezone: str = "UTC") -> None:
        self.feed_timezone = feed_timezone
        try:
            self.zone: tzinfo = ZoneInfo(feed_timezone)
        except (ValueError, KeyError, OSError):
            self.zone, self.feed_timezone = UTC, "UTC"
        self.assumed = False

    def parse(self, text: str | None) -> datetime | None:
        if not text:
            return None
        value = text.strip()
        found = _ISO_EXTENDED.match(value) or _ISO_BASIC.match(value)
        if not found:
            return None
        try:
            moment = datetime(
                int(found["y"]),
                int(found["mo"]),
                int(found["d"]),
                int(found["h"] or 0),
                int(found["mi"] or 0),
                int(found["s"] or 0),
                int((found["f"] or "0")[:6].ljust(6, "0")),
            )
        except ValueError:
            return None
        zone = found["z"]
        if zone is None:
            self.assumed = True
            return moment.replace(tzinfo=self.zone)
        if zone == "Z":
            return moment.replace(tzinfo=UTC)
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes) * (-1 if zone[0] == "-" else 1)
        return moment.replace(tzinfo=timezone(offset))

    @property
    def assumed_timezone(self) -> str | None:
        return self.feed_timezone if self.assumed else None


def local_date(moment: datetime | None) -> date | None:
    return moment.date() if moment else None


def midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


# ---------------------------------------------------------------------------- small mappings


def urgency(value: str | None) -> int | None:
    """Agency urgency to ninjs 1..9 (1 most urgent); out-of-range values are clamped."""
    if not value:
        return None
    found = re.search(r"-?\d+", value)
    if not found:
        return None
    return min(9, max(1, int(found.group())))


def version(value: str | None) -> int | None:
    if not value:
        return None
    found = re.search(r"\d+", value)
    return int(found.group()) if found and int(found.group()) > 0 else None


def dateline_from_text(text: str, reference: date | None, place_hint: str | None = None) -> Dateline | None:
    """A dateline element's text (`LISBON, Sept. 3`, `Lisboa, 3 set (Lusa) -`) split into its parts; a field
    that holds only a timestamp or a date (`20240511T081500+0000`, `9/5/2024`) gives no place but the hint."""
    found = place_checked(_split_dateline_text(fold(text), reference, place_hint))
    if found is not None and found.place is None and place_hint:
        return replace(found, place=place_hint)
    return found


def _split_dateline_text(text: str, reference: date | None, place_hint: str | None) -> Dateline | None:
    if not text:
        return None
    split = split_dateline(text if re.search(r"[-–—_:]\s*$", text) else f"{text} -", reference)
    if split is not None and not split[1].strip():
        found = split[0]
        return Dateline(text=text, place=found.place, date_text=found.date_text, agency=found.agency, date=found.date)
    # `TUCSON, Ariz., June 11`: the last comma-separated part that reads as a day and month is the date.
    parts = [part.strip() for part in text.rstrip("-–—: ").split(",")]
    for index in range(len(parts) - 1, 0, -1):
        day_month = parse_day_month(parts[index]) if any(c.isdigit() for c in parts[index]) else None
        if day_month is not None:
            return Dateline(
                text=text,
                place=", ".join(parts[:index]) or place_hint,
                date_text=", ".join(parts[index:]),
                date=resolve_date(*day_month, reference),
            )
    return Dateline(text=text, place=text.rstrip("-–—: ") or place_hint)


_TIME_LIKE = re.compile(r"^[\d\s:./,+\-TtZz]*(?:GMT|UTC)?[\d\s:./+\-]*$")


_WEEKDAY = re.compile(
    r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miércoles|jueves|viernes|"
    r"sábado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag)$",
    re.IGNORECASE,
)


def _is_date_part(text: str) -> bool:
    """A timestamp, a year, a day and month (`Feb. 20`, `4/4/2018`) or a weekday: a date, not a place."""
    folded = fold(text)
    if not folded:
        return False
    if _WEEKDAY.match(folded):
        return True
    has_digit = any(char.isdigit() for char in folded)
    return has_digit and (bool(_TIME_LIKE.match(folded)) or parse_day_month(folded) is not None)


def is_place(text: str | None) -> bool:
    """False for what a dateline field holds when it is not a place: a timestamp, a date (`4/4/2018`, `Jan 3`)."""
    folded = fold(text)
    return bool(folded) and not _is_date_part(folded) and parse_day_month(folded) is None


def place_checked(dateline: Dateline | None) -> Dateline | None:
    """The dateline with what is no place (a timestamp, a bare date, `, Feb. 20, 2026` or `, Monday` after
    the place) moved out of `place` into `date_text`."""
    if dateline is None or dateline.place is None:
        return dateline
    parts = [part.strip() for part in dateline.place.split(",")]
    dates: list[str] = []
    while len(parts) > 1 and _is_date_part(parts[-1]):
        dates.insert(0, parts.pop())
    place = ", ".join(parts)
    if not is_place(place):
        dates.insert(0, place)
        place = ""
    if not dates:
        return dateline
    return replace(dateline, place=place or None, date_text=dateline.date_text or ", ".join(dates))


def merge_dateline(primary: Dateline | None, secondary: Dateline | None) -> Dateline | None:
    """`primary`, its missing parts filled from `secondary`."""
    if primary is None or secondary is None:
        return primary or secondary
    return Dateline(
        text=primary.text,
        place=primary.place or secondary.place,
        date_text=primary.date_text or secondary.date_text,
        agency=primary.agency or secondary.agency,
        date=primary.date or secondary.date,
    )


# `MOSCOW, January 21. /TASS/.`, `København /ritzau/:`: the agency between slashes (TASS, Ritzau, NTB).
_SLASHED = re.compile(
    r"^(?P<place>[^\W\d_][^\s,/()]*(?:[ -][^\s,/()]+){0,3})(?:,\s*(?P<date>[^/.]{1,30}))?\.?"
    r"\s*/(?P<agency>[^\W\d_][\w-]{1,20})/\s*[.:\-–—]*\s+(?P<rest>\S.*)$",
    re.DOTALL,
)


def _slashed_dateline(text: str, reference: date | None) -> tuple[Dateline, str] | None:
    found = _SLASHED.match(text)
    # A place is capitalised word by word (short particles aside: `Frankfurt am Main`, `Nueva de ...`).
    if found is None or not all(word[0].isupper() or len(word) <= 3 for word in found["place"].split()):
        return None
    if not found["place"][0].isupper() or canonical_agency(found["agency"]) not in AGENCIES:
        return None  # between the slashes must stand an agency we know: `/etc/` is no credit
    day_month = parse_day_month(found["date"]) if found["date"] else None
    return (
        Dateline(
            text=text[: found.start("rest")].strip(),
            place=found["place"],
            date_text=found["date"],
            agency=found["agency"],
            date=resolve_date(*day_month, reference) if day_month else None,
        ),
        found["rest"],
    )


def dateline_from_paragraphs(paragraphs: list[str], reference: date | None) -> tuple[Dateline | None, list[str]]:
    """Split an agency dateline (`Lisbon, 3 Sep (Acme) -`, `MOSCOW, May 2. /TASS/.`) off the first paragraph."""
    if not paragraphs:
        return None, paragraphs
    split = split_dateline(paragraphs[0], reference) or _slashed_dateline(paragraphs[0], reference)
    if split is None:
        return None, paragraphs
    dateline, rest = split
    return place_checked(dateline), ([rest.strip()] if rest.strip() else []) + paragraphs[1:]


_NOTICE_MAX_WORDS = 30
_NOTICE_MAX_PARAGRAPHS = 3


def split_notices(paragraphs: list[str], reference: date | None) -> tuple[list[str], list[str]]:
    """Editors' notices before the dateline (`(Adds quote)` bullets, `Nieuw bericht, vervangt: ...`, a
    correction notice): the short paragraphs that precede the first paragraph opening with an agency dateline.
    Returns (notices, the body from the dateline on); no dateline within reach: no notices."""
    for index in range(1, min(len(paragraphs), _NOTICE_MAX_PARAGRAPHS + 1)):
        if len(paragraphs[index - 1].split()) > _NOTICE_MAX_WORDS:
            return [], paragraphs
        found, _ = dateline_from_paragraphs(paragraphs[index:], reference)
        if found is not None and found.place:
            return paragraphs[:index], paragraphs[index:]
    return [], paragraphs


_BYLINE = re.compile(r"^(?:by|von|par|por|av|af|di|door|de)\s+\S", re.IGNORECASE)


def lead_byline(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """A byline written as the body's first paragraph (`By Ann Lee`): split off, so the dateline after it
    opens the body."""
    if len(paragraphs) < 2:
        return None, paragraphs
    first = paragraphs[0].strip()
    if _BYLINE.match(first) and len(first.split()) <= 8 and not first.endswith((".", "!", "?", ":")):
        return first, paragraphs[1:]
    return None, paragraphs


def settle_dateline(
    metadata: Dateline | None, paragraphs: list[str], reference: date | None
) -> tuple[Dateline | None, list[str]]:
    """The dateline the reader sees wins: one opening the body is split off and kept (its place as written);
    the metadata's dateline (or located field) fills what it lacks, or stands alone when the body has none."""
    found, rest = dateline_from_paragraphs(paragraphs, reference)
    metadata = place_checked(metadata)
    if found is None:
        return metadata, paragraphs
    return merge_dateline(found, metadata), rest


# ---------------------------------------------------------------------------- kinds and agencies

# Words editors use to say an item revises, corrects or only advises (English, German, Nordic, Romance).
_UPDATE_NOTE = re.compile(
    r"\b(adds|updates?|updated|updating|recasts?|writethru|write-thru|new lead|refiled?|aktualisier\w*|"
    r"erg[äa]nz\w*|utvidet|oppdater\w*|uppdater\w*|actualiza\w*|mise à jour|aggiorna\w*|"
    r"replaces|vervangt|ersetzt|remplace|reemplaza|sostituisce|ersätter|erstatter)\b",
    re.IGNORECASE,
)
_CORRECTION_NOTE = re.compile(
    r"\b(corrects?|corrected|correction|correctif|berichtig\w*|korrigier\w*|rectifica\w*|rettifica\w*|"
    r"korrigering|rättelse|rettelse)\b",
    re.IGNORECASE,
)
_ADVISORY = re.compile(
    r"\b(advisory|advisories|achtung|planungshinweis|hinweis|avis aux r[ée]dactions|aviso|avviso|"
    r"note to editors|editors? note|service message|tilrettelegging|varsel)\b",
    re.IGNORECASE,
)


def kind_from_note(text: str | None) -> str | None:
    """`correction` or `update` when an editor's note (edNote, AdvisoryLine) says so, else None."""
    if not text:
        return None
    if _CORRECTION_NOTE.search(text):
        return "correction"
    if _UPDATE_NOTE.search(text):
        return "update"
    return None


def is_advisory(genre: str | None) -> bool:
    """A genre name or code that marks an editorial advisory (`Advisory`, dpa's `Achtung`, `Planungshinweis`)."""
    return bool(genre and _ADVISORY.search(genre))


def originator(provider: str | None, sources: list[str]) -> tuple[str | None, str | None]:
    """(agency, distributor): a source naming a known agency other than the provider originated the copy and
    the provider distributed it; otherwise the provider (else the first source) is the agency."""
    provider_name = canonical_agency(provider)
    for source in sources:
        name = canonical_agency(source)
        if name in AGENCIES and name != provider_name:
            return source, provider
    return provider or (sources[0] if sources else None), None


# ---------------------------------------------------------------------------- dispatch


def handoff(document: XmlDocument, wire: WireInput, expected: str) -> list[ParsedItem]:
    """A content-type named one XML format but the root is another's: let that parser read it."""
    root = name_of(document.root)
    for parser in parsers():
        if root in getattr(parser, "xml_roots", ()) and hasattr(parser, "read"):
            items: list[ParsedItem] = parser.read(document, wire)
            return items
    raise WireError("unrecognised_format", f"root element <{root}> is not {expected}")


_MARKUP = re.compile(r"<(?:p|br|div|h[1-6]|li|table)[\s>/]", re.IGNORECASE)


def markup_paragraphs(text: str) -> list[str]:
    """Paragraphs of escaped HTML carried as text (`&lt;p&gt;...` in a CDATA); plain text otherwise."""
    if not _MARKUP.search(text):
        return split_text(text)
    parser = etree.HTMLParser(no_network=True, recover=True, remove_comments=True, remove_pis=True)
    fragment = etree.fromstring(f"<html><body><div>{text}</div></body></html>", parser)
    if fragment is None:
        return split_text(text)
    _check_bounds(fragment)
    return paragraphs_of(find(fragment, "body"))


_LEFTOVER_ENTITY = re.compile(r"&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[A-Za-z]{2,8});")


def _unescape_leftovers(text: str) -> str:
    """Entities escaped twice (`&amp;apos;` in an escaped HTML body) still read `&apos;` after one parse."""
    return unescape(text) if _LEFTOVER_ENTITY.search(text) else text
