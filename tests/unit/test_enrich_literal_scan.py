"""The literal-character scans that replaced character-class regexes (docs/performance.md, 2026-12-07,
second pass), and the keyword ranking that applies the verb penalty lazily. Each must give exactly what
the pattern or the full sort it replaced gave. Texts are our own."""

from __future__ import annotations

import random
import re

import pytest

from newswire.enrich.lexical import literal_patterns, scan_literals
from newswire.enrich.quotes import find_quotes
from newswire.enrich.quotes.attribution import Attributor
from newswire.enrich.quotes.spans import _MARKS, _PAIRS
from newswire.enrich.stages.keywords import _BREAK, _HYPHENS, _JOINT, _SENTENCE, _positions, extract

# The single patterns the scans replaced, kept here as the reference.
MARKS = re.compile(r"''|``|[«»“”„‟\"‘’‚'‹›\n]")
BOUNDARY = re.compile(r"[.!?…][\x01)\]]*(?=\s+[\x01\"'¿¡(\[]*[\w\x01])|\n\s*")
CLASSES = {_BREAK: re.compile(r"[.!?;:«»\"“”()\[\]—–,\n]"), _SENTENCE: re.compile(r"[.!?\n]")}

OWN = [
    "«Vamos a ganar», dijo Ana. \"No\" -- ''dudo'' ``nada'' ' ''' ```` `` `x`\n\n„Ja“, sagte er.",
    "Fin… (y sigue) [nota]. ¿Qué? ¡Ya!\x01\x01. Otra\n  línea; punto: coma, guion—raya–corta",
    "l'homme d’État, rock'n'roll, Jong-un, alto-el-fuego, tregua‑frágil, -solo, fin-",
    "",
]
ALPHABET = list("aB1 .!?…\x01)]\n\t\"'¿¡([«»“”„‟‘’‚‹›`-‑;:—–,_é")


def _texts() -> list[str]:
    rng = random.Random(7)
    return OWN + ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30))) for _ in range(3000)]


def test_quote_marks_scan_equals_the_alternation() -> None:
    for text in _texts():
        assert [m.span() for m in scan_literals(_MARKS, text)] == [m.span() for m in MARKS.finditer(text)], text
    spans = [m.span() for m in scan_literals(_MARKS, "''a'' ``b'' '''")]
    assert spans == [(0, 2), (3, 5), (6, 8), (9, 11), (12, 14), (14, 15)]  # doubled marks are one match


def test_every_quote_mark_scanned_has_a_pairing() -> None:
    # A mark the scan reports but the pairing table lacks raised KeyError once it opened a quote (‟).
    assert set("«»“”„‟\"‘‚'‹›") <= set(_PAIRS)  # every mark of MARKS that can open; ’ only closes
    assert [q.text for q in find_quotes("Dijo ‟vamos a ganar este partido” y se fue.", "es")] == [
        "vamos a ganar este partido"
    ]


def test_sentence_boundary_scan_equals_the_alternation() -> None:
    for text in _texts():
        found = [m.span() for m in scan_literals(Attributor._BOUNDARY, text)]
        assert found == [m.span() for m in BOUNDARY.finditer(text)], text


def test_keyword_punctuation_positions_equal_the_classes() -> None:
    for text in _texts():
        for chars, pattern in CLASSES.items():
            assert sorted(_positions(text, chars, 2)) == [m.start() for m in pattern.finditer(text, 2)], text
        joints = [p for p in _positions(text, _HYPHENS) if _JOINT.match(text, p)]
        assert joints == [m.start() for m in _JOINT.finditer(text)], text


def test_literal_patterns_must_open_with_their_character() -> None:
    assert literal_patterns({".": r"\.\s"})["."].pattern == r"\.\s"
    with pytest.raises(ValueError):
        literal_patterns({"a": "[ab]"})  # a class first: the scan would not be one literal search
    with pytest.raises(ValueError):
        literal_patterns({"ab": "ab"})


def test_verb_penalty_applied_lazily_still_reorders() -> None:
    # Two words with the same statistics (all capitals, one sentence, apart): without the penalty the
    # first would rank first; the Spanish gerund is verb-like and goes after the place.
    assert extract("TRABAJANDO, ZARAGOZA.", "es") == ["ZARAGOZA", "TRABAJANDO"]
    assert extract("TRABAJANDO, ZARAGOZA.", "de") == ["TRABAJANDO", "ZARAGOZA"]  # no verb endings listed
    assert extract("WORKING, LONDON.", "en") == ["LONDON", "WORKING"]
    assert extract("TRABAJANDO, ZARAGOZA.", "es", top=1) == ["ZARAGOZA"]


def test_keyword_top_is_a_prefix_of_a_longer_list() -> None:
    text = (
        "La Comisión Europea aprobó el plan de vivienda en Bruselas. El plan de vivienda llega a Lisboa "
        "y a Oporto, dijo la Comisión Europea, que estudia ampliar el plan de vivienda a Atenas."
    )
    longest = extract(text, "es", top=10)
    assert len(longest) > 3
    for top in range(1, len(longest) + 1):
        assert extract(text, "es", top=top) == longest[:top]
