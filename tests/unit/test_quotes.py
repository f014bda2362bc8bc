"""The quotes stage: quotation styles, dialogue dashes, attribution and the seed story (no broker)."""

from __future__ import annotations

from typing import Any

import pytest

from newswire.enrich.quotes import find_quotes
from newswire.enrich.registry import Document
from newswire.enrich.stages.quotes import detect_quotes
from newswire.events.extension import Entity, EntityMention, LanguageInfo


def pairs(text: str, lang: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker.name if q.speaker else None) for q in find_quotes(text, lang)]


def test_offsets_point_into_the_text() -> None:
    text = "El ministro habló. «No lo haremos», dijo Ana Pérez."
    [quote] = find_quotes(text, "es")
    assert text[quote.start : quote.end] == quote.text == "No lo haremos"
    assert quote.speaker is not None and quote.speaker.start is not None and quote.speaker.end is not None
    assert text[quote.speaker.start : quote.speaker.end] == "Ana Pérez"
    assert quote.cue == "dijo"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("«Vamos a ganar», afirmó el alcalde Juan Ruiz.", "es", [("Vamos a ganar", "Juan Ruiz")]),
        ("“We will not back down,” said Maria Lopez.", "en", [("We will not back down,", "Maria Lopez")]),
        ('"We will not back down," Lopez said on Monday.', "en", [("We will not back down,", "Lopez")]),
        ("„Wir schaffen das“, sagte Merkel.", "de", [("Wir schaffen das", "Merkel")]),
        ("»Das ist falsch«, sagte Scholz.", "de", [("Das ist falsch", "Scholz")]),
        ("« Nous ne céderons pas », a déclaré Emmanuel Macron.", "fr", [("Nous ne céderons pas", "Emmanuel Macron")]),
        ("‹Nein›, sagte er.", "de", [("Nein", "er")]),
        ("‘This is over,’ said John Smith.", "en", [("This is over,", "John Smith")]),
        ("Ele disse: “Não vamos desistir”.", "pt", [("Não vamos desistir", "Ele")]),
    ],
)
def test_quote_styles(text: str, lang: str, expected: list[tuple[str, str | None]]) -> None:
    assert pairs(text, lang) == expected


def test_apostrophes_are_not_quotes() -> None:
    text = "It's the students' choice and rock 'n' roll, Smith said; l'homme n'est pas là."
    assert find_quotes(text, "en") == []


def test_cue_before_the_quote_and_colon() -> None:
    assert pairs("Kim dijo: «Haremos todo lo necesario».", "es") == [("Haremos todo lo necesario", "Kim")]
    assert pairs('Putin said: "We will respond."', "en") == [("We will respond.", "Putin")]
    assert pairs("Dijo Kim: «Nunca lo olvidaremos».", "es") == [("Nunca lo olvidaremos", "Kim")]


def test_according_to_and_segun() -> None:
    assert pairs("«La economía crecerá», según el ministro de Economía.", "es")[0][1] == "el ministro de Economía"
    assert pairs('"Prices will rise," according to Jane Doe.', "en") == [("Prices will rise,", "Jane Doe")]


def test_apposition_gives_the_name() -> None:
    text = "El portavoz del Kremlin, Dmitri Peskov, afirmó que «no hay planes» de reunión."
    assert pairs(text, "es") == [("no hay planes", "Dmitri Peskov")]
    text = '"It was a mistake," Flynn, a top Trump adviser, said Thursday.'
    assert pairs(text, "en") == [("It was a mistake,", "Flynn")]


def test_nested_quotes_belong_to_the_outer_one() -> None:
    text = "«El presidente dijo “nunca” y lo mantiene», aseguró Ana."
    assert pairs(text, "es") == [("El presidente dijo “nunca” y lo mantiene", "Ana")]
    text = "\"They told me 'go home' and I did,\" said Tom Baker."
    assert pairs(text, "en") == [("They told me 'go home' and I did,", "Tom Baker")]


def test_zero_subject_and_pronoun_continue_the_last_speaker() -> None:
    text = "«Vamos a seguir», dijo Lula.\n\n«No hay marcha atrás», señaló.\n\nDestacó que Brasil «nunca» cederá."
    assert pairs(text, "es") == [("Vamos a seguir", "Lula"), ("No hay marcha atrás", "Lula"), ("nunca", "Lula")]
    text = '"We are ready," Smith said. "We have always been ready."\n\n"It is time," he added.'
    assert [s for _, s in pairs(text, "en")] == ["Smith", "Smith", "Smith"]


def test_quote_spanning_paragraphs() -> None:
    text = "Merkel sagte:\n\n„Wir haben viel erreicht.\n\n„Aber es bleibt viel zu tun“, fügte sie hinzu."
    quotes = find_quotes(text, "de")
    assert len(quotes) == 1
    assert quotes[0].text.startswith("Wir haben viel erreicht.") and quotes[0].text.endswith("zu tun")
    text = '"First part of the speech.\n\n"Second part," said Joe Biden.'
    assert pairs(text, "en") == [('First part of the speech.\n\n"Second part,', "Joe Biden")]


def test_dialogue_dashes() -> None:
    text = "—No lo haremos —dijo el ministro—. Seguiremos negociando.\n\n—Es la última oferta —añadió."
    assert pairs(text, "es") == [
        ("No lo haremos", "el ministro"),
        ("Seguiremos negociando.", "el ministro"),
        ("Es la última oferta", "el ministro"),
    ]
    text = "— Nous ne céderons pas, a déclaré le Premier ministre."
    assert pairs(text, "fr") == [("Nous ne céderons pas", "le Premier ministre")]
    # an EFE parenthetical with hyphens is not a quote
    assert find_quotes("El acuerdo -que incluye una cláusula- fue firmado.", "es") == []


def test_titles_and_scare_quotes_without_cue_are_skipped() -> None:
    assert find_quotes("He appeared on CNN's “State of the Union” on Sunday.", "en") == []
    assert find_quotes("The so-called “reform” failed.", "en") == []


def test_entities_give_canonical_name_and_uri() -> None:
    text = "«Haremos lo necesario», dijo Kim. «Es nuestro deber», añadió."
    kim = Entity(
        type="person",
        name="Kim Jong-un",
        uri="http://www.wikidata.org/entity/Q56226",
        confidence=0.9,
        mentions=[EntityMention(start=29, end=32, text="Kim")],
    )
    assert text[29:32] == "Kim"
    found = detect_quotes(Document(text=text), {"language": LanguageInfo(code="es", confidence=1.0), "entities": [kim]})
    speakers = [(q.speaker.name, q.speaker.uri) for q in found["quotes"] if q.speaker]
    assert speakers == [("Kim Jong-un", kim.uri)] * 2


def test_seed_story(seed_bytes: bytes) -> None:
    raw = seed_bytes.decode("utf-8")
    body = raw.split("(EFE).- ", 1)[1]
    found = detect_quotes(Document(text=body), {"language": LanguageInfo(code="es", confidence=1.0)})
    quotes = found["quotes"]
    assert len(quotes) == 8
    assert [q.speaker.name if q.speaker else None for q in quotes] == ["Kim"] * 3 + ["Putin"] * 5
    assert any(q.text == "nunca" for q in quotes)
    for q in quotes:
        assert body[q.start : q.end] == q.text
        assert q.speaker is not None and q.speaker.start is not None
        assert body[q.speaker.start : q.speaker.end] in ("Kim", "Putin")


def test_no_language_uses_every_lexicon() -> None:
    assert pairs("«Basta», dijo Ana.", "xx") == [("Basta", "Ana")]
    found = detect_quotes(Document(text='"Enough," said Ana.'), {})
    assert [q.text for q in found["quotes"]] == ["Enough,"]


def test_unlinked_entity_spilling_past_the_speaker_is_not_trusted() -> None:
    text = "«Haremos lo necesario», dijo Kim al final. Kim Jong-un llegó ayer."
    junk = Entity(
        type="person", name="Kim al", confidence=0.5, mentions=[EntityMention(start=29, end=35, text="Kim al")]
    )
    kim = Entity(
        type="person",
        name="Kim Jong-un",
        uri="http://www.wikidata.org/entity/Q56226",
        confidence=0.9,
        mentions=[EntityMention(start=43, end=54, text="Kim Jong-un")],
    )
    [quote] = find_quotes(text, "es", [junk, kim])
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.uri) == ("Kim Jong-un", kim.uri)
    assert text[quote.speaker.start : quote.speaker.end] == "Kim"


# --- speakers who are people (the entities stage's entities given) ----------------------------


def _entity(text: str, kind: Any, name: str, *written: str) -> Entity:
    """An entity with a mention at every occurrence of each written form (the name itself by default)."""
    mentions = []
    for form in written or (name,):
        start = text.find(form)
        while start >= 0:
            mentions.append(EntityMention(start=start, end=start + len(form), text=form))
            start = text.find(form, start + 1)
    return Entity(type=kind, name=name, confidence=0.9, mentions=sorted(mentions, key=lambda m: m.start))


def speakers(text: str, lang: str, entities: list[Entity]) -> list[tuple[str | None, str | None]]:
    return [(q.speaker.name if q.speaker else None, q.cue) for q in find_quotes(text, lang, entities)]


def test_pronoun_resolves_to_the_nearest_person_of_its_gender() -> None:
    text = "La ministra Ana Torres recorrió la obra con el alcalde Pedro Gil. «Seguiremos adelante», dijo ella."
    people = [_entity(text, "person", "Ana Torres"), _entity(text, "person", "Pedro Gil")]
    assert speakers(text, "es", people) == [("Ana Torres", "dijo")]
    text = 'Mary Brown met John Green on Monday. "The budget is settled," he said.'
    people = [_entity(text, "person", "Mary Brown"), _entity(text, "person", "John Green")]
    assert speakers(text, "en", people) == [("John Green", "said")]
    [quote] = find_quotes(text, "en", people)
    assert quote.speaker is not None and text[quote.speaker.start : quote.speaker.end] == "he"


def test_pronoun_across_paragraphs_takes_the_person_named_before() -> None:
    text = 'Senator Laura Finch toured the port.\n\n"We need new cranes," she said.'
    assert speakers(text, "en", [_entity(text, "person", "Laura Finch")]) == [("Laura Finch", "said")]


def test_pronoun_of_the_other_gender_is_no_one() -> None:
    text = 'Mr. Tom Hale opened the session. "I will not resign," she said.'
    assert speakers(text, "en", [_entity(text, "person", "Tom Hale")]) == [(None, "said")]


def test_role_resolves_to_the_person_who_holds_it() -> None:
    text = 'Finance Minister Carl Ruiz arrived late. "The numbers add up," the minister said.'
    assert speakers(text, "en", [_entity(text, "person", "Carl Ruiz")]) == [("Carl Ruiz", "said")]
    text = "El alcalde Luis Mora y la portavoz Marta Gil hablaron. «No habrá cambios», aseguró la portavoz."
    people = [_entity(text, "person", "Luis Mora"), _entity(text, "person", "Marta Gil")]
    assert speakers(text, "es", people) == [("Marta Gil", "aseguró")]


def test_organisation_that_spoke_is_the_speaker() -> None:
    text = 'The Ministry of Health published new figures. "Cases are falling," the ministry said.'
    ministry = _entity(text, "organisation", "Ministry of Health")
    assert speakers(text, "en", [ministry]) == [("Ministry of Health", "said")]


def test_places_and_nouns_are_never_speakers() -> None:
    text = 'Rain hit the coast. "The roads are closed," Springfield said on Friday.'
    assert speakers(text, "en", [_entity(text, "place", "Springfield")]) == [(None, "said")]
    text = '"Growth will slow," the report said.'
    assert speakers(text, "en", []) == [(None, "said")]


def test_a_possessive_statement_speaks_for_its_owner_of_that_gender() -> None:
    text = 'Jane Holt left the board. "It was a mistake," her statement said.'
    assert speakers(text, "en", [_entity(text, "person", "Jane Holt")]) == [("Jane Holt", "said")]
    text = 'Tom Reed left the board. "It was a mistake," her statement said.'
    assert speakers(text, "en", [_entity(text, "person", "Tom Reed")]) == [(None, "said")]


def test_unresolved_pronoun_keeps_the_cue_without_a_name() -> None:
    text = 'Storms hit Lisbon. "We stayed inside," he said.'
    assert speakers(text, "en", [_entity(text, "place", "Lisbon")]) == [(None, "said")]
    text = '"We will vote no," they said.'
    assert speakers(text, "en", []) == [(None, "said")]


def test_named_speaker_takes_the_entity_that_holds_the_name() -> None:
    text = 'Ms. Dana Wolfe spoke first. "I disagree," Ms. Wolfe said.'
    wolfe = _entity(text, "person", "Dana Wolfe", "Ms. Dana Wolfe", "Ms. Wolfe")
    assert speakers(text, "en", [wolfe]) == [("Dana Wolfe", "said")]
    text = '"This is wrong," said Sen. Ray Cole, R-Ohio, on Tuesday.'
    assert speakers(text, "en", [_entity(text, "person", "Ray Cole")])[0][0] == "Ray Cole"


def test_apposition_speaks_for_the_person_not_the_organisation_in_it() -> None:
    text = 'Rosa Vidal, director of the Harbour Trust, which runs the docks, said "the cranes are too old."'
    people = [_entity(text, "person", "Rosa Vidal"), _entity(text, "organisation", "Harbour Trust")]
    assert speakers(text, "en", people) == [("Rosa Vidal", "said")]


def test_named_subject_after_a_quote_that_ends_its_sentence_later() -> None:
    text = 'Oil prices rose. "A rebound is near" for the sector, Mr. Tom Reyes said.'
    reyes = _entity(text, "person", "Tom Reyes", "Mr. Tom Reyes")
    assert speakers(text, "en", [reyes]) == [("Tom Reyes", "said")]


def test_quote_after_a_sentence_ending_in_a_named_cue_continues_that_speaker() -> None:
    text = 'Talks stalled over the budget, Ellen Park said Tuesday. "Nobody wants another delay," she added.'
    park = _entity(text, "person", "Ellen Park")
    assert speakers(text, "en", [park]) == [("Ellen Park", "added")]
    text = 'Talks stalled over the budget, Ellen Park said. "Nobody wants another delay."'
    assert speakers(text, "en", [_entity(text, "person", "Ellen Park")]) == [("Ellen Park", "said")]


def test_relative_clause_inside_an_apposition_is_stepped_over() -> None:
    text = 'Mia Lund, a nurse who worked the night shift, recalled, "We ran out of beds."'
    assert speakers(text, "en", [_entity(text, "person", "Mia Lund")]) == [("Mia Lund", "recalled")]


def test_organisation_without_a_reporting_verb_is_no_speaker() -> None:
    text = 'The Harbour Trust sent its "senior dock inspector to the pier" on Monday.'
    trust = _entity(text, "organisation", "Harbour Trust", "The Harbour Trust")
    assert speakers(text, "en", [trust]) == [(None, None)]
    text = 'The Harbour Trust said "serious delays at every pier" were likely.'
    trust = _entity(text, "organisation", "Harbour Trust", "The Harbour Trust")
    assert speakers(text, "en", [trust]) == [("Harbour Trust", "said")]


def test_pronoun_takes_the_nearest_person_not_the_last_speaker() -> None:
    text = 'Paul Dunn said, "We are ready." Police chief Tom Fry arrived later. "Nothing is settled," he said.'
    people = [_entity(text, "person", "Paul Dunn"), _entity(text, "person", "Tom Fry")]
    assert speakers(text, "en", people) == [("Paul Dunn", "said"), ("Tom Fry", "said")]


def test_person_known_to_agree_beats_a_nearer_one_of_unknown_gender() -> None:
    text = 'Senator Mary Holt met Dr. Okonkwo at noon. "We found common ground," she said.'
    people = [_entity(text, "person", "Mary Holt"), _entity(text, "person", "Okonkwo")]
    assert speakers(text, "en", people) == [("Mary Holt", "said")]


def test_place_inside_a_persons_apposition_speaks_for_the_person() -> None:
    text = 'Lena Ortiz, of Dayton, Ohio, said she came "to see the new wing with my own eyes."'
    people = [_entity(text, "person", "Lena Ortiz"), _entity(text, "place", "Dayton")]
    assert speakers(text, "en", people) == [("Lena Ortiz", "said")]


def test_subject_of_a_sentence_ending_in_a_colon_introduces_the_quote() -> None:
    text = 'Last year Omar Haddad made the following remark:\n\n"Nobody will remember this budget."'
    assert speakers(text, "en", [_entity(text, "person", "Omar Haddad")]) == [("Omar Haddad", None)]


def test_role_followed_by_the_name_in_apposition_is_that_person() -> None:
    text = "Le musée ouvrira plus tard. «Nous voulons du calme», a déclaré la présidente du musée, Claire Roux."
    people = [_entity(text, "person", "Claire Roux")]
    assert speakers(text, "fr", people) == [("Claire Roux", "déclaré")]
    # a person named before the role is not taken for it when the role names its holder after it
    text = "Louis Bec visita el museo. «Queremos calma», dijo la directora del museo, Ana Sanz."
    people = [_entity(text, "person", "Louis Bec"), _entity(text, "person", "Ana Sanz")]
    assert speakers(text, "es", people) == [("Ana Sanz", "dijo")]


def test_name_after_a_bare_description_following_the_cue_is_the_speaker() -> None:
    text = 'Gov. Ray Dale signed the bill. "This changes nothing for us," said 9/11 widow Nora Quist.'
    people = [_entity(text, "person", "Ray Dale"), _entity(text, "person", "Nora Quist")]
    assert speakers(text, "en", people) == [("Nora Quist", "said")]
    text = 'Ray Dale spoke first. "We will appeal the ruling," said retired judge Ana Bell.'
    people = [_entity(text, "person", "Ray Dale"), _entity(text, "person", "Ana Bell")]
    assert speakers(text, "en", people) == [("Ana Bell", "said")]


def test_a_coordinated_verb_without_subject_shares_the_sentences_subject() -> None:
    text = (
        'Paul Dunn, her rival, said costs were "a very big factor" in the delay. '
        'Mayor Ines Vidal said that she backs the plan but said "the question is the timing."'
    )
    people = [_entity(text, "person", "Paul Dunn"), _entity(text, "person", "Ines Vidal")]
    assert speakers(text, "en", people)[-1] == ("Ines Vidal", "said")  # not the last speaker, Paul Dunn


def test_a_surname_names_the_one_person_of_the_story_with_that_full_name() -> None:
    text = 'Maria Holt-Brandt reviewed the plan. "It is well built," Ms. Holt-Brandt said.'
    people = [_entity(text, "person", "Maria Holt-Brandt")]  # the tagger found the full name only
    assert speakers(text, "en", people) == [("Maria Holt-Brandt", "said")]
    # two people share the surname: the surname alone names neither
    text = 'Ann Reyes met Luis Reyes. "It is well built," Reyes said.'
    people = [_entity(text, "person", "Ann Reyes"), _entity(text, "person", "Luis Reyes")]
    assert speakers(text, "en", people) == [(None, "said")]
