"""A document's internal DTD subset, read by us so that libxml2 never sees an entity declaration.

Real NewsML 1.2 and NITF often carry an internal subset: `[<!ENTITY % nitf SYSTEM "nitf-3-0.dtd"> %nitf;]`
(a DTD module reference) or a few internal general entities (`<!ENTITY eacute "&#233;">`). `strip_subset`
takes the subset out of the text, keeps the DOCTYPE's name and external id (never fetched), and expands the
internal general entities itself, within bounds:

- at most `MAX_ENTITIES` declarations, a replacement text nested at most `MAX_ENTITY_DEPTH` references deep,
  at most `MAX_ENTITY_REFERENCES` references expanded in the document and at most `MAX_EXPANSION_CHARS`
  characters added by them (billion laughs and the quadratic blow-up fail here);
- an external general entity (`<!ENTITY x SYSTEM "file:///etc/passwd">`) is refused (XXE), and so is a
  parameter entity whose system id is an absolute URL (`SYSTEM "http://..."`, an out-of-band fetch) or
  whose value is a literal (DTD-level expansion tricks); a relative module reference (`"nitf-3-0.dtd"`)
  is kept as the harmless declaration it is and never loaded.

Every refusal is `forbidden_xml`. References inside CDATA sections and comments are left alone, as XML says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newswire.wire.errors import WireError

MAX_ENTITIES = 256
MAX_ENTITY_DEPTH = 4
MAX_ENTITY_REFERENCES = 20_000
MAX_EXPANSION_CHARS = 1_000_000

_DOCTYPE = re.compile(r"<!DOCTYPE\s+([^\s\[>]+)", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_DECLARATION = re.compile(r"<!--.*?-->|<\?.*?\?>|<!(?:\"[^\"]*\"|'[^']*'|[^>\"'])*>|%[^;\s]+;|\s+", re.DOTALL)
_ENTITY = re.compile(
    r"<!ENTITY\s+(?P<pe>%\s+)?(?P<name>[^\s%;&<>\"']+)\s+(?:(?P<value>\"[^\"]*\"|'[^']*')"
    r"|(?P<external>(?:SYSTEM|PUBLIC)\s.*))\s*>$",
    re.DOTALL,
)
_REFERENCE = re.compile(r"&([A-Za-z_:][\w.:-]*);")
_VERBATIM = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.DOTALL)
_URL_SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")
_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})


@dataclass
class _Expander:
    values: dict[str, str]
    cache: dict[str, str] = field(default_factory=dict)
    references: int = 0
    added: int = 0

    def entity(self, name: str, depth: int = 1, seen: tuple[str, ...] = ()) -> str:
        if name in self.cache:
            return self.cache[name]
        if name in seen:
            raise WireError("forbidden_xml", f"entity &{name}; refers to itself")
        if depth > MAX_ENTITY_DEPTH:
            raise WireError("forbidden_xml", f"entities nested deeper than {MAX_ENTITY_DEPTH}")
        pieces: list[str] = []
        size = 0
        position = 0
        value = self.values[name]
        for found in _REFERENCE.finditer(value):
            inner = found.group(1)
            if inner not in self.values:
                continue
            expanded = self.entity(inner, depth + 1, (*seen, name))
            pieces.append(value[position : found.start()])
            pieces.append(expanded)
            size += found.start() - position + len(expanded)
            position = found.end()
            if size > MAX_EXPANSION_CHARS:
                raise WireError("forbidden_xml", f"entity &{name}; expands past {MAX_EXPANSION_CHARS} characters")
        pieces.append(value[position:])
        # Quotes escaped: the text is valid both in content and in attribute values.
        text = "".join(pieces).replace('"', "&quot;").replace("'", "&apos;")
        self.cache[name] = text
        return text

    def document(self, text: str) -> str:
        out: list[str] = []
        position = 0
        for verbatim in _VERBATIM.finditer(text):
            out.append(self._expand(text[position : verbatim.start()]))
            out.append(verbatim.group())
            position = verbatim.end()
        out.append(self._expand(text[position:]))
        return "".join(out)

    def _expand(self, text: str) -> str:
        def replace(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in self.values:
                return found.group()
            self.references += 1
            if self.references > MAX_ENTITY_REFERENCES:
                raise WireError("forbidden_xml", f"more than {MAX_ENTITY_REFERENCES} entity references")
            expanded = self.entity(name)
            self.added += len(expanded)
            if self.added > MAX_EXPANSION_CHARS:
                raise WireError("forbidden_xml", f"entities add more than {MAX_EXPANSION_CHARS} characters")
            return expanded

        return _REFERENCE.sub(replace, text)


def _subset_end(text: str, start: int) -> int:
    """Index just past the `]` that closes an internal subset opened at `start` (after its `[`)."""
    position = start
    while position < len(text):
        if text[position] == "]":
            return position + 1
        found = _DECLARATION.match(text, position)
        if found is None or not found.group():
            raise WireError("malformed", "the DOCTYPE's internal subset is not well-formed")
        position = found.end()
    raise WireError("malformed", "the DOCTYPE's internal subset is not closed")


def _declarations(subset: str) -> dict[str, str]:
    """The internal general entities a subset declares (name -> literal value); refuses the dangerous kinds."""
    values: dict[str, str] = {}
    for found in _DECLARATION.finditer(subset):
        declaration = found.group()
        if not declaration.startswith("<!ENTITY"):
            continue
        entity = _ENTITY.match(declaration)
        if entity is None:
            raise WireError("forbidden_xml", "an entity declaration that cannot be read safely")
        name, external = entity["name"], entity["external"]
        if entity["pe"]:
            if external is None:
                raise WireError("forbidden_xml", f"parameter entity %{name}; with a literal value refused")
            system = _QUOTED.findall(external)
            if any(_URL_SCHEME.match(literal[1:-1]) for literal in system):
                raise WireError("forbidden_xml", f"parameter entity %{name}; names a URL (external fetch refused)")
            continue  # a relative DTD module reference: declared, never loaded
        if external is not None:
            raise WireError("forbidden_xml", f"external entity &{name}; refused (XXE)")
        if len(values) >= MAX_ENTITIES:
            raise WireError("forbidden_xml", f"more than {MAX_ENTITIES} entity declarations")
        if name not in _PREDEFINED:
            values.setdefault(name, entity["value"][1:-1])  # the first declaration binds, as in XML
    return values


def strip_subset(text: str) -> str:
    """The document without its internal DTD subset, internal general entities expanded (see module doc)."""
    doctype = _DOCTYPE.search(text)
    if doctype is None:
        return text
    position = doctype.end()
    external: list[str] = []
    while position < len(text) and text[position] not in "[>":
        quoted = _QUOTED.match(text, position)
        if quoted:
            external.append(quoted.group())
            position = quoted.end()
            continue
        word = re.match(r"\s+|[^\s\[>\"']+", text[position:])
        if word is None:
            raise WireError("malformed", "the DOCTYPE is not well-formed")
        if word.group().strip():
            external.append(word.group())
        position += len(word.group())
    if position >= len(text):
        raise WireError("malformed", "the DOCTYPE is not closed")
    if text[position] == ">":
        return text  # no internal subset: nothing declared here
    end = _subset_end(text, position + 1)
    close = re.match(r"\s*>", text[end:])
    if close is None:
        raise WireError("malformed", "the DOCTYPE is not closed after its internal subset")
    values = _declarations(text[position + 1 : end - 1])
    kept = " ".join([doctype.group(), *external]) + ">"
    rest = text[end + close.end() :]
    if values:
        rest = _Expander(values).document(rest)
    return text[: doctype.start()] + kept + rest
