"""Find the spans of direct quotations in plain text: quotation marks of any style, and dialogue dashes.

One left-to-right pass over the quotation-mark characters with a stack decides, from the
characters around each mark, whether it opens, closes or is an apostrophe. Only top-level
quotations are reported (a quote inside a quote belongs to the outer one). A double-quote
still open at a paragraph break continues when the next paragraph opens with a quote mark
(the newspaper convention for multi-paragraph quotations); otherwise it ends with the
paragraph when it began the paragraph or followed a colon, and is dropped as a stray mark
elsewhere. Single quotes never cross a paragraph break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newswire.enrich.lexical import literal_patterns, scan_literals

# closers each opener accepts
_PAIRS: dict[str, str] = {
    "«": "»",
    "»": "«",  # German/Danish »...«
    "“": '”“"',  # English “...”; some feeds close with “ or a straight mark
    "‟": '”‟"',  # ‟...” (reversed-9 opener); without an entry an opening ‟ raised KeyError at the next mark
    "„": "“”",  # German „...“, Polish/Romanian „...”
    "”": "”",  # Swedish/Finnish ”...”
    "‹": "›",
    "›": "‹",
    "‘": "’‘",
    "‚": "‘’",
    '"': '"”',
    "'": "'",
}
_SINGLE = frozenset("‘’‚'‹›")
_PURE_OPENERS = frozenset("«„‚‹“‘")
_PURE_CLOSERS = frozenset("»”›’")
# `''|``|[«»“”„‟"‘’‚'‹›\n]` (typewriter doubled quotes first) as one pattern per first character
# (lexical.scan_literals: a class first is tried at every position of the text).
_MARKS = literal_patterns({"'": "'(?:')?", "`": "``", **{mark: re.escape(mark) for mark in '«»“”„‟"‘’‚‹›\n'}})
_OPEN_BEFORE = frozenset(" \t\n([{—–-/:;,¡¿\u00a0")  # characters after which a mark opens
_MARKUP = re.compile(r"<[A-Za-z/][^<>\n]{0,3000}>")


@dataclass(frozen=True)
class QuoteSpan:
    start: int  # first character of the content (after the opening mark)
    end: int  # one past the last character of the content (the closing mark's index)
    open_mark: int  # index of the opening mark (== start for dash quotes: -1 marks a dash)
    close_mark: int  # index of the closing mark's last character, or == end when it ran to a paragraph end
    dash: bool = False


def _is_word(ch: str) -> bool:
    return ch.isalnum()


# Two alphanumeric characters ([^\W_] is exactly str.isalnum), found without walking the whole quote.
_TWO_ALNUM = re.compile(r"[^\W_][\W_]*[^\W_]")


def _markup_mask(text: str) -> list[tuple[int, int]]:
    if "<" not in text:
        return []
    return [(m.start(), m.end()) for m in _MARKUP.finditer(text)]


def find_marked(text: str) -> list[QuoteSpan]:
    """Top-level quotations delimited by quotation marks, content trimmed of spaces (French « x »)."""
    out: list[QuoteSpan] = []
    for span in _find_marked(text):
        start, end = span.start, span.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if _TWO_ALNUM.search(text, start, end) is not None:
            out.append(QuoteSpan(start, end, span.open_mark, span.close_mark))
    return out


def _find_marked(text: str) -> list[QuoteSpan]:
    n = len(text)
    found: list[QuoteSpan] = []
    # stack entries: [mark char, mark index, content start (first opener + 1)]
    stack: list[tuple[str, int, int]] = []
    masked = _markup_mask(text)
    mask_i = 0
    para_start = 0
    skip_until = -1
    for match in scan_literals(_MARKS, text):
        i = match.start()
        c = text[i]
        width = match.end() - i
        if width == 2:
            c = '"'  # typewriter doubled quotes: ''...'' and ``...''
        if i < skip_until:
            continue
        while mask_i < len(masked) and masked[mask_i][1] <= i:
            mask_i += 1
        if mask_i < len(masked) and masked[mask_i][0] <= i:
            continue
        if c == "\n":
            if not stack:
                para_start = i + 1
                continue
            # end of a paragraph with marks still open
            j = i
            while j < n and text[j] in " \t\r\n\u00a0":
                j += 1
            if j == i + 1 and j < n and text[j] not in "\n" and text[j] not in _PAIRS:
                # a single newline inside a hard-wrapped paragraph (the next line opens no quote): keep going
                continue
            bottom_char, bottom_i, content_start = stack[0]
            if bottom_char in _SINGLE:
                stack.clear()
                para_start = i + 1
                continue
            next_char = text[j] if j < n else ""
            if next_char in _PAIRS and next_char not in _SINGLE and next_char not in "»›":
                # continuation: the next paragraph reopens the quotation; keep it open
                stack[:] = [stack[0]]
                skip_until = j + 1
                para_start = j
                continue
            # unclosed at paragraph end: a quote only when it opened the paragraph or followed a colon
            before = text[para_start:bottom_i].rstrip()
            end = i
            while end > content_start and text[end - 1] in " \t\r":
                end -= 1
            if (not before or before.endswith(":")) and end - content_start > 1:
                found.append(QuoteSpan(content_start, end, bottom_i, end))
            stack.clear()
            para_start = i + 1
            continue

        prev = text[i - 1] if i > 0 else "\n"
        nxt = text[i + width] if i + width < n else "\n"
        # apostrophes: inside words (don’t, l'homme)
        if c in "’'" and _is_word(prev) and _is_word(nxt):
            continue
        after_opener = prev in _OPEN_BEFORE or prev in _PAIRS
        strict_open = after_opener and not nxt.isspace()
        closes = None
        for k in range(len(stack) - 1, -1, -1):
            if c in _PAIRS[stack[k][0]]:
                closes = k
                break
        action = ""
        if c in _PURE_OPENERS:
            # « „ ‚ ‹ “ ‘ open, except where they close an opposite-style opener (German „...“)
            if closes is not None and not strict_open:
                action = "close"
            elif after_opener and (not nxt.isspace() or c in "«‹"):
                action = "open"
            elif closes is not None:
                action = "close"
        elif c in _PURE_CLOSERS:
            if closes is not None:
                action = "" if (c == "’" and prev.isspace()) else "close"
            elif not stack and strict_open and c != "’":
                action = "open"  # Swedish ”...”, German »...«
        elif strict_open and (c == '"' or _is_word(nxt)):
            action = "open"
        elif closes is not None and (c == '"' or not prev.isspace()):
            action = "close"
        if action == "open":
            stack.append((c, i, i + width))
        elif action == "close" and closes is not None:
            _, open_i, content_start = stack[closes]
            del stack[closes:]
            if not stack and i > content_start:
                found.append(QuoteSpan(content_start, i, open_i, i + width - 1))
    # text ended with a quotation open: accept it like a paragraph end
    if stack and stack[0][0] not in _SINGLE:
        bottom_char, bottom_i, content_start = stack[0]
        before = text[para_start:bottom_i].rstrip()
        end = n
        while end > content_start and text[end - 1].isspace():
            end -= 1
        if (not before or before.endswith(":")) and end - content_start > 1:
            found.append(QuoteSpan(content_start, end, bottom_i, end))
    return found


_DASH_PARA = re.compile(r"(?m)^[ \t]*([—―]|[-–](?=[^\s\d-]))[ \t]*(?=\S)")


def find_dash_paragraphs(text: str) -> list[tuple[int, int, bool]]:
    """Paragraphs that open with a dialogue dash: (content start, paragraph end, em-dash?)."""
    out: list[tuple[int, int, bool]] = []
    if (
        "—" not in text
        and "―" not in text
        and "\n-" not in text
        and "\n–" not in text
        and not text.startswith(("-", "–"))
    ):
        return out
    for m in _DASH_PARA.finditer(text):
        end = text.find("\n", m.end())
        if end < 0:
            end = len(text)
        while end > m.end() and text[end - 1].isspace():
            end -= 1
        out.append((m.end(), end, m.group(1) in "—―"))
    return out
