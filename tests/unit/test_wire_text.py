"""The text wire formats: agency plain text, ANPA-1312, IPTC 7901 and ninjs, fixture by fixture."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newswire.pipeline.core import Pipeline, PipelineOptions
from newswire.pipeline.message import Accepted, RawMessage, Rejected
from newswire.wire.datelines import split_dateline
from newswire.wire.decode import decode_text
from newswire.wire.errors import WireError
from newswire.wire.model import ParsedItem, SubjectCode
from newswire.wire.registry import SNIFF_BYTES, WireInput, choose_parser, get_parser

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "wires"
SEED = ROOT.parent / "shared" / "seed" / "000_e6996546eecbb4a4.txt"
TEXT_FORMATS = ("agency_text", "anpa1312", "iptc7901", "ninjs")


def parse(relative: str, feed_timezone: str = "UTC") -> list[ParsedItem]:
    data = (FIXTURES / relative).read_bytes()
    parser = get_parser(relative.split("/", 1)[0])
    text = "" if parser.binary else decode_text(data).text
    return parser.parse(WireInput(data=data, text=text, feed_timezone=feed_timezone))


def one(relative: str) -> ParsedItem:
    items = parse(relative)
    assert len(items) == 1
    return items[0]


def starts(paragraph: str, words: str) -> None:
    assert paragraph.startswith(words), paragraph[:80]


# Expected values per fixture: headline, first words of the first and last paragraphs, paragraph count,
# dateline (place, agency, date or None), kind, version, urgency, pubstatus.
EXPECTED: dict[str, dict[str, Any]] = {
    "agency_text/en_reuters_update.txt": dict(
        headline="Harbour authority approves night shipping lane after long review",
        first="The Rotterdam harbour authority",
        last="Another operator said",
        count=5,
        dateline=("ROTTERDAM", "Reuters", "Sept 3"),
        kind="update",
        version=3,
        urgency=None,
    ),
    "agency_text/en_ap_writethru.txt": dict(
        headline="Old river bridge to close for repairs through spring",
        first="The only road bridge",
        last="A free shuttle bus",
        count=3,
        dateline=("CEDAR FALLS, Iowa", "AP", None),
        kind="update",
        version=None,  # a lead number, not a version
        urgency=None,
    ),
    "agency_text/en_correction.txt": dict(
        headline="Library system extends weekend opening hours",
        first="Public libraries across the city",
        last="The extended hours",
        count=2,
        dateline=("LONDON", "Reuters", "Sept. 3"),
        kind="correction",
        version=None,
        urgency=None,
    ),
    "agency_text/en_kill.txt": dict(
        headline="Council votes to close east side swimming pool",
        first="Editors: The story",
        last="Editors: The story",
        count=1,
        dateline=("SPRINGFIELD, Ill.", "AP", None),
        kind="kill",
        version=None,
        urgency=None,
        pubstatus="canceled",
    ),
    "agency_text/es_efe_urgente.txt": dict(
        headline="El Gobierno aprueba un plan para reforestar 20.000 hectáreas quemadas",
        first="El Consejo de Gobierno",
        last="Las asociaciones ecologistas",
        count=3,
        dateline=("Valencia", "EFE", "3 sep"),
        kind="story",
        version=None,
        urgency=3,
    ),
    "agency_text/es_correccion.txt": dict(
        headline="El festival de cine de la ciudad amplía su programación a doce días",
        first="El festival de cine de Sevilla",
        last="La organización anunció",
        count=2,
        dateline=("Sevilla", "EFE", "3 sep"),
        kind="correction",
        version=None,
        urgency=None,
    ),
    "agency_text/es_europapress.txt": dict(
        headline="Los embalses de la cuenca del Tajo recuperan el 60 por ciento de su capacidad",
        first="Los embalses de la cuenca",
        last="La reserva ha aumentado",
        count=2,
        dateline=("MADRID", "EUROPA PRESS", "3"),
        kind="story",
        version=None,
        urgency=None,
    ),
    "agency_text/fr_afp.txt": dict(
        headline="Un nouveau tramway reliera la gare à l'aéroport d'ici 2028",
        first="La région a validé mercredi",
        last="Les travaux débuteront",
        count=3,
        dateline=("PARIS", "AFP", "3 sept 2025"),
        kind="story",
        version=None,
        urgency=None,
    ),
    "agency_text/pt_lusa.txt": dict(
        headline="Câmara aprova novo parque urbano junto ao rio",
        first="A Câmara Municipal aprovou",
        last="A vereadora do Ambiente",
        count=3,
        dateline=("Lisboa", "Lusa", "3 set"),
        kind="story",
        version=None,
        urgency=None,
    ),
    "agency_text/de_dpa.txt": dict(
        headline="Stadt verlängert Öffnungszeiten der Freibäder wegen Hitze",
        first="Wegen der anhaltend hohen",
        last="Für das Wochenende",
        count=3,
        dateline=("Berlin", "dpa", "3. September"),
        kind="story",
        version=None,
        urgency=None,
    ),
    "agency_text/de_dpa_kill.txt": dict(
        headline="Zugverkehr zwischen Hamburg und Bremen eingestellt",
        first="Die Meldung",
        last="Die Meldung",
        count=1,
        dateline=("Hamburg", "dpa", None),
        kind="kill",
        version=None,
        urgency=None,
        pubstatus="canceled",
    ),
    "agency_text/it_ansa.txt": dict(
        headline="Nuova linea di autobus notturni collega il centro ai quartieri",
        first="Da lunedì una nuova linea",
        last="La linea sarà servita",
        count=2,
        dateline=("ROMA", "ANSA", "3 SET"),
        kind="story",
        version=None,
        urgency=3,
    ),
    "anpa1312/latin1_writethru.anpa": dict(
        headline="Café owners in Andalusian town celebrate record tourist season",
        first="Café owners in this hilltop town",
        last="AP writer Clara Núñez",
        count=4,
        dateline=("RONDA, Spain", "AP", None),
        kind="update",
        version=None,  # a lead number, not a version
        urgency=3,
    ),
    "anpa1312/agate_standings.anpa": dict(
        headline="Coastal League Standings",
        first="EAST DIVISION",
        last="Tuesday's Games",
        count=2,
        dateline=None,
        kind="table",
        version=None,
        urgency=5,
    ),
    "anpa1312/cp_kill.anpa": dict(
        headline="Ferry fire story withdrawn",
        first="Editors: The story slugged",
        last="Editors:",
        count=1,
        dateline=("HALIFAX", None, None),
        kind="kill",
        version=None,
        urgency=1,
        pubstatus="canceled",
    ),
    "anpa1312/utf8_correction.anpa": dict(
        headline="Senate panel backs $2 billion for rural bus services",
        first="A Senate committee",
        last="In a story Tuesday",
        count=2,
        dateline=("WASHINGTON", "AP", None),
        kind="correction",
        version=None,
        urgency=2,
    ),
    "iptc7901/dpa_first_lead.iptc": dict(
        headline="Neue Schnellbahnstrecke zwischen Stuttgart und Ulm früher fertig",
        first="Die neue Schnellbahnstrecke",
        last="Grund seien schnellere",
        count=2,
        dateline=("Stuttgart", "dpa", None),
        kind="update",
        version=None,  # a lead number, not a version
        urgency=4,
    ),
    "iptc7901/dpa_eil_notepad.iptc": dict(
        headline="Gaspreis fällt auf tiefsten Stand seit zwei Jahren",
        first="Der Großhandelspreis für Erdgas",
        last="Der Großhandelspreis",
        count=1,
        dateline=("Frankfurt/Main", "dpa", None),
        kind="story",
        version=None,
        urgency=2,
    ),
    "iptc7901/kill_indented.iptc": dict(
        headline="Airport strike called off",
        first="Editors please kill",
        last="The unions have not",
        count=2,
        dateline=("MILAN", "ANSA", "Sept 3"),
        kind="kill",
        version=None,
        urgency=1,
        pubstatus="canceled",
    ),
    # Real-wire shapes (issue 18), in fixtures of our own words.
    "anpa1312/keyword_numeric_slug.anpa": dict(
        headline="5 Things to Watch This Week",
        first="Here is a look at the stories",
        last="A state board meets",
        count=5,
        dateline=None,
        kind="story",
        version=None,
        urgency=5,
    ),
    "anpa1312/bulletin_no_headline.anpa": dict(
        headline="State regulators approve the sale of the region's largest water utility to a city-owned company.",
        first="State regulators approve",
        last="State regulators approve",
        count=1,
        dateline=("DENVER", "AP", None),
        kind="story",
        version=None,
        urgency=2,
    ),
    "anpa1312/weather_table_no_headline.anpa": dict(
        headline="Regional Temps-Celsius",
        first="Lowest and highest temperatures",
        last="Lowest and highest temperatures",
        count=1,
        dateline=("CHICAGO", "AP", None),
        kind="table",
        version=None,
        urgency=3,
    ),
    "anpa1312/tabular_rs_us_captions.anpa": dict(
        headline="Coastal League Glance",
        first="All Times EDT\nNORTH DIVISION",
        last="All Times EDT",
        count=1,
        dateline=None,
        kind="table",
        version=None,
        urgency=5,
    ),
    "anpa1312/kyodo_unmarked_header.anpa": dict(
        headline="Baseball: Osaka rookie shines in first spring camp game",
        first="A rookie pitcher struck out",
        last='"He stayed calm',
        count=2,
        dateline=("OSAKA, Japan", "Kyodo", "March 4"),
        kind="story",
        version=None,
        urgency=3,
    ),
    "anpa1312/headline_list.anpa": dict(
        headline="AP Top Business News at 9:10 a.m. EST",
        first="Factory orders rise",
        last="Grain prices slip",
        count=3,
        dateline=None,
        kind="story",
        version=None,
        urgency=5,
    ),
    "iptc7901/dpa_second_lead_byline.iptc": dict(
        headline="Germany agrees on new grid fee for wind power",
        first="The German government on Tuesday",
        last="Operators had asked",
        count=2,
        dateline=("Berlin", "dpa", None),
        kind="update",
        version=None,
        urgency=3,
    ),
    "iptc7901/dpa_refile_extra.iptc": dict(
        headline="Rotterdam port reopens after storm closure",
        first="The port of Rotterdam reopened",
        last="Ships queued outside",
        count=2,
        dateline=("Rotterdam", "dpa", None),
        kind="update",
        version=None,
        urgency=2,
    ),
    "iptc7901/ats_french_kicker.iptc": dict(
        headline="Les glaciers ont perdu «un volume record» cet été (étude)",
        first="Les glaciers suisses ont perdu",
        last="«La fonte a été",
        count=2,
        dateline=("Berne", "ats afp", None),
        kind="story",
        version=None,
        urgency=3,
    ),
    "iptc7901/dpa_service_message.iptc": dict(
        headline="Line test",
        first="abcabcabc line test",
        last="abcabcabc line test",
        count=1,
        dateline=None,
        kind="advisory",
        version=None,
        urgency=4,
    ),
    "agency_text/ru_cp1251.txt": dict(
        headline="Городской совет утвердил план ремонта мостов",
        first="Городской совет в среду",
        last="Работы начнутся весной",
        count=2,
        dateline=("САМАРА", "ТАСС", None),
        kind="story",
        version=None,
        urgency=None,
    ),
    "agency_text/pl_iso8859_2.txt": dict(
        headline="Miasto otwiera nową linię tramwajową",
        first="Nowa linia tramwajowa połączy",
        last="Przejazd całej trasy",
        count=2,
        dateline=("GDAŃSK", "PAP", None),
        kind="story",
        version=None,
        urgency=None,
    ),
    "ninjs/v1_story.json": dict(
        headline="Grape harvest starts early after hot summer",
        first="Winemakers in the region",
        last="The regional wine council",
        count=3,
        dateline=("Bordeaux", "AP", None),
        kind="story",
        version=1,
        urgency=4,
    ),
    "ninjs/v2_story_html.json": dict(
        headline="Stadtwerke senken Strompreis zum Jahreswechsel",
        first="Die Stadtwerke senken",
        last="Ein Durchschnittshaushalt spart",
        count=3,
        dateline=("Leipzig", "dpa", None),
        kind="story",
        version=3,
        urgency=3,
    ),
    "ninjs/v3_camelcase.json": dict(
        headline="La orquesta municipal estrena temporada en un teatro renovado",
        first="La orquesta municipal abrirá",
        last="Las obras del teatro",
        count=2,
        dateline=("Bilbao", "EFE", "3 sep"),
        kind="story",
        version=2,
        urgency=5,
    ),
    "ninjs/v2_canceled.json": dict(
        headline="Withdrawn: Museum closure story",
        first="Editors: the story",
        last="Editors: the story",
        count=1,
        dateline=None,
        kind="kill",
        version=2,
        urgency=2,
        pubstatus="canceled",
    ),
}


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_fixture_fields(relative: str) -> None:
    expected = EXPECTED[relative]
    item = one(relative)
    assert item.headline == expected["headline"]
    assert len(item.paragraphs) == expected["count"], item.paragraphs
    starts(item.paragraphs[0], expected["first"])
    starts(item.paragraphs[-1], expected["last"])
    if expected["dateline"] is None:
        assert item.dateline is None
    else:
        place, agency, date_text = expected["dateline"]
        assert item.dateline is not None
        assert item.dateline.place == place
        assert item.dateline.agency == agency
        assert item.dateline.date_text == date_text
    assert item.kind == expected["kind"]
    assert item.version == expected["version"]
    assert item.urgency == expected["urgency"]
    assert item.pubstatus == expected.get("pubstatus", "usable")
    for paragraph in item.paragraphs:
        assert "\x02" not in paragraph and "\x03" not in paragraph


def test_every_text_fixture_is_covered() -> None:
    on_disk = {f"{path.parent.name}/{path.name}" for fmt in TEXT_FORMATS for path in (FIXTURES / fmt).glob("*")}
    assert on_disk == set(EXPECTED)


# --- the seed: EFE plain text, exactly as the design describes it ------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not present")
def test_seed_story() -> None:
    data = SEED.read_bytes()
    parser = get_parser("agency_text")
    [item] = parser.parse(WireInput(data=data, text=decode_text(data).text))
    assert item.headline == "Putin se reúne con Kim Jong-un, que promete seguir ayudando a Rusia en todo lo necesario"
    assert item.dateline is not None
    assert item.dateline.place == "Pekín"
    assert item.dateline.date == date(2025, 9, 3)
    assert item.dateline.agency == "EFE"
    assert len(item.paragraphs) == 14
    starts(item.paragraphs[0], "El presidente ruso, Vladímir Putin")
    assert not item.paragraphs[0].startswith("Pekín")
    assert item.paragraphs[-1].endswith("en un cuarto de siglo.")
    assert item.kind == "story"
    assert choose_parser(data[:SNIFF_BYTES]).name == "agency_text"
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=data))
    assert isinstance(outcome, Accepted)
    story = outcome.stories[0]
    assert story.located == "Pekín"
    assert story.headlines[0].value == item.headline
    assert story.newswire.dateline is not None and story.newswire.dateline.date == "2025-09-03"
    assert story.newswire.dateline.agency == "EFE"
    assert len(story.main_text().split("\n\n")) == 14
    assert not story.main_text().rstrip().endswith("EFE")


# --- the whole pipeline, and sniffing without a content type ------------------------------------------------------


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_fixture_through_pipeline(relative: str) -> None:
    data = (FIXTURES / relative).read_bytes()
    assert choose_parser(data[:SNIFF_BYTES]).name == relative.split("/", 1)[0]
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=data, path=relative))
    assert isinstance(outcome, Accepted), getattr(outcome, "rejection", None)
    story = outcome.stories[0]
    assert story.newswire.provenance.format == relative.split("/", 1)[0]
    assert story.headlines and story.headlines[0].value == EXPECTED[relative]["headline"]
    assert story.newswire.kind == EXPECTED[relative]["kind"]
    payload = story.to_payload()
    json.dumps(payload)


# --- format details ------------------------------------------------------------------------------------------------


def test_anpa_latin1_times_and_byline() -> None:
    item = one("anpa1312/latin1_writethru.anpa")
    assert item.byline == "By JOSÉ MARTÍNEZ, Associated Press"
    assert item.slugline == "BC-EU--Spain-Festival"
    assert item.versioncreated == datetime(2025, 9, 3, 14, 23, tzinfo=timezone(timedelta(hours=-4)))
    assert item.versioncreated is not None and item.versioncreated.astimezone(UTC).hour == 18
    assert item.assumed_timezone is None
    assert item.ednote == "Eds: UPDATES with comment from mayor."
    assert item.paragraphs[1].startswith("“We have never seen anything like it,” said Inés Ruiz")
    assert SubjectCode("anpa-category", "i", "International") in item.subjects


def test_anpa_agate_is_preformatted() -> None:
    item = one("anpa1312/agate_standings.anpa")
    assert item.preformatted
    table = item.paragraphs[0].split("\n")
    assert table[1] == "                      W   L   Pct   GB"
    assert table[2] == "Harbor City Gulls    82  58  .586    _"
    assert item.versioncreated == datetime(2025, 9, 3, 2, 15, tzinfo=UTC)
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(
        RawMessage(value=(FIXTURES / "anpa1312/agate_standings.anpa").read_bytes())
    )
    assert isinstance(outcome, Accepted)
    assert "Riverside Otters     78  62  .557    4" in outcome.stories[0].main_text()


def test_anpa_cp_trailer_in_eastern_time() -> None:
    item = one("anpa1312/cp_kill.anpa")
    assert item.versioncreated is not None
    assert item.versioncreated.astimezone(UTC) == datetime(2025, 9, 3, 20, 35, tzinfo=UTC)


def test_iptc7901_details() -> None:
    item = one("iptc7901/dpa_first_lead.iptc")
    assert item.keywords == ["Verkehr", "Bahn", "Baden-Württemberg"]
    assert item.versioncreated == datetime(2025, 9, 3, 14, 23, tzinfo=UTC)
    assert item.assumed_timezone is None
    notepad = one("iptc7901/dpa_eil_notepad.iptc")
    assert notepad.ednote is not None and "Zusammenfassung folgt" in notepad.ednote
    # No zone in the trailer: the feed's zone, and the pipeline says so.
    assert notepad.assumed_timezone == "UTC"
    [berlin] = parse("iptc7901/dpa_eil_notepad.iptc", feed_timezone="Europe/Berlin")
    assert berlin.versioncreated is not None and berlin.versioncreated.astimezone(UTC).hour == 9


def test_anpa_keyword_line_is_never_the_headline() -> None:
    item = one("anpa1312/keyword_numeric_slug.anpa")
    assert item.headline == "5 Things to Watch This Week"
    assert item.subheadline is not None and item.subheadline.startswith("Among the 5 things")
    assert item.byline == "By The Associated Press"
    assert item.ednote == "Eds: With AP Photos."
    assert item.agency == "AP"
    listing = one("anpa1312/headline_list.anpa")
    assert listing.slugline == "AP-Top-Business-Hea"
    assert not any("9012" in p or "Headlines,0098" in p for p in listing.paragraphs)


def test_anpa_tables_keep_captions_and_drop_codes() -> None:
    table = one("anpa1312/tabular_rs_us_captions.anpa")
    text = table.paragraphs[0]
    assert " ".join(text.split()).startswith("All Times EDT NORTH DIVISION W L Pct Harbor City 40 22 .645")
    assert "By The Associated Press" not in text and table.byline == "By The Associated Press"
    assert not any(code in text for code in ("^", "\x08", "\x10", "\x1e", "\x1f", "="))
    assert "Sunday's Games" in text
    weather = one("anpa1312/weather_table_no_headline.anpa")
    assert weather.preformatted and weather.firstcreated == datetime(2025, 3, 2, 6, 15, tzinfo=UTC)
    assert "END" not in weather.paragraphs[-1].split()


def test_anpa_kyodo_desk_time_reads_day_first() -> None:
    item = one("anpa1312/kyodo_unmarked_header.anpa")
    assert item.firstcreated is not None and item.firstcreated.date() == date(2024, 3, 4)
    assert item.agency == "Kyodo"
    assert not any("Kyodo" in p or "KWS" in p for p in item.paragraphs)


def test_iptc7901_header_block_parts() -> None:
    lead = one("iptc7901/dpa_second_lead_byline.iptc")
    assert lead.byline == "By Jane Example, dpa"
    assert lead.keywords[:3] == ["economy", "Germany", "energy"]
    assert lead.ednote is not None and "adds comment" in lead.ednote
    assert not any("Notebook" in p for p in lead.paragraphs)
    assert lead.firstcreated == datetime(2025, 9, 3, 10, 15, tzinfo=UTC)
    refile = one("iptc7901/dpa_refile_extra.iptc")
    assert refile.byline == "By dpa correspondents" and refile.agency == "dpa"


def test_iptc7901_ats_variant() -> None:
    item = one("iptc7901/ats_french_kicker.iptc")
    assert item.agency is not None and item.agency.upper() == "ATS"  # the pipeline names it canonically
    assert item.firstcreated is not None and item.firstcreated.date() == date(2018, 12, 10)
    assert {"Suisse", "Situation"} <= set(item.keywords)
    assert not item.paragraphs[-1].startswith("(ATS")


def test_ninjs_round_trip_fields() -> None:
    item = one("ninjs/v2_story_html.json")
    assert item.agency_id == "urn:newsml:example.org:20250903:ex-2-4411"
    assert item.subheadline == "Haushalte sparen im Schnitt 60 Euro im Jahr"
    assert item.byline == "Von Jana Richter, dpa"
    assert item.slugline == "Energie-Preise"
    assert item.language == "de"
    assert item.ednote == "Mit Grafik."
    assert item.embargoed == datetime(2025, 9, 3, 10, 0, tzinfo=UTC)
    assert item.body_html is not None and "<script" not in item.body_html and "onclick" not in item.body_html
    assert "<b>60 Euro</b>" in item.body_html
    assert SubjectCode("medtop", "20000251", "Energiepreis") in item.subjects
    assert item.genres == ["Meldung"]
    assert item.agency == "dpa"
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(
        RawMessage(
            value=(FIXTURES / "ninjs/v2_story_html.json").read_bytes(),
            headers={"content-type": b"application/ninjs+json"},
        )
    )
    assert isinstance(outcome, Accepted)
    payload = outcome.stories[0].to_payload()
    assert payload["version"] == "3" and payload["urgency"] == 3 and payload["located"] == "Leipzig"
    assert payload["embargoed"] == "2025-09-03T10:00:00Z"
    assert {"role": "agency", "value": "urn:newsml:example.org:20250903:ex-2-4411"} in payload["altids"]
    assert [body["contenttype"] for body in payload["bodies"]] == ["text/plain", "text/html"]
    v3 = one("ninjs/v3_camelcase.json")
    assert v3.versioncreated == datetime(2025, 9, 3, 10, 2, tzinfo=UTC)
    assert v3.keywords == ["orquesta", "teatro", "Bilbao"]
    assert v3.ednote is not None and v3.ednote.startswith("Incluye")
    v1 = one("ninjs/v1_story.json")
    assert v1.subjects[:2] == [
        SubjectCode("medtop", "20000251", "wine"),
        SubjectCode("medtop", "20000210", "agriculture"),
    ]
    assert v1.byline == "Lucia Ferrand" and v1.genres == ["Current"]


def _ninjs(data: bytes, content_type: str | None = None) -> Any:
    headers = {"content-type": content_type.encode()} if content_type else {}
    return Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=data, headers=headers))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"name": "not news", "items": [1, 2]}', "unrecognised_format"),
        # Not an object, so not ninjs even when labelled JSON: sniffing decides, and nothing claims it.
        (b"[" * 200 + b"]" * 200, "unrecognised_format"),
        (b'{"uri": "x", "headline": "h", "a": ' + b"[" * 100 + b"]" * 100 + b"}", "malformed"),
        (b'{"uri": "x", "headline": "h", "version": 1' + b"0" * 5000 + b"}", "malformed"),
        (b'{"uri": "x", "headline": "h\x01 bad raw control"}', "malformed"),
        (b'{"uri": "x", "headline": ', "malformed"),
    ],
)
def test_ninjs_rejections(data: bytes, reason: str) -> None:
    outcome = _ninjs(data, "application/json")
    assert isinstance(outcome, Rejected)
    assert outcome.rejection.reason == reason


def test_ninjs_cleans_hostile_values() -> None:
    data = b'{"uri": "x", "urgency": 1e999, "version": NaN, "headline": "Ok \\ud800\\u0000 headline", "body_text": "a"}'
    outcome = _ninjs(data, "application/ninjs+json")
    assert isinstance(outcome, Accepted)
    story = outcome.stories[0]
    assert story.headlines[0].value == "Ok headline"
    assert story.urgency is None and story.version == "1"


def test_ninjs_too_large() -> None:
    big = b'{"uri": "x", "headline": "h", "body_text": "' + b"a" * (5 * 1024 * 1024) + b'"}'
    parser = get_parser("ninjs")
    with pytest.raises(WireError) as error:
        parser.parse(WireInput(data=big, text=big.decode()))
    assert error.value.reason == "malformed"


def test_non_ninjs_json_is_not_sniffed_as_ninjs() -> None:
    assert get_parser("ninjs").sniff(b'{"temperature": 21}') == 0


# --- datelines and signals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "agency", "day"),
    [
        ("Pekín, 3 sep (EFE).- El presidente", "Pekín", "EFE", date(2025, 9, 3)),
        ("WASHINGTON, Sept. 3 (Reuters) - The", "WASHINGTON", "Reuters", date(2025, 9, 3)),
        ("NEW YORK (AP) _ Stocks", "NEW YORK", "AP", None),
        ("Berlin (dpa) - Die", "Berlin", "dpa", None),
        ("PARIS (AFP) - La", "PARIS", "AFP", None),
        ("Lisboa, 3 set (Lusa) - O", "Lisboa", "Lusa", date(2025, 9, 3)),
        ("Berlin, 3. September (dpa) - Die", "Berlin", "dpa", date(2025, 9, 3)),
        ("(ANSA) - ROMA, 3 SET - Il", "ROMA", "ANSA", date(2025, 9, 3)),
        ("ROME, September 3 - (ANSA) - Italy", "ROME", "ANSA", date(2025, 9, 3)),
        ("MADRID, 3 (EUROPA PRESS) - El", "MADRID", "EUROPA PRESS", date(2025, 9, 3)),
        ("Ciudad de México, 31 dic (EFE).- El", "Ciudad de México", "EFE", date(2024, 12, 31)),
        ("SAN JOSÉ, Costa Rica, 3 sep (EFE).- La", "SAN JOSÉ, Costa Rica", "EFE", date(2025, 9, 3)),
        ("GENÈVE, 3 septembre (AFP) — Le", "GENÈVE", "AFP", date(2025, 9, 3)),
        ("Berne (ats afp) Les glaciers", "Berne", "ats afp", None),
        ("PERTH, Sep 3 AAP - Latest betting", "PERTH", "AAP", date(2025, 9, 3)),
        ("OSAKA, Japan, Sept. 3 Kyodo - A rookie", "OSAKA, Japan", "Kyodo", date(2025, 9, 3)),
        (
            "AUSTIN, Texas, Sep. 3, 2025 /PRNewswire-AsiaNet/ -- Example",
            "AUSTIN, Texas",
            "PRNewswire-AsiaNet",
            date(2025, 9, 3),
        ),
    ],
)
def test_datelines(text: str, place: str, agency: str, day: date | None) -> None:
    reference = date(2025, 1, 1) if "31 dic" in text else date(2025, 9, 3)
    split = split_dateline(text, reference)
    assert split is not None
    dateline, rest = split
    assert (dateline.place, dateline.agency, dateline.date) == (place, agency, day)
    assert rest and not rest.startswith((" ", "-", "_"))


@pytest.mark.parametrize(
    "text",
    [
        "The minister (left) - who spoke",
        "flash floods (photos) - many",
        "A sentence.",
        "London (and Paris) are busy",
        "PARIS, Monday Team - the side won",
        "The 50/50 plan, Sep 3 /draft/ -- no",
    ],
)
def test_not_datelines(text: str) -> None:
    assert split_dateline(text, date(2025, 9, 3)) is None


@pytest.mark.parametrize(
    ("text", "headline", "kind", "version", "urgency"),
    [
        ("FLASH\n\nQuake hits coast\n\nTOKYO (AP) _ A strong quake hit.", "Quake hits coast", "story", None, 1),
        (
            "Eil: Regierung tritt zurück\n\nWien (APA) - Die Regierung tritt zurück.",
            "Regierung tritt zurück",
            "story",
            None,
            2,
        ),
        (
            "REFILE-UPDATE 1-Markets rally\n\nLONDON, Sept 3 (Reuters) - Shares rose.",
            "Markets rally",
            "update",
            2,
            None,
        ),
        (
            "Flash floods close roads\n\nDENVER (AP) _ Heavy rain closed roads.",
            "Flash floods close roads",
            "story",
            None,
            None,
        ),
        (
            "Presupuesto aprobado (Ampliación)\n\nMadrid, 3 sep (EFE).- El Congreso aprobó.",
            "Presupuesto aprobado",
            "update",
            None,
            None,
        ),
        ("2. Zusammenfassung: Streik endet\n\nBerlin (dpa) - Der Streik endet.", "Streik endet", "update", 3, None),
        (
            "ELIMINAR: Noticia errónea\n\nLima, 3 sep (EFE).- La noticia se elimina.",
            "Noticia errónea",
            "kill",
            None,
            None,
        ),
        (
            "Unterricht entfällt wegen Hitze\n\nKöln (dpa) - Die Schulen schließen.",
            "Unterricht entfällt wegen Hitze",
            "story",
            None,
            None,
        ),
    ],
)
def test_signals(text: str, headline: str, kind: str, version: int | None, urgency: int | None) -> None:
    [item] = get_parser("agency_text").parse(WireInput(data=text.encode(), text=text))
    assert (item.headline, item.kind, item.version, item.urgency) == (headline, kind, version, urgency)


def test_date_header_line_is_the_headline_even_without_a_blank_line_after_it() -> None:
    text = "date 2025-09-03 Council approves the budget\nMadrid, 3 sep (EFE).- The council met today.\n\nMore.EFE"
    (item,) = get_parser("agency_text").parse(WireInput(data=text.encode(), text=text, feed_timezone="UTC"))
    assert item.headline == "Council approves the budget"
    assert item.paragraphs[0] == "The council met today."


def test_a_region_in_brackets_between_place_and_date_is_part_of_the_dateline() -> None:
    split = split_dateline(
        "Puerto Ayora (Ecuador), 14 mar (EFE).- Las tortugas volvieron a la playa.", date(2025, 3, 20)
    )
    assert split is not None
    dateline, rest = split
    assert (dateline.place, dateline.agency, dateline.date) == ("Puerto Ayora", "EFE", date(2025, 3, 14))
    assert dateline.text == "Puerto Ayora (Ecuador), 14 mar (EFE).-"
    assert rest.strip() == "Las tortugas volvieron a la playa."
