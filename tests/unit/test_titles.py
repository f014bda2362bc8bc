"""Role and place-kind words are cut off names, never off the head of an organisation's name."""

from __future__ import annotations

import pytest

from newswire.enrich.stages.entities import Span
from newswire.enrich.titles import strip_spans


def stripped(text: str, language: str, label: str) -> tuple[str, str]:
    span = strip_spans(text, [Span(0, len(text), label, text, 0.9)], language)[0]
    return span.text, span.label


@pytest.mark.parametrize(
    ("written", "language", "label"),
    [
        ("State Department", "en", "ORG"),  # `state` is a role and a place kind, `Department` the head
        ("State Department", "en", "LOC"),  # whatever the tagger called it, no place `Department`
        ("Department of State", "en", "ORG"),
        ("President Hotel", "en", "PER"),  # a mistyped hotel is not a person called `Hotel`
        ("State Street Bank", "en", "ORG"),
        ("Presidente Hotel", "es", "ORG"),
    ],
)
def test_roles_do_not_strip_the_head_of_an_organisation(written: str, language: str, label: str) -> None:
    assert stripped(written, language, label) == (written, label)


@pytest.mark.parametrize(
    ("written", "language", "name"),
    [
        ("Secretary of State Marta Lindqvist", "en", "Marta Lindqvist"),
        ("State Governor Paul Okafor", "en", "Paul Okafor"),
        ("Ministra Carmen Ruiz", "es", "Carmen Ruiz"),
    ],
)
def test_roles_before_a_person_are_still_cut(written: str, language: str, name: str) -> None:
    assert stripped(written, language, "PER") == (name, "PER")
