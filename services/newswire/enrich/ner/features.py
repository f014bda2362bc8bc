"""Feature extraction for the linear-chain CRF entity tagger.

Features are deliberately cheap: everything that depends on the token string
alone is computed once per distinct token and cached, so tagging a sentence is
mostly list concatenation. Two lexicon-backed features generalise beyond
memorising words:

* ``lc`` -- how often the lower-cased form of a capitalised token appears in
  lower case in the training text (``Destacó`` -> ``destacó`` is common in
  lower case, so the sentence-initial capital is not a name signal);
* ``g`` -- the entity-type distribution of the exact token in the training
  text (a learned gazetteer).

During training both statistics are computed *without* the fold the sentence
belongs to (k-fold jack-knifing), so the model learns how far to trust them
for words it has rarely or never seen.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import cast

from newswire.enrich.lexical import fold_word

ENTITY_TYPES: tuple[str, ...] = ("PER", "LOC", "ORG", "MISC")
_GAZ_LABELS: tuple[str, ...] = (*ENTITY_TYPES, "O")

_QUOTE_MAP = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
    }
)

_SENT_OPENERS = frozenset({'"', "'", "(", "[", "¿", "¡", "-", "--", ":"})


def normalise(token: str) -> str:
    """Map typographic quotes and dashes onto the ASCII forms seen in CoNLL."""
    return token.translate(_QUOTE_MAP)


class _ShapeMap(dict[int, str]):
    """Code point -> its shape character (`X` upper, `x` lower, `d` digit, else itself), filled on first
    use: `str.translate` with it maps a whole token at C level instead of a Python step per character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        shape = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        self[code] = shape
        return shape


_SHAPES = _ShapeMap()


def word_shape(token: str) -> tuple[str, str]:
    """Return (short shape, long shape); e.g. ``McDonald`` -> (``XxXx``, ``XxXxxxxx``)."""
    long_shape = token.translate(_SHAPES)
    short = "".join(map(itemgetter(0), groupby(long_shape)))  # runs of one shape character, once each
    if len(long_shape) > 8:
        long_shape = long_shape[:4] + "~" + long_shape[-4:]
    return short, long_shape


@dataclass
class Lexicon:
    """Casing and entity statistics gathered from training text."""

    # lower-cased form -> [lower-case count, capitalised non-initial count, initial count]
    case: dict[str, list[int]] = field(default_factory=dict)
    # exact token -> counts per label in _GAZ_LABELS (tokens with an upper-case letter only)
    gaz: dict[str, list[int]] = field(default_factory=dict)
    # multi-token entity string (tokens joined by " ") -> counts per ENTITY_TYPES
    phrases: dict[str, list[int]] = field(default_factory=dict)
    # attributes with a non-zero weight in the trained model (None: keep all)
    attrs: list[str] | None = None

    @staticmethod
    def count(sentences: Iterable[tuple[Sequence[str], Sequence[str]]], trim_quotes: bool = False) -> Lexicon:
        """Statistics of tagged sentences; ``trim_quotes`` keys a quoted entity's phrase without its
        quote marks (`" The Web Hatchery "` -> `The Web Hatchery`: phrases are looked up from their
        first capitalised word, so a key opening with a quote would never match)."""
        case: dict[str, list[int]] = {}
        gaz: dict[str, list[int]] = {}
        phrases: dict[str, list[int]] = {}
        for raw_tokens, tags in sentences:
            tokens = [normalise(t) for t in raw_tokens]
            initial = True
            for tok, tag in zip(tokens, tags, strict=True):
                low = tok.lower()
                if low == tok and not any(c.isalpha() for c in tok):
                    if tok in _SENT_OPENERS:
                        continue
                    initial = False
                    continue
                slot = case.setdefault(low, [0, 0, 0])
                if tok == low:
                    slot[0] += 1
                elif initial:
                    slot[2] += 1
                else:
                    slot[1] += 1
                if tok != low:
                    g = gaz.setdefault(tok, [0] * len(_GAZ_LABELS))
                    label = "O" if tag == "O" else tag[2:]
                    g[_GAZ_LABELS.index(label)] += 1
                initial = False
            for start, end, kind in _chunks(tags):
                if trim_quotes:
                    while start < end and tokens[start] == '"':
                        start += 1
                    while end > start and tokens[end - 1] == '"':
                        end -= 1
                if 2 <= end - start <= MAX_PHRASE:
                    key = " ".join(tokens[start:end])
                    p = phrases.setdefault(key, [0] * len(ENTITY_TYPES))
                    p[ENTITY_TYPES.index(kind)] += 1
        return Lexicon(case, gaz, phrases)

    def minus(self, other: Lexicon) -> Lexicon:
        """Statistics of ``self`` with ``other`` (a subset of its text) removed."""
        return Lexicon(
            _subtract(self.case, other.case),
            _subtract(self.gaz, other.gaz),
            _subtract(self.phrases, other.phrases),
        )

    def save(self, path: Path) -> None:
        payload = {
            "case": dict(sorted(self.case.items())),
            "gaz": dict(sorted(self.gaz.items())),
            "phrases": dict(sorted(self.phrases.items())),
            "attrs": sorted(self.attrs) if self.attrs is not None else None,
        }
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        # mtime=0 keeps the gzip byte-identical between training runs
        with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
            gz.write(raw)

    @staticmethod
    def load(path: Path) -> Lexicon:
        with gzip.open(path, "rb") as fh:
            payload = json.loads(fh.read().decode("utf-8"))
        return Lexicon(payload["case"], payload["gaz"], payload["phrases"], payload.get("attrs"))


MAX_PHRASE = 8
BAG = 6  # window (tokens each side) of the bag-of-words context of capitalised tokens


def _subtract(a: dict[str, list[int]], b: dict[str, list[int]]) -> dict[str, list[int]]:
    out = {k: list(v) for k, v in a.items()}
    for k, v in b.items():
        slot = out[k]
        for i, n in enumerate(v):
            slot[i] -= n
        if not any(slot):
            del out[k]
    return out


def _chunks(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) entity chunks of an IOB2 sequence."""
    chunks: list[tuple[int, int, str]] = []
    start = -1
    kind = ""
    for i, tag in enumerate(tags):
        if start >= 0 and (tag == "O" or tag[0] == "B" or tag[2:] != kind):
            chunks.append((start, i, kind))
            start = -1
        if tag != "O" and start < 0:
            start, kind = i, tag[2:]
    if start >= 0:
        chunks.append((start, len(tags), kind))
    return chunks


def _lc_feature(token: str, low: str, lex: Lexicon) -> str:
    if token == low:
        return "lc=low"
    stats = lex.case.get(low)
    if stats is None:
        return "lc=unk"
    n_low, n_cap, _n_init = stats
    total = n_low + n_cap
    if total == 0:
        return "lc=init"
    r = n_low / total
    if r >= 0.9:
        bucket = "L"
    elif r >= 0.5:
        bucket = "l"
    elif r >= 0.1:
        bucket = "m"
    elif r > 0:
        bucket = "c"
    else:
        bucket = "C"
    freq = "1" if total == 1 else ("2" if total <= 5 else "3")
    return "lc=" + bucket + freq


def _gaz_features(token: str, lex: Lexicon) -> list[str]:
    counts = lex.gaz.get(token)
    if counts is None and token.isupper() and len(token) > 3:
        # headline capitals: fall back to the title-case form
        counts = lex.gaz.get(token.title())
    if counts is None:
        return ["g=unk"]
    total = sum(counts)
    if total <= 0:
        return ["g=unk"]
    out: list[str] = []
    for label, n in zip(_GAZ_LABELS, counts, strict=True):
        if n <= 0:
            continue
        r = n / total
        if r >= 0.7:
            out.append("g=" + label + ("h" if total > 2 else "H"))
        elif r >= 0.3:
            out.append("g=" + label + "m")
    return out or ["g=mix"]


def _phrase_features(counts: list[int]) -> list[str]:
    total = sum(counts)
    out = []
    for label, n in zip(ENTITY_TYPES, counts, strict=True):
        if n > 0 and n / total >= 0.3:
            out.append(label)
    return out


GIVEN_NAMES_FILE = Path(__file__).resolve().parent / "models" / "given_names.txt"


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Folded common given names (`models/given_names.txt`, written by hand)."""
    with open(GIVEN_NAMES_FILE, encoding="utf-8") as fh:
        return frozenset(fold_word(line.strip()) for line in fh if line.strip() and not line.startswith("#"))


def name_features(token: str) -> list[str]:
    """Outside knowledge of one capitalised token: a common given name (``GN``).

    (GeoNames place classes as features were tried and cost 0.5 F1 on the Spanish dev set: names of
    people and clubs shared with towns, `Franca`, `Breda`, teach the model to call them places.)"""
    return ["GN"] if fold_word(token) in given_names() else []


# A capitalised word the training text writes lowercase at least 9 times in 10 (`lc=L*`) and, capitalised,
# outside names at least 7 times in 10 (`g=Oh`, `g=OH`): `En`, `La`, `Según` opening a sentence.
_COMMON = "lc=L"
_OUTSIDE = frozenset({("g=Oh",), ("g=OH",)})
_BOS = ("-1BOS",)
_LOW = attrgetter("low")
_BAG = attrgetter("bag")
_EOS = ("+1EOS",)


class _Tok:
    """Cached, model-filtered features of one distinct token string.

    Feature groups are tuples of str, never lists: the garbage collector stops tracking such
    tuples, so tens of thousands of cached tokens add nothing to each full collection (as lists
    they made one take 50-130 ms, the p99 of a whole story).
    """

    __slots__ = (
        "bag", "gaz", "lc", "low", "m1", "m1c", "m2", "m3", "near", "opener", "own", "p1", "p1c", "p2", "p3", "plain",
        "short",
    )  # fmt: skip

    plain: bool
    opener: bool  # capitalised, but a common lowercase word whose capitalised uses were outside names
    bag: str
    gaz: tuple[str, ...]
    near: tuple[str, ...]  # the `bg` features this token gives its capitalised neighbours
    low: str
    short: str
    lc: str
    own: tuple[str, ...]
    m3: tuple[str, ...]
    m2: tuple[str, ...]
    m1: tuple[str, ...]
    p1: tuple[str, ...]
    p2: tuple[str, ...]
    p3: tuple[str, ...]
    m1c: tuple[str, ...]
    p1c: tuple[str, ...]


@dataclass
class _Context:
    feats: list[_Tok]
    phrases: dict[int, list[str]]
    first: int
    upper_sentence: bool
    quoted: list[bool] | None  # None: the sentence has no quotation mark
    bags: list[str]
    gazetted: list[tuple[int, tuple[str, ...]]]  # (index, `near` features) of the tokens that have some
    qname: dict[int, str]  # index -> QO / QI / QC for a short quoted name (`_quoted_names`)
    sport: bool  # the sentence has a word of sports reporting (`SPORT_WORDS`)


# Spanish words of sports reporting, written here by hand. In a sports sentence a city or country is
# mostly its team (`el Valencia`, `Brasil ganó`, ORG), elsewhere a place: the `SP` features let the
# model weigh the learned gazetteer's LOC against that.
_SPORT_TEXT = """partido partidos gol goles liga equipo equipos jugador jugadores entrenador temporada club
    estadio campeonato copa selección minuto minutos marcador victoria derrota empate empató ganó venció derrotó
    jornada fútbol baloncesto tenis ciclismo final semifinal eliminatoria torneo título campeón delantero
    portero defensa centrocampista fichaje goleador puntos clasificación descenso ascenso visitante
    local encuentro"""
SPORT_WORDS = frozenset(_SPORT_TEXT.split())
CONTEXT_MARKERS = frozenset({"SP", "QO", "QI", "QC"})  # a model that knows these was trained with `context`


def _quoted_names(lows: list[str], feats: list[_Tok]) -> dict[int, str]:
    """Short quote pairs (at most 8 tokens) opening on a capitalised word: the opening quote (QO), what
    it holds (QI) and the closing one (QC). Newswire annotation counts the marks as part of a quoted
    name (`el diario " Reforma "`), so the tagger needs to see the pair to take them in."""
    out: dict[int, str] = {}
    opened = -1
    for i, low in enumerate(lows):
        if low != '"':
            continue
        if opened < 0:
            opened = i
            continue
        inner = feats[opened + 1 : i]
        if 0 < len(inner) <= 8 and not inner[0].plain:
            out[opened] = "QO"
            out[i] = "QC"
            for k in range(opened + 1, i):
                out[k] = "QI"
        opened = -1
    return out


class FeatureExtractor:
    """Turns token sequences into CRFsuite attribute lists.

    Tokens without an upper-case letter (lower-case words, numbers,
    punctuation -- the large majority) get a small feature set; capitalised
    tokens, where the entity decisions are made, get the full set with a
    +-3 window, lexicon features and conjunctions.

    ``keep`` (the attributes the trained model actually uses) filters out
    everything the model would ignore anyway, which makes tagging faster
    without changing its output.
    """

    # Per-token features cost about 1 kB each: 200,000 cached tokens grew a worker by ~200 MB per
    # language before the cache was cleared (a saw-tooth RSS over long runs). News vocabulary is
    # Zipfian, so 30,000 keep nearly all lookups cached at a tenth of the memory.
    def __init__(
        self,
        lexicon: Lexicon,
        keep: frozenset[str] | None = None,
        cache_size: int = 30_000,
        outside: bool = True,
        skip_openers: bool = True,
        context: bool = True,
    ) -> None:
        self.lexicon = lexicon
        self.keep = keep
        self.outside = outside  # the given-name feature (`name_features`)
        self.skip_openers = skip_openers  # see `_opener_only`
        # quoted-name and sports-sentence features, and 5-letter affixes (es since its 2026-12 rebuild;
        # the en model was trained without them: at run time `keep` drops what a model never learned)
        self.context = context
        self._affixes = (1, 2, 3, 4, 5) if context else (1, 2, 3, 4)
        self._cache: dict[str, _Tok] = {}
        self._cache_size = cache_size
        first: dict[str, int] = {}
        for key in lexicon.phrases:
            parts = key.split(" ")
            if first.get(parts[0], 0) < len(parts):
                first[parts[0]] = len(parts)
        self._phrase_first = first

    def _filter(self, feats: list[str]) -> tuple[str, ...]:
        keep = self.keep
        return tuple(feats) if keep is None else tuple(filter(keep.__contains__, feats))

    def _token_features(self, raw: str) -> _Tok:
        token = normalise(raw)
        low = token.lower()
        short, long_shape = word_shape(token)
        short = sys.intern(short)  # shapes, `lc` and gazetteer features come from small sets: one copy each
        n = len(low)
        t = _Tok()
        t.plain = plain = token == low
        t.low = low
        t.short = short
        lc = sys.intern(_lc_feature(token, low, self.lexicon))
        t.lc = lc
        gaz = tuple(map(sys.intern, _gaz_features(token, self.lexicon))) if not plain else ()
        t.opener = not plain and lc.startswith(_COMMON) and gaz in _OUTSIDE
        known = tuple(map(sys.intern, name_features(token))) if not plain and self.outside else ()
        if plain:
            own = ["bp", "w=" + low, "sh=" + short]
            if n > 3:
                own.append("s3=" + low[-3:])
        else:
            own = ["b", "w=" + low, "sh=" + short, "ls=" + long_shape, "wc=" + token]
            for k in self._affixes:
                if n > k:
                    own.append(f"s{k}=" + low[-k:])
                    own.append(f"p{k}=" + low[:k])
            if token.isupper() and n > 1:
                own.append("AU")
            if any(c.isdigit() for c in token):
                own.append("D")
            if "-" in token and n > 1:
                own.append("H")
            if "." in token and n > 1:
                own.append("P")
            own.append("len=" + (str(n) if n < 6 else ("6" if n < 10 else "10")))
            own.append(lc)
            own.extend(gaz)
            own.extend(known)
            own.append(lc + "|" + short)
        t.own = self._filter(own)
        t.m3 = self._filter(["-3w=" + low])
        t.p3 = self._filter(["+3w=" + low])
        t.m2 = self._filter(["-2w=" + low, "-2sh=" + short])
        t.p2 = self._filter(["+2w=" + low, "+2sh=" + short])
        m1 = ["-1w=" + low, "-1sh=" + short, "-1" + lc] + ["-1" + g for g in (*gaz, *known)]
        p1 = ["+1w=" + low, "+1sh=" + short, "+1" + lc] + ["+1" + g for g in (*gaz, *known)]
        if n > 3:
            m1.append("-1s3=" + low[-3:])
            p1.append("+1s3=" + low[-3:])
        t.m1 = self._filter(m1)
        t.p1 = self._filter(p1)
        t.gaz = gaz
        t.near = tuple(sys.intern("bg" + g) for g in gaz if g != "g=unk")
        t.bag = ""
        if plain and n > 3 and low.isalpha():
            bag = self._filter(["bw=" + low])
            t.bag = bag[0] if bag else ""
        t.m1c = self._filter(["-1c=" + short] + ["-1c" + g for g in gaz])
        t.p1c = self._filter(["+1c=" + short] + ["+1c" + g for g in gaz])
        return t

    def token_features(self, raw: str) -> _Tok:
        cached = self._cache.get(raw)
        if cached is None:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            cached = self._token_features(raw)
            self._cache[raw] = cached
        return cached

    def _phrases(self, feats: list[_Tok], tokens: Sequence[str]) -> dict[int, list[str]]:
        """Longest-match lookup of known multi-token entities."""
        out: dict[int, list[str]] = {}
        first = self._phrase_first
        phrases = self.lexicon.phrases
        n = len(feats)
        free = 0  # the first token not inside a phrase already matched
        # only capitalised tokens open a phrase: skip straight to them
        for i in [k for k, f in enumerate(feats) if not f.plain]:
            if i < free:
                continue
            longest = first.get(tokens[i])
            if longest is None:
                continue
            matched = 0
            top = min(longest, n - i)
            words = [normalise(t) for t in tokens[i : i + top]]  # once, not once per length tried
            for length in range(top, 1, -1):
                counts = phrases.get(" ".join(words[:length]))
                if counts is not None:
                    labels = _phrase_features(counts)
                    for j in range(i, i + length):
                        tag = "gzB=" if j == i else "gzI="
                        out.setdefault(j, []).extend(tag + lab for lab in labels)
                    matched = length
                    break
            free = i + (matched or 1)
        return out

    def _context(self, tokens: Sequence[str]) -> _Context:
        n = len(tokens)
        cache = self._cache
        cached = list(map(cache.get, tokens))  # C-level probes; a _Tok is always truthy
        if None in cached:
            feats = [f or self.token_features(t) for f, t in zip(cached, tokens, strict=True)]
        else:
            feats = cast("list[_Tok]", cached)
        phrases = self._phrases(feats, tokens) if self._phrase_first else {}
        # index of the first "real" token (skip opening quotes/brackets)
        first = 0
        while first < n - 1 and feats[first].low in _SENT_OPENERS:
            first += 1
        capitalised = [f for f in feats if not f.plain]
        n_alpha = len(capitalised)
        n_upper = sum(1 for f in capitalised if f.short == "X")
        upper_sentence = n_upper >= 3 and n_upper >= 0.6 * n_alpha
        lows = list(map(_LOW, feats))
        quoted: list[bool] | None = None
        if '"' in lows:  # most sentences quote nothing: skip the per-token walk
            quoted = [False] * n
            inside = False
            for i, low in enumerate(lows):
                if low == '"':
                    inside = not inside
                else:
                    quoted[i] = inside
        gazetted = [(i, f.near) for i, f in enumerate(feats) if f.near]
        context = self.context
        qname = _quoted_names(lows, feats) if context and quoted is not None else {}
        sport = context and not SPORT_WORDS.isdisjoint(lows)
        return _Context(feats, phrases, first, upper_sentence, quoted, list(map(_BAG, feats)), gazetted, qname, sport)

    def sequence(self, tokens: Sequence[str]) -> list[list[str]]:
        """Attribute lists for every token of one sentence."""
        if not tokens:
            return []
        ctx = self._context(tokens)
        return [self._item(ctx, i) for i in range(len(tokens))]

    def runs(self, tokens: Sequence[str]) -> list[tuple[int, list[list[str]]]]:
        """Attribute lists for the parts of a sentence that can hold entities.

        Only capitalised tokens and their immediate neighbours can be (or
        continue) an entity; the rest is left out of the tagging (it is
        ``O``), which roughly halves the cost for ordinary prose. Returns
        (start index, attribute lists) per contiguous run.
        """
        if not tokens:
            return []
        ctx = self._context(tokens)
        feats = ctx.feats
        n = len(feats)
        active = [not f.plain for f in feats]
        for i in [k for k, on in enumerate(active) if on]:  # the capitalised tokens
            if i > 0:
                active[i - 1] = True
            if i + 1 < n:
                active[i + 1] = True
        for i in ctx.phrases:
            active[i] = True
        # CRFsuite has no start-state transition, so a run must not begin with
        # a token that could continue an entity: anchor every run on one more
        # (lower-case, almost surely O) token to its left.
        starts = [i for i in range(1, n) if active[i] and not active[i - 1]]
        for i in starts:
            active[i - 1] = True
        out: list[tuple[int, list[list[str]]]] = []
        i = 0
        while i < n:
            if not active[i]:
                i += 1
                continue
            j = i
            while j < n and active[j]:
                j += 1
            if not (self.skip_openers and self._opener_only(ctx, i, j)):
                out.append((i, [self._item(ctx, k) for k in range(i, j)]))
            i = j
        return out

    @staticmethod
    def _opener_only(ctx: _Context, i: int, j: int) -> bool:
        """Whether the only capitalised token of run `i:j` is a common word opening the sentence (`En`,
        `La`, `Según`; see `_Tok.opener`), with no known phrase in the run and the sentence not in capitals.

        Such runs are left out of the tagging: on every sentence of the CoNLL es and en train and dev sets
        (about 7,500 such runs) the models tagged all of them `O`, and one run is a third of a story's
        runs (`tests/unit/test_ner_fast_paths.py` checks the rule against the shipped models)."""
        first = ctx.first
        feats = ctx.feats
        if not (i <= first < j and feats[first].opener) or ctx.upper_sentence:
            return False
        phrases = ctx.phrases
        return all(feats[k].plain and k not in phrases for k in range(i, j) if k != first) and first not in phrases

    def _item(self, ctx: _Context, i: int) -> list[str]:
        feats = ctx.feats
        n = len(feats)
        phrases = ctx.phrases
        keep = self.keep
        cur = feats[i]
        if cur.plain:
            prev_f = feats[i - 1] if i > 0 else None
            next_f = feats[i + 1] if i + 1 < n else None
            if (prev_f is not None and not prev_f.plain) or (next_f is not None and not next_f.plain):
                # next to a capitalised word: may continue or end an entity
                x = [*cur.own, *(prev_f.m1 if prev_f is not None else _BOS)]
                x += next_f.p1 if next_f is not None else _EOS
            else:
                x = list(cur.own)
                if prev_f is not None:
                    x += prev_f.m1c
                if next_f is not None:
                    x += next_f.p1c
            if i in phrases:
                x += self._filter(phrases[i])
            q = ctx.qname.get(i)
            if q is not None:
                x += self._filter([q, q + "|" + (prev_f.short if prev_f is not None else "BOS")])
            return x
        low = cur.low
        short = cur.short
        dyn: list[str] = []
        if i > 0:
            prev = feats[i - 1]
            x = [*cur.own, *prev.m1]
            dyn.append("w-1|0=" + prev.low + "|" + low)
            dyn.append("sh-1|0=" + prev.short + "|" + short)
            dyn.append("w-1|sh=" + prev.low + "|" + short)
            if i > 1:
                x += feats[i - 2].m2
                if i > 2:
                    x += feats[i - 3].m3
        else:
            x = [*cur.own, *_BOS]
        if i + 1 < n:
            nxt = feats[i + 1]
            x += nxt.p1
            dyn.append("w0|+1=" + low + "|" + nxt.low)
            dyn.append("sh0|+1=" + short + "|" + nxt.short)
            dyn.append("sh|w+1=" + short + "|" + nxt.low)
            if i + 2 < n:
                x += feats[i + 2].p2
                if i + 3 < n:
                    x += feats[i + 3].p3
        else:
            x += _EOS
        if i == ctx.first:
            dyn.append("FIRST")
            dyn.append("FIRST|" + cur.lc)
            dyn.append("FIRST|sh=" + short)
        if ctx.upper_sentence:
            dyn.append("UPS")
            dyn.append("UPS|" + cur.lc)
        if i in phrases:
            dyn += phrases[i]
        for g in cur.gaz:
            if i > 0:
                dyn.append("w-1|" + feats[i - 1].low + "|" + g)
        lo = max(0, i - BAG)
        dyn += [b for b in ctx.bags[lo : i + BAG + 1] if b]
        # entity types (learned gazetteer) of the other capitalised words nearby
        near: dict[str, None] = {}
        hi = i + BAG
        for j, bg in ctx.gazetted:
            if lo <= j <= hi and j != i:
                for g in bg:
                    near[g] = None
        dyn += near
        if ctx.quoted is not None and ctx.quoted[i]:
            dyn.append("Q")
        q = ctx.qname.get(i)
        if q is not None:
            dyn.append(q)
            dyn.append(q + "|" + cur.lc)
        if ctx.sport:
            dyn.append("SP")
            dyn += ["SP|" + g for g in cur.gaz]
            if i > 0:
                dyn += ["SP|" + feats[i - 1].low + "|" + g for g in cur.gaz]
        x += dyn if keep is None else filter(keep.__contains__, dyn)
        return x


def fold_lexicons(
    sentences: Sequence[tuple[Sequence[str], Sequence[str]]], folds: int, trim_quotes: bool = False
) -> tuple[Lexicon, list[tuple[range, Lexicon]]]:
    """Full lexicon plus one jack-knifed lexicon per contiguous fold."""
    n = len(sentences)
    bounds = [round(k * n / folds) for k in range(folds + 1)]
    full = Lexicon.count(sentences, trim_quotes)
    out: list[tuple[range, Lexicon]] = []
    for k in range(folds):
        rng = range(bounds[k], bounds[k + 1])
        part = Lexicon.count((sentences[i] for i in rng), trim_quotes)
        out.append((rng, full.minus(part)))
    return full, out
