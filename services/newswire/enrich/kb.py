"""A knowledge base of people and organisations: names and aliases per language, with ids.

Records are JSON lines::

    {"id": "Q7747", "type": "person", "names": {"en": ["Vladimir Putin"], "es": ["Vladímir Putin"]},
     "aliases": {"es": ["el jefe del Kremlin", "Putin"]}, "country": "RU"}

Records without a verified QID get a project URN (`urn:newswire:kb:person:sergey-lavrov`), so
every KB entity carries an id. The bundled seed (`data/kb.jsonl`) is extended or overridden by a user file named in the
environment variable ``NEWSWIRE_KB_PATH`` (read once per path and cached): a user record
with the same id (or, without ids, the same type and first name) replaces the bundled one.
Ids that are Wikidata QIDs become Wikidata URIs; other ids are used as given.

Matching is on folded text (accents and case ignored). Names and capitalised aliases match
wherever the text writes them capitalised (acronyms such as `EFE` only in capitals);
lowercase aliases are descriptions (`el jefe del Kremlin`) that link only in stories that
also name the entity. Short mentions (`Kim`, `Putin`) are linked by the entities stage to
a full name mentioned in the same story, using `Entity.parts`.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from newswire.enrich.lexical import (
    Word,
    first_word_lengths,
    fold,
    language_code,
    load_jsonl,
    longest_match,
    name_keys,
)

ENV_PATH = "NEWSWIRE_KB_PATH"
WIKIDATA_URI = "http://www.wikidata.org/entity/{}"
KB_URN = "urn:newswire:kb:"
_QID = re.compile(r"^Q[1-9]\d*$")
# Name particles that never make a short mention on their own.
PARTICLES = frozenset(
    {"de", "del", "la", "le", "van", "von", "der", "den", "da", "di", "do", "dos", "bin", "ibn", "al", "el"}
)


@dataclass(frozen=True)
class KBEntity:
    key: str  # the id, or type + folded first name for records without one
    type: str  # person | organisation | place | event | other
    names: dict[str, list[str]]
    aliases: dict[str, list[str]] = field(default_factory=dict)
    country: str | None = None
    id: str | None = None
    role: str | None = None  # `news agency`: who wrote a story, not what it is about (identity ignores them)

    @property
    def uri(self) -> str | None:
        """The Wikidata URI for a QID, the id as given otherwise, and for a record without an id a
        stable project URN from its key (`urn:newswire:kb:person:sergey-lavrov`): every KB entity
        links to one language-independent id, which is what cross-language clustering compares."""
        if not self.id:
            return KB_URN + re.sub(r"\s+", "-", self.key)
        if _QID.match(self.id):
            return WIKIDATA_URI.format(self.id)
        return self.id

    def name(self, language: str | None = None) -> str:
        """The display name in `language` when the record has one, else English, else any."""
        for lang in (language_code(language), "en"):
            if self.names.get(lang):
                return self.names[lang][0]
        for names in self.names.values():
            if names:
                return names[0]
        return self.key

    def all_names(self) -> list[str]:
        return [name for names in self.names.values() for name in names]

    @cached_property
    def parts(self) -> frozenset[str]:
        """Folded words of a person's names that can stand for the person once named in full."""
        if self.type != "person":
            return frozenset()
        return frozenset(
            word for name in self.all_names() for word in fold(name).split() if len(word) > 1 and word not in PARTICLES
        )


@dataclass(frozen=True)
class KBHit:
    entity: KBEntity
    descriptive: bool  # a lowercase description rather than a name
    acronym: bool  # written in capitals in the KB: must be written so in the text


class KnowledgeBase:
    def __init__(self, entities: list[KBEntity]) -> None:
        self.entities = entities
        index: dict[str, list[KBHit]] = {}
        for entity in entities:
            for text, descriptive in [(n, False) for n in entity.all_names()] + [
                (a, a[:1].islower()) for aliases in entity.aliases.values() for a in aliases
            ]:
                acronym = len(text) <= 5 and text.replace(".", "").isupper()
                keys = name_keys(text)
                # A description matches without its article (`al jefe del Kremlin` -> `jefe del Kremlin`).
                for key in keys[-1:] if descriptive else keys:
                    hits = index.setdefault(key, [])
                    if all(hit.entity is not entity for hit in hits):
                        hits.append(KBHit(entity, descriptive, acronym))
        self.index = {key: tuple(hits) for key, hits in index.items()}
        self.longest = first_word_lengths(self.index)
        # First words of descriptions: a lowercase word opens no name (`match` needs a capital), only these.
        self.description_starts = frozenset(
            key.partition(" ")[0] for key, hits in self.index.items() if any(hit.descriptive for hit in hits)
        )

    @cached_property
    def agency_uris(self) -> frozenset[str]:
        return frozenset(e.uri for e in self.entities if e.role == "news agency" and e.uri)

    def lookup(self, name: str) -> KBEntity | None:
        """The entity a name or alias stands for (accent- and case-insensitive), or None."""
        for key in name_keys(name):
            hits = self.index.get(key)
            if hits:
                return hits[0].entity
        return None

    def match(self, text: str, words: list[Word], i: int) -> tuple[int, tuple[KBHit, ...]] | None:
        """The longest KB name or alias starting at word `i` of `text`, if written as a name."""
        hit = longest_match(text, words, i, self.index, self.longest)
        if hit is None:
            return None
        size, hits = hit
        first = words[i].text
        written = text[words[i].start : words[i + size - 1].end]
        usable = tuple(
            h
            for h in hits
            if h.descriptive
            or (first[:1].isupper() and (not h.acronym or written.replace(".", "").replace(" ", "").isupper()))
        )
        return (size, usable) if usable else None


def _key(record: dict[str, Any]) -> str:
    if record.get("id"):
        return str(record["id"])
    names = record.get("names") or {}
    first = (names.get("en") or next(iter(names.values()), [""]))[0]
    return f"{record.get('type', 'other')}:{fold(first)}"


def _entity(record: dict[str, Any]) -> KBEntity:
    return KBEntity(
        key=_key(record),
        type=record.get("type", "other"),
        names={lang: list(values) for lang, values in (record.get("names") or {}).items()},
        aliases={lang: list(values) for lang, values in (record.get("aliases") or {}).items()},
        country=record.get("country"),
        id=str(record["id"]) if record.get("id") else None,
        role=record.get("role"),
    )


def read_records(path: Path) -> list[dict[str, Any]]:
    """A user KB file: JSON lines (blank lines and `//` comments skipped) or one JSON array."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return list(json.loads(text))
    return [json.loads(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("//")]


_lock = threading.Lock()
_cache: dict[str | None, KnowledgeBase] = {}


def _build(user_path: str | None) -> KnowledgeBase:
    records: dict[str, dict[str, Any]] = {}
    for record in load_jsonl("kb.jsonl"):
        records[_key(record)] = record
    if user_path:
        for record in read_records(Path(user_path)):
            records[_key(record)] = record
    return KnowledgeBase([_entity(record) for record in records.values()])


def knowledge_base() -> KnowledgeBase:
    """The bundled KB merged with the file at $NEWSWIRE_KB_PATH (each path read once per process)."""
    path = os.environ.get(ENV_PATH) or None
    found = _cache.get(path)
    if found is None:
        with _lock:
            found = _cache.get(path)
            if found is None:
                found = _build(path)
                _cache[path] = found
    return found


def lookup(name: str) -> KBEntity | None:
    return knowledge_base().lookup(name)


def news_agency_uris() -> frozenset[str]:
    """The uris of the news agencies the KB knows (`role: news agency`)."""
    return knowledge_base().agency_uris


__all__ = ["ENV_PATH", "KBEntity", "KBHit", "KnowledgeBase", "knowledge_base", "lookup", "news_agency_uris"]
