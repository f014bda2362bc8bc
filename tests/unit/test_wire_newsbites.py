"""News Bites `KEY#value` text, Windows-1252 (a fixture of our own words)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import newswire.wire.formats  # noqa: F401  (registers the parsers)
from newswire.wire.decode import decode_text
from newswire.wire.errors import WireError
from newswire.wire.registry import SNIFF_BYTES, WireInput, choose_parser, get_parser

FIXTURE = (
    Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "wires" / "newsbites" / "company_update_cp1252.txt"
)


def test_fields() -> None:
    data = FIXTURE.read_bytes()
    assert choose_parser(data[:SNIFF_BYTES]).name == "newsbites"
    [item] = get_parser("newsbites").parse(WireInput(data=data, text=decode_text(data).text, feed_timezone="UTC"))
    assert item.headline == "Example Mining lifts copper output forecast"
    assert item.agency == "News Bites" and item.agency_id == "10000001"
    assert item.paragraphs[0].startswith("Example Mining’s copper output")  # 0x92 read as a right quote
    assert len(item.paragraphs) == 2
    assert item.firstcreated == datetime(2025, 3, 3, 10, 30, tzinfo=ZoneInfo("UTC"))
    assert item.assumed_timezone == "UTC"
    assert "EXA.AX" in item.keywords and item.byline is None


def test_too_few_fields_is_malformed() -> None:
    text = "zczc\nTI#Only a title\n"
    with pytest.raises(WireError) as raised:
        get_parser("newsbites").parse(WireInput(data=text.encode(), text=text))
    assert raised.value.reason == "malformed"
