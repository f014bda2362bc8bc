"""ninjs input keeps its ninjs 2.2 properties: every one the input held is in the story with the same value.

What newswire owns (see `newswire.pipeline.build`): `uri` is newswire's (the agency's goes to `altids` with
role `agency`), `standard` says 2.2, `type`, `version`, `pubstatus`, `urgency` and `language` are newswire's
(the fixtures' values agree with them, so they are compared too), times are written in UTC (compared as
instants), and the text body the parser read comes back without its dateline (the HTML one sanitised).
Enrichment adds people, organisations, places and subjects after the agency's, never instead of them.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from newswire.pipeline.core import Pipeline, PipelineOptions
from newswire.pipeline.message import Accepted, RawMessage
from tests.conftest import FIXTURES, STANDARDS

NINJS = FIXTURES / "wires" / "ninjs"
# Rich ninjs 1.x, 2.x and 3.x documents, kept beside `ninjs/` (tests/unit/test_wire_text.py pins each file there).
ROUNDTRIP = FIXTURES / "wires" / "ninjs_roundtrip"
GEOJSON_REF = "https://geojson.org/schema/GeoJSON.json"
TIMES = {"firstcreated", "versioncreated", "contentcreated", "embargoed", "expires"}
ENTITIES = ("people", "organisations", "places")

# The 2.2 properties v1_rich.json holds, written as ninjs 2.2: the 1.x -> 2.2 mapping this test pins down.
# Not here: `mimetype` and the top-level `charcount` (ninjs 2.2 has no place for them).
V1_AS_22: dict[str, Any] = {
    "uri": "urn:example:tidewire:20251014:ferry-0042",
    "standard": {"name": "ninjs", "version": "1.4"},
    "type": "text",
    "representationtype": "full",  # 1.x `complete`
    "profile": "text-photo",
    "version": "2",
    "firstcreated": "2025-10-14T06:10:00Z",
    "versioncreated": "2025-10-14T06:40:00Z",
    "contentcreated": "2025-10-14T05:55:00Z",
    "embargoed": "2025-10-14T07:00:00Z",
    "expires": "2025-10-21T00:00:00Z",
    "pubstatus": "usable",
    "urgency": 3,
    "copyrightholder": "Tidewire",
    "copyrightnotice": "Copyright 2025 Tidewire. All rights reserved.",
    "usageterms": "Not for use before the embargo lifts at 07:00 UTC.",
    "ednote": "Corrects the name of the ferry operator in the third paragraph.",
    "language": "en",
    "title": "ferry-strike-harbour",
    "headlines": [
        {"role": "main", "value": "Island ferry crews call off weekend strike after pay deal"},
        {"role": "sub", "value": "Sailings to all five islands will run as normal on Saturday"},
    ],
    "by": "Morwenna Pascoe",
    "slugline": "Ferry-Strike",
    "located": "Penzance",
    "descriptions": [
        {"contenttype": "text/plain", "value": "Ferry crews accepted a two-year pay offer late on Monday."},
        {
            "contenttype": "text/html",
            "value": "<p>Ferry crews accepted a <b>two-year</b> pay offer late on Monday.</p>",
        },
    ],
    "bodies": "body_text, body_html and body_ssml: checked from the input itself",
    "people": [
        {"name": "Morwenna Pascoe", "rel": "author"},
        {"name": "Jago Trelawny", "rel": "mentioned", "uri": "http://people.example.com/id/jt-118"},
    ],
    "organisations": [
        {
            "name": "Scilly Strait Ferries",
            "rel": "mentioned",
            "uri": "http://orgs.example.com/id/ssf",
            "symbols": [{"ticker": "SSF", "exchange": "XLON"}],
        },
    ],
    "places": [
        {
            "name": "Penzance",
            "rel": "located",
            "uri": "https://sws.geonames.org/2640377",
            "geojson": {"type": "Point", "coordinates": [-5.537, 50.118]},
        },
    ],
    "subjects": [
        {"name": "labour dispute", "rel": "about", "uri": "http://cv.iptc.org/newscodes/mediatopic/20000563"},
        {"name": "maritime transport", "literal": "medtop:20000687"},
        {"name": "Cornwall", "literal": "region:cornwall"},
    ],
    "events": [{"name": "Island ferry strike", "rel": "about", "uri": "http://events.example.com/ev-77"}],
    "objects": [{"name": "MV Island Star", "rel": "mentioned"}],
    "infosources": [{"name": "Tidewire", "role": "originfo", "uri": "http://agencies.example.com/tidewire"}],
    "genres": [{"name": "Current", "uri": "http://cv.iptc.org/newscodes/genre/Current"}],
    "trustindicators": [
        {
            "role": "http://trust.example.com/indicator/corrections-policy",
            "title": "Corrections policy",
            "href": "https://tidewire.example.com/corrections",
        },
    ],
    "renditions": [
        {
            "name": "print",
            "href": "https://tidewire.example.com/r/ferry-0042.txt",
            "contenttype": "text/plain",
            "title": "Print version",
            "sizeinbytes": 1843,
        },
    ],
    "associations": [
        {
            "name": "featureimage",
            "uri": "urn:example:tidewire:20251014:photo-9",
            "type": "picture",
            "headlines": [{"role": "main", "value": "Crew members on the quay at Penzance"}],
            "by": "Tamsin Rowe",
            "descriptions": [{"contenttype": "text/plain", "value": "Crew members wait on the quay before the vote."}],
            "renditions": [
                {
                    "name": "thumbnail",
                    "href": "https://tidewire.example.com/p/photo-9-thumb.jpg",
                    "contenttype": "image/jpeg",
                    "width": 300,
                    "height": 200,
                }
            ],
        },
    ],
    "altids": [{"role": "tidewire", "value": "ferry-0042"}, {"role": "harbourdesk", "value": "HD-2025-1014-7"}],
    "rightsinfo": {"linkedrights": "https://tidewire.example.com/rights/standard"},
}
# ninjs 3.x properties with no place in 2.2, left out of the story: (array, property of its entries).
V3_ONLY = (("events", "id"), ("renditions", "originalfilename"))


def standard(name: str) -> dict[str, Any]:
    """A file of ../shared/standards; the test is skipped where that folder is not checked out."""
    path = STANDARDS / name
    if not path.exists():
        pytest.skip("../shared/standards is not available here")
    return dict(json.loads(path.read_text()))


@cache
def ninjs_schema() -> dict[str, Any]:
    return standard("ninjs-schema-2.2.json")


def ninjs_properties() -> set[str]:
    return set(ninjs_schema()["$defs"]["ninjsType"]["properties"])


@cache
def pipeline() -> Pipeline:
    return Pipeline()


def path_of(name: str) -> Path:
    return ROUNDTRIP / name if (ROUNDTRIP / name).exists() else NINJS / name


@cache
def payload_of(name: str) -> dict[str, Any]:
    outcome = pipeline().process(RawMessage(value=path_of(name).read_bytes()))
    assert isinstance(outcome, Accepted), outcome
    [story] = outcome.stories
    return story.to_payload()


def folded(value: Any) -> Any:
    """ninjs 3.x camelCase names as the 2.x lower-case ones."""
    if isinstance(value, dict):
        return {key.lower(): folded(entry) for key, entry in value.items()}
    if isinstance(value, list):
        return [folded(entry) for entry in value]
    return value


def as_22(name: str) -> dict[str, Any]:
    """The ninjs 2.2 properties the fixture holds, in 2.2 names and shapes."""
    if name == "v1_rich.json":
        return V1_AS_22
    document = folded(json.loads(path_of(name).read_text()))
    for array, key in V3_ONLY:
        for entry in document.get(array, []):
            entry.pop(key, None)
    return {key: value for key, value in document.items() if key in ninjs_properties()}


def contains(expected: Any, actual: Any, where: str) -> None:
    """`actual` says all `expected` says: same values, every expected array entry in the actual array."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} is missing from {actual!r}"
            if key in TIMES:
                assert datetime.fromisoformat(actual[key]) == datetime.fromisoformat(value), f"{where}.{key}"
            else:
                contains(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: {actual!r}"
        for index, entry in enumerate(expected):
            assert any(_says(entry, candidate) for candidate in actual), f"{where}[{index}] {entry!r} not in {actual!r}"
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def _says(expected: Any, actual: Any) -> bool:
    try:
        contains(expected, actual, "")
    except AssertionError:
        return False
    return True


def input_bodies(name: str) -> list[dict[str, Any]]:
    document = folded(json.loads(path_of(name).read_text()))
    bodies = list(document.get("bodies", []))
    for key, value in document.items():
        if key.startswith("body_"):
            # 1.x `body_<format>`: text and html are content types, anything else a role
            kind = key.removeprefix("body_")
            content_type = {"text": "text/plain", "html": "text/html"}.get(kind)
            bodies.append({"value": value, **({"contenttype": content_type} if content_type else {"role": kind})})
    return bodies


RICH = ("v1_rich.json", "v2_rich.json", "v3_rich.json")


@pytest.mark.parametrize("name", RICH)
def test_every_ninjs_2_2_property_the_input_held_is_kept(name: str) -> None:
    payload = payload_of(name)
    expected = as_22(name)
    assert len(expected) >= 35, sorted(ninjs_properties() - set(expected))  # the fixtures are rich
    for key, value in expected.items():
        if key == "uri":  # newswire's own, stable across versions; the agency's is an altid
            assert payload["uri"].startswith("urn:newswire:")
            assert {"role": "agency", "value": value} in payload["altids"]
        elif key == "standard":
            assert payload["standard"]["version"] == "2.2"
        elif key == "bodies":
            check_bodies(input_bodies(name), payload["bodies"])
        else:
            contains({key: value}, payload, "story")
    assert not payload["newswire"]["errors"]


def check_bodies(bodies: list[dict[str, Any]], out: list[dict[str, Any]]) -> None:
    """The bodies the parser read are newswire's: the text one without its dateline (and with newswire's role and
    counts), the HTML one sanitised (these are clean, so unchanged) with newswire's role. The rest are kept as sent."""
    main = out[0]
    assert (main["role"], main["contenttype"]) == ("main", "text/plain")
    text_read = next(body for body in bodies if body.get("contenttype", "text/plain") == "text/plain")
    assert " ".join(text_read["value"].split()).endswith(" ".join(main["value"].split()))
    assert len(main["value"]) > 0.8 * len(text_read["value"])
    html_read = next((body for body in bodies if body.get("contenttype") == "text/html"), None)
    if html_read is not None:
        assert {"role": "main", "contenttype": "text/html", "value": html_read["value"]} in out
    for body in bodies:
        if body is not text_read and body is not html_read:
            contains([body], out, "bodies")


@pytest.mark.parametrize("name", RICH)
def test_enrichment_adds_after_the_agency_entries(name: str) -> None:
    payload = payload_of(name)
    expected = as_22(name)
    for key in (*ENTITIES, "subjects"):
        agency = expected.get(key, [])
        for index, entry in enumerate(agency):
            contains(entry, payload[key][index], f"{key}[{index}]")
        added = payload[key][len(agency) :]
        agency_names = {entry.get("name", "").casefold() for entry in agency}
        if key in ENTITIES:
            assert not [entry for entry in added if entry.get("name", "").casefold() in agency_names], key
        else:
            assert all(entry["creator"] == "machine" for entry in added)
            agency_uris = {entry.get("uri") for entry in agency} - {None}
            assert not [entry for entry in added if entry.get("uri") in agency_uris]
    assert payload["newswire"]["provenance"]["format"] == "ninjs"


def test_enrichment_adds_what_the_agency_did_not_name() -> None:
    places = [place["name"] for place in payload_of("v3_rich.json")["places"]]
    assert places == ["Scottish Borders", "Edinburgh"]  # the agency's, then the dateline's
    subjects = payload_of("v2_rich.json")["subjects"]
    assert len(subjects) > 2 and subjects[2]["creator"] == "machine"


@pytest.mark.parametrize("name", [*RICH, "v1_story.json", "v2_story_html.json", "v3_camelcase.json"])
def test_story_without_the_extension_is_valid_ninjs_2_2(name: str) -> None:
    geojson = standard("geojson-GeoJSON.json")
    registry: Registry[Any] = Registry().with_resource(GEOJSON_REF, Resource.from_contents(geojson))
    validator = jsonschema.Draft202012Validator(ninjs_schema(), registry=registry)
    core = {key: value for key, value in payload_of(name).items() if key != "newswire"}
    errors = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(core)]
    assert not errors


def test_what_ninjs_2_2_cannot_hold_is_dropped_and_said() -> None:
    document = {
        "uri": "urn:example:x:1",
        "headline": "Harbour closed by storm",
        "body_text": "The harbour was closed on Tuesday because of the storm.",
        "description_html": '<p onclick="x()">Closed <script>alert(1)</script>today</p>',
        "places": [
            {"name": "Harbour", "geojson": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
            {"name": "Quay", "rel": "about"},
        ],
        "renditions": [{"href": "https://example.org/no-name.pdf"}, {"name": "ok", "width": "wide"}],
        "associations": [{"name": "photo", "headline": "No uri"}],
        "rightsinfo": {"linkedrights": "https://example.org/r", "encodedrights": "both"},
        "people": "not an array",
        "newswire": {"kind": "kill"},
    }
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=json.dumps(document).encode()))
    assert isinstance(outcome, Accepted)
    payload = outcome.stories[0].to_payload()
    assert payload["places"][:2] == [{"name": "Harbour"}, {"name": "Quay", "rel": "about"}]
    assert payload["renditions"] == [{"name": "ok"}]
    assert "associations" not in payload and "rightsinfo" not in payload and payload["people"] == []
    assert payload["descriptions"] == [{"contenttype": "text/html", "value": "<p>Closed today</p>"}]
    assert payload["newswire"]["kind"] == "story"
    notes = [error["reason"] for error in payload["newswire"]["errors"]]
    assert len(notes) == 6 and all(note.startswith("dropped ninjs ") for note in notes), notes
    assert any(note.startswith("dropped ninjs places[0].geojson") for note in notes)
