"""The entities stage's fast paths give what the plain paths give: the tokenizer's chunk cache, the
tagger runs left out for common sentence openers, and the entity models built without model_construct."""

from __future__ import annotations

import random

import pytest

from newswire.enrich import lexical
from newswire.enrich.kb import knowledge_base
from newswire.enrich.lexical import fold_word, words
from newswire.enrich.ner import _tagger, recognise_tokens
from newswire.enrich.ner import tokenize as tok
from newswire.enrich.ner.features import FeatureExtractor, word_shape
from newswire.enrich.stages import entities as stage
from newswire.enrich.titles import name_start, strip_spans
from newswire.events.extension import Entity, EntityMention

TEXTS = [
    "«Haremos todo lo posible», dijo ayer la alcaldesa Marta Ruiz en Sevilla (EFE).",
    "Sen. O'Neill isn't sure the U.S. deal -- signed at 3:30 p.m. -- will hold, he said.",
    "En la reunión de ayer, según fuentes del Ministerio, se habló de 1.500.000 euros...",
    "Mail desk@example.org or see www.example.com/news. Then: EE.UU. y la ONU!",
    "Two  spaces,\ttabs\u00a0and\nnew lines; 12ab34 x² ½ café\u0301 don't.",
]


@pytest.fixture(autouse=True)
def _cold_chunks() -> None:
    tok.forget_chunks()


@pytest.mark.parametrize("text", TEXTS)
def test_chunk_cache_gives_the_whole_text_scan(text: str) -> None:
    expected = tok._scan(text)
    assert tok.tokenize(text) == expected  # chunks learnt
    assert tok.tokenize(text) == expected  # chunks from the cache
    assert all(text[t.start : t.end] == t.text for t in expected)


def test_chunk_cache_on_random_text() -> None:
    rnd = random.Random(7)
    alphabet = "aZé\u0301ß .,;:!?'’\"«»()-—…@n'tN'T 09\n\t\u00a0º%www.http://x.io U.S. Sr. isn't _½"
    for _ in range(2000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 50)))
        assert tok.tokenize(text) == tok._scan(text), text


def test_chunk_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tok, "CHUNK_CACHE_SIZE", 5)
    text = "uno dos tres cuatro cinco seis siete ocho nueve diez."
    assert tok.tokenize(text) == tok._scan(text)
    assert len(tok._chunks) <= 5
    assert tok.tokenize(text) == tok._scan(text)


# Sentences written for this test: each opens on a common word, capitalised only because it opens.
OPENERS = {
    "es": [
        "En la reunión de ayer no hubo acuerdo .",
        "Según fuentes oficiales , la cifra subirá mañana .",
        "La ciudad de Mendoza recibió ayer a la ministra Ana Gil .",
        '" Si no llueve , perderemos la cosecha " , dijo .',
    ],
    "en": [
        "In the morning the talks went on for hours .",
        "The mayor of Leeds , Tom Brady , said the plan was ready .",
        "After the vote , prices rose again .",
    ],
}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_opener_runs_left_out_are_runs_the_model_tags_outside(lang: str) -> None:
    fx: FeatureExtractor = _tagger._get_model(lang).features
    skipped = 0
    for sentence in OPENERS[lang]:
        tokens = sentence.split()
        fx.skip_openers = False
        try:
            every = dict(fx.runs(tokens))
            tags_all = recognise_tokens(tokens, lang)
        finally:
            fx.skip_openers = True
        kept = dict(fx.runs(tokens))
        assert set(kept) <= set(every)
        for start in set(every) - set(kept):
            skipped += 1
            assert set(_tagger._get_model(lang).tagger.tag(every[start])) == {"O"}
        assert recognise_tokens(tokens, lang) == tags_all
    assert skipped >= 2  # the rule did leave runs out


def test_opener_needs_a_common_word_outside_names() -> None:
    fx: FeatureExtractor = _tagger._get_model("es").features
    assert fx.token_features("En").opener
    assert fx.token_features("Según").opener
    assert not fx.token_features("Madrid").opener  # a name
    assert not fx.token_features("en").opener  # lowercase: never a run of its own


def test_models_built_as_model_construct_builds_them() -> None:
    mention = stage._MENTION(stage._MENTION_FIELDS, (3, 8, "Sevil"))
    assert mention == EntityMention.model_construct(start=3, end=8, text="Sevil")
    values = ("place", "Sevilla", None, "https://sws.geonames.org/2510911/", "ES", 37.38, -5.97, 0.9, [mention])
    built = stage._ENTITY(stage._ENTITY_FIELDS, values)
    reference = Entity.model_construct(None, **dict(zip(stage._ENTITY_FIELDS, values, strict=True)))
    assert built == reference
    assert built.model_fields_set == reference.model_fields_set
    assert built.model_dump_json() == reference.model_dump_json()
    assert tuple(Entity.model_fields) == stage._ENTITY_FIELDS


def test_model_shortcut_is_written_for_the_installed_pydantic() -> None:
    # the shortcut sets pydantic's private attributes: it runs only on the release it was written for
    # (any other takes model_construct); a pydantic upgrade in the lock must re-check it and move this
    import pydantic

    assert pydantic.VERSION == stage.PYDANTIC_WRITTEN_FOR


def test_place_name_starts_are_the_capitalised_words_and_lowercase_openers() -> None:
    text = "ayer en el mar Negro y en Odesa, dijo la Armada."
    found = words(text)
    picked = list(stage._name_starts(found, frozenset({"mar"})))
    assert [found[i].text for i in picked] == ["mar", "Negro", "Odesa", "Armada"]


def test_shared_capital_flags_pick_the_same_starts() -> None:
    # link asks once a story whether each word is capitalised and hands the flags to the KB and place scans
    for text in [*TEXTS, "ayer en el mar Negro y en Odesa, dijo la Armada.", "ÉXITO del jefe ǅemal en 2024"]:
        found = words(text)
        flags = stage._capitalised(found)
        assert flags == [w.text[0].isupper() for w in found]
        for lowercase in (frozenset(), frozenset({"mar", "jefe", "en"})):
            assert list(stage._name_starts(found, lowercase, flags)) == list(stage._name_starts(found, lowercase))


def _shape_by_hand(token: str) -> tuple[str, str]:
    """The token's shape one character at a time (how `word_shape` read it before its C-level map)."""
    chars = ["X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c for c in token]
    short = [c for i, c in enumerate(chars) if i == 0 or chars[i - 1] != c]
    long_shape = "".join(chars)
    if len(long_shape) > 8:
        long_shape = long_shape[:4] + "~" + long_shape[-4:]
    return "".join(short), long_shape


def test_word_shape_as_by_hand() -> None:
    rnd = random.Random(11)
    tokens = ["McDonald", "EE.UU.", "Jong-un", "1.500", "ÉXITO", "ǅemal", "x²", "١٢٣", "O'Neill", "a", ""]
    tokens += ["".join(chr(rnd.randint(32, 0x2FFF)) for _ in range(rnd.randint(1, 14))) for _ in range(3000)]
    for token in tokens:
        assert word_shape(token) == _shape_by_hand(token), token
    assert word_shape("McDonald") == ("XxXx", "XxXxxxxx")


def test_filtered_features_keep_order_and_drop_unknown() -> None:
    fx: FeatureExtractor = _tagger._get_model("es").features
    unfiltered = FeatureExtractor(fx.lexicon, None)
    for word in ("Madrid", "presidente", "Según", "ONU", "1.500", "«"):
        kept, every = fx.token_features(word), unfiltered.token_features(word)
        assert fx.keep is not None
        assert kept.own == tuple(f for f in every.own if f in fx.keep)
        assert kept.p1 == tuple(f for f in every.p1 if f in fx.keep)


def _kb_candidates_every_word(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """KB names and descriptions trying every word of the text (what `_kb_candidates` did before it
    asked only capitalised words and the first words of descriptions)."""
    kb = knowledge_base()
    found = words(text)
    names: list[tuple[int, int]] = []
    descriptions: list[tuple[int, int]] = []
    free = 0
    for i in range(len(found)):
        match = kb.match(text, found, i) if i >= free else None
        if match is None:
            continue
        size, hits = match
        span = (found[i].start, found[i + size - 1].end)
        (descriptions if hits[0].descriptive else names).append(span)
        free = i + size
    return names, descriptions


@pytest.mark.parametrize(
    "text",
    [
        "El jefe del Kremlin, Vladímir Putin, habló con el líder norcoreano Kim Jong-un en la agencia EFE.",
        "the Russian president met el presidente de la agencia; Putin said the Kremlin chief would go.",
        "ayer el portavoz dijo que el ministro ruso Serguéi Lavrov viajará. La ONU y la OTAN callaron.",
    ],
)
def test_kb_candidates_as_trying_every_word(text: str) -> None:
    names, descriptions = stage._kb_candidates(text, words(text))
    expected = _kb_candidates_every_word(text)
    assert ([(c.start, c.end) for c in names], [(c.start, c.end) for c in descriptions]) == expected
    assert expected[0]  # the text names someone the KB knows


@pytest.mark.parametrize("word", ["Präsident", "Pekín", "Kremlchef", "O'Neill", "EE.UU.", "Jong-un"])
def test_one_word_span_keeps_what_name_start_would_keep(word: str) -> None:
    text = f"Ayer {word} dijo."
    span = stage.Span(5, 5 + len(word), "PER", word, 0.9)
    assert name_start(text, span.start, span.end, "de") == (span.start, None)
    assert strip_spans(text, [span], "de") == [span]


def test_word_keys_through_the_fold_memo_equal_fold_word(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical, "_FOLDED_MAX", 5)  # small, so the memo is emptied along the way
    rnd = random.Random(5)
    pieces = ["Pekín", "PEKIN", "Straße", "Øster", "ǅemal", "ﬁn", "café\u0301", "İstanbul", "x²", "1.500", "EE"]
    for n in range(60):
        text = " ".join(rnd.choice(pieces) + str(rnd.randint(0, n)) * rnd.randint(0, 1) for _ in range(12))
        lexical.forget_texts()
        found = words(text)
        assert [w.key for w in found] == [fold_word(w.text) for w in found]
        assert len(lexical._FOLDED) <= 5 + 12


_NAME_TOKEN = stage._NAME_TOKEN


class _NoFullMatch:
    """`_NAME_TOKEN` with its one-word shortcut turned off: `_trim` takes its general path."""

    def fullmatch(self, *_: object) -> None:
        return None

    def finditer(self, text: str, start: int, end: int) -> object:
        return _NAME_TOKEN.finditer(text, start, end)


def test_one_word_trim_as_the_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*TEXTS, "al-Saadani y d'Estaing, la ONU (L) y McDonald's; Jong-un. EE.UU. vs. U.S. Corp. x"]
    cases = [(text, a, b) for text in texts for a in range(len(text)) for b in range(a + 1, min(len(text), a + 14) + 1)]
    fast = [stage._trim(text, a, b, 0.7) for text, a, b in cases]
    with monkeypatch.context() as patch:
        patch.setattr(stage, "_NAME_TOKEN", _NoFullMatch())
        general = [stage._trim(text, a, b, 0.7) for text, a, b in cases]
    assert fast == general
    assert sum(1 for r in fast if r is not None) > 100  # the cases include many names
