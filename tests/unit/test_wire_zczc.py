"""ZCZC/NNNN framed agency text: header fields, the racing variant, sign-offs (fixtures of our own words)."""

from __future__ import annotations

from pathlib import Path

import newswire.wire.formats  # noqa: F401  (registers the parsers)
from newswire.pipeline.core import Pipeline, PipelineOptions
from newswire.pipeline.message import Accepted, RawMessage
from newswire.wire.decode import decode_text
from newswire.wire.model import ParsedItem, SubjectCode
from newswire.wire.registry import SNIFF_BYTES, WireInput, choose_parser, get_parser

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "wires" / "zczc"


def parse(name: str) -> ParsedItem:
    data = (FIXTURES / name).read_bytes()
    [item] = get_parser("zczc").parse(WireInput(data=data, text=decode_text(data).text))
    return item


def test_header_fields_are_fields_not_headline() -> None:
    item = parse("aap_fields.zczc")
    assert item.headline == "Ferry service resumes after engine repairs"
    assert item.slugline == "Ferry_BC1"
    assert item.dateline is not None and item.dateline.place == "HOBART"
    assert SubjectCode("subj", "07000000") in item.subjects
    assert "TAS" in item.keywords
    assert item.agency == "AAP"
    assert item.paragraphs[0].startswith("A ferry service linking")
    assert not any("AAP RTV" in p or "NNNN" in p or "ZCZC" in p for p in item.paragraphs)
    assert item.kind == "story"


def test_racing_variant() -> None:
    item = parse("racing_betting.zczc")
    assert item.headline == "Ascot Downs MARKET DAY"
    assert item.keywords == ["POTTED"]
    assert item.dateline is not None and (item.dateline.place, item.dateline.agency) == ("PERTH", "AAP")
    assert item.kind == "table" and item.preformatted
    assert " ".join(item.paragraphs[0].split()).startswith("Latest betting for tomorrow's Ascot Downs races.-")
    assert "  2.60 Quiet Harbour" in item.paragraphs[1]
    assert not any("AAP BETTING" in p for p in item.paragraphs)


def test_sniffed_and_through_the_pipeline() -> None:
    for name in ("aap_fields.zczc", "racing_betting.zczc"):
        data = (FIXTURES / name).read_bytes()
        assert choose_parser(data[:SNIFF_BYTES]).name == "zczc"
        outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=data, path=name))
        assert isinstance(outcome, Accepted)
        assert not outcome.stories[0].headlines[0].value.startswith("ZCZC")


def test_field_marker_without_headline_takes_the_first_line() -> None:
    text = (
        "ZCZC AAP\n$K\n:\n:Example Builders Group\n*X\n"
        "Housing starts rise for a second quarter\nThe group said.\n\nNNNN\n"
    )
    [item] = get_parser("zczc").parse(WireInput(data=text.encode(), text=text))
    assert item.headline == "Housing starts rise for a second quarter"
    assert SubjectCode("anpa-category", "k") in item.subjects
    assert item.paragraphs == ["The group said."]


def test_title_line_loses_racing_codes_and_a_one_line_message_is_text() -> None:
    weights = (
        "ZCZC FMG000\nYY TDA\nRiver Park WEIGHTS RIVER PARK<!\nHARBOUR HANDICAP 1400M .=!\n"
        "Quiet Harbour (AUS) 58.0\nNNNN\n"
    )
    [item] = get_parser("zczc").parse(WireInput(data=weights.encode(), text=weights))
    assert item.headline == "River Park WEIGHTS RIVER PARK"
    fields = "   ".join(f"{n}--7:10 HARBOUR DASH 383m   1 - 742   Quiet Queen 22.02" for n in range(1, 5))
    line = f"ZCZC#River Grey:11/10/2025FINAL FIELDS   {fields}   AAP FIELDS"
    [results] = get_parser("zczc").parse(WireInput(data=line.encode(), text=line))
    assert results.agency == "AAP"
    assert results.paragraphs and "HARBOUR DASH" in results.paragraphs[0]
    assert not results.paragraphs[-1].endswith("AAP FIELDS")


def test_fields_on_the_zczc_line_and_cr_only_lines() -> None:
    text = (
        "ZCZC#Top Ten:Top Ten By Volume - March 3\rTop Ten By Volume - March 3\rHarborCo     86,823     0.105\rNNNN\r"
    )
    [item] = get_parser("zczc").parse(WireInput(data=text.encode(), text=text))
    assert item.slugline == "Top Ten"
    assert item.headline == "Top Ten By Volume - March 3"
    assert item.paragraphs == ["HarborCo     86,823     0.105"]
