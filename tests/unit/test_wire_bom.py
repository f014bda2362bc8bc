"""Bureau of Meteorology text warnings (a fixture of our own words)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import newswire.wire.formats  # noqa: F401  (registers the parsers)
from newswire.wire.registry import SNIFF_BYTES, WireInput, choose_parser, get_parser

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "wires" / "bom" / "thunderstorm_warning.txt"


def test_warning_fields() -> None:
    data = FIXTURE.read_bytes()
    assert choose_parser(data[:SNIFF_BYTES]).name == "bom"
    [item] = get_parser("bom").parse(WireInput(data=data, text=data.decode()))
    assert item.headline == "Severe Thunderstorm Warning for the Example Coast district"
    assert item.agency == "Bureau of Meteorology" and item.agency_id == "IDQ20885"
    assert item.keywords == ["Queensland"]
    assert item.firstcreated is not None and item.firstcreated.astimezone(UTC) == datetime(2025, 3, 3, 5, 5, tzinfo=UTC)
    assert item.paragraphs == [
        "Severe thunderstorms are likely to produce damaging winds and heavy rain in the next several hours.",
        "People should move cars under cover and stay indoors.",
    ]


def test_other_text_is_not_a_warning() -> None:
    assert get_parser("bom").sniff(b"IDQ20885\nA note about the weather\n") == 0
