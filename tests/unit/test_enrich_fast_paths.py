"""Edge cases of the enrichment fast paths (docs/performance.md, 2026-12-07): the cases where a
C-level or punctuation-driven shortcut could part from the word-by-word scan it replaced.
Texts are our own."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from newswire.enrich.lexical import Word, fold, forget_texts, joined, words
from newswire.enrich.ner.tokenize import Token, split_sentences, tokenize
from newswire.enrich.stages.amounts import _unit_after, find_amounts
from newswire.enrich.stages.dates import find_dates
from newswire.enrich.stages.keywords import _merged, _segments, extract


def _sentences(text: str) -> list[str]:
    return [" ".join(token.text for token in sentence) for sentence in split_sentences(text, tokenize(text))]


def test_words_keep_offsets_and_folded_keys() -> None:
    text = "  Dña. Ñúñez  llegó\u00a0a Pekín."
    found = words(text)
    assert all(isinstance(word, Word) for word in found)
    assert [(w.text, text[w.start : w.end], w.key) for w in found][:2] == [
        ("Dña", "Dña", "dna"),
        ("Ñúñez", "Ñúñez", "nunez"),
    ]
    assert fold("Pekín  PEKIN") == "pekin pekin"
    forget_texts()
    assert words(text) == found  # rebuilt after the memo is emptied, equal


def test_joined_gaps() -> None:
    text = "Kim Jong-un, EE. UU. y Nueva  York o A--B"
    found = words(text)
    pairs = {(left.text, right.text): joined(text, left, right) for left, right in pairwise(found)}
    assert pairs[("Kim", "Jong")] and pairs[("Jong", "un")]  # a space, a hyphen
    assert pairs[("EE", "UU")]  # a dot inside an abbreviation
    assert pairs[("Nueva", "York")]  # two spaces
    assert not pairs[("un", "EE")]  # a comma
    assert not pairs[("A", "B")]  # a doubled hyphen is a dash


def test_tokenize_splits_final_periods_only() -> None:
    text = "El Sr. Pérez llegó a EE.UU. ayer. Dijo: nada."
    tokens = tokenize(text)
    assert all(isinstance(token, Token) and text[token.start : token.end] == token.text for token in tokens)
    assert [t.text for t in tokens] == [
        "El",
        "Sr.",
        "Pérez",
        "llegó",
        "a",
        "EE.UU.",
        "ayer",
        ".",
        "Dijo",
        ":",
        "nada",
        ".",
    ]


def test_sentences_end_after_closers_and_at_line_breaks() -> None:
    text = 'Dijo: «Vamos.» Luego salió. él siguió\n(Nota) Y otra? "Sí."'
    assert _sentences(text) == [
        "Dijo : « Vamos . »",  # the closing quote stays with its sentence
        "Luego salió . él siguió",  # a lowercase word after the period opens no sentence
        "( Nota ) Y otra ?",  # a line break always ends one
        '" Sí . "',
    ]
    assert _sentences("Fin.Y sigue") == ["Fin . Y sigue"]  # no space after the period: no sentence end
    assert _sentences("Fin. Y sigue") == ["Fin .", "Y sigue"]
    assert split_sentences("", []) == []


def test_keyword_segments_from_punctuation() -> None:
    text = "Alto-el-fuego en Gaza; la tregua‑frágil sigue. Otra frase, corta"
    found = _merged(text, words(text))
    assert [w.text for w in found][:2] == ["Alto-el-fuego", "en"]
    assert "tregua‑frágil" in [w.text for w in found]
    assert found[0].key == "alto-el-fuego"
    sentence_of, opens, bounds = _segments(text, found)
    assert sentence_of == [0, 0, 0, 0, 0, 0, 1, 1, 1]
    assert opens[6] == 1 and sum(opens) == 1
    assert bounds[0] == 0 and bounds[-1] == len(found)
    assert [[w.text for w in found[a:b]] for a, b in pairwise(bounds)] == [
        ["Alto-el-fuego", "en", "Gaza"],
        ["la", "tregua‑frágil", "sigue"],
        ["Otra", "frase"],
        ["corta"],
    ]
    assert extract("", "es") == []


def test_amount_units_read_past_spaces_and_line_breaks() -> None:
    assert _unit_after("  \n  por   ciento de algo", "es")[0] == "%"
    assert _unit_after(" puntos porcentuales más", "es")[0] == "pp"
    assert _unit_after(" de EUROS", "es")[0] == "EUR"
    assert _unit_after(" gatos", "es")[0] is None
    found = find_amounts("Subió un 5 por ciento y costó 300 euros.", "es")
    assert [(a["text"], a["unit"]) for a in found] == [("5 por ciento", "%"), ("300 euros", "EUR")]


def test_dates_start_at_digits_months_and_weekdays() -> None:
    found = find_dates("El martes 3 de septiembre y en 2024, hoy.", "es", None)
    assert [d["text"] for d in found] == ["2024"]  # without a reference date, only what carries its year
    found = find_dates("El martes 3 de sept. y en 2024, hoy.", "es", date(2025, 9, 5))
    assert [(d["text"], d["date"]) for d in found] == [
        ("martes", "2025-09-02"),
        ("3 de sept.", "2025-09-03"),
        ("2024", "2024"),
        ("hoy", "2025-09-05"),
    ]
