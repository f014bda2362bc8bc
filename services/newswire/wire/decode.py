"""Bytes to text: detect the real encoding, repair mojibake, refuse binary data.

Feeds mislabel their charsets, so a declared charset is a hint, not a fact: UTF-8 is tried
first (it almost never decodes by accident), then the declared charset. Text that is UTF-8 but
for a few stray bytes keeps its UTF-8 and reads the strays as Windows-1252. Undeclared legacy
text is read as Windows-1252 when that reads as a western language; otherwise its charset is
detected (charset-normalizer, among the legacy code pages wires use), and text no code page
reads cleanly is refused as `undecodable` rather than published garbled.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer
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
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors=_STRAY_BYTES), "utf-8"
    return _legacy(data)


# --- stray bytes in UTF-8 text ---------------------------------------------------------------------------------------

_STRAY_BYTES = "newswire-cp1252-strays"
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _cp1252_strays(error: UnicodeError) -> tuple[str, int]:
    """Read each byte UTF-8 could not as Windows-1252 (Latin-1 where 1252 leaves it undefined)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="ignore") if len(bad) == 1 and bad[0] not in _CP1252_UNDEFINED else (
        bad.decode("latin-1")
    ), error.end


_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
codecs.register_error(_STRAY_BYTES, _cp1252_strays)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few bytes of another charset pasted in: many valid sequences, few invalid bytes."""
    sample = data[:_SAMPLE_BYTES]
    valid = len(_UTF8_MULTIBYTE.findall(sample))
    if not valid:
        return False
    invalid = sample.decode("utf-8", errors="replace").count("\ufffd") - sample.decode("utf-8", "ignore").count(
        "\ufffd"
    )
    return invalid <= max(2, valid // 10)


# --- undeclared legacy code pages -----------------------------------------------------------------------------------

_SAMPLE_BYTES = 256 * 1024
# Code pages agency text still arrives in; western ones are read by the Windows-1252 check first.
_LEGACY_CODEPAGES = [
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "iso8859_5",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "iso8859_9",
    "cp1257",
    "iso8859_13",
]
_MAX_CHAOS = 0.2
# charset-normalizer drops a code page when any chunk of a short text looks messy at its default 0.2;
# ask it wider and judge its best answer by its overall chaos and by `reads_as_text`.
_DETECT_THRESHOLD = 0.5
# A symbol between two letters (`bud¿et`, `Zaż³ó`) is what a wrong code page leaves; apostrophes and
# quotes are left out, they sit between letters in good text (`UGL’s`).
_SYMBOL_IN_WORD = re.compile(r"(?<=[^\W\d_])[\u0080-\u00bf\u0152-\u02dc\u2020-\u2122](?=[^\W\d_])")
_INNOCENT_SYMBOLS = frozenset("’‘´`·ªº«»\u00ad")
_MAX_SYMBOLS_IN_WORDS = 1
_MAX_HIGH_LETTER_SHARE = 0.25


def reads_as_text(text: str) -> bool:
    """False for text that a wrong code page produced: symbols inside words, or words made of accents."""
    sample = text[:_SAMPLE_BYTES]
    symbols = sum(
        1 for found in _SYMBOL_IN_WORD.findall(sample) if not found.isalpha() and found not in _INNOCENT_SYMBOLS
    )
    if symbols > _MAX_SYMBOLS_IN_WORDS:
        return False
    letters = [c for c in sample if c.isalpha()]
    high = sum(1 for c in letters if ord(c) > 0x7F)
    return not letters or high / len(letters) <= _MAX_HIGH_LETTER_SHARE or _one_script(letters)


def _one_script(letters: list[str]) -> bool:
    """Non-Latin text read right (Cyrillic, Greek) is made of letters of one script, not Latin accents."""
    high = [c for c in letters if ord(c) > 0x7F]
    return all(ord(c) >= 0x370 for c in high)


def _legacy(data: bytes) -> tuple[str, str]:
    """Windows-1252 if it reads as text, else the legacy code page that does, else `undecodable`."""
    western = data.decode("cp1252", errors=_STRAY_BYTES)
    if reads_as_text(western):
        return western, "cp1252"
    guess = charset_normalizer.from_bytes(
        data[:_SAMPLE_BYTES], cp_isolation=_LEGACY_CODEPAGES, threshold=_DETECT_THRESHOLD
    ).best()
    if guess is not None and guess.chaos <= _MAX_CHAOS:
        try:
            text = data.decode(guess.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if text and reads_as_text(text):
            return text, guess.encoding
    raise WireError("undecodable", "not UTF-8 and no known code page reads it as text (charset undeclared)")
