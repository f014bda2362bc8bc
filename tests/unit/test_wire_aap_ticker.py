"""AAP's headline ticker line (a fixture of our own words)."""

from __future__ import annotations

from pathlib import Path

import newswire.wire.formats  # noqa: F401  (registers the parsers)
from newswire.wire.registry import SNIFF_BYTES, WireInput, choose_parser, get_parser

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "wires" / "aap_ticker" / "ticker_line.txt"


def test_ticker_line() -> None:
    data = FIXTURE.read_bytes()
    assert choose_parser(data[:SNIFF_BYTES]).name == "aap_ticker"
    [item] = get_parser("aap_ticker").parse(WireInput(data=data, text=data.decode()))
    assert item.headline == "AAP Ticker" and item.agency == "AAP"
    assert item.paragraphs == [data.decode().strip()]
    assert item.firstcreated is None


def test_prose_with_asterisks_is_not_a_ticker() -> None:
    prose = b"The council met on Monday ** and voted ** on the budget ** said the mayor, who was pleased.\n"
    assert get_parser("aap_ticker").sniff(prose) == 0
    two_lines = b"STORM HITS COAST ** BUDGET PASSES **\nMARKETS RISE ** CLUB WINS **\n"
    assert get_parser("aap_ticker").sniff(two_lines) == 0
