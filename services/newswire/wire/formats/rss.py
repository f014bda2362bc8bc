"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read with feedparser: each item or entry is one story.

Generic, for any agency's or publisher's feed. From each item/entry:

- `title` -> headline (markup stripped); `content:encoded` / Atom `content`, else `description` /
  `summary` -> body (HTML -> paragraphs; the longest content alternative wins over a teaser);
- `dc:creator` / `author` -> byline; `pubDate` / `published` -> firstcreated, `updated` -> versioncreated;
- `category` / Atom `category@term` -> keywords; `guid` / Atom `id` (else `link`) -> agency_id;
- the feed's `language` (or the entry's `xml:lang`) -> language; the entry's `source`, else the feed's
  publisher, author or title -> agency (the pipeline folds it to an agency's short name or finds the
  agency the text credits); an agency dateline opening the body is split off;
- enclosures and media links -> ninjs `associations` (uri, media type, ninjs type by MIME family).

Safety: the bytes first pass the same safe parse as the other XML formats (`_xml.parse_xml`: internal
DTD rules, depth and attribute bounds; an attack is `forbidden_xml`, only brokenness is left to
feedparser), and feedparser gets them as a stream, never as a string it could take for a URL or path.

Malformed feeds: feedparser's `bozo` flag. What its lenient parser recovers is kept and the repair is
noted in `recoveries`; a feed from which no item with a title or text comes back is `malformed`.
"""

from __future__ import annotations

import calendar
import io
import re
from contextlib import suppress
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any, ClassVar

import feedparser

from newswire.wire.errors import WireError
from newswire.wire.formats._dtd import strip_subset
from newswire.wire.formats._xml import decode_xml, fold, markup_paragraphs, parse_xml, settle_dateline, sniff_root
from newswire.wire.model import ParsedItem
from newswire.wire.registry import WireInput, register

_ROOTS = frozenset({"rss", "RDF", "feed"})
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_TAGS = re.compile(r"<[^>]+>")
_MEDIA_TYPES = {"image": "picture", "video": "video", "audio": "audio"}


def _time(entry: Any, key: str) -> datetime | None:
    """The time as written, offset kept (RFC 822 or ISO 8601); else feedparser's UTC reading of it."""
    # dict.get: feedparser's own lookup maps a missing `updated` to `published` (with a warning).
    raw = str(dict.get(entry, key) or "").strip()
    if raw:
        with suppress(TypeError, ValueError, IndexError):
            moment = parsedate_to_datetime(raw)
            if moment.tzinfo is not None:
                return moment
        with suppress(ValueError):
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                return moment
    struct = dict.get(entry, f"{key}_parsed")
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _plain(text: str | None, html: bool = False) -> str | None:
    stripped = _TAGS.sub(" ", text or "")
    return fold(unescape(stripped) if html else stripped) or None


def _title(entry: Any) -> str | None:
    detail = entry.get("title_detail") or {}
    return _plain(entry.get("title"), html="html" in str(detail.get("type") or ""))


def _body(entry: Any) -> list[str]:
    """Paragraphs of the fullest text the entry carries: content:encoded / Atom content, else the summary."""
    candidates = [str(content.get("value") or "") for content in entry.get("content") or []]
    candidates.append(str(entry.get("summary") or entry.get("description") or ""))
    fullest = max(candidates, key=lambda value: len(_plain(value) or ""))
    return markup_paragraphs(fullest) if fullest.strip() else []


def _associations(entry: Any) -> list[dict[str, Any]]:
    links = [*(entry.get("enclosures") or []), *(entry.get("media_content") or [])]
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for link in links:
        uri = str(link.get("href") or link.get("url") or "")
        if not uri.startswith(("http://", "https://")) or uri in seen:
            continue
        seen.add(uri)
        mimetype = str(link.get("type") or "")
        association: dict[str, Any] = {"name": f"enclosure{len(out) + 1}", "uri": uri}
        kind = _MEDIA_TYPES.get(mimetype.split("/", 1)[0])
        if kind:
            association["type"] = kind
        out.append(association)
    return out


def _language(entry: Any, feed: Any) -> str | None:
    for detail in (entry.get("content") or [{}])[0], entry.get("title_detail") or {}:
        value = detail.get("language") if hasattr(detail, "get") else None
        if value:
            return str(value)
    value = feed.get("language")
    return str(value) if value else None


def _agency(entry: Any, feed: Any) -> str | None:
    source = entry.get("source") or {}
    for value in (source.get("title"), entry.get("publisher"), feed.get("publisher"), feed.get("author")):
        if value and str(value).strip():
            return _plain(str(value))
    return _plain(str(feed.get("title") or ""))


def read_entry(entry: Any, feed: Any, recoveries: list[str]) -> ParsedItem:
    published = _time(entry, "published")
    updated = _time(entry, "updated")
    created = published or updated
    paragraphs = _body(entry)
    dateline, paragraphs = settle_dateline(None, paragraphs, created.date() if created else None)
    tags = [_plain(str(tag.get("term") or tag.get("label") or "")) for tag in entry.get("tags") or []]
    associations = _associations(entry)
    return ParsedItem(
        headline=_title(entry),
        paragraphs=paragraphs,
        byline=_plain(entry.get("author")),
        dateline=dateline,
        agency=_agency(entry, feed),
        agency_id=str(entry.get("id") or entry.get("link") or "") or None,
        firstcreated=created,
        versioncreated=updated or published,
        language=_language(entry, feed),
        keywords=[tag for tag in dict.fromkeys(tags) if tag],
        recoveries=list(recoveries),
        carried={"associations": associations} if associations else {},
    )


def read_feed(data: bytes) -> list[ParsedItem]:
    try:
        parse_xml(data)  # the safety gate: entity rules, depth and attribute bounds, as for every XML format
    except WireError as error:
        if error.reason != "malformed":
            raise  # broken XML is feedparser's to try leniently; an attack is not
    text, _, notes = decode_xml(data)
    text = strip_subset(text.lstrip("\ufeff"))  # XXE and entity blow-ups refused before feedparser runs
    text = _DECLARATION.sub("", text, count=1)
    parsed = feedparser.parse(
        io.BytesIO(text.encode("utf-8")),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        resolve_relative_uris=False,
    )
    recoveries = list(notes)
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        detail = fold(str(problem))[:160] if problem is not None else "not well-formed"
        recoveries.append(f"the feed is not well-formed XML ({detail}); its items were read leniently")
    items = [read_entry(entry, parsed.feed, recoveries) for entry in parsed.entries]
    items = [item for item in items if item.headline or item.paragraphs]
    if not items:
        detail = "no item with a title or text could be read from the feed"
        raise WireError("malformed", detail) if parsed.get("bozo") else WireError("missing_content", detail)
    return items


@register
class RssParser:
    """RSS 2.0 (`<rss>`), RSS 1.0 (`<rdf:RDF>`) and Atom (`<feed>`) documents."""

    name: ClassVar[str] = "rss"
    content_types: ClassVar[tuple[str, ...]] = (
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
    )
    binary: ClassVar[bool] = True

    def sniff(self, head: bytes) -> int:
        return 95 if sniff_root(head) in _ROOTS else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        return read_feed(wire.data)
