"""Attribute quotations to speakers: find the reporting verb (cue) around a quote and its subject.

Works on a *masked* copy of the text in which every quotation is blanked out (so words inside
quotes are never cues or speakers) except a final `.,!?` that tells how the quote ends. For
each quote the scanner looks, in order of likelihood:

1. after the quote when it ends on a comma/?/! (`«...», dijo Kim`, `"...," Putin said`,
   `"...," said John Smith`, `«...», según el ministro`, `„...“, so Merkel`);
2. before it in the same sentence (`Kim destacó que «...»`, `X said: "..."`, `Dijo Kim: «...»`);
3. the sentence before when it ends with a colon and the quote opens the next one;
4. otherwise the quote continues the previous quote's speaker when it follows it closely.

A verb without a subject (Spanish `«...», señaló.`) or with a pronoun (`he said`) takes the
last named speaker.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

from newswire.enrich.lexical import literal_patterns, scan_literals
from newswire.enrich.quotes.cues import (
    ABBREVIATIONS,
    ADVERBS,
    AUXILIARIES,
    COMPLEMENTIZERS,
    CONJUNCTIONS,
    DETERMINERS,
    NAME_CONNECTORS,
    PREPOSITIONS,
    PRONOUNS,
    QUANTIFIERS,
    RELATIVES,
    TITLES,
    Lexicon,
)

MASK = "\x01"
_TOKEN = re.compile(r"\x01+|\w+(?:[’'\-.]\w+)*|[^\w\s]")
_FR_INVERSION = re.compile(r"^(.*?)-(?:t-)?(il|elle|ils|elles|on)$")
# A US party-and-state tag after a name: `R-Ky.`, `D-N.Y.`, `I-Vt`.
_AFFILIATION = re.compile(r"[RDI]-[A-Z][\w.]*\.?$")
# `Rangel of New York`, `Ruiz, de Sevilla`: the name is complete, the place after it is not a name it describes
_OF_WORDS = frozenset(["of", "de", "del", "from", "von", "di", "da", "do", "du"])
_STOP_WORDS = DETERMINERS | CONJUNCTIONS | PREPOSITIONS | COMPLEMENTIZERS | ADVERBS | PRONOUNS | AUXILIARIES


# Prepositions that open a sentence with whose view it gives (`Para X, ...`, `Pour X, ...`, `Per X, ...`).
_OPINION_PREPS = frozenset(["para", "pour", "per"])
_READ = frozenset(["read", "reads"])
# A text that carries someone's words (`issued a statement that read: "..."`): its issuer is the speaker.
_TEXT_NOUNS = frozenset(["statement", "letter", "message", "note", "post", "release", "email", "tweet", "comunicado"])


class Tok(NamedTuple):
    """A token of the masked text. The scanner asks each token's lower case and first-letter class
    many times over, so they are computed once, when the token is made."""

    text: str
    start: int
    end: int
    low: str
    is_mask: bool  # a run of masked (quoted) characters
    is_word: bool
    is_cap: bool


@dataclass
class Found:
    """A speaker found for a quote: the mention span and the name to show."""

    name: str
    start: int
    end: int
    cue: str | None
    explicit: bool  # a name or noun phrase, not a pronoun or a dropped subject
    dropped: bool = False  # an empty mention: the verb has no subject at all (`«...», aseguró.`)


def _joins(toks: list[Tok], j: int) -> bool:
    """The hyphen at `j` joins two words (`hand-lettered`) rather than setting off a phrase."""
    return 0 < j < len(toks) - 1 and toks[j - 1].end == toks[j].start and toks[j].end == toks[j + 1].start


def tokenize(masked: str, start: int, end: int) -> list[Tok]:
    # Built with C-level maps, no Python loop (as `lexical.words`): Tok(...) would run a Python-level
    # __new__ per token.
    matches = list(_TOKEN.finditer(masked, start, end))
    texts = list(map(re.Match.group, matches))
    firsts = list(map(itemgetter(0), texts))
    fields = zip(
        texts,
        map(re.Match.start, matches),
        map(re.Match.end, matches),
        map(str.lower, texts),
        map(MASK.__eq__, firsts),
        map(str.isalnum, firsts),
        map(str.isupper, firsts),
        strict=True,
    )
    return list(map(tuple.__new__, repeat(Tok), fields))


class Attributor:
    """Per-document state: masked text, sentence boundaries, the last speaker."""

    def __init__(self, text: str, masked: str, lexicon: Lexicon) -> None:
        self.text = text
        self.masked = masked
        self.lex = lexicon
        self.boundaries = self._sentence_boundaries()
        self.last: Found | None = None

    # --- sentences -------------------------------------------------------------------------

    # `[.!?…][\x01)\]]*(?=\s+[\x01\"'¿¡(\[]*[\w\x01])|\n\s*` as one pattern per first character
    # (lexical.scan_literals: a class first is tried at every position of the text).
    _BOUNDARY = literal_patterns(
        {
            **{mark: re.escape(mark) + r"[\x01)\]]*(?=\s+[\x01\"'¿¡(\[]*[\w\x01])" for mark in ".!?…"},
            "\n": "\n\\s*",
        }
    )

    def _sentence_boundaries(self) -> list[int]:
        """Offsets where a sentence starts (after `. ` outside abbreviations, or a line break)."""
        out = [0]
        masked = self.masked
        for m in scan_literals(self._BOUNDARY, masked):
            if masked[m.start()] == "\n":
                out.append(m.end())
                continue
            if masked[m.start()] == ".":
                j = m.start()
                k = j
                while k > 0 and (masked[k - 1].isalnum() or masked[k - 1] == "."):
                    k -= 1
                word = masked[k:j].lower()
                if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
            # sentence begins at the next non-space
            k = m.end()
            while k < len(masked) and masked[k].isspace():
                k += 1
            nxt = masked[k] if k < len(masked) else ""
            in_quote = masked[m.start()] in "?!" and m.end() > m.start() + 1 and masked[m.start() + 1] == MASK
            if in_quote and nxt != MASK:  # '"Why not?" Trump asked.': the quote's own sentence goes on
                continue
            if nxt and (nxt.isupper() or nxt == MASK or not nxt.isalpha()):
                out.append(k)
        return out

    def sentence_start(self, pos: int) -> int:
        return self.boundaries[bisect.bisect_right(self.boundaries, pos) - 1]

    def sentence_end(self, pos: int) -> int:
        i = bisect.bisect_right(self.boundaries, pos)
        return self.boundaries[i] if i < len(self.boundaries) else len(self.masked)

    # --- cues ------------------------------------------------------------------------------

    def cue_at(self, toks: list[Tok], i: int) -> str | None:
        """'verb', 'prep' or None for the token at `i`."""
        low = toks[i].low
        if toks[i].is_cap and i > 0 and toks[i - 1].is_word:
            return None  # "United States", "Said Abdullah": a capitalised cue only opens a clause
        if low in self.lex.verbs:
            if low == "so" and not (i > 0 and toks[i - 1].text == ","):
                return None
            if low in _READ and not self._introduces_text(toks, i + 1):
                return None  # `markets would read the speech as ...`: reading, not a text's words
            return "verb"
        if low in self.lex.prep_cues:
            if low == "according" and not (i + 1 < len(toks) and toks[i + 1].low == "to"):
                return None
            return "prep"
        if "-" in low:
            m = _FR_INVERSION.match(low)
            if m and m.group(1) in self.lex.verbs:
                return "verb"
        if low == "acuerdo" and i > 0 and toks[i - 1].low == "de" and i + 1 < len(toks) and toks[i + 1].low == "con":
            return "prep"
        return None

    @staticmethod
    def _introduces_text(toks: list[Tok], i: int) -> bool:
        """`read` gives a text's words only when they follow (`read:`, `read in full: "..."`, `reads, "..."`)."""
        for tok in toks[i : i + 4]:
            if tok.is_mask or tok.text in ':,"“«':
                return True
            if tok.low not in ("in", "full", "part", "simply"):
                return False
        return i >= len(toks)  # the clause ends at `read`: the quote follows it

    # --- noun phrases ----------------------------------------------------------------------

    def _name_run(self, toks: list[Tok], a: int, b: int, first: bool = False) -> tuple[int, int] | None:
        """The last (or `first`) proper-name run in toks[a:b] that is not a prepositional complement
        or a possessive."""
        best: tuple[int, int] | None = None
        i = a
        while i < b:
            t = toks[i]
            if t.is_word and t.is_cap and t.low not in _STOP_WORDS:
                j = i + 1
                while j < b:
                    u = toks[j]
                    if (
                        (u.is_word and (u.is_cap or u.text[0].isdigit()) and u.low not in _STOP_WORDS)
                        or (u.text == "." and (toks[j - 1].low in ABBREVIATIONS or len(toks[j - 1].text) == 1))
                        or (
                            u.low in NAME_CONNECTORS
                            and j + 1 < b
                            and toks[j + 1].is_cap
                            and toks[j + 1].low not in _STOP_WORDS
                        )
                    ):
                        j += 1
                    else:
                        break
                run = (i, j)
                prev = toks[i - 1].low if i > a else ""
                prev2 = toks[i - 2].low if i - 1 > a else ""
                complement = prev in PREPOSITIONS or (prev in DETERMINERS and prev2 in PREPOSITIONS)
                # `Ann Lee of Barrow Bank`: the place of work after a name (not `Secretary of State Kerry`)
                complement = complement or (prev == "of" and best is not None and not self._titles(toks, best))
                last = toks[j - 1].low
                possessive = last.endswith(("’s", "'s")) or (j < b and toks[j].low in ("’s", "'s"))
                if not complement and not possessive:
                    best = run
                    if first:
                        break
                i = j
            else:
                i += 1
        if best is None:
            return None
        i, j = best
        # strip leading titles ("Sen.", "President", "Retired Lt. Gen.") when a name remains
        while i < j - 1 and (toks[i].low.rstrip(".") in TITLES or toks[i].text == "."):
            i += 1
        while i < j and toks[i].text == ".":
            i += 1
        return (i, j) if i < j else None

    @staticmethod
    def _titles(toks: list[Tok], run: tuple[int, int]) -> bool:
        return all(toks[k].low.rstrip(".") in TITLES for k in range(*run))

    def _speaker_from(self, toks: list[Tok], a: int, b: int, cue: str | None) -> Found | None:
        """A speaker from the noun phrase toks[a:b]."""
        for k in range(a + 1, b):
            if toks[k].text == "(":  # "Rep. Gwen Moore (D-Wis.)"
                b = k
                break
        while a < b and (toks[a].low in CONJUNCTIONS or (not toks[a].is_word and toks[a].text not in "¿¡")):
            a += 1
        while b > a and not toks[b - 1].is_word:
            b -= 1
        if a >= b:
            return None
        if b - a > 10:
            a = b - 10
        if b - a == 1 and toks[a].low in PRONOUNS:
            return self._resolve_pronoun(toks[a], cue)
        run = self._name_run(toks, a, b)
        if run is not None and self._titles(toks, run):
            run = None  # "le Premier ministre", "el Presidente": a title, not a name
        if run is not None:
            i, j = run
            name = self.text[toks[i].start : toks[j - 1].end]
            return Found(name, toks[i].start, toks[j - 1].end, cue, True)
        if not (toks[a].low in DETERMINERS or toks[a].low in QUANTIFIERS or toks[a].is_cap):
            return None
        if toks[a].low in _STOP_WORDS and toks[a].low not in DETERMINERS:
            return None
        return Found(self.text[toks[a].start : toks[b - 1].end], toks[a].start, toks[b - 1].end, cue, True)

    def _resolve_pronoun(self, tok: Tok, cue: str | None) -> Found:
        if self.last is not None:
            return Found(self.last.name, tok.start, tok.end, cue, False)
        return Found(tok.text, tok.start, tok.end, cue, False)

    def _zero_subject(self, cue: str | None, at: int, bare: bool) -> Found:
        """A verb without a subject (`«...», aseguró.`): the last speaker, or, before any and when no
        word stands before the verb (`bare`), an empty mention at the verb that the speaker rules
        resolve from the sentence before the quote; else (`organisers said`, a subject not parsed) an
        empty mention that names nobody but keeps the cue."""
        if self.last is None:
            # an empty mention keeps the cue; the speaker rules resolve it only when the verb is bare
            return Found("", at, at, cue, False, dropped=bare)
        # a bare verb is flagged too: the speaker rules prefer the sentence before to the last speaker
        return Found(self.last.name, self.last.start, self.last.end, cue, False, dropped=bare)

    def subject_before(self, toks: list[Tok], v: int, lo: int, cue: str | None) -> tuple[bool, Found | None]:
        """(stopped-at-a-subject?, speaker) from the words before the verb at `v` (not before `lo`)."""
        i = v - 1
        if i >= lo and toks[v].low.count("-") and _FR_INVERSION.match(toks[v].low):
            m = _FR_INVERSION.match(toks[v].low)
            assert m is not None
            return True, self._resolve_pronoun(toks[v], cue)
        if i >= lo and _FR_INVERSION.match(toks[i].low):  # "a-t-il déclaré"
            return True, self._resolve_pronoun(toks[i], cue)
        while i >= lo and (
            toks[i].low in AUXILIARIES
            or toks[i].low in ADVERBS
            or toks[i].low.endswith("ly")
            or toks[i].low in ("not", "no", "n't", "never", "ne", "nicht", "non", "não")
        ):
            i -= 1
        chunks: list[tuple[int, int]] = []
        end = i + 1
        j = i
        while j >= lo:
            t = toks[j]
            if t.text == ")":  # "Rep. Gwen Moore (D-Wis.) said": step over the parenthesis
                k = j - 1
                while k >= lo and toks[k].text != "(":
                    k -= 1
                if k >= lo:
                    j = k - 1
                    continue
            if t.low in RELATIVES and j - 1 >= lo and toks[j - 1].text == ",":
                # "Mulgrew, president of the union, which represents teachers, said": step over the clause
                end = j - 1
                j -= 2
                continue
            if t.low in RELATIVES and j - 2 >= lo:
                # "Brinkley, a historian who attended the session, recalled": step over the apposition
                comma = next((k for k in range(j - 1, max(lo, j - 8) - 1, -1) if toks[k].text == ","), None)
                if comma is not None and comma + 1 < j and toks[comma + 1].low in DETERMINERS:
                    end = comma
                    j = comma - 1
                    continue
            if t.text == ",":
                chunks.append((j + 1, end))
                end = j
            elif (
                t.is_mask
                or t.text in ':;"“”«»—–()'
                or t.low in COMPLEMENTIZERS
                or (t.text == "-" and not _joins(toks, j))
            ):
                break
            j -= 1
            if len(chunks) > 4:
                break
        chunks.append((j + 1, end))
        apposition: Found | None = None
        for a, b in chunks:
            if a >= b:
                continue
            first = toks[a].low
            # `a sign on the wall read:` opens with the English article, not the Spanish preposition
            article = first == "a" and a + 1 < b and toks[a + 1].is_word and not toks[a + 1].is_cap
            article = article and toks[a + 1].low not in DETERMINERS
            if (first in PREPOSITIONS and not article) or first in ADVERBS or first in COMPLEMENTIZERS:
                continue
            if first.endswith("mente"):
                continue
            if _AFFILIATION.match(self.text, toks[a].start, toks[b - 1].end):
                continue  # "Mitch McConnell, R-Ky., said": the party and state tag, not the speaker
            if apposition is not None:
                found = self._speaker_from(toks, a, b, cue)
                if found is not None and found.explicit and self._name_run(toks, a, b) is not None:
                    return True, found
                return True, apposition
            found = self._speaker_from(toks, a, b, cue)
            if found is None:
                continue
            if first in DETERMINERS and not toks[a].is_cap and found.explicit and len(chunks) > 1:
                apposition = found  # "Flynn, a top Trump surrogate, said": look for the name
                continue
            return True, found
        if apposition is not None:
            return True, apposition
        return False, None

    def subject_after(self, toks: list[Tok], v: int, hi: int, cue: str | None) -> Found | None:
        """The noun phrase after the verb at `v` (`dijo Kim`, `said John Smith`, `según el ministro`)."""
        i = v + 1
        if (toks[v].low == "according" and i < hi and toks[i].low == "to") or toks[v].low == "acuerdo":
            i += 1
        while i < hi:
            low = toks[i].low
            if low in ADVERBS or low.endswith("mente") or (low in AUXILIARIES and low not in DETERMINERS):
                i += 1
            elif low in PREPOSITIONS and self.cue_at(toks, v) == "verb":
                # skip a prepositional phrase: "a EFE", "en rueda de prensa", "in an interview with CNN"
                i += 1
                if i < hi and toks[i].low in DETERMINERS:
                    i += 1
                while i < hi and toks[i].is_word and toks[i].low not in DETERMINERS:
                    i += 1
            elif toks[i].text in ",":
                i += 1
                break
            else:
                break
        if i >= hi:
            return None
        t = toks[i]
        if not t.is_word or t.low in COMPLEMENTIZERS or t.low in CONJUNCTIONS:
            return None
        if t.low in PRONOUNS:
            return self._resolve_pronoun(t, cue)
        j = i + 1
        if t.is_cap and t.low not in DETERMINERS:
            run = self._name_run(toks, i, min(hi, i + 10), first=True)
            owner = run is not None and any(u.low.endswith(("'s", "’s")) for u in toks[i : run[0]])
            if run is not None and (run[0] <= i + 3 or (owner and run[0] <= i + 7)):
                a, b = run
                # `said Thompson resident Carla Beardy`: a place or a group describing the name after it
                describes = b < hi and not toks[b].is_cap and toks[b].low not in _OF_WORDS
                described = self._described_name(toks, b, hi, cue) if describes else None
                if described is not None:
                    return described
                # stop the name where it stops being capitalised
                return Found(self.text[toks[a].start : toks[b - 1].end], toks[a].start, toks[b - 1].end, cue, True)
        if not t.is_cap and t.low not in DETERMINERS and t.low not in QUANTIFIERS:
            return self._described_name(toks, i, hi, cue)
        if t.low in DETERMINERS or t.low in QUANTIFIERS:
            while (
                j < hi
                and j < i + 8
                and toks[j].is_word
                and (
                    toks[j].low not in PREPOSITIONS
                    or (toks[j].low in ("de", "del", "of") and j + 1 < hi and toks[j + 1].is_cap)
                )
            ):
                j += 1
            # apposition with the name: "el portavoz del Kremlin, Dmitri Peskov"
            if j + 1 < hi and toks[j].text == ",":
                run = self._name_run(toks, j + 1, min(hi, j + 6), first=True)
                if run is not None and run[0] == j + 1:
                    a, b = run
                    return Found(self.text[toks[a].start : toks[b - 1].end], toks[a].start, toks[b - 1].end, cue, True)
            return self._speaker_from(toks, i, j, cue)
        return None

    def _described_name(self, toks: list[Tok], i: int, hi: int, cue: str | None) -> Found | None:
        """A name after a short bare description (`said 9/11 widow Terry Strada`, `said former
        senator Ann Lee`): up to four lowercase words or numbers, then a capitalised name."""
        k = i
        while k < min(hi, i + 4) and not toks[k].is_cap:
            word = toks[k].is_word and toks[k].low not in _STOP_WORDS
            if not (word or toks[k].text in ("/", "-")):
                return None
            k += 1
        if k == i or k >= hi or not toks[k].is_cap:
            return None
        run = self._name_run(toks, k, min(hi, k + 6), first=True)
        if run is None or run[0] > k + 3:
            return None
        a, b = run
        return Found(self.text[toks[a].start : toks[b - 1].end], toks[a].start, toks[b - 1].end, cue, True)

    @staticmethod
    def _text_issuer(toks: list[Tok], v: int, lo: int) -> int | None:
        """The verb that issued the text whose words the cue at `v` gives (`Ann Lee [issued] a statement
        that read: "..."`), or None when the cue does not follow `a statement that`."""
        if v - 2 < lo or toks[v - 1].low not in ("that", "which") or toks[v - 2].low not in _TEXT_NOUNS:
            return None
        k = v - 3
        while k >= lo and k >= v - 6 and toks[k].is_word and toks[k].low not in DETERMINERS:
            k -= 1  # adjectives: `a short written statement`
        if k < lo or toks[k].low not in DETERMINERS or k - 1 < lo or not toks[k - 1].is_word:
            return None
        return k - 1

    def from_clause(self, toks: list[Tok], v: int, kind: str, lo: int, hi: int) -> Found | None:
        cue = self.text[toks[v].start : toks[v].end]
        if kind == "prep":
            if toks[v].low == "zufolge":  # "dem Minister zufolge"
                return self._speaker_from(toks, max(lo, v - 4), v, cue)
            found = self.subject_after(toks, v, hi, cue)
            if found is not None and toks[v].low == "according":
                found.cue = "according to"
            return found
        issuer = self._text_issuer(toks, v, lo)
        if issuer is not None:
            return self.subject_before(toks, issuer, lo, cue)[1]
        first = next((k for k in range(lo, v) if toks[k].is_word), v)
        if first < v - 1 and toks[v - 1].low in CONJUNCTIONS and self.cue_at(toks, first) == "verb":
            # `Aseguró que ..., pero advirtió «...»`: a verb coordinated with a sentence-opening cue
            # shares its dropped subject, not a noun of the clause between them
            return self._zero_subject(cue, toks[v].start, True)
        stopped, found = self.subject_before(toks, v, lo, cue)
        if found is not None:
            return found
        if toks[v].low not in self.lex.addressee_verbs:
            after = self.subject_after(toks, v, hi, cue)
            if after is not None:
                return after
        if stopped:
            return None
        if v - 1 >= lo and toks[v - 1].low in CONJUNCTIONS:
            # `Roberts said that ... but said "..."`: a coordinated verb shares the sentence's subject,
            # which is not the last speaker
            subject = self.sentence_subject(toks[lo:v])
            if subject is not None:
                subject.cue = cue
                return subject
        return self._zero_subject(cue, toks[v].start, not any(t.is_word for t in toks[lo:v]))

    # --- per quote ---------------------------------------------------------------------------

    def right_clause(self, close_end: int) -> tuple[list[Tok], int]:
        """Tokens after the quote up to the sentence end or the next quotation."""
        end = self.sentence_end(close_end)
        nxt = self.masked.find(MASK, close_end, end)
        if nxt >= 0:
            end = nxt
        return tokenize(self.masked, close_end, end), end

    def left_clause(self, open_mark: int) -> list[Tok]:
        start = self.sentence_start(open_mark)
        return tokenize(self.masked, start, open_mark)

    def attribute_right(self, toks: list[Tok]) -> Found | None:
        if toks and toks[0].text in "―—–-" and len(toks) <= 8:
            # an epigraph signature: '"..." ― Sonya Herridge'
            run = self._name_run(toks, 1, len(toks), first=True)
            if run is not None and run[0] == 1:
                a, b = run
                return Found(self.text[toks[a].start : toks[b - 1].end], toks[a].start, toks[b - 1].end, None, True)
        for i in range(min(len(toks), 30)):
            kind = self.cue_at(toks, i)
            if kind:
                if toks[i].low in self.lex.gerunds and kind == "verb":
                    # '"...," adding that ...': the subject is in the sentence before the quote
                    return self.subject_before(toks, i, 0, None)[1]
                return self.from_clause(toks, i, kind, 0, len(toks))
            if toks[i].text in ";:" or (toks[i].low in COMPLEMENTIZERS and i > 0):
                return None
        return None

    def attribute_left(self, toks: list[Tok]) -> Found | None:
        n = len(toks)
        for i in range(n - 1, -1, -1):
            kind = self.cue_at(toks, i)
            if not kind:
                continue
            if toks[i].low in self.lex.gerunds:
                # "..., arguing that": the subject is the one of an earlier cue in the sentence
                for k in range(i - 1, -1, -1):
                    earlier = self.cue_at(toks, k)
                    if earlier and toks[k].low not in self.lex.gerunds:
                        return self.from_clause(toks, k, earlier, 0, n)
            found = self.from_clause(toks, i, kind, 0, n)
            if found is not None:
                return found
            return None
        return None

    def sentence_subject(self, toks: list[Tok]) -> Found | None:
        """The subject that opens the sentence before a quote with no cue ('Reid has gone after Trump as a "...")."""
        n = len(toks)
        i = 0
        while i < n and not toks[i].is_word:
            i += 1
        if i + 2 < n and toks[i].low in _OPINION_PREPS and toks[i + 1].is_cap:
            # `Para Ana Gil, de Norte Capital, el margen «...»`: the opinion of the person it opens with
            run = self._name_run(toks, i + 1, min(n, i + 6), first=True)
            if run is not None and run[0] == i + 1 and run[1] < n and toks[run[1]].text == ",":
                a, b = run
                return Found(self.text[toks[a].start : toks[b - 1].end], toks[a].start, toks[b - 1].end, None, True)
        if i < n and (toks[i].low in PREPOSITIONS or toks[i].low in ADVERBS or toks[i].low in COMPLEMENTIZERS):
            # an opening adverbial ("At a rally, Trump ..."): the subject follows its comma
            while i < n and toks[i].text != "," and not toks[i].is_mask:
                i += 1
            i += 1
        while i < n and toks[i].low in CONJUNCTIONS:
            i += 1
        if i >= n or not toks[i].is_word:
            return None
        if toks[i].low in PRONOUNS:
            return self._resolve_pronoun(toks[i], None)
        if not (toks[i].is_cap or toks[i].low in DETERMINERS):
            return None
        j = i + 1
        while j < n and j < i + 10:
            t = toks[j]
            if t.is_mask or t.text in ",;:(" or t.low in COMPLEMENTIZERS:
                break
            lower_word = t.is_word and not t.is_cap and t.low not in DETERMINERS and t.low not in NAME_CONNECTORS
            if lower_word and (t.low in PREPOSITIONS or not t.text[0].isdigit()):
                if j > i + 1 and (toks[j - 1].is_cap or t.low in AUXILIARIES or t.low in ADVERBS):
                    break
                if t.low in PREPOSITIONS:
                    break
            j += 1
        if j >= n or toks[j].is_mask:
            return None  # no verb between the subject and the quote
        return self._speaker_from(toks, i, j, None)
