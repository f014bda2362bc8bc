"""A person's title or role, cut off the name, is kept in the entity's `role`."""

from __future__ import annotations

import pytest

from newswire.enrich.registry import Document
from newswire.enrich.stages.entities import find_entities
from newswire.enrich.titles import role_before
from newswire.events.extension import Entity, LanguageInfo
from newswire.pipeline import Pipeline, RawMessage


@pytest.mark.parametrize(
    ("text", "name", "language", "role"),
    [
        ("Yesterday Governor Laura Pike signed the bill.", "Laura", "en", "Governor"),
        ("Finance Minister Ola Brandt resigned.", "Ola", "en", "Finance Minister"),
        ("Secretary of State Hugo Marsh flew home.", "Hugo", "en", "Secretary of State"),
        ("Gestern sagte Vorstandsmitglied Lena Kraus im Radio", "Lena", "de", "Vorstandsmitglied"),
        ("Gestern sagte Bürgermeister Jan Voss im Radio", "Jan", "de", "Bürgermeister"),
        ("Lo anunció el alcalde Pedro Ruiz en la radio.", "Pedro", "es", "alcalde"),
        ("Habló el presidente ruso Iván Sokolov.", "Iván", "es", "presidente ruso"),
        ("Le maire Paul Girard a parlé.", "Paul", "fr", "maire"),
        ("Lo anunció la alcaldesa Rosa Lema en la radio.", "Rosa", "es", "alcaldesa"),
        ("Gestern sagte Bürgermeisterin Anna Voss im Radio", "Anna", "de", "Bürgermeisterin"),
        # no role: an ordinary word, a comma, or nothing at all before the name
        ("Yesterday Laura Pike signed the bill.", "Laura", "en", None),
        ("The governor, Laura Pike, signed the bill.", "Laura", "en", None),
        ("Laura Pike signed the bill.", "Laura", "en", None),
    ],
)
def test_role_before_a_name(text: str, name: str, language: str, role: str | None) -> None:
    assert role_before(text, text.index(name), language) == role


def _entities(text: str, language: str) -> list[Entity]:
    found = find_entities(Document(text=text), {"language": LanguageInfo(code=language, confidence=1.0)})
    return list(found["entities"])


def _people(text: str, language: str) -> dict[str, Entity]:
    return {e.name: e for e in _entities(text, language) if e.type == "person"}


def test_person_entity_without_title_keeps_the_role_en() -> None:
    people = _people("Mayor Ellen Kowalski said the bridge would reopen on Monday.", "en")
    assert "Ellen Kowalski" in people and people["Ellen Kowalski"].role == "Mayor"
    assert all(not name.startswith("Mayor") for name in people)


def test_person_entity_without_title_keeps_the_role_de() -> None:
    people = _people("Vorstandsmitglied Jonas Berger kündigte am Dienstag neue Züge an.", "de")
    assert "Jonas Berger" in people and people["Jonas Berger"].role == "Vorstandsmitglied"


@pytest.mark.parametrize(
    ("text", "name", "role", "language"),
    [
        ("Councilwoman Nadia Ferris voted against the zoning change.", "Nadia Ferris", "Councilwoman", "en"),
        ("Sheriff Otis Brandt said the road would stay closed.", "Otis Brandt", "Sheriff", "en"),
        ("Judge Helena Marsh adjourned the hearing until May.", "Helena Marsh", "Judge", "en"),
        ("La jueza Marta Ibarra suspendió la vista hasta mayo.", "Marta Ibarra", "jueza", "es"),
        ("El concejal Íñigo Salas presentó la moción.", "Íñigo Salas", "concejal", "es"),
    ],
)
def test_local_and_court_titles_leave_the_name(text: str, name: str, role: str, language: str) -> None:
    people = _people(text, language)
    assert name in people and people[name].role == role


def test_a_rank_that_is_also_an_ordinary_word_stays_in_an_organisation_name() -> None:
    # `Major` and `Private` are ranks, but far more often the first word of a name: not listed as roles.
    found = _entities("Major League Baseball fined the club on Friday.", "en")
    assert not any(e.name == "League Baseball" for e in found)


def test_role_is_optional_and_left_out_of_the_payload() -> None:
    people = _people("Ellen Kowalski said the bridge would reopen on Monday.", "en")
    assert people["Ellen Kowalski"].role is None
    assert "role" not in people["Ellen Kowalski"].model_dump(exclude_none=True)


def test_invented_agency_stories_end_to_end() -> None:
    """Place, currency and role together, through the whole pipeline."""
    argentine = (
        "Buenos Aires, 3 sep (EFE).- El Gobierno provincial destinará $800 millones a reparar escuelas, "
        "informó hoy el ministro Carlos Ibáñez.\n"
    )
    spanish = "Valencia, 3 sep (EFE).- La alcaldesa Marta Soler inauguró hoy un puente nuevo sobre el río.\n"
    first = Pipeline().process(RawMessage(value=argentine.encode())).stories[0].newswire  # type: ignore[union-attr]
    second = Pipeline().process(RawMessage(value=spanish.encode())).stories[0].newswire  # type: ignore[union-attr]
    assert first is not None and second is not None
    assert first.dateline is not None and first.dateline.place_ref is not None
    assert first.dateline.place_ref.country == "AR"
    assert first.amounts[0]["unit"] == "ARS"
    assert {e.name: e.role for e in first.entities if e.type == "person"}.get("Carlos Ibáñez") == "ministro"
    assert second.dateline is not None and second.dateline.place_ref is not None
    assert second.dateline.place_ref.country == "ES"
    assert {e.name: e.role for e in second.entities if e.type == "person"}.get("Marta Soler") == "alcaldesa"
