"""Bytes to text: detect the real encoding, repair mojibake, refuse binary data.

Feeds mislabel their charsets, so a declared charset is a hint, not a fact: UTF-8 is tried
first (it almost never decodes by accident), then the declared charset, then Windows-1252.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import ftfy

from newswire.wire.errors import WireError

# ANPA-1312 and IPTC 7901 frame stories with these; they are content, not binary noise.
_FRAMING_CONTROLS = frozenset(b"\x01\x02\x03\x04\x11\x12\x13\x14\x16\x1e\x1f\x7f")
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0b\x0c") | _FRAMING_CONTROLS
_MAX_CONTROL_RATIO = 0.02

# UTF-8 read as Latin-1/Windows-1252 leaves a lead byte (Â-ô) before a continuation-range character.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    repaired: bool  # mojibake was fixed


def _declared_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"').lower()
            try:
                return codecs.lookup(charset).name
            except LookupError:
                return None
    return None


def looks_binary(data: bytes) -> bool:
    """True for bytes no wire would send as text: NULs or many stray control bytes."""
    sample = data[:65536]
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls > max(4, len(sample) * _MAX_CONTROL_RATIO)


def decode_text(data: bytes, content_type: str | None = None) -> DecodedText:
    """Decode wire bytes to NFC-ready text, repairing double-encoded UTF-8."""
    if looks_binary(data):
        raise WireError("undecodable", "binary data: NUL or control bytes where text was expected")
    text, encoding = _decode(data, _declared_charset(content_type))
    if not _MOJIBAKE_HINT.search(text):
        # ftfy costs ~1 ms per 1,000 words; only text with a mojibake signature pays it.
        return DecodedText(text=_nfc(text), encoding=encoding, repaired=False)
    fixed = ftfy.fix_text(
        text,
        normalization="NFC",
        unescape_html=False,
        fix_line_breaks=False,
        uncurl_quotes=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        remove_control_chars=False,
    )
    return DecodedText(text=fixed, encoding=encoding, repaired=fixed != _nfc(text))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as error:
                raise WireError("undecodable", f"invalid {codec} after its byte-order mark: {error.reason}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    fallbacks = [codec for codec in (declared, "cp1252") if codec and codec not in ("utf-8", "utf_8")]
    for codec in fallbacks:
        if codec:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    # Windows-1252 leaves five bytes undefined; Latin-1 maps every byte.
    return data.decode("latin-1"), "latin-1"
