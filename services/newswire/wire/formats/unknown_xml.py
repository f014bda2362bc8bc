"""The rule for XML no format here reads: dead-letter `unrecognised_format`, naming the root element.

An agency's own XML we have no parser for is never guessed at (a guess publishes wrong headlines and
bodies); the dead letter's detail names the root element and its namespace, which is what an operator
needs to ask for a parser. It sniffs lowest of all, so any format that knows the root wins.
The document is still parsed safely first: an attack is `forbidden_xml`, broken XML `malformed`.
"""

from __future__ import annotations

from typing import ClassVar

from newswire.wire.errors import WireError
from newswire.wire.formats._xml import name_of, parse_xml, sniff_root
from newswire.wire.model import ParsedItem
from newswire.wire.registry import WireInput, register


@register
class UnknownXmlParser:
    """Any XML document whose root no other parser claims."""

    name: ClassVar[str] = "unknown_xml"
    content_types: ClassVar[tuple[str, ...]] = ()
    binary: ClassVar[bool] = True

    def sniff(self, head: bytes) -> int:
        return 1 if sniff_root(head) else 0

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        root = parse_xml(wire.data).root
        tag = root.tag if isinstance(root.tag, str) else ""
        namespace = tag[1:].split("}", 1)[0] if tag.startswith("{") else None
        where = f" in namespace {namespace}" if namespace else " (no namespace)"
        raise WireError("unrecognised_format", f"XML with root element <{name_of(root)}>{where}: no parser for it")
