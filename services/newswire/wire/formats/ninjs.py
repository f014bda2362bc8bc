"""IPTC ninjs (News in JSON) 1.x, 2.x and 3.x as input.

- 1.x: `headline` string, `body_text`/`body_html` (any `body_*`), `description_text`, `byline`,
  `subject`/`person`/`place`/`genre` arrays of `{name, scheme, code}`.
- 2.x: `headlines`/`bodies`/`descriptions` arrays of `{role, contenttype, value}`, `by`,
  `subjects`/`genres` of `{name, uri, literal}`, `infosources`, `altids`.
- 3.x: the 2.x shapes with camelCase names (`versionCreated`, `contentType`, `pubStatus`);
  keys are folded to lower case, which maps them onto the 2.x names.

The agency's `uri` is kept as `agency_id`, so a re-published story keeps its identity. Untrusted
JSON is bounded: size, nesting depth, item count; non-finite numbers and over-long integers become
`malformed` or are dropped; control characters and lone surrogates are removed from strings.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from html import escape
from html.parser import HTMLParser
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from newswire.wire.datelines import split_dateline
from newswire.wire.errors import WireError
from newswire.wire.formats.agency_text import split_paragraphs
from newswire.wire.model import Dateline, ParsedItem, SubjectCode
from newswire.wire.registry import WireInput, register

MAX_JSON_CHARS = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_ITEMS = 1000
MAX_LIST = 10_000
MAX_HTML_CHARS = 512 * 1024  # the standard library's HTML parser runs at about 1 MB/s on tag-dense markup

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_NINJS_KEYS = frozenset(
    {"uri", "headline", "headlines", "bodies", "body_text", "body_html", "body_xhtml", "versioncreated",
     "firstcreated", "pubstatus", "urgency", "slugline", "located", "byline", "by", "subjects", "subject",
     "description_text", "descriptions", "renditions", "associations", "altids", "infosources", "standard",
     "$standard", "ednote", "embargoed", "genres", "genre", "representationtype", "profile"}
)
_CONTENT_KEYS = ("headline", "headlines", "bodies", "title", "descriptions", "description_text")
_SNIFF_KEYS = re.compile(rb'"(?:headlines?|bodies|body_(?:text|html|xhtml)|versioncreated|versionCreated|firstcreated|'
                         rb'firstCreated|pubstatus|pubStatus|located|slugline|description_text|descriptions)"\s*:')
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


@register
class NinjsParser:
    """ninjs JSON documents, one story each (or a JSON array of them)."""

    name: ClassVar[str] = "ninjs"
    content_types: ClassVar[tuple[str, ...]] = ("application/ninjs+json", "application/vnd.iptc.ninjs+json",
                                                "application/json")
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
        candidates = document if isinstance(document, list) else [document]
        if len(candidates) > MAX_ITEMS:
            raise WireError("malformed", f"more than {MAX_ITEMS} items in one JSON document")
        objects = [_fold_keys(candidate) for candidate in candidates if isinstance(candidate, dict)]
        ninjs = [obj for obj in objects if looks_like_ninjs(obj)]
        if not ninjs:
            raise WireError("unrecognised_format", "JSON, but not a ninjs document")
        items = [_item(obj, wire.feed_timezone) for obj in ninjs]
        return items


def load_json(text: str) -> Any:
    """Parse untrusted JSON with limits; every failure is a `malformed` rejection."""
    if len(text) > MAX_JSON_CHARS:
        raise WireError("malformed", f"JSON document of {len(text)} characters exceeds {MAX_JSON_CHARS}")
    depth = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise WireError("malformed", f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(text.lstrip("\ufeff"), parse_constant=lambda _: None, parse_float=_finite_float)
    except RecursionError:
        raise WireError("malformed", "JSON nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, and integers beyond the digit limit
        raise WireError("malformed", f"invalid JSON: {str(error)[:200]}") from None


def _finite_float(text: str) -> float | None:
    value = float(text)
    return value if math.isfinite(value) else None


def _fold_keys(value: Any, depth: int = 0) -> Any:
    """ninjs 3.x camelCase names onto 2.x lower-case names (`versionCreated` -> `versioncreated`)."""
    if depth > MAX_DEPTH:
        raise WireError("malformed", "JSON nested too deeply")
    if isinstance(value, dict):
        folded: dict[str, Any] = {}
        for key, item in value.items():
            lowered = str(key).lower()
            if lowered not in folded or folded[lowered] is None:
                folded[lowered] = _fold_keys(item, depth + 1)
        return folded
    if isinstance(value, list):
        return [_fold_keys(item, depth + 1) for item in value[:MAX_LIST]]
    return value


def looks_like_ninjs(obj: Mapping[str, Any]) -> bool:
    standard = obj.get("standard") or obj.get("$standard")
    if isinstance(standard, dict) and str(standard.get("name", "")).lower() == "ninjs":
        return True
    keys = set(obj) & _NINJS_KEYS
    has_content = any(key in obj for key in _CONTENT_KEYS) or any(key.startswith("body_") for key in obj)
    return has_content and (("uri" in obj or "guid" in obj) or len(keys) >= 3)


def _text(value: Any) -> str | None:
    """A clean string from a JSON value (strings, and numbers where ninjs producers send them)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return None
    cleaned = _BAD_CHARS.sub("", value).strip()
    return cleaned or None


def _objects(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [entry for entry in value[:MAX_LIST] if isinstance(entry, dict)]
    return []


def _int(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        value = int(value.strip())
    if isinstance(value, int) and low <= value <= high:
        return value
    return None


def _time(value: Any, feed_timezone: str, item: ParsedItem) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        item.assumed_timezone = feed_timezone
        moment = moment.replace(tzinfo=ZoneInfo(feed_timezone))
    return moment


def _item(obj: Mapping[str, Any], feed_timezone: str) -> ParsedItem:
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
    item.firstcreated = _time(obj.get("firstcreated"), feed_timezone, item) or _time(
        obj.get("contentcreated"), feed_timezone, item
    )
    item.versioncreated = _time(obj.get("versioncreated"), feed_timezone, item)
    item.embargoed = _time(obj.get("embargoed"), feed_timezone, item)
    item.language = _text(obj.get("language"))
    item.byline = _text(obj.get("by")) or _text(obj.get("byline"))
    item.slugline = _text(obj.get("slugline"))
    item.ednote = _text(obj.get("ednote"))
    _headlines(obj, item)
    _bodies(obj, item)
    item.subjects = [code for code in (_subject(entry) for entry in _subject_entries(obj)) if code]
    genres = _objects(obj.get("genres")) + _objects(obj.get("genre"))
    item.genres = [name for name in (_genre(entry) for entry in genres) if name]
    keywords = obj.get("keywords")
    if isinstance(keywords, list):
        item.keywords = [word for word in (_text(entry) for entry in keywords[:MAX_LIST]) if word]
    item.agency = _agency(obj)
    _dateline(obj, item)
    if not item.headline and not item.paragraphs:
        raise WireError("missing_content", "ninjs item without headline or text body")
    return item


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


def _bodies(obj: Mapping[str, Any], item: ParsedItem) -> None:
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
        if key in ("body_html", "body_xhtml", "body_richhtml") or key.endswith("html"):
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
    for entry in _objects(obj.get("infosources")) + _objects(obj.get("infosource")):
        name = _text(entry.get("name"))
        if name:
            return name
    return _text(obj.get("copyrightholder"))


def _dateline(obj: Mapping[str, Any], item: ParsedItem) -> None:
    located = _text(obj.get("located"))
    reference = (item.firstcreated or item.versioncreated)
    if item.paragraphs:
        split = split_dateline(item.paragraphs[0], reference.date() if reference else None)
        if split:
            dateline, rest = split
            item.paragraphs = ([rest] if rest.strip() else []) + item.paragraphs[1:]
            if located:
                dateline = Dateline(text=dateline.text, place=located, date_text=dateline.date_text,
                                    agency=dateline.agency, date=dateline.date)
            item.dateline = dateline
            item.agency = item.agency or dateline.agency
            return
    if located:
        item.dateline = Dateline(text=located, place=located)


# --- HTML: paragraphs for the plain body, and a sanitised copy for the html body ----------------------------------

_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dd", "dt",
                     "figcaption", "div", "section", "article", "br", "tr", "table", "ul", "ol"})
_DROP = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template", "head", "title", "svg",
                   "math", "form", "button", "select", "textarea"})
_ALLOWED = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "b", "strong", "i", "em", "u", "a",
                      "br", "blockquote", "q", "cite", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
                      "pre", "code", "section", "article", "div", "span", "sub", "sup", "figure", "figcaption", "hr",
                      "dl", "dt", "dd", "abbr", "small", "mark", "s", "del", "ins"})
_VOID = frozenset({"br", "hr"})
_ALLOWED_ATTRIBUTES = {"a": ("href", "title"), "abbr": ("title",), "td": ("colspan", "rowspan"),
                       "th": ("colspan", "rowspan", "scope"), "q": ("cite",), "blockquote": ("cite",)}
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
        elif tag == "p":
            self._flush_p()
            self._in_p += 1
        if tag in _BLOCKS:
            self._flush_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self._drop = max(0, self._drop - 1)
        elif tag == "p":
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
    """The text of each `<p>`; without any `<p>`, the text of each block element."""
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
