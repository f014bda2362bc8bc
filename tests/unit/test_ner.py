"""Unit tests for newswire.enrich.ner (shipped CRF models, no broker)."""

from __future__ import annotations

import pytest

from newswire.enrich.ner import Span, model_language, recognise, recognise_tokens
from newswire.enrich.ner.conll import Score, entities, score, to_iob2
from newswire.enrich.ner.tokenize import split_sentences, tokenize

EN_TEXT = (
    "Maria Jenkins, the chief executive of Northwind Motors Corp, flew to Canada on Tuesday.\n"
    "She met Prime Minister Daniel Okafor in Ottawa to discuss a new trade agreement."
)
ES_TEXT = (
    "El presidente del Real Madrid, Florentino Pérez, viajó ayer a Buenos Aires.\n"
    "Destacó que el Gobierno de Argentina y la Unión Europea firmarán un acuerdo en Bruselas."
)


def _found(spans: list[Span]) -> set[tuple[str, str]]:
    return {(s.text, s.label) for s in spans}


def _check_offsets(text: str, spans: list[Span]) -> None:
    for s in spans:
        assert text[s.start : s.end] == s.text
        assert 0.0 <= s.confidence <= 1.0
        assert s.label in {"PER", "LOC", "ORG", "MISC"}


def test_empty_text() -> None:
    assert recognise("", "en") == []
    assert recognise("   \n ", "es") == []
    assert recognise_tokens([], "es") == []


def test_english_entities() -> None:
    spans = recognise(EN_TEXT, "en")
    _check_offsets(EN_TEXT, spans)
    found = _found(spans)
    assert ("Maria Jenkins", "PER") in found
    assert ("Daniel Okafor", "PER") in found
    assert ("Northwind Motors Corp", "ORG") in found
    assert ("Canada", "LOC") in found
    assert ("Ottawa", "LOC") in found


def test_spanish_entities() -> None:
    spans = recognise(ES_TEXT, "es")
    _check_offsets(ES_TEXT, spans)
    found = _found(spans)
    assert ("Florentino Pérez", "PER") in found
    assert ("Real Madrid", "ORG") in found
    assert ("Buenos Aires", "LOC") in found
    assert ("Bruselas", "LOC") in found
    assert ("Unión Europea", "ORG") in found


def test_sentence_initial_spanish_verb_is_not_a_person() -> None:
    for text in (
        "Destacó que la economía crecerá este año.",
        "Haremos todo lo posible, dijo el ministro.",
        "Aseguró que no habrá cambios en Madrid.",
    ):
        spans = recognise(text, "es")
        _check_offsets(text, spans)
        first_word = text.split()[0].rstrip(",")
        assert all(not s.text.startswith(first_word) for s in spans), spans


def test_offsets_with_typographic_quotes_and_unicode() -> None:
    text = "«Es un día histórico», afirmó Ana Belén Ruiz en São Paulo (Brasil).\n\nOtro párrafo sobre Lisboa."
    spans = recognise(text, "es")
    _check_offsets(text, spans)
    found = _found(spans)
    assert ("Ana Belén Ruiz", "PER") in found
    assert any(t == "Lisboa" for t, _ in found)


def test_recognise_tokens_iob2() -> None:
    tags = recognise_tokens(["John", "Smith", "visited", "Berlin", "."], "en")
    assert tags == ["B-PER", "I-PER", "O", "B-LOC", "O"]
    tags = recognise_tokens(["La", "ONU", "se", "reunió", "en", "Ginebra", "."], "es")
    assert tags[1] == "B-ORG" and tags[5] == "B-LOC"


def test_language_mapping() -> None:
    assert model_language("es-ES") == "es"
    assert model_language("EN") == "en"
    assert model_language("pt") == "es"
    assert model_language("de") == "en"
    assert model_language("ru") is None
    assert model_language("") is None
    assert recognise("Владимир Путин посетил Москву.", "ru") == []
    assert recognise_tokens(["Путин"], "ru") == ["O"]


def test_tokenizer_offsets() -> None:
    text = "Peter's dog didn't bark at the U.S. Embassy.\nEl Sr. García llegó a EE.UU. el 3,5%..."
    toks = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in toks)
    words = [t.text for t in toks]
    assert words[:5] == ["Peter", "'s", "dog", "did", "n't"]
    assert "U.S." in words and "EE.UU." in words and "Sr." in words
    sents = split_sentences(text, toks)
    assert len(sents) == 2


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["I-PER", "I-PER", "O", "I-LOC"], ["B-PER", "I-PER", "O", "B-LOC"]),
        (["B-ORG", "I-LOC"], ["B-ORG", "B-LOC"]),
    ],
)
def test_iob_normalisation(tags: list[str], expected: list[str]) -> None:
    assert to_iob2(tags) == expected


def test_entity_scoring() -> None:
    assert entities(["B-PER", "I-PER", "O", "B-LOC", "B-LOC"]) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC")]
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    pred = [["B-PER", "O", "O", "B-LOC"]]
    result = score(gold, pred, ("PER", "LOC", "ORG"))
    assert result["ALL"] == Score(tp=1, fp=1, fn=1)
    assert result["LOC"].f1 == 1.0
    assert result["PER"].f1 == 0.0


def test_given_name_feature() -> None:
    from newswire.enrich.ner.features import FeatureExtractor, Lexicon, given_names, name_features

    assert {"jose", "maria", "john"} <= given_names()  # folded: accents and case do not matter
    assert not any(name.startswith("#") for name in given_names())  # comment lines are no names
    assert name_features("José") == name_features("JOSE") == ["GN"]
    assert name_features("Madrid") == []
    tokens = ["Dijo", "José", "Okafor", "en", "Madrid"]
    with_names = FeatureExtractor(Lexicon()).sequence(tokens)
    assert "GN" in with_names[1] and "GN" not in with_names[4]
    assert "-1GN" in with_names[2]  # the word after a given name knows it (a surname)
    without = FeatureExtractor(Lexicon(), outside=False).sequence(tokens)
    assert not any("GN" in attr for attrs in without for attr in attrs)
