"""AAP's headline ticker: one line of upper-case headlines, each closed by ` ** `.

    STORM CUTS POWER TO THOUSANDS ** COUNCIL APPROVES BUDGET ** MARKETS CLOSE HIGHER **

The ticker is AAP's own format (its editorial system's ticker output), so the format names the
agency. It has no title and no date of its own: the item is titled as AAP titles it, `AAP Ticker`,
and its text is the line as sent.
"""

from __future__ import annotations

import re
from typing import ClassVar

from newswire.wire.errors import WireError
from newswire.wire.model import ParsedItem
from newswire.wire.registry import WireInput, register

AGENCY = "AAP"
_SEPARATOR = re.compile(r"\s\*\*(?:\s|$)")
_MIN_HEADLINES = 3
_MIN_UPPER_SHARE = 0.9


def _is_ticker(text: str) -> bool:
    line = text.strip()
    if not line or "\n" in line or len(_SEPARATOR.findall(line + " ")) < _MIN_HEADLINES:
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= _MIN_UPPER_SHARE


@register
class AapTickerParser:
    """A single ` ** `-separated line of upper-case headlines."""

    name: ClassVar[str] = "aap_ticker"
    content_types: ClassVar[tuple[str, ...]] = ("text/x-aap-ticker",)
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        return 85 if _is_ticker(head.decode("latin-1")) else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        if not _is_ticker(wire.text):
            raise WireError("malformed", "not a single line of ` ** `-separated headlines")
        line = " ".join(wire.text.split())
        return [ParsedItem(headline=f"{AGENCY} Ticker", paragraphs=[line], agency=AGENCY)]
