"""Bytes to text: undeclared legacy code pages are detected or refused, western Latin-1 stays right."""

from __future__ import annotations

from pathlib import Path

import pytest

import newswire.wire.formats  # noqa: F401  (registers the parsers)
from newswire.pipeline.core import Pipeline, PipelineOptions
from newswire.pipeline.message import RawMessage, Rejected
from newswire.wire.decode import decode_text, reads_as_text
from newswire.wire.errors import WireError

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "wires"


@pytest.mark.parametrize(
    ("relative", "codec", "words"),
    [
        ("agency_text/ru_cp1251.txt", "cp1251", "Городской совет утвердил"),
        ("agency_text/pl_iso8859_2.txt", "iso8859_2", "nową linię tramwajową"),
    ],
)
def test_undeclared_legacy_fixtures(relative: str, codec: str, words: str) -> None:
    data = (FIXTURES / relative).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    decoded = decode_text(data)
    assert decoded.encoding == codec
    assert words in decoded.text


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Le ministre a estimé que la «crise» était très grave, a-t-il déclaré à la télé.", "latin-1"),
        ("Der Fußballspieler Müller sagte, er freue sich über die Rückkehr nach München.", "latin-1"),
        ("¿Qué pasará mañana? El ministro señaló que la economía crecerá.", "cp1252"),
        ("Example Mining’s output rose – the company said – by a tenth.", "cp1252"),
        ("Президент компании заявил, что выручка выросла на десять процентов.", "koi8_r"),
        ("Ο δήμαρχος είπε ότι τα έργα θα ολοκληρωθούν τον Μάιο.", "iso8859_7"),
        ("Rząd przyjął projekt ustawy o żłobkach i ośrodkach zdrowia w środę.", "cp1250"),
    ],
)
def test_code_pages_read_right(text: str, codec: str) -> None:
    assert decode_text(text.encode(codec)).text == text


def test_utf8_with_a_stray_latin1_byte_keeps_its_utf8() -> None:
    data = "Café owners said “yes”. Mr L".encode() + b"\xf3pez agreed."
    assert decode_text(data).text == "Café owners said “yes”. Mr López agreed."


def test_text_no_code_page_reads_is_refused() -> None:
    # Bytes that read as neither western text nor any legacy code page: refused, never published garbled.
    data = bytes(range(0xC0, 0x100)) * 4 + b" " + bytes(range(0x80, 0xC0)) * 4
    with pytest.raises(WireError) as raised:
        decode_text(data)
    assert raised.value.reason == "undecodable"


def test_mojibake_does_not_read_as_text() -> None:
    russian = "Президент России заявил в четверг о переговорах".encode("cp1251").decode("cp1252")
    polish = "Zażółć gęślą jaźń, powiedział rzecznik rządu".encode("iso8859_2").decode("cp1252")
    assert not reads_as_text(russian) and not reads_as_text(polish)
    assert reads_as_text("Le ministre a estimé que la «crise» était grave")


def test_undecodable_text_is_dead_lettered_by_the_pipeline() -> None:
    data = b"Nachricht: " + bytes(range(0xC0, 0x100)) * 4 + b" " + bytes(range(0x80, 0xC0)) * 4 + b"\n"
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=data))
    assert isinstance(outcome, Rejected)
    assert outcome.rejection.reason == "undecodable"
