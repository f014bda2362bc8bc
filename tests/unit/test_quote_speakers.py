"""Quote speakers that generalise: roles, described names, dropped subjects, statements (no broker).

Each case is written here in our own words; the entities are given as the entities stage would."""

from __future__ import annotations

from typing import Any

from newswire.enrich.quotes import find_quotes
from newswire.events.extension import Entity, EntityMention


def _entity(text: str, kind: Any, name: str) -> Entity:
    mentions = []
    start = text.find(name)
    while start >= 0:
        mentions.append(EntityMention(start=start, end=start + len(name), text=name))
        start = text.find(name, start + 1)
    return Entity(type=kind, name=name, confidence=0.9, mentions=mentions)


def speakers(text: str, lang: str, *people: tuple[str, str]) -> list[str | None]:
    entities = [_entity(text, kind, name) for kind, name in people]
    return [q.speaker.name if q.speaker else None for q in find_quotes(text, lang, entities)]


def test_an_age_stands_for_the_person_named_before() -> None:
    text = 'Nora Quill, 61, was rescued at dawn. "I held on to the fence all night," the 61-year-old said.'
    assert speakers(text, "en", ("person", "Nora Quill")) == ["Nora Quill"]


def test_a_spanish_role_agrees_in_gender_with_its_person() -> None:
    text = (
        "El alcalde Tomás Roig y la consejera Irene Solà visitaron la obra. «El puente abrirá en mayo», "
        "aseguró el alcalde. «Pagaremos la mitad», añadió la consejera."
    )
    assert speakers(text, "es", ("person", "Tomás Roig"), ("person", "Irene Solà")) == ["Tomás Roig", "Irene Solà"]


def test_an_ex_role_is_the_role() -> None:
    text = "El expresidente Ramón Ortiz habló con la prensa. «Volvería a hacerlo», dijo el exmandatario."
    assert speakers(text, "es", ("person", "Ramón Ortiz")) == ["Ramón Ortiz"]


def test_an_indefinite_role_names_nobody_named_before() -> None:
    text = 'Officer Dale Reyes closed the road. "Two cars were involved," a spokesman said.'
    assert speakers(text, "en", ("person", "Dale Reyes")) == [None]
    text = "La ministra Eva Lobo visitó el puerto. «Hubo dos detenidos», explicó un portavoz policial."
    assert speakers(text, "es", ("person", "Eva Lobo")) == [None]


def test_a_name_described_after_the_verb_is_the_speaker_not_the_place() -> None:
    text = 'The plant will close in May. "We found out on the radio," said Dunmore resident Ivy Clarke.'
    assert speakers(text, "en", ("place", "Dunmore"), ("person", "Ivy Clarke")) == ["Ivy Clarke"]
    text = 'Rates held. "Prices are still climbing," said Ned Hall\'s former deputy Lena Fox.'
    assert speakers(text, "en", ("person", "Ned Hall"), ("person", "Lena Fox")) == ["Lena Fox"]


def test_a_rank_abbreviation_does_not_end_the_sentence() -> None:
    text = 'A barn burned near the lake. "The owners were away," Cpl. Rhys Tate said.'
    assert speakers(text, "en", ("person", "Rhys Tate")) == ["Rhys Tate"]


def test_a_pronoun_said_before_the_quote_resolves() -> None:
    text = 'Coun. Eli Marsh pushed for a rink for years, he said. "I never gave up on it, not once."'
    assert speakers(text, "en", ("person", "Eli Marsh")) == ["Eli Marsh"]


def test_a_dropped_subject_before_any_speaker_is_the_sentence_before() -> None:
    text = (
        "Lima, 2 mar (EFE).- El Ministerio de Salud confirmó cuarenta casos nuevos. «La situación está "
        "bajo control», indicó en un comunicado."
    )
    assert speakers(text, "es", ("organisation", "EFE"), ("organisation", "Ministerio de Salud")) == [
        "Ministerio de Salud"
    ]
    text = "Nadie esperaba la noticia. «No habrá más cortes», aseguró."
    assert speakers(text, "es") == [None]


def test_it_is_the_organisation_named_last_and_never_a_person() -> None:
    text = 'The Harbour Trust released its audit. "The cranes must be replaced by 2030," it said.'
    assert speakers(text, "en", ("organisation", "Harbour Trust")) == ["Harbour Trust"]
    text = 'Mia Stone read the audit aloud. "The cranes must be replaced by 2030," it said.'
    assert speakers(text, "en", ("person", "Mia Stone")) == [None]


def test_a_subject_that_names_nobody_keeps_the_cue() -> None:
    text = 'The course aims to "give young people a real shot at steady work," organisers said.'
    [quote] = find_quotes(text, "en", [])
    assert quote.speaker is None and quote.cue == "said"


def test_a_dropped_subject_skips_a_complement_for_the_subject() -> None:
    text = "Según el Ministerio de Salud, la doctora Rosa Vidal atendió a los heridos. «Fue muy duro», relató."
    entities = (("organisation", "Ministerio de Salud"), ("person", "Rosa Vidal"))
    assert speakers(text, "es", *entities) == ["Rosa Vidal"]


def test_a_pronoun_prefers_the_subject_of_the_sentence_before_to_a_nearer_complement() -> None:
    text = 'Premier Omar Vance spoke after meeting Mayor Glen Hart. "The talks went well," he said.'
    people = (("person", "Omar Vance"), ("person", "Glen Hart"))
    assert speakers(text, "en", *people) == ["Omar Vance"]
    text = 'Premier Anna Vance spoke after meeting Mayor John Hart. "The talks went well," he said.'
    assert speakers(text, "en", ("person", "Anna Vance"), ("person", "John Hart")) == ["John Hart"]


def test_a_given_name_ending_marks_gender_when_no_list_knows_it() -> None:
    text = 'Odalinda Reyes met Quirino Paz at the port. "The ships are late again," she said.'
    assert speakers(text, "en", ("person", "Odalinda Reyes"), ("person", "Quirino Paz")) == ["Odalinda Reyes"]
    text = 'Odalinda Reyes met Quirino Paz at the port. "The ships are late again," he said.'
    assert speakers(text, "en", ("person", "Odalinda Reyes"), ("person", "Quirino Paz")) == ["Quirino Paz"]


def test_a_quote_goes_on_from_the_reported_speech_of_the_sentence_before() -> None:
    text = 'Mayor Tess Olin said the budget is tight. "We will have to make hard choices this year."'
    assert speakers(text, "en", ("person", "Tess Olin")) == ["Tess Olin"]
    text = 'The budget is tight this year. "We will have to make hard choices this year."'
    assert speakers(text, "en") == [None]


def test_a_dropped_subject_follows_the_subject_of_the_sentence_before_not_the_last_speaker() -> None:
    text = (
        "«La obra se retrasa por la lluvia», reconoció el arquitecto Luis Ferrer.\n\n"
        "La portavoz de la cooperativa, Marta Ribas, pidió más plazos. «Nadie nos avisó a tiempo», lamentó."
    )
    assert speakers(text, "es", ("person", "Luis Ferrer"), ("person", "Marta Ribas")) == ["Luis Ferrer", "Marta Ribas"]


def test_a_dropped_subject_after_a_role_opening_is_the_person_of_that_role() -> None:
    text = (
        "El Ayuntamiento cerrará el mercado en julio, anunció el portavoz municipal, Óscar Vidal.\n\n"
        "El portavoz añadió que habrá un mercado provisional. «Ningún puesto se quedará fuera», dijo."
    )
    assert speakers(text, "es", ("person", "Óscar Vidal"), ("organisation", "Ayuntamiento")) == ["Óscar Vidal"]


def test_a_dropped_subject_does_not_take_a_name_inside_a_clause() -> None:
    text = (
        "«Cumpliremos el calendario», afirmó la consejera Nuria Sáez.\n\n"
        "Recordó que Pedro Gil firmó el contrato en 2019. «Ahora toca ejecutarlo», añadió."
    )
    assert speakers(text, "es", ("person", "Nuria Sáez"), ("person", "Pedro Gil")) == ["Nuria Sáez", "Nuria Sáez"]


def test_a_compound_role_is_the_person_introduced_by_a_word_of_its_office() -> None:
    text = (
        "The nurses' union president, Kara Voss, met the hospital board. Its director Glen Ruiz left early. "
        '"We were not heard," the union leader said.'
    )
    assert speakers(text, "en", ("person", "Kara Voss"), ("person", "Glen Ruiz")) == ["Kara Voss"]


def test_a_role_noun_the_lists_did_not_hold_resolves_like_any_role() -> None:
    text = 'Theo Brandt, 17, saved the match. "I only closed my eyes and kicked," the teenager said.'
    assert speakers(text, "en", ("person", "Theo Brandt")) == ["Theo Brandt"]
    text = (
        "La alcaldesa de Monteverde, Rosario Díaz, abrió la biblioteca.\n\n"
        "«Es el edificio que este pueblo merecía», declaró la regidora."
    )
    assert speakers(text, "es", ("person", "Rosario Díaz")) == ["Rosario Díaz"]


def test_a_generic_organisation_word_is_the_organisation_named_last() -> None:
    text = (
        "El Sindicato de Pilotos convocó huelga. La Asociación de Usuarios pidió calma. "
        "«Los viajeros no deben pagar el conflicto», sostuvo la organización."
    )
    orgs = (("organisation", "Sindicato de Pilotos"), ("organisation", "Asociación de Usuarios"))
    assert speakers(text, "es", *orgs) == ["Asociación de Usuarios"]


def test_the_company_is_never_a_ministry() -> None:
    text = (
        'The Transport Ministry fined the operator. "We accept the fine and will appeal the amount," the company said.'
    )
    assert speakers(text, "en", ("organisation", "Transport Ministry")) == [None]
    text = 'Norvale Foods and the Transport Ministry met on Monday. "We will pay," the company said.'
    assert speakers(text, "en", ("organisation", "Norvale Foods"), ("organisation", "Transport Ministry")) == [
        "Norvale Foods"
    ]


def test_a_reply_verb_is_a_cue_and_does_not_carry_the_last_speaker_over() -> None:
    text = (
        '"The bridge is safe," said engineer Paul Orr.\n\n"Then why is it closed?" retorted Mia Lund, who lives by it.'
    )
    assert speakers(text, "en", ("person", "Paul Orr"), ("person", "Mia Lund")) == ["Paul Orr", "Mia Lund"]
    text = (
        "«Ganamos con justicia», dijo el técnico local, Raúl Soto.\n\n"
        "«El gol llegó en fuera de juego», protestó Iván Mora, entrenador visitante."
    )
    assert speakers(text, "es", ("person", "Raúl Soto"), ("person", "Iván Mora")) == ["Raúl Soto", "Iván Mora"]


def test_an_opinion_opening_with_para_names_its_holder() -> None:
    text = "Las ventas subieron un 9 %. Para Clara Moix, de la consultora Altamar, la cifra «esconde un mal trimestre»."
    assert speakers(text, "es", ("person", "Clara Moix"), ("organisation", "Altamar")) == ["Clara Moix"]
    text = "Las ventas subieron. Para el sector, la cifra «esconde un mal trimestre» según los datos."
    assert speakers(text, "es") == [None]


def test_a_statement_that_read_is_its_issuer() -> None:
    text = (
        '"We expect a vote soon," said Rita Hale.\n\n'
        "The club president, Omar Brandt, released a short statement that read in full: "
        '"We thank the fans for their patience."'
    )
    assert speakers(text, "en", ("person", "Rita Hale"), ("person", "Omar Brandt")) == ["Rita Hale", "Omar Brandt"]


def test_a_sign_that_read_is_no_speaker() -> None:
    text = (
        '"Everyone got out in time," said fire chief Dana Cole.\n\n'
        'At the shelter in the old library, a hand-painted banner over the door read: "Dogs and cats welcome here."'
    )
    assert speakers(text, "en", ("person", "Dana Cole")) == ["Dana Cole", None]


def test_read_with_an_object_is_not_a_cue() -> None:
    text = 'Lena Park of Orchard Capital said investors would read the report as "a clear sign of a slowdown ahead."'
    assert speakers(text, "en", ("person", "Lena Park"), ("organisation", "Orchard Capital")) == ["Lena Park"]


def test_a_verb_coordinated_with_a_dropped_subject_keeps_the_subject_of_the_sentence_before() -> None:
    text = (
        "«Seguiremos en la calle», dijo un vecino.\n\n"
        "La portavoz de la plataforma, Sara Prat, leyó un comunicado. "
        "Afirmó que los comercios apoyan la protesta, pero advirtió que no habrá acuerdo «sin un calendario claro»."
    )
    assert speakers(text, "es", ("person", "Sara Prat")) == [None, "Sara Prat"]
