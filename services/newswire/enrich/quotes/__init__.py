"""Direct quotations and who said them, by regular expressions and a small scanner (no model).

    >>> [(q.text, q.speaker.name if q.speaker else None) for q in find_quotes("«Nunca», dijo Kim.", "es")]
    [('Nunca', 'Kim')]

`find_quotes(text, language, entities)` returns `newswire.events.extension.Quote` objects whose
offsets are Python string indices into `text`: `start`/`end` cover the words inside the
quotation marks, the speaker's `start`/`end` the mention that names them (for a pronoun,
the pronoun; for a dropped subject, the earlier mention it continues). When entities from
the entities stage are given, a speaker that overlaps or names one of them takes its
canonical name and uri.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from newswire.enrich.quotes.attribution import MASK, Attributor, Found, Tok, tokenize
from newswire.enrich.quotes.cues import PRONOUNS, lexicon
from newswire.enrich.quotes.spans import QuoteSpan, find_dash_paragraphs, find_marked
from newswire.enrich.quotes.speakers import (
    SPEAKER_TYPES,
    Resolved,
    StoryPeople,
    noun_phrase,
    pronoun_gender,
    resolve_pronoun,
    resolve_role,
)
from newswire.events.extension import Entity, Quote, Speaker

__all__ = ["find_quotes"]

MIN_WORDS = 2
_SAID_REACH = 12  # how many words into the sentence before a quote its reporting verb may stand
_KEEP_END = ".,!?…"
_BREAK_INSIDE = ",?!…—–-"
_BREAK_AFTER = ",—–―-"  # ― (U+2015) opens an epigraph signature: `“...” ― Jane Doe`
_DIALOGUE_LANGUAGES = frozenset({"es", "pt", "fr", "it", "ca", "gl", None})
_INCISO = re.compile(r"\s[—―–-]\s?(?=\w)|,\s+")
_CLOSING_DASH = re.compile(r"[—―–-]")
_SMALL_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "in",
        "on",
        "a",
        "an",
        "to",
        "for",
        "at",
        "by",
        "with",
        "from",
        "de",
        "del",
        "la",
        "el",
        "los",
        "las",
        "y",
        "en",
        "the",
        "le",
        "les",
        "et",
        "des",
        "du",
        "und",
        "der",
        "die",
        "das",
    ]
)
_TITLE_BEFORE = frozenset(
    [
        "on",
        "in",
        "at",
        "to",
        "from",
        "titled",
        "entitled",
        "called",
        "named",
        "dubbed",
        "show",
        "program",
        "programme",
        "film",
        "book",
        "song",
        "album",
        "series",
    ]
)


def _dash_quotes(text: str, language: str | None, attributor_tokens: Attributor) -> list[QuoteSpan]:
    """Dialogue-dash paragraphs split around the narrator's interruption (`—No —dijo él—. Sí.`)."""
    out: list[QuoteSpan] = []
    for start, end, em in find_dash_paragraphs(text):
        para = text[start:end]
        cut: re.Match[str] | None = None
        for m in _INCISO.finditer(para):
            toks = tokenize(text, start + m.end(), min(end, start + m.end() + 60))
            if any(attributor_tokens.cue_at(toks, k) for k in range(min(3, len(toks)))):
                cut = m
                break
        if cut is None:
            if em and language in _DIALOGUE_LANGUAGES and len(para.split()) >= 2:
                out.append(QuoteSpan(start, _rstrip(text, start, end), start - 1, end, dash=True))
            continue
        first_end = _rstrip(text, start, start + cut.start())
        if first_end > start:
            out.append(QuoteSpan(start, first_end, start - 1, first_end, dash=True))
        # after the interruption, the quotation may go on: "—dijo el ministro—. Y seguiremos."
        rest_from = start + cut.end()
        closing = _CLOSING_DASH.search(text, rest_from, end)
        if closing is None or text[closing.start() - 1].isspace():
            continue
        k = closing.end()
        while k < end and (text[k] in ".,;:" or text[k].isspace()):
            k += 1
        if k < end and len(text[k:end].split()) >= 2:
            out.append(QuoteSpan(k, _rstrip(text, k, end), k - 1, end, dash=True))
    return out


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return end


def _mask(text: str, spans: Iterable[QuoteSpan]) -> str:
    pieces: list[str] = []
    pos = 0
    for span in spans:
        if span.dash:
            a, b = span.start, span.end
        else:
            a = span.open_mark
            b = span.close_mark + 1 if span.close_mark < len(text) and span.close_mark > span.end - 1 else span.end
            if span.close_mark == span.end and (span.close_mark >= len(text) or text[span.close_mark] == "\n"):
                b = span.end
        if a < pos:
            continue
        pieces.append(text[pos:a])
        masked = [MASK] * (b - a)
        last = text[span.end - 1] if span.end > span.start else ""
        if last in _KEEP_END:
            masked[span.end - 1 - a] = last
        pieces.append("".join(masked))
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def _looks_like_title(text: str, span: QuoteSpan, masked: str) -> bool:
    """Short Title Case quotes after a possessive or a preposition: shows, books, slogans."""
    words = text[span.start : span.end].strip(" .,!?").split()
    if not words or len(words) > 7:
        return False
    capitalised = [w for w in words if w[0].isalpha() and w.lower() not in _SMALL_WORDS]
    if not capitalised or any(not w[0].isupper() for w in capitalised):
        return False
    before = masked[max(0, span.open_mark - 40) : span.open_mark].rstrip().split()
    if not before:
        return False
    prev = before[-1].lower()
    return prev.endswith(("’s", "'s", "s’", "s'")) or prev in _TITLE_BEFORE or before[-1][0].isupper()


class _EntityIndex:
    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = [e for e in entities if e.type in ("person", "organisation", "other")]
        self.mentions = sorted((m.start, m.end, e) for e in self.entities for m in e.mentions)
        self.starts = [m[0] for m in self.mentions]

    def resolve(self, found: Found) -> Entity | None:
        """The entity the speaker mention names: linked entities first, then exact mentions.

        An unlinked entity whose mention runs past the speaker's words (`Kim al`, `Putin subrayó`)
        is not trusted; neither is one found only by surname unless it is linked.
        """
        if not self.entities:
            return None
        best: tuple[int, Entity] | None = None
        i = bisect.bisect_right(self.starts, found.end)
        for start, end, entity in self.mentions[max(0, i - 12) : i]:
            if not (start < found.end and found.start < end):
                continue
            inside = found.start <= start and end <= found.end
            if entity.uri is None and not inside:
                continue
            score = 4 * (entity.uri is not None) + 2 * inside + (entity.type == "person")
            if best is None or score > best[0]:
                best = (score, entity)
        if best is not None and best[1].uri is not None:
            return best[1]
        words = found.name.split()
        last = words[-1].lower() if words else ""
        for entity in self.entities:
            if entity.uri and entity.type == "person" and last in entity.name.lower().split():
                return entity
        if best is None and len(words) == 1:
            # a surname alone (`Mr. Holtz-Eakin said`) names the one person of the story whose full
            # name ends in it; two such people (`Clinton`) leave it to the other rules
            full = [e for e in self.entities if e.type == "person" and e.name.lower().split()[1:][-1:] == [last]]
            if len(full) == 1:
                return full[0]
        return best[1] if best is not None else None


def find_quotes(text: str, language: str | None = None, entities: Sequence[Entity] | None = None) -> list[Quote]:
    """Direct quotations in `text` with their speakers; see the module docstring."""
    lex = lexicon(language)
    probe = Attributor(text, text, lex) if ("—" in text or "\n-" in text or "\n–" in text) else None
    spans = find_marked(text)
    if probe is not None:
        dash = _dash_quotes(text, language, probe)
        if dash:
            marked = [s for s in spans if not any(d.start <= s.start < d.end for d in dash)]
            spans = sorted(marked + dash, key=lambda s: s.start)
    if not spans:
        return []
    masked = _mask(text, spans)
    att = Attributor(text, masked, lex)
    index = _EntityIndex(entities or ())
    paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
    people = StoryPeople(text, entities) if entities is not None else None
    quotes: list[Quote] = []
    previous: tuple[int, Found] | None = None  # (paragraph, speaker) of the last attributed quote
    last_entity: Entity | None = None  # who the last named or resolved speaker was (people rules)
    carried: Resolved | None = None  # the speaker a continuing quote takes over
    for span in spans:
        if not span.dash and _looks_like_title(text, span, masked):
            continue
        paragraph = bisect.bisect_right(paragraph_starts, span.start)
        open_at = span.open_mark if not span.dash else span.start
        close_at = span.close_mark + 1 if not span.dash else span.end
        if (not span.dash and span.close_mark >= len(text)) or (not span.dash and text[span.close_mark] == "\n"):
            close_at = span.end
        left = att.left_clause(open_at)
        right, _ = att.right_clause(close_at)
        inside_end = text[span.end - 1]
        after = masked[close_at : close_at + 3].lstrip()
        breaks = span.dash or inside_end in _BREAK_INSIDE or (after[:1] in _BREAK_AFTER and after[:1] != "")
        found: Found | None = None
        if breaks:
            found = att.attribute_right(right) or att.attribute_left(left)
        else:
            found = att.attribute_left(left) or _right_if_adjacent(att, right) or _right_in_clause(att, right)
        if found is None and not _words(left):
            found = _after_colon(att, open_at) or _said_before(att, open_at)
        cue_found = found is not None
        kept_cue = None  # a cue whose subject could not be read (`organisers said`): the fallbacks may still name one
        if found is not None and not found.name and not found.dropped:
            kept_cue, found, cue_found = found.cue, None, False
        if found is None and _words(left):
            found = att.sentence_subject(left)
        continued = False
        if found is None and previous is not None and paragraph - previous[0] <= 1 and not _words(left):
            prior = previous[1]
            found = Found(prior.name, prior.start, prior.end, None, False)
            continued = True
        if found is None and len(text[span.start : span.end].split()) < MIN_WORDS:
            continue  # an unattributed word or phrase in quotes: a scare quote or a title
        speaker: Speaker | None = None
        if found is not None and found.dropped and people is not None:
            found = Found("", open_at, open_at, found.cue, False, dropped=True)  # who: the sentence before
        if found is not None and people is not None:
            decided = (
                carried
                if continued and carried is not None
                else _decide(found, text, index, people, last_entity, open_at, att.sentence_start(open_at))
            )
            entity = decided.entity
            if entity is not None:
                at = (found.start, found.end) if found.end > found.start else (None, None)  # dropped subject
                speaker = Speaker(name=entity.name, uri=entity.uri, start=at[0], end=at[1])
            if found.explicit or decided.how == "resolved":
                last_entity = entity
            if found.explicit:
                att.last = found  # the scanner's own chain of dropped subjects
            carried = decided
            previous = (paragraph, found)
        elif found is not None:
            entity = index.resolve(found)
            if entity is None and not found.explicit and att.last is not None:
                entity = index.resolve(att.last)
            name = entity.name if entity is not None else found.name
            if name:  # not a dropped subject before any speaker
                speaker = Speaker(name=name, uri=entity.uri if entity else None, start=found.start, end=found.end)
            if found.explicit:
                att.last = found
            previous = (paragraph, found)
        quotes.append(
            Quote(
                text=text[span.start : span.end],
                start=span.start,
                end=span.end,
                speaker=speaker,
                cue=found.cue if (found is not None and cue_found) else kept_cue,
            )
        )
    return quotes


def _decide(
    found: Found,
    text: str,
    index: _EntityIndex,
    people: StoryPeople,
    last: Entity | None,
    open_at: int,
    sentence_at: int,
) -> Resolved:
    """The entity a found speaker stands for, by the rules of `newswire.enrich.quotes.speakers`."""
    mention = text[found.start : found.end]
    if not found.explicit:
        if mention.lower() in PRONOUNS or pronoun_gender(mention) is not None:
            return resolve_pronoun(people, mention, found.start, open_at)
        if found.dropped:
            return _dropped_subject(people, last, found.start, sentence_at)
        # a subject the scanner could not read after an earlier speaker: that speaker; before any
        # (`organisers said`), the cue only
        return Resolved(last, "resolved") if last is not None and found.name else Resolved(None, "null")
    head = people.apposition_head(found.start)
    if head is not None:
        return Resolved(head, "resolved")  # `Mulgrew, president of the union, said`: not the union
    entity = index.resolve(found)
    if entity is None or entity.type not in SPEAKER_TYPES:
        entity = people.named_by(found.start, found.end)
    if entity is not None and entity.type == "organisation" and found.cue is None:
        return Resolved(None, "null")  # an organisation speaks only where the text says so
    if entity is not None:
        return Resolved(entity, "named")
    head = people.apposition_head(found.start, complement=False) or people.apposed_after(found.end)
    if head is not None:
        # `Wilson, of Springfield, Va., said`: not the place; `la présidente de l'établissement, Claire Martin`
        return Resolved(head, "resolved")
    return resolve_role(people, noun_phrase(text, found.start, found.end), found.start)


def _dropped_subject(people: StoryPeople, last: Entity | None, open_at: int, sentence_at: int) -> Resolved:
    """A verb with no subject (`«...», señaló.`) continues the subject of the sentence before the quote:
    the person or organisation it opens with (it beats the last speaker: `La presidenta, Ana Gil,
    criticó el plan. «...», advirtió.`), or the one its role opening stands for (`El portavoz explicó
    ...`); for a quote inside a sentence whose own subject is dropped too (`Aseguró que ..., pero advirtió
    «...»`), the subject the sentence before that opens with; else the last speaker; before any, the
    first person or organisation of the sentence before the quote."""
    subject = people.opening_subject(open_at)
    if subject is None:
        role = people.opening_role(open_at)
        subject = resolve_role(people, role, open_at).entity if role else None
    if subject is None and sentence_at < open_at:
        subject = people.opening_subject(sentence_at)
    if subject is None:
        subject = last if last is not None else people.first_in_sentence_before(open_at)
    return Resolved(subject, "resolved") if subject is not None else Resolved(None, "null")


def _words(toks: list[Tok]) -> bool:
    return any(t.is_word for t in toks)


def _right_if_adjacent(att: Attributor, right: list[Tok]) -> Found | None:
    """`"..." he said` without the comma: only a cue right after the quote counts."""
    words = [t for t in right if t.is_word]
    if not words or (len(right) > 0 and not right[0].is_word):
        return None
    for i in range(min(3, len(right))):
        if att.cue_at(right, i) == "verb":
            return att.attribute_right(right[: i + 5])
    return None


def _right_in_clause(att: Attributor, right: list[Tok]) -> Found | None:
    """`'...' of the plans, Mr. Hale said.`: a named subject and its cue closing the quote's sentence."""
    if len(right) > 16 or not right or right[-1].text not in ".!?":
        return None
    found = att.attribute_right(right)
    return found if found is not None and found.explicit else None


def _said_before(att: Attributor, open_at: int) -> Found | None:
    """`..., Schiff said. "The other factor ..."`: a quote opening the sentence after one that ends
    with a named speaker's reporting verb (a time word may follow it) continues that speaker."""
    start = att.sentence_start(open_at)
    if start == 0 or "\n" in att.masked[max(0, start - 3) : start]:
        return None  # a new paragraph starts a new attribution
    toks = tokenize(att.masked, att.sentence_start(start - 1), start)
    k = len(toks) - 1
    while k >= 0 and not toks[k].is_word:
        k -= 1
    if k > 0 and toks[k].is_cap is False and att.cue_at(toks, k) is None:
        k -= 1  # `said Tuesday`, `said today`
    if any(t.is_mask for t in toks):
        return None
    if k < 0 or att.cue_at(toks, k) != "verb":
        # `Mayor Ann Lee said the budget is tight. "We will ..."`: the quote goes on from the person
        # whose reported speech opens the sentence before
        k = next((i for i in range(min(len(toks), _SAID_REACH)) if att.cue_at(toks, i) == "verb"), -1)
        if k < 0:
            return None
    found = att.attribute_left(toks[: k + 1])
    # a named speaker, or a pronoun the speaker rules resolve (`..., he said. "I lost count ..."`)
    if found is None or not (found.explicit or att.text[found.start : found.end].lower() in PRONOUNS):
        return None
    return found


def _after_colon(att: Attributor, open_at: int) -> Found | None:
    """`Kim said:\\n\\n«...»`: a quote opening a sentence after one that ends with a colon."""
    start = att.sentence_start(open_at)
    k = start - 1
    while k >= 0 and att.masked[k].isspace():
        k -= 1
    if k < 0 or att.masked[k] != ":":
        return None
    toks = att.left_clause(k)
    # `Sanders made the following comment:` -- no reporting verb, but the sentence's subject introduces it
    return att.attribute_left(toks) or att.sentence_subject(toks)
