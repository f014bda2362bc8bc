"""Keywords, mentioned dates and amounts."""

from __future__ import annotations

from datetime import date

import pytest

from newswire.enrich.registry import Document
from newswire.enrich.stages.amounts import find_amounts, mentioned_amounts, parse_number
from newswire.enrich.stages.dates import find_dates, mentioned_dates
from newswire.enrich.stages.keywords import extract, find_keywords
from newswire.events.extension import LanguageInfo
from newswire.pipeline import Pipeline, RawMessage

REFERENCE = date(2025, 9, 3)  # a Wednesday
ES = {"language": LanguageInfo(code="es", confidence=1.0)}


def seed_text(seed_bytes: bytes) -> str:
    story = Pipeline(enrichers=()).process(RawMessage(value=seed_bytes)).stories[0]  # type: ignore[union-attr]
    return story.bodies[0].value


def check_offsets(text: str, found: list[dict[str, str | float]] | list[dict[str, str]]) -> None:
    for item in found:
        assert text[int(item["start"]) : int(item["end"])] == item["text"]


# --- keywords -------------------------------------------------------------


def test_seed_keywords(seed_bytes: bytes) -> None:
    text = seed_text(seed_bytes)
    keywords = find_keywords(Document(text=text, keywords=("Rusia-Corea",)), ES)["keywords"]
    assert keywords[0] == "Rusia-Corea"  # the agency's own keywords first
    assert 5 <= len(keywords) <= 11
    assert {"Kim Jong-un", "Segunda Guerra Mundial"} <= set(keywords)
    assert all(k in text for k in keywords[1:])
    lowered = [k.casefold() for k in keywords]
    assert len(lowered) == len(set(lowered))


def test_english_keywords() -> None:
    text = (
        "The European Central Bank raised interest rates again on Thursday. The European Central Bank said "
        "inflation remained too high. Economists expect interest rates to stay high through next year, "
        "while the bank's president warned of slower growth in the euro zone."
    )
    keywords = extract(text, "en")
    assert "European Central Bank" in keywords[:3]
    assert any("interest rates" in k for k in keywords)
    assert extract("", "en") == []


# --- dates ----------------------------------------------------------------


def test_seed_dates(seed_bytes: bytes) -> None:
    text = seed_text(seed_bytes)
    found = mentioned_dates(Document(text=text, reference_date=REFERENCE), ES)["dates"]
    check_offsets(text, found)
    pairs = [(d["text"], d["date"]) for d in found]
    assert ("hoy", "2025-09-03") in pairs
    assert ("junio de 2024", "2024-06") in pairs
    assert ("junio del pasado año", "2024-06") in pairs
    assert all(isinstance(v, str) for d in found for v in d.values())


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "Ayer llegó; el martes habló y el próximo viernes vuelve.",
         [("Ayer", "2025-09-02"), ("martes", "2025-09-02"), ("viernes", "2025-09-05")]),
        ("es", "El 3 de septiembre de 2024, el 12 de octubre y en 1945.",
         [("3 de septiembre de 2024", "2024-09-03"), ("12 de octubre", "2025-10-12"), ("1945", "1945")]),
        ("es", "Esta mañana llovió; mañana no.", [("mañana", "2025-09-04")]),
        ("en", "On Tuesday officials said June 2024 was the hottest; on September 3, 2024 and next Friday.",
         [("Tuesday", "2025-09-02"), ("June 2024", "2024-06"), ("September 3, 2024", "2024-09-03"),
          ("Friday", "2025-09-05")]),
        ("en", "Yesterday and today; Dec. 30 and last year in May.", [("Yesterday", "2025-09-02"),
         ("today", "2025-09-03"), ("Dec. 30", "2025-12-30")]),
        ("fr", "Hier, le 14 juillet 2023, et aujourd'hui; lundi prochain.",
         [("Hier", "2025-09-02"), ("14 juillet 2023", "2023-07-14"), ("aujourd'hui", "2025-09-03"),
          ("lundi prochain", "2025-09-08")]),
        ("de", "Am Dienstag, dem 3. Oktober 2023, sagte er gestern im Mai 2024.",
         [("Dienstag", "2025-09-02"), ("3. Oktober 2023", "2023-10-03"), ("gestern", "2025-09-02"),
          ("Mai 2024", "2024-05")]),
        ("pt", "Ontem, 3 de setembro de 2024, e hoje.",
         [("Ontem", "2025-09-02"), ("3 de setembro de 2024", "2024-09-03"), ("hoje", "2025-09-03")]),
        ("it", "Ieri, 3 settembre 2024, e domani.",
         [("Ieri", "2025-09-02"), ("3 settembre 2024", "2024-09-03"), ("domani", "2025-09-04")]),
    ],
)  # fmt: skip
def test_dates_in_languages(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    found = find_dates(text, language, REFERENCE)
    check_offsets(text, found)
    assert [(d["text"], d["date"]) for d in found] == expected


def test_relative_dates_need_a_reference() -> None:
    found = find_dates("Hoy y el 3 de septiembre de 2024.", "es", None)
    assert [(d["text"], d["date"]) for d in found] == [("3 de septiembre de 2024", "2024-09-03")]


# --- amounts --------------------------------------------------------------


def test_seed_has_no_amounts(seed_bytes: bytes) -> None:
    # `80 aniversario` is an ordinal and `varios miles` no number: the seed states no amount
    assert mentioned_amounts(Document(text=seed_text(seed_bytes)), ES)["amounts"] == []


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "El Gobierno destinará cincuenta millones de euros y 2,5 millones de dólares.",
         [("cincuenta millones de euros", 50e6, "EUR"), ("2,5 millones de dólares", 2.5e6, "USD")]),
        ("es", "La inflación subió un 3,2 % y 1,5 puntos porcentuales; hay 40.000 viviendas vacías.",
         [("3,2 %", 3.2, "%"), ("1,5 puntos porcentuales", 1.5, "pp"), ("40.000 viviendas", 40000.0, "viviendas")]),
        ("es", "Mil millones de euros para dos millones de personas, el 3 de septiembre a las 10:30, en 2024.",
         [("Mil millones de euros", 1e9, "EUR"), ("dos millones de personas", 2e6, "personas")]),
        ("en", "The storm damaged 40,000 homes with winds of 25 mph; Congress approved $5 billion and €3.5m.",
         [("40,000 homes", 40000.0, "homes"), ("25 mph", 25.0, "mph"), ("$5 billion", 5e9, "USD"),
          ("€3.5m", 3.5e6, "EUR")]),
        ("en", "Unemployment rose 4.1% as twenty-five people lost jobs in 2023; it cost £200,000.",
         [("4.1%", 4.1, "%"), ("twenty-five people", 25.0, "people"), ("£200,000", 200000.0, "GBP")]),
        ("fr", "Le musée a reçu 2,5 millions d'euros et 300 000 visiteurs, soit 12 % de plus.",
         [("2,5 millions d'euros", 2.5e6, "EUR"), ("300 000 visiteurs", 300000.0, "visiteurs"), ("12 %", 12.0, "%")]),
        ("de", "Die Bahn investiert 3,5 Milliarden Euro, 12 Prozent mehr, für 1.200 Kilometer.",
         [("3,5 Milliarden Euro", 3.5e9, "EUR"), ("12 Prozent", 12.0, "%"), ("1.200 Kilometer", 1200.0, "km")]),
    ],
)  # fmt: skip
def test_amounts_in_languages(language: str, text: str, expected: list[tuple[str, float, str]]) -> None:
    found = find_amounts(text, language)
    check_offsets(text, found)
    assert [(a["text"], a["value"], a["unit"]) for a in found] == [(t, pytest.approx(v), u) for t, v, u in expected]


def test_number_reading() -> None:
    assert parse_number("40,000") == 40000.0
    assert parse_number("40.000") == 40000.0
    assert parse_number("1.234.567") == 1234567.0
    assert parse_number("3,5") == 3.5
    assert parse_number("1.25") == 1.25
    assert parse_number("cincuenta") == 50.0
    assert parse_number("doscientos treinta y cinco") == 235.0
    assert parse_number("twenty-five") == 25.0
    assert parse_number("tres mil") == 3000.0
    assert parse_number("banana") is None


def test_stages_return_extension_shapes(seed_bytes: bytes) -> None:
    from newswire.events.extension import NewswireExtension

    text = "El Gobierno aprobó hoy 50 millones de euros para 3.000 viviendas."
    document = Document(text=text, reference_date=REFERENCE)
    findings = {
        **mentioned_dates(document, ES),
        **mentioned_amounts(document, ES),
        **find_keywords(document, ES),
    }
    extension = NewswireExtension.model_validate(
        {"identity": {"content_hash": "x"}, "provenance": {"format": "t", "parser": "t", "received_at": "",
         "pipeline_version": "0"}, **findings}
    )  # fmt: skip
    assert extension.amounts[0]["value"] == 50e6 and extension.amounts[0]["unit"] == "EUR"
    assert extension.dates[0]["date"] == "2025-09-03"


@pytest.mark.parametrize(
    ("text", "country", "unit"),
    [
        ("La provincia invertirá $800 millones en rutas.", "AR", "ARS"),
        ("La provincia invertirá $800 millones en rutas.", "MX", "MXN"),
        ("La provincia invertirá $800 millones en rutas.", None, "USD"),
        ("La provincia invertirá $800 millones en rutas.", "ES", "USD"),
        ("The shire will spend $12 million on roads.", "AU", "AUD"),
        ("Each ticket costs 45 $ at the door.", "CA", "CAD"),
        ("El kilo de yerba cuesta 900 pesos.", "AR", "ARS"),
        ("El kilo de yerba cuesta 900 pesos.", "CL", "CLP"),
        ("El kilo de yerba cuesta 900 pesos.", None, "MXN"),
        ("La empresa emitió bonos por US$ 300 millones.", "AR", "USD"),
        ("La empresa emitió bonos por 300 millones de dólares.", "AR", "USD"),
        ("The miner raised A$40 million.", "US", "AUD"),
        ("The fund holds HK$2 billion.", None, "HKD"),
    ],
)
def test_dollar_sign_follows_the_story_country(text: str, country: str | None, unit: str) -> None:
    found = find_amounts(text, "es" if "La " in text or "El " in text else "en", country)
    assert len(found) == 1 and found[0]["unit"] == unit
    check_offsets(text, found)


def test_currency_sign_after_a_letter_that_lowercases_longer() -> None:
    # `İ`.lower() is two characters: the sign must be found in the text itself, not in its lowercase copy.
    text = "Officials in İstanbul said the bridge cost €40 million, not US$ 12 million."
    found = find_amounts(text, "en")
    assert [(item["unit"], item["value"]) for item in found] == [("EUR", 40e6), ("USD", 12e6)]
    check_offsets(text, found)


def test_amounts_stage_reads_the_dateline_country() -> None:
    from newswire.events.extension import DatelineInfo, PlaceRef

    text = "El municipio licitará obras por $250 millones."
    ref = PlaceRef(geonames="3435910", country="AR")
    dateline = DatelineInfo(text="Buenos Aires, 2 oct (EFE).-", place="Buenos Aires", agency="EFE", place_ref=ref)
    assert mentioned_amounts(Document(text=text, dateline=dateline), ES)["amounts"][0]["unit"] == "ARS"
    found = {**ES, "dateline": dateline}
    assert mentioned_amounts(Document(text=text), found)["amounts"][0]["unit"] == "ARS"
    assert mentioned_amounts(Document(text=text), ES)["amounts"][0]["unit"] == "USD"
