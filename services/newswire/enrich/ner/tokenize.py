"""Offset-preserving word tokenizer and sentence splitter for the NER tagger.

The tokenization roughly follows the CoNLL-2002/2003 conventions the models
were trained on: punctuation is split off, hyphenated words stay whole,
English clitics (``'s``, ``n't``) are separate tokens, dotted abbreviations
(``U.S.``, ``EE.UU.``, ``Sr.``) stay whole, numbers keep their separators.
Every token carries ``start``/``end`` code-point offsets into the original
string, so ``text[start:end] == token``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import compress, count, pairwise, repeat
from operator import is_, itemgetter
from typing import NamedTuple


class Token(NamedTuple):
    text: str
    start: int
    end: int


# Abbreviations that keep their final period (lower-cased, without the dot); the entities stage reads it too.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "sra",
        "srta",
        "sres",
        "dra",
        "dña",
        "dª",
        "gen",
        "gral",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "gov",
        "sen",
        "rep",
        "rev",
        "fr",
        "hon",
        "pres",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "cia",
        "no",
        "nº",
        "núm",
        "art",
        "pág",
        "págs",
        "ed",
        "eds",
        "vol",
        "fig",
        "av",
        "avda",
        "c",
        "ud",
        "uds",
        "vd",
        "vds",
        "lic",
        "ing",
        "arq",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "ene",
        "abr",
        "ago",
        "dic",
        "mt",
        "ft",
        "est",
        "approx",
        "dept",
        "univ",
        "assn",
        # sports clubs (`FC. Barcelona`, `At. Madrid`, `BM. Granollers`): the period is no sentence end
        "fc",
        "cf",
        "cd",
        "sd",
        "bm",
        "cb",
        "rcd",
        "at",
        "dep",
    ]
)

_TOKEN_PATTERN = r"""
    (?P<url>(?:https?://|www\.)[^\s<>"'«»“”]+[^\s<>"'«»“”.,;:!?)\]])
  | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<num>\d+(?:[.,:/'’-]\d+)*(?:[^\W\d_]+\b)?[º%ª]?)
  | (?P<initials>(?:[^\W\d_]{1,3}\.){2,}(?![^\W\d_]))
  | (?P<ntword>[^\W\d_]+(?=[nN][’'][tT](?![^\W\d_])))
  | (?P<clitic>[nN][’'][tT](?![^\W\d_]))
  | (?P<word>[^\W_]+(?:(?:[-·&]|[’'](?!s\b|S\b|t\b))[^\W_]+)*(?:\.(?=\s|$))?)
  | (?P<ellipsis>\.{2,}|…)
  | (?P<dash>-{2,}|—|–)
  | (?P<apos>[’'](?:s|S|re|ve|ll|d|m|RE|VE|LL|D|M)(?![^\W\d_]))
  | (?P<punct>\S)
    """
# The e-mail and "n't" alternatives scan every word; compile variants without
# them and use those when the text cannot contain such tokens.
_EMAIL_ALT = "  | (?P<email>"
_NT_ALT = "  | (?P<ntword>"


def _variant(email: bool, nt: bool) -> re.Pattern[str]:
    lines = []
    for line in _TOKEN_PATTERN.splitlines():
        if (not email and line.startswith(_EMAIL_ALT)) or (not nt and line.startswith(_NT_ALT)):
            continue
        lines.append(line)
    # Every alternative starts with a non-space: the lookahead turns the ~500 spaces of a story
    # away at once instead of trying each alternative there (the regex ran ~25% faster).
    return re.compile("(?=\\S)(?:" + "\n".join(lines) + "\n)", re.VERBOSE)


_TOKEN_RES = {(e, t): _variant(e, t) for e in (False, True) for t in (False, True)}
_NT_RE = re.compile(r"[nN][’'][tT]")

_SENT_END = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
_CLOSERS = frozenset({'"', "'", "”", "’", "»", ")", "]"})
_OPENERS = "\"'“«¿¡(-—"
_LINE_BREAK = re.compile("\n")
_FINAL_CHAR = re.compile("[.!?…]")


def _scan(text: str) -> list[Token]:
    """Tokens of ``text`` by the token pattern, with code-point offsets."""
    pattern = _TOKEN_RES[("@" in text, _NT_RE.search(text) is not None)]
    matches = list(pattern.finditer(text))
    # Tokens built with C-level maps (Token(...) would also run a Python-level __new__ each); then only
    # the few that end in a period are looked at.
    written = list(map(re.Match.group, matches))
    fields = zip(written, map(re.Match.start, matches), map(re.Match.end, matches), strict=True)
    out: list[Token] = list(map(tuple.__new__, repeat(Token), fields))
    dotted = list(compress(range(len(written)), map(str.endswith, written, repeat("."))))
    for index in reversed(dotted):  # from the end, so that the indices still to fix stay valid
        m = matches[index]
        tok = written[index]
        if len(tok) > 1 and m.lastgroup == "word":
            core = tok[:-1]
            if core.lower() not in ABBREVIATIONS and not (len(core) == 1 and core.isalpha()):
                # sentence-final period after an ordinary word
                start, end = m.span()
                out[index : index + 1] = [Token(core, start, end - 1), Token(".", end - 1, end)]
    return out


# No token holds a space and the pattern looks neither behind nor past the next space, so a run of
# non-space characters (a chunk: `Putin,`, `«Haremos`) splits the same wherever it stands. A story's
# chunks are mostly words seen before, so their splits are cached: () for a chunk that is one token,
# else its tokens with offsets from the chunk's start. Bounded like the tagger's token cache; plain
# tuples of str and int, which the garbage collector stops tracking (namedtuples it keeps walking).
_CHUNK = re.compile(r"\S+")
Split = tuple[tuple[str, int, int], ...]
_WHOLE: Split = ()
CHUNK_CACHE_SIZE = 30_000
_chunks: dict[str, Split] = {}


def _split_chunks(chunks: list[str]) -> list[Split]:
    """The splits of `chunks`. A chunk of letters only is one word token (no alternative before `word`
    can match it, and `word` takes all of it); the others are scanned together in one string (a pattern
    call per chunk cost ~10 times more)."""
    out = [_WHOLE] * len(chunks)
    rest = [i for i, letters in enumerate(map(str.isalpha, chunks)) if not letters]
    if not rest:
        return out
    tokens = _scan(" ".join([chunks[i] for i in rest]))
    starts = list(map(itemgetter(1), tokens))
    first = at = 0
    for index in rest:
        end = at + len(chunks[index])
        last = bisect_left(starts, end, first)  # the chunk's tokens are tokens[first:last]
        if last - first > 1:
            out[index] = tuple((word, start - at, stop - at) for word, start, stop in tokens[first:last])
        first, at = last, end + 1
    return out


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with code-point offsets."""
    matches = list(_CHUNK.finditer(text))
    chunks = list(map(re.Match.group, matches))
    cache = _chunks
    pieces: list[Split | None] = list(map(cache.get, chunks))
    unseen = list(compress(count(), map(is_, pieces, repeat(None))))  # chunks not seen before
    if unseen:
        if len(cache) + len(unseen) > CHUNK_CACHE_SIZE:
            cache.clear()
        for index, split in zip(unseen, _split_chunks([chunks[i] for i in unseen]), strict=True):
            pieces[index] = split
            if len(cache) < CHUNK_CACHE_SIZE:
                cache[chunks[index]] = split
    # Every chunk as one token (C-level maps), then the chunks that split into several are spliced in.
    fields = zip(chunks, map(re.Match.start, matches), map(re.Match.end, matches), strict=True)
    out: list[Token] = list(map(tuple.__new__, repeat(Token), fields))
    for index in reversed(list(compress(count(), pieces))):  # from the end: the indices before stay valid
        at = matches[index].start()
        split = pieces[index] or _WHOLE  # never empty here: compress kept the chunks that split
        out[index : index + 1] = [Token(word, at + start, at + end) for word, start, end in split]
    return out


def forget_chunks() -> None:
    """Empty the cache of chunk splits (tests, and measuring the cost on unseen text)."""
    _chunks.clear()


def split_sentences(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Group tokens into sentences.

    A sentence ends after ``.``/``!``/``?`` (plus closing quotes/brackets)
    when the next token starts with an upper-case letter, a digit or an
    opening quote, and at every line break (paragraphs, headline lines).

    Only the line breaks and the sentence-final marks are visited (a story has
    ~25 of them against ~500 tokens), not every token.
    """
    if not tokens:
        return []
    starts = list(map(itemgetter(1), tokens))
    size = len(tokens)
    breaks: set[int] = set()  # indices of the tokens that open a sentence
    for line in _LINE_BREAK.finditer(text, tokens[0].end, starts[-1]):
        after = bisect_left(starts, line.start())
        if tokens[after - 1].end <= line.start():  # in the gap before token `after`
            breaks.add(after)
    # Every sentence-final token holds one of these characters: find them in the text, not token by token.
    marks = {bisect_right(starts, found.start()) - 1 for found in _FINAL_CHAR.finditer(text, starts[0])}
    for mark in sorted(marks):
        word = tokens[mark].text
        if word not in _SENT_END and word[-1] not in "?!":
            continue
        # The mark ends the sentence when the next token that is not a closing quote or bracket is
        # spaced off and opens like a sentence; a line break first ends it anyway.
        k = mark + 1
        while k < size and k not in breaks:
            token = tokens[k]
            first = token.text[0]
            if token.start > tokens[k - 1].end and (first.isupper() or first.isdigit() or first in _OPENERS):
                breaks.add(k)
                break
            if token.text not in _CLOSERS:
                break
            k += 1
    bounds = [0, *sorted(breaks), size]
    return [tokens[a:b] for a, b in pairwise(bounds)]
