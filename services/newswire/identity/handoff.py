"""The identity hand-off without a second parse: the signature travels with the story JSON.

The ingest side (which scales with partitions and workers) computes the story's `Signature`
and finds where the three things identity may change sit in the story's JSON bytes: the
``version`` value, the ``pubstatus`` value and the ``newswire.identity`` object. Both go in one
compact header. The identity side then decides from the signature alone and splices the new
values into the bytes, so it never validates nor re-serialises the story, and what it publishes
is byte for byte what ``apply_decision`` + ``model_dump_json(exclude_none=True)`` would give.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_json

from newswire.events.extension import Identity
from newswire.events.ninjs import NinjsStory
from newswire.identity.fingerprints import Signature

_VERSION_KEY = b',"version":'
_PUBSTATUS_KEY = b',"pubstatus":'
_IDENTITY_KEY = b'"identity":'
_AFTER_IDENTITY = b',"provenance":'


@dataclass(frozen=True, slots=True)
class Spans:
    """Byte ranges [start, end) of the values identity rewrites, in the story JSON."""

    version: tuple[int, int]
    pubstatus: tuple[int, int]
    identity: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Handoff:
    """What the identity side needs besides the story bytes."""

    signature: Signature
    spans: Spans
    language: str | None  # the story's own ``language``, for the published-stories metric


def _value_at(value: bytes, start: int, expected: bytes) -> tuple[int, int] | None:
    end = start + len(expected)
    return (start, end) if start >= 0 and value[start:end] == expected else None


def locate(story: NinjsStory, value: bytes) -> Spans | None:
    """Where ``version``, ``pubstatus`` and ``newswire.identity`` are in ``value`` (the story's
    ``model_dump_json(exclude_none=True)``); None when the layout is not the expected one.

    Inside JSON strings every quote is escaped, so ``,"pubstatus":`` and ``"identity":{...}`` only
    match as keys; the version key is found after the exact dump of the fields before it (a
    ``standard`` map could hold a "version" of its own). Each span is checked against the model.
    """
    head = story.model_dump_json(include={"uri", "standard", "type"}, exclude_none=True).encode("utf-8")
    prefix = head[:-1] + _VERSION_KEY  # the three fields always come first, in this order
    if not value.startswith(prefix):
        return None
    version = _value_at(value, len(prefix), to_json(story.version))
    if version is None:
        return None
    key = value.find(_PUBSTATUS_KEY, version[1])
    pubstatus = _value_at(value, key + len(_PUBSTATUS_KEY), to_json(story.pubstatus)) if key >= 0 else None
    identity_json = story.newswire.identity.model_dump_json(exclude_none=True).encode("utf-8")
    key = value.rfind(_IDENTITY_KEY + identity_json)  # newswire is the last field, identity near its end
    identity = _value_at(value, key + len(_IDENTITY_KEY), identity_json) if key >= 0 else None
    if pubstatus is None or identity is None or not value.startswith(_AFTER_IDENTITY, identity[1]):
        return None
    return Spans(version, pubstatus, identity)


def patch(value: bytes, spans: Spans, version: str, pubstatus: str, identity: Identity) -> bytes:
    """``value`` with the three spans replaced (pydantic's own JSON for each new value)."""
    (v0, v1), (p0, p1), (i0, i1) = spans.version, spans.pubstatus, spans.identity
    return b"".join(
        (
            value[:v0],
            to_json(version),
            value[v1:p0],
            to_json(pubstatus),
            value[p1:i0],
            identity.model_dump_json(exclude_none=True).encode("utf-8"),
            value[i1:],
        )
    )


def _ids(values: frozenset[str]) -> list[str]:
    return sorted(values)


def signature_to_dict(sig: Signature) -> dict[str, Any]:
    return {
        "u": sig.uri,
        "src": sig.source,
        "a": sig.agency_id,
        "v": sig.version,
        "k": sig.kind,
        "p": sig.pubstatus,
        "h": sig.content_hash,
        "s": f"{sig.simhash:016x}",
        "l": sig.language,
        "e": _ids(sig.entity_ids),
        "pe": _ids(sig.person_ids),
        "or": _ids(sig.org_ids),
        "pl": _ids(sig.place_ids),
        "co": _ids(sig.countries),
        "d": sig.event_day,
        "t": sig.time,  # a JSON float round-trips exactly
        "ht": _ids(sig.headline_tokens),
        "sb": _ids(sig.subject_ids),
        "ev": _ids(sig.event_classes),
    }


def signature_from_dict(data: dict[str, Any]) -> Signature:
    return Signature(
        uri=str(data["u"]),
        source=str(data["src"]),
        agency_id=data["a"],
        version=int(data["v"]),
        kind=str(data["k"]),
        pubstatus=str(data["p"]),
        content_hash=str(data["h"]),
        simhash=int(data["s"], 16),
        language=data["l"],
        entity_ids=frozenset(data["e"]),
        person_ids=frozenset(data["pe"]),
        org_ids=frozenset(data["or"]),
        place_ids=frozenset(data["pl"]),
        countries=frozenset(data["co"]),
        event_day=data["d"],
        time=data["t"],
        headline_tokens=frozenset(data["ht"]),
        subject_ids=frozenset(data["sb"]),
        event_classes=frozenset(data.get("ev", ())),  # absent in headers of older workers
    )


def encode(handoff: Handoff) -> bytes:
    spans = handoff.spans
    data = {
        "sig": signature_to_dict(handoff.signature),
        "at": [*spans.version, *spans.pubstatus, *spans.identity],
        "lang": handoff.language,
    }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def decode(data: bytes) -> Handoff:
    """The header back; raises ValueError (or KeyError/TypeError) on anything malformed."""
    loaded = json.loads(data)
    v0, v1, p0, p1, i0, i1 = (int(n) for n in loaded["at"])
    return Handoff(signature_from_dict(loaded["sig"]), Spans((v0, v1), (p0, p1), (i0, i1)), loaded["lang"])
