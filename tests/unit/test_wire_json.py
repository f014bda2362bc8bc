"""The JSON wire formats: EFE's API JSON, AP's Media API JSON, ninjs as producers write it, and unknown JSON.

Every fixture is written here, in the formats' real structure with invented stories.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newswire.pipeline.core import Pipeline, PipelineOptions
from newswire.pipeline.message import Accepted, RawMessage, Rejected
from newswire.wire.errors import WireError
from newswire.wire.formats._json import describe, key_paths
from newswire.wire.formats.ninjs import copyright_holder
from newswire.wire.model import ParsedItem, SubjectCode
from newswire.wire.registry import SNIFF_BYTES, WireInput, choose_parser, get_parser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wires"
PIPELINE = Pipeline(PipelineOptions(enrich_stages=()))


def data_of(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


def parse(relative: str, fmt: str) -> list[ParsedItem]:
    data = data_of(relative)
    return get_parser(fmt).parse(WireInput(data=data, text=data.decode("utf-8")))


def process(data: bytes, content_type: str | None = None) -> Accepted | Rejected:
    headers = {"content-type": content_type.encode()} if content_type else {}
    outcome = PIPELINE.process(RawMessage(value=data, headers=headers))
    assert isinstance(outcome, Accepted | Rejected)
    return outcome


def payloads(relative: str) -> list[dict[str, Any]]:
    outcome = process(data_of(relative))
    assert isinstance(outcome, Accepted), outcome
    return [story.to_payload() for story in outcome.stories]


def rejected(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    outcome = process(data, content_type)
    assert isinstance(outcome, Rejected), outcome
    return outcome.rejection.reason, outcome.rejection.detail


# --- detection: each JSON format by its own structure --------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "fmt"),
    [
        ("efe_json/feed_three_packages_es.json", "efe_json"),
        ("efe_json/single_package_table_es.json", "efe_json"),
        ("apmedia_json/item_correction.json", "apmedia_json"),
        ("apmedia_json/feed_table_and_picture.json", "apmedia_json"),
        ("ninjs_producers/ldrs_envelope_story.json", "ninjs"),
        ("ninjs_producers/superdesk_source_story.json", "ninjs"),
        ("ninjs/v2_story_html.json", "ninjs"),
    ],
)
@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_each_json_format_is_chosen_by_its_structure(relative: str, fmt: str, content_type: str | None) -> None:
    # AP's item and EFE's package also look like ninjs to ninjs' key sniffing; the structure decides.
    assert choose_parser(data_of(relative)[:SNIFF_BYTES], content_type).name == fmt


def test_key_paths_read_a_truncated_head() -> None:
    head = b'{"api_version": "2", "data": {"items": [{"meta": {"x": "a \\" } ["}, "item": {"headline": "Cut her'
    paths = key_paths(head)
    assert ("data", "items", "*", "item") in paths
    assert ("data", "items", "*", "item", "headline") in paths
    assert ("data", "items", "*", "meta", "x") in paths
    assert ("x",) not in paths  # brackets inside strings open nothing


@pytest.mark.parametrize(
    ("data", "content_type", "named"),
    [
        (
            b'{"feed": "weather", "values": [1, 2, 3], "station": {"id": 4}}',
            None,
            "top-level keys: feed, station, values",
        ),
        (b'{"temperature": 21}', "application/json", "top-level keys: temperature"),
        (b'[{"when": 1, "what": 2}]', None, "array of objects with keys: what, when"),
        (b"[" * 300 + b"]" * 300, "application/json", "a JSON array"),
    ],
)
def test_unknown_json_is_refused_naming_what_it_holds(data: bytes, content_type: str | None, named: str) -> None:
    reason, detail = rejected(data, content_type)
    assert reason == "unrecognised_format"
    assert named in detail


def test_describe_reads_only_the_start_of_a_hostile_document() -> None:
    deep = b'{"a": ' * 100_000 + b"1" + b"}" * 100_000
    assert describe(deep) == "a JSON object with top-level keys: a"


# --- EFE API JSON ---------------------------------------------------------------------------------------------------


def test_efe_feed_gives_one_story_per_text_object() -> None:
    items = parse("efe_json/feed_three_packages_es.json", "efe_json")
    # Package 1: one text and a photo; package 2: two texts; package 3: a photo only.
    assert [item.agency_id for item in items] == ["9100000001002", "9100000002002", "9100000002006"]
    vigo, brussels, lisbon = items
    assert vigo.headline == "Cierran los muelles de Vigo ante un temporal con olas de seis metros"
    assert vigo.language == "es" and vigo.agency == "EFE" and vigo.slugline == "PUERTOS TEMPORAL"
    assert vigo.firstcreated == datetime(2025, 9, 3, 8, 15, tzinfo=UTC)
    assert vigo.versioncreated == datetime(2025, 9, 3, 8, 10, tzinfo=UTC)
    assert vigo.keywords == ["temporal", "puerto"]
    assert vigo.subjects == [SubjectCode("subj", "17000000", "Meteorología")]
    assert (vigo.version, vigo.kind) == (1, "story")
    # EFE's region in brackets after the place: the place is the town, the dateline as written.
    assert vigo.dateline is not None
    assert vigo.dateline.place == "Vigo" and vigo.dateline.text == "Vigo (Pontevedra), 3 sep (EFE).-"
    assert vigo.paragraphs[0].startswith("Las autoridades portuarias cerraron")
    # The writer's name closing the text is the byline, not a paragraph.
    assert vigo.byline == "Clara Méndez Soto"
    assert len(vigo.paragraphs) == 3 and vigo.paragraphs[-1].endswith("durante la tarde.")
    # A full stop without its dash still closes the dateline.
    assert brussels.dateline is not None and brussels.dateline.place == "Bruselas"
    assert brussels.paragraphs[0].startswith("Los ministros de Transporte")
    # Package version 3: every text in it is an update.
    assert (brussels.version, brussels.kind) == (3, "update")
    assert (lisbon.version, lisbon.kind) == (3, "update")
    assert lisbon.byline is None and lisbon.paragraphs[-1] == "La medida se mantendrá al menos hasta el jueves."


def test_efe_single_package_with_a_table() -> None:
    [item] = parse("efe_json/single_package_table_es.json", "efe_json")
    # Tab-separated text is a table (the content type wins over the correction complement), columns kept.
    assert item.kind == "table" and item.preformatted
    assert "Beta Puertos\t7,05\t-1,2 %" in item.paragraphs
    assert item.dateline is not None and item.dateline.place == "Madrid"


def test_efe_stories_through_the_pipeline() -> None:
    stories = payloads("efe_json/feed_three_packages_es.json")
    assert len(stories) == 3
    first = stories[0]
    assert first["located"] == "Vigo" and first["by"] == "Clara Méndez Soto"
    assert first["newswire"]["provenance"]["format"] == "efe_json"
    assert [source["name"] for source in first["infosources"]][:1] == ["EFE"]
    assert first["bodies"][0]["value"].startswith("Las autoridades portuarias")


def test_efe_packages_without_text_are_missing_content() -> None:
    only_photos = json.loads(data_of("efe_json/feed_three_packages_es.json"))
    only_photos["data"]["items"] = only_photos["data"]["items"][2:]
    reason, detail = rejected(json.dumps(only_photos).encode())
    assert reason == "missing_content" and "without a text object" in detail


# --- AP Media API JSON ----------------------------------------------------------------------------------------------


def test_ap_item_metadata_response() -> None:
    [item] = parse("apmedia_json/item_correction.json", "apmedia_json")
    assert item.headline == "Harbor reopens after storm; crews clear debris from docks"
    assert item.subheadline == "Port officials say cargo traffic should return to normal by Friday"
    assert (item.version, item.kind) == (2, "correction")
    # The stable item id, not the uri with its per-request tokens.
    assert item.agency_id == "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    assert item.agency == "The Associated Press"
    assert item.byline == "Dana Whitfield"
    assert item.dateline is not None and item.dateline.place == "PORTLAND, Maine"
    assert item.firstcreated == datetime(2025, 9, 3, 15, 5, tzinfo=UTC)
    # The text is only linked (renditions.nitf.href): nothing inline, nothing invented.
    assert item.paragraphs == []


def test_ap_item_without_inline_text_ships_headline_and_rendition_link() -> None:
    [story] = payloads("apmedia_json/item_correction.json")
    assert story["headlines"][0]["value"].startswith("Harbor reopens")
    assert story["bodies"][0]["value"] == ""
    hrefs = [rendition.get("href", "") for rendition in story.get("renditions", [])]
    assert any(href.endswith("format=NITF") for href in hrefs)
    assert story["newswire"]["kind"] == "correction"


def test_ap_feed_keeps_text_items_and_leaves_media_out() -> None:
    items = parse("apmedia_json/feed_table_and_picture.json", "apmedia_json")
    assert [item.headline for item in items] == ["Lake League standings"]
    [table] = items
    assert table.kind == "table"
    assert table.version is None  # AP counts from 0; ninjs versions start at 1
    assert table.agency == "The Associated Press"  # the copyright holder, not the third-party data provider


def test_ap_item_without_newscontent_is_an_advisory() -> None:
    [item] = parse("apmedia_json/item_advisory.json", "apmedia_json")
    assert item.kind == "advisory"


def test_ap_picture_item_is_not_a_story() -> None:
    reason, detail = rejected(data_of("apmedia_json/item_picture.json"))
    assert reason == "missing_content" and "picture" in detail


def test_ap_envelope_without_items_is_unrecognised() -> None:
    with pytest.raises(WireError) as error:
        get_parser("apmedia_json").parse(
            WireInput(
                data=b'{"api_version": "2", "data": {"query": "x"}}',
                text='{"api_version": "2", "data": {"query": "x"}}',
            )
        )
    assert error.value.reason == "unrecognised_format" and "api_version, data" in error.value.detail


# --- ninjs as producers write it ------------------------------------------------------------------------------------


def test_ldrs_envelope_with_associations_array_is_read_and_repairs_recorded() -> None:
    [story] = payloads("ninjs_producers/ldrs_envelope_story.json")
    assert story["headlines"][0]["value"] == "Council approves new cycle lanes for the town centre"
    assert story["bodies"][0]["value"].startswith("Councillors approved three new cycle lanes")
    [association] = story["associations"]
    assert association["name"] == "featureimage"
    assert association["uri"] == "https://ldrs.example.org/img/lanes.png"
    errors = [error["reason"] for error in story["newswire"]["errors"]]
    assert any("result envelope" in reason for reason in errors)
    assert any("named by `id`" in reason for reason in errors)
    assert any("type `story`" in reason for reason in errors)
    assert not any(reason.startswith("dropped") for reason in errors)
    # Zone-less times are read in the feed's zone (UTC here).
    assert story["firstcreated"] == "2025-09-03T09:30:00Z"


def test_superdesk_flavour_source_guid_and_located() -> None:
    [item] = parse("ninjs_producers/superdesk_source_story.json", "ninjs")
    assert item.agency == "Reuters"  # the source, not the copyright holder that re-published it
    assert item.agency_id == "tag:desk.example.org,2025:77aa"
    assert item.dateline is not None and item.dateline.place == "Rotterdam"
    assert item.paragraphs[0].startswith("Container shipping rates rose")
    [story] = payloads("ninjs_producers/superdesk_source_story.json")
    assert story["associations"][0]["uri"] == "tag:desk.example.org,2025:77ab"


def test_ninjs3_camelcase_replacing_is_an_update() -> None:
    [item] = parse("ninjs_producers/camelcase_replacing_sv.json", "ninjs")
    assert item.kind == "update" and item.agency == "TT" and item.language == "sv"
    assert item.versioncreated == datetime(2025, 9, 3, 10, 0, tzinfo=UTC)


def test_ninjs_picture_is_not_a_story() -> None:
    picture = {"uri": "urn:x:pic", "type": "picture", "headline": "Waves", "body_text": "Waves over the pier"}
    reason, _ = rejected(json.dumps(picture).encode())
    assert reason == "missing_content"


@pytest.mark.parametrize(
    ("notice", "holder"),
    [
        ("Copyright 2025 The Associated Press. All rights reserved.", "The Associated Press"),
        ("Copyright 2024, Tidewire (www.tidewire.example). Alle Rechte vorbehalten", "Tidewire"),
        ("© 2023 Harbour Daily", "Harbour Daily"),
        ("(c) 2019-2025 by Northern Wire Service, all rights reserved", "Northern Wire Service"),
        ("Copyright", None),
        ("All rights reserved.", None),
    ],
)
def test_copyright_holder(notice: str, holder: str | None) -> None:
    assert copyright_holder(notice) == holder


def test_agency_falls_back_to_the_copyright_notice() -> None:
    document = {
        "uri": "urn:x:1",
        "headline": "Ferry timetable changes",
        "body_text": "Ferries will run hourly.",
        "copyrightnotice": "Copyright 2025 Tidewire. All rights reserved.",
    }
    [item] = get_parser("ninjs").parse(WireInput(data=b"", text=json.dumps(document)))
    assert item.agency == "Tidewire"


def test_ap_dateline_location_when_no_dateline_is_written() -> None:
    document = json.loads(data_of("apmedia_json/item_correction.json"))
    del document["data"]["item"]["located"]
    document["data"]["item"]["datelinelocation"] = {"city": "Portland", "countryareaname": "Maine", "countryname": "US"}
    [item] = get_parser("apmedia_json").parse(WireInput(data=b"", text=json.dumps(document)))
    assert item.dateline is not None and item.dateline.place == "Portland"


def test_efe_rich_text_and_agency_variants_in_the_dateline() -> None:
    package = json.loads(data_of("efe_json/single_package_table_es.json"))
    [text] = package["objects"]
    text.update(
        tabSeparatedText=False,
        richText=True,
        text="<p>Almería (España), 4 sep (EFEAGRO). Los invernaderos ahorraron un tercio del agua.</p>"
        "<p>El dato procede de un estudio regional.</p>",
    )
    [item] = get_parser("efe_json").parse(WireInput(data=b"", text=json.dumps(package)))
    assert item.dateline is not None and (item.dateline.place, item.dateline.agency) == ("Almería", "EFEAGRO")
    assert item.paragraphs == [
        "Los invernaderos ahorraron un tercio del agua.",
        "El dato procede de un estudio regional.",
    ]


def test_producer_html_body_keeps_lead_and_quotes() -> None:
    html = (
        "<html><head><title>Storm closes the bridge</title></head><body><article><h1>Storm closes the bridge</h1>"
        "<h4><p>The old bridge closed at noon.</p><blockquote>We had no choice, said the engineer.</blockquote></h4>"
        "<div><p>Traffic was sent through the valley.</p><h2>Reopening</h2><ul><li>Not before Friday.</li></ul></div>"
        "</article></body></html>"
    )
    document = {"uri": "urn:x:tt:1", "headline": "Storm closes the bridge", "body_html5": html, "copyrightholder": "TT"}
    [item] = get_parser("ninjs").parse(WireInput(data=b"", text=json.dumps(document)))
    assert item.paragraphs == [
        "The old bridge closed at noon.",
        "We had no choice, said the engineer.",
        "Traffic was sent through the valley.",
        "Not before Friday.",
    ]
    assert any("body_html5" in note for note in item.recoveries)


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("BC-LKL--Lake League standings", "Lake League standings"),
        ("BC-US--Harbor Storm", "Harbor Storm"),
        ("BC-EU-Harbor-Storm", "BC-EU-Harbor-Storm"),  # no double dash: not a slug's name, kept as sent
        ("Harbor reopens after storm", "Harbor reopens after storm"),
    ],
)
def test_ap_slug_given_as_headline(headline: str, expected: str) -> None:
    document = json.loads(data_of("apmedia_json/item_correction.json"))
    document["data"]["item"]["headline"] = headline
    [item] = get_parser("apmedia_json").parse(WireInput(data=b"", text=json.dumps(document)))
    assert item.headline == expected
    assert bool(item.recoveries) == (headline != expected)


@pytest.mark.parametrize("shape", ["data_list", "items", "bare_array"])
def test_efe_packages_wherever_the_response_puts_them(shape: str) -> None:
    packages = json.loads(data_of("efe_json/feed_three_packages_es.json"))["data"]["items"]
    document = {"data_list": {"data": packages}, "items": {"items": packages}, "bare_array": packages}[shape]
    data = json.dumps(document).encode()
    assert choose_parser(data[:SNIFF_BYTES]).name == "efe_json"
    items = get_parser("efe_json").parse(WireInput(data=data, text=data.decode()))
    assert len(items) == 3
