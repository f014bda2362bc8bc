"""The agency a story names: provider fields folded to canonical short names, text credits as the fallback."""

from __future__ import annotations

import pytest

from newswire.wire.agencies import AGENCIES, agency_in_text, attribute, canonical_agency
from newswire.wire.model import Dateline, ParsedItem


@pytest.mark.parametrize(
    ("field", "canonical"),
    [
        ("Deutsche Presse-Agentur GmbH", "dpa"),
        ("DPA", "dpa"),
        ("The Associated Press", "AP"),
        ("Agencia EFE, S.A.", "EFE"),
        ("ΑΠΕ-ΜΠΕ", "ANA-MPE"),
        ("Keystone-SDA", "ATS"),
        ("Australian Associated Press", "AAP"),
        ("Press Association", "PA"),
        ("Agence France-Presse", "AFP"),
        ("Tidningarnas Telegrambyrå", "TT"),
    ],
)
def test_provider_names_fold_to_the_short_name(field: str, canonical: str) -> None:
    assert canonical_agency(field) == canonical


def test_an_unknown_provider_keeps_its_name_without_the_legal_form() -> None:
    assert canonical_agency("Northwind Newsroom GmbH") == "Northwind Newsroom"
    assert canonical_agency("   ") is None
    assert canonical_agency(None) is None


def test_canonical_names_are_their_own_canonical_form() -> None:
    for name in AGENCIES:
        assert canonical_agency(name) == name


@pytest.mark.parametrize(
    ("paragraphs", "agency"),
    [
        (["LISBON, Portugal (AP) _ The harbour reopened on Monday after the storm."], "AP"),
        (["Hamburg (dpa) - Die Fähre fuhr am Morgen wieder."], "dpa"),
        (["Ginebra, 4 mar (EFE).- La reunión terminó sin acuerdo.", "EFE"], "EFE"),
        (["The council met twice.", "Copyright 2024 Agence France-Presse. All rights reserved."], "AFP"),
        (["Lyon (ats afp) - Le tribunal a rendu sa décision."], "ATS"),
    ],
)
def test_text_credits_name_the_agency(paragraphs: list[str], agency: str) -> None:
    assert agency_in_text(paragraphs) == agency


def test_short_codes_in_running_text_are_not_credits() -> None:
    # `AP` and `PA` are words or abbreviations elsewhere: only a bracketed credit or a field may name them.
    assert agency_in_text(["The PA system failed during the AP exam.", "PA"]) is None


def test_a_known_credit_beats_a_field_that_names_no_agency() -> None:
    item = ParsedItem(agency="Contoso Ltd.", paragraphs=["SEATTLE (Business Wire) _ Contoso announced a new line."])
    assert attribute(item).agency == "Business Wire"


def test_the_dateline_agency_is_used_when_no_field_names_one() -> None:
    item = ParsedItem(dateline=Dateline(text="Quito, 2 may (EFE).-", place="Quito", agency="EFE"))
    assert attribute(item).agency == "EFE"


def test_the_distributor_is_kept_beside_the_originator() -> None:
    item = attribute(ParsedItem(agency="Agence France-Presse", distributor="Keystone-SDA"))
    assert (item.agency, item.distributor) == ("AFP", "ATS")
    same = attribute(ParsedItem(agency="dpa", distributor="Deutsche Presse-Agentur"))
    assert same.distributor is None
