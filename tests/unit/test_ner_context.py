"""Quoted-name and sports-sentence features of the NER tagger, and the quote convention of its training data."""

from __future__ import annotations

from newswire.enrich.ner.features import FeatureExtractor, Lexicon
from newswire.enrich.ner.train import quotes_in_names


def _feats(tokens: list[str], lexicon: Lexicon | None = None, context: bool = True) -> list[list[str]]:
    return FeatureExtractor(lexicon or Lexicon(), context=context).sequence(tokens)


def test_a_quoted_name_takes_its_quote_marks_in_training() -> None:
    tokens = ["la", "revista", '"', "Nueva", "Era", '"', "dijo"]
    _, tags = quotes_in_names(tokens, ["O", "O", "O", "B-ORG", "I-ORG", "O", "O"])
    assert tags == ["O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"]
    # already tagged with its quotes, or quotes that hold more than the name: left as they were
    included = ["O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"]
    assert quotes_in_names(tokens, included)[1] == included
    longer = ["O", "O", "O", "B-ORG", "O", "O", "O"]
    assert quotes_in_names(tokens, longer)[1] == longer


def test_quoted_name_features() -> None:
    seq = _feats(["el", "semanario", "“", "Nueva", "Era", "”", "publicó"])  # typographic quotes count too
    assert "QO" in seq[2] and "QI" in seq[3] and "QI" in seq[4] and "QC" in seq[5]
    assert not any(f.startswith("Q") for f in seq[1] + seq[6])
    # a quotation that opens on a lower-case word, or runs long, is speech, not a name
    speech = _feats(["dijo", '"', "no", "vendrá", "Ana", '"'])
    assert not any(f in ("QO", "QI", "QC") for attrs in speech for f in attrs)
    long_quote = _feats(["dijo", '"', "Ana", *["y"] * 8, '"'])
    assert not any(f in ("QO", "QI", "QC") for attrs in long_quote for f in attrs)
    without = _feats(["el", "semanario", '"', "Nueva", "Era", '"'], context=False)
    assert not any(f.startswith("Q") and f != "Q" for attrs in without for f in attrs)


def test_sports_sentence_features() -> None:
    lexicon = Lexicon.count([(["en", "Toledo", "."], ["O", "B-LOC", "O"])] * 3)
    sport = _feats(["el", "Toledo", "ganó", "el", "partido"], lexicon)
    assert "SP" in sport[1] and "SP|g=LOCh" in sport[1] and "SP|el|g=LOCh" in sport[1]
    plain = _feats(["el", "Toledo", "vendió", "la", "finca"], lexicon)
    assert not any(f.startswith("SP") for f in plain[1])
    assert not any(f.startswith("SP") for f in _feats(["el", "Toledo", "ganó", "el", "partido"], lexicon, False)[1])


def test_five_letter_affixes_only_with_context() -> None:
    assert "s5=ncial" in _feats(["Provincial"])[0] and "p5=provi" in _feats(["Provincial"])[0]
    assert not any(f.startswith(("s5=", "p5=")) for f in _feats(["Provincial"], context=False)[0])


def test_quoted_phrase_keys_without_their_quotes() -> None:
    sentence = (['"', "Nueva", "Era", '"', "vende"], ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"])
    assert "Nueva Era" in Lexicon.count([sentence], trim_quotes=True).phrases
    assert '" Nueva Era "' in Lexicon.count([sentence]).phrases
