"""PR Newswire AsiaNet media releases (a fixture of our own words)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import newswire.wire.formats  # noqa: F401  (registers the parsers)
from newswire.wire.decode import decode_text
from newswire.wire.registry import SNIFF_BYTES, WireInput, choose_parser, get_parser

FIXTURE = (
    Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "wires" / "asianet" / "release_wrapped_header.tst"
)


def test_release_header_dateline_and_text() -> None:
    data = FIXTURE.read_bytes()
    assert choose_parser(data[:SNIFF_BYTES]).name == "asianet"
    [item] = get_parser("asianet").parse(WireInput(data=data, text=decode_text(data).text))
    assert item.headline == "Example Devices Partners with Harbor Telecom On Billing Platform Integration"
    assert item.slugline == "Example Devices, Inc."
    assert item.agency_id == "PR60001"
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency) == ("AUSTIN, Texas", "PRNewswire-AsiaNet")
    assert item.firstcreated is not None and item.firstcreated.date() == date(2017, 2, 1)
    assert item.paragraphs[0].startswith("Example Devices, Inc. (Nasdaq: EXDV), a leader")
    assert not any(p.startswith("SOURCE") for p in item.paragraphs)


def test_plain_prose_is_not_a_release() -> None:
    assert get_parser("asianet").sniff(b"Source: a reader\nwrote to us about the council.\nMore text.\n") == 0
