"""Text fingerprints and the identity signature of a story.

SimHash (Charikar 2002, as Manku et al. use it for web near-duplicates), not MinHash. Numbers
from tests/eval/eval_identity.py on our own pairs (19 re-sends of ~150-word stories: typo
fixed, last paragraph trimmed, paragraphs reordered, paragraph added; 10 distinct stories on
the same topic or from the same market-report template):

- quality: SimHash-64 puts re-sends at Hamming distance 2-15 and distinct stories at 22-40;
  at the default k=12, precision 1.000 and recall 0.947 (the miss: a paragraph added to a
  short story, d=15). A 64-bin MinHash separates the same pairs more widely (Jaccard >= 0.74
  vs <= 0.15, P=R=1.000), so MinHash would be the choice if state were free;
- state: one 64-bit integer (8 bytes, 16 hex chars in JSON) per story, where the MinHash
  sketch is 64 values (~512 bytes): per-uri table values, the per-source LSH index and the
  changelog topics behind them stay ~60x smaller, and comparing is one ``bit_count``;
- speed: ~0.45 ms CPU for 500 words in pure Python (one blake2b per 3-word shingle plus a
  column count over one big integer, `_column_counts`), about what one-permutation MinHash
  costs; classic 64-permutation MinHash is ~10x more.
- the chance that two unrelated texts land within k=12 is 2.3e-7 per comparison (k=16: 3.9e-5,
  too high for an index of thousands of stories per source), which is why k stays at 12.

The signature gathers, from one `NinjsStory`, everything the identity decisions use, as
plain hashable values, so `decide`, `NearDuplicateIndex` and `ClusterIndex` never touch
the pydantic model.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime

from newswire.enrich.kb import news_agency_uris
from newswire.events.ninjs import NinjsStory
from newswire.identity.events import event_classes, fold

SIMHASH_BITS = 64
_WORD = re.compile(r"\w+")
_blake2b = hashlib.blake2b
_MASK64 = (1 << 64) - 1

# Column-count machinery: ``big`` holds n 64-bit hashes side by side (hash j in bits 64j..64j+63).
# Lanes are widened (1 -> 2 -> 4 ... bits) and the words folded in halves, so the 64 per-bit
# counts come out of ~100 big-int operations instead of 64 x n single-bit tests.
_CHUNK_WORDS = 4096  # shingles per chunk; lane width 16 holds counts up to 65535


def _lane_mask(width: int, words: int) -> int:
    """Bits set in the low half of every 2*width-bit lane, over ``words`` 64-bit words."""
    one_word = 0
    for lane in range(0, 64, 2 * width):
        one_word |= ((1 << width) - 1) << lane
    return int.from_bytes(one_word.to_bytes(8, "little") * words, "little")


_LANE_MASKS = {width: _lane_mask(width, _CHUNK_WORDS) for width in (1, 2, 4, 8, 16, 32)}


def _column_counts(big: int, n: int) -> list[int]:
    """For n 64-bit words packed in ``big``, how many have bit b set, for b in 0..63."""
    words = 1 << max(0, (n - 1).bit_length())  # padded with zero words to a power of two
    xs = [big]
    positions: list[list[int]] = [list(range(64))]
    width, most = 1, 1  # lane width in bits, largest value a lane can hold now
    while words > 1:
        if 2 * most > (1 << width) - 1:  # widen: split every int into its even and odd lanes
            mask = _LANE_MASKS[width]
            xs = [part for x in xs for part in (x & mask, (x >> width) & mask)]
            positions = [part for pos in positions for part in (pos[::2], pos[1::2])]
            width *= 2
        half = words // 2
        shift = 64 * half
        low = (1 << shift) - 1
        xs = [(x >> shift) + (x & low) for x in xs]
        words, most = half, most * 2
    lane = (1 << width) - 1
    counts = [0] * 64
    for x, pos in zip(xs, positions, strict=True):
        for j, bit in enumerate(pos):
            counts[bit] = (x >> (j * width)) & lane
    return counts


def tokens(text: str) -> list[str]:
    """Normalised words: NFKC, case folded, runs of letters/digits (punctuation and spacing dropped)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(words: list[str]) -> list[str]:
    """Word 3-shingles (a text of 1-3 words is one shingle)."""
    if len(words) <= 3:
        return [" ".join(words)] if words else []
    return [f"{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:], strict=False)]


def simhash64(text: str) -> int:
    """64-bit SimHash of the word 3-shingles of ``text`` (blake2b-64 per shingle, unweighted)."""
    grams = shingles(tokens(text))
    if not grams:
        return 0
    counts = [0] * 64
    for start in range(0, len(grams), _CHUNK_WORDS):
        chunk = grams[start : start + _CHUNK_WORDS]
        big = int.from_bytes(b"".join([_blake2b(g.encode(), digest_size=8).digest() for g in chunk]), "little")
        for bit, count in enumerate(_column_counts(big, len(chunk))):
            counts[bit] += count
    half = len(grams) // 2  # bit b is set when more than half of the shingle hashes have it set
    out = 0
    for bit, count in enumerate(counts):
        if count > half:
            out |= 1 << bit
    return out


def simhash64_reference(text: str) -> int:
    """The textbook per-bit +1/-1 SimHash (slow); `simhash64` must equal it (tested)."""
    grams = shingles(tokens(text))
    votes = [0] * 64
    for gram in grams:
        h = int.from_bytes(_blake2b(gram.encode(), digest_size=8).digest(), "little")
        for bit in range(64):
            votes[bit] += 1 if (h >> bit) & 1 else -1
    return sum(1 << bit for bit in range(64) if votes[bit] > 0)


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & _MASK64).bit_count()


def near_duplicate(a: int, b: int, max_distance: int) -> bool:
    return hamming(a, b) <= max_distance


def simhash_hex(value: int) -> str:
    """The form written to `newswire.identity.simhash`."""
    return f"{value & _MASK64:016x}"


def parse_simhash(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(text, 16) & _MASK64
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# entity ids

_WIKIDATA = re.compile(r"(?:wikidata\.org/(?:entity|wiki)/|^wd:|^)(Q[1-9][0-9]*)$")
_GEONAMES = re.compile(r"(?:geonames\.org/|^gn:|^geonames:)([0-9]+)/?(?:[^0-9].*)?$")


def entity_id(uri: str | None) -> str | None:
    """A language-independent id: ``wd:Q7747`` for Wikidata, ``gn:1816670`` for GeoNames, else the uri."""
    if not uri:
        return None
    uri = uri.strip()
    match = _WIKIDATA.search(uri)
    if match:
        return f"wd:{match.group(1)}"
    match = _GEONAMES.search(uri)
    if match:
        return f"gn:{match.group(1)}"
    return uri or None


def unlinked_person_id(kind: str, name: str) -> str | None:
    """A person the knowledge base does not know, by the last two words of the name, folded
    (``name:ana lopez``): Latin-script names are written alike in es, en, fr, de, it and pt, and a
    title or nationality the tagger kept in front (`Chair Jerome Powell`, `Slovène Tadej Pogacar`)
    drops out. One word is no full name."""
    if kind != "person":
        return None
    words = [fold(word) for word in tokens(name)]
    return "name:" + " ".join(words[-2:]) if len(words) >= 2 else None


_MEDTOP = re.compile(r"(?:cv\.iptc\.org/newscodes/mediatopic/|^medtop:)([0-9]{8})$")


def subject_id(uri: str | None, literal: str | None = None) -> str | None:
    """``medtop:NNNNNNNN`` for an IPTC Media Topic (language independent); None for other schemes."""
    for value in (uri, literal):
        match = _MEDTOP.search(value.strip()) if value else None
        if match:
            return f"medtop:{match.group(1)}"
    return None


# ---------------------------------------------------------------------------------------------
# signature


@dataclass(frozen=True, slots=True)
class Signature:
    """What identity decisions need to know about one story (hashable, no pydantic)."""

    uri: str
    source: str
    agency_id: str | None
    version: int
    kind: str
    pubstatus: str
    content_hash: str
    simhash: int
    language: str | None
    entity_ids: frozenset[str]
    person_ids: frozenset[str]
    org_ids: frozenset[str]
    place_ids: frozenset[str]
    countries: frozenset[str]
    event_day: int | None  # date.toordinal() of the dateline date, else of firstcreated
    time: float | None  # versioncreated (else firstcreated) as epoch seconds
    headline_tokens: frozenset[str]
    subject_ids: frozenset[str] = frozenset()  # IPTC Media Topic codes, ``medtop:20000153``
    event_classes: frozenset[str] = frozenset()  # what happened: ``quake``, ``meeting`` (identity.events)

    @property
    def canceled(self) -> bool:
        return self.pubstatus == "canceled" or self.kind == "kill"


def epoch(value: str | None) -> float | None:
    """ISO 8601 (``Z`` or offset; naive read as UTC) to epoch seconds; None when absent or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def day_ordinal(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _int_version(value: str | None) -> int:
    try:
        return max(1, int(str(value).strip()))
    except (TypeError, ValueError):
        return 1


def story_source(story: NinjsStory) -> str:
    """The agency (first infosource) or, failing that, the feed id the message came from."""
    for info in story.infosources:
        for value in (info.uri, info.name, info.literal):
            if value:
                return value
    dateline = story.newswire.dateline
    if dateline and dateline.agency:
        return dateline.agency
    return story.newswire.provenance.source or "unknown"


def story_signature(story: NinjsStory, simhash: int | None = None) -> Signature:
    """The identity signature of an enriched story; the simhash is computed unless given or present."""
    ext = story.newswire
    if simhash is None:
        simhash = parse_simhash(ext.identity.simhash)
    headline = story.headlines[0].value if story.headlines else ""
    if simhash is None:
        simhash = simhash64(f"{headline}\n{story.main_text()}")
    persons: set[str] = set()
    orgs: set[str] = set()
    places: set[str] = set()
    others: set[str] = set()
    countries: set[str] = set()
    by_type = {"person": persons, "organisation": orgs, "place": places}
    source = story_source(story)
    agencies = news_agency_uris()
    for entity in ext.entities:
        if entity.type == "organisation" and (entity.uri in agencies or entity.name == source):
            continue  # news agencies (the dateline's, `(AP)`) say who wrote it, not what happened
        ident = entity_id(entity.uri) or unlinked_person_id(entity.type, entity.name)
        if ident:
            by_type.get(entity.type, others).add(ident)
        if entity.type == "place" and entity.country:
            countries.add(entity.country.upper())
    for group, target in ((story.people, persons), (story.organisations, orgs), (story.places, places)):
        for item in group:
            ident = entity_id(item.uri)
            if ident and item.uri not in agencies:
                target.add(ident)
    dateline = ext.dateline
    day: int | None = None
    if dateline is not None:
        day = day_ordinal(dateline.date)
        ref = dateline.place_ref
        if ref is not None:
            if ref.geonames:
                places.add(f"gn:{ref.geonames}")
            if ref.country:
                countries.add(ref.country.upper())
    if day is None:
        day = day_ordinal(story.firstcreated) or day_ordinal(story.versioncreated)
    agency_id = next((alt.value for alt in story.altids if alt.role == "agency"), None)
    language = ext.language.code if ext.language else story.language
    return Signature(
        uri=story.uri,
        source=source,
        agency_id=agency_id,
        version=_int_version(story.version),
        kind=ext.kind,
        pubstatus=story.pubstatus,
        content_hash=ext.identity.content_hash,
        simhash=simhash,
        language=language.split("-")[0].lower() if language else None,
        entity_ids=frozenset(persons | orgs | places | others),
        person_ids=frozenset(persons),
        org_ids=frozenset(orgs),
        place_ids=frozenset(places),
        countries=frozenset(countries),
        event_day=day,
        time=epoch(story.versioncreated) or epoch(story.firstcreated),
        headline_tokens=frozenset(t for t in tokens(headline) if len(t) > 2),
        subject_ids=frozenset(filter(None, (subject_id(s.uri, s.literal) for s in story.subjects))),
        event_classes=event_classes(headline, story.main_text()[:2000], language),
    )
