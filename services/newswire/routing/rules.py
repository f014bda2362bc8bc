"""The routing file's schema (pydantic v2, unknown fields rejected) and its YAML/TOML reader.

A routing file names routes; each sends the stories its `match` expression accepts to a Kafka topic:

    default_topic: true            # every story also goes to the main stories topic (the default)
    routes:
      - name: sport
        topic: news.sport
        match: {medtop: ["15000000"]}        # Media Topic codes match their descendants too

A match expression is a mapping of operators; several operators in one mapping must all hold.

    language: es | [es, pt-BR]      story language; `es` also matches `es-MX`
    source:   [afp, reuters]        feed id (`source` header), agency / infosource name (case-insensitive)
    urgency:  {min: 1, max: 2} | 1  inclusive range; a story without urgency never matches
    kind:     [correction, kill]    story | update | correction | kill | advisory | table
    medtop:   ["15000000"]          IPTC Media Topic codes (`medtop:` prefix optional), descendants included
    entity:   [Q312, "Apple Inc."]  entity ids (Wikidata QID in any spelling, or a KB id/URI) or names
    country:  [AR, MX]              ISO 3166-1 alpha-2 of the dateline place or a place mentioned
    geonames: [3435910]             GeoNames id of the dateline place or a place mentioned
    keyword:  [election]            story keywords (case-insensitive, whole keyword)
    all: [expr, ...]  any: [expr, ...]  not: expr

Values may be written as a single scalar or a list. YAML is read with booleans limited to
true/false (so `NO`, Norway, stays a string) and zero-led numbers kept as strings (`01000000`).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, get_args

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from newswire.events.extension import StoryKind
from newswire.routing.vocabulary import code_of, medtop_tree

OPERATORS: tuple[str, ...] = (
    "language",
    "source",
    "urgency",
    "kind",
    "medtop",
    "entity",
    "country",
    "geonames",
    "keyword",
    "all",
    "any",
    "not",
)
KINDS: tuple[str, ...] = get_args(StoryKind)

_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_GEONAMES = re.compile(r"^(?:geonames:|https?://(?:sws\.|www\.)?geonames\.org/)?(\d+)(?:/.*)?$", re.IGNORECASE)
_TOPIC = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")


# value normalisers ---------------------------------------------------------------------------
def _as_list(value: Any) -> Any:
    """A scalar stands for a one-element list."""
    return value if isinstance(value, list | tuple) else [value]


def _scalar_text(value: Any) -> Any:
    """Numbers written unquoted in YAML are meant as text (codes, ids)."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _language(value: str) -> str:
    tag = value.strip().replace("_", "-").lower()
    if not _LANGUAGE.match(tag):
        raise PydanticCustomError(
            "language", "not a language tag: {value} (expected e.g. en, es, pt-BR)", {"value": repr(value)}
        )
    return tag


def _country(value: str) -> str:
    code = value.strip().upper()
    if not _COUNTRY.match(code):
        raise PydanticCustomError("country", "not an ISO 3166-1 alpha-2 country code: {value}", {"value": repr(value)})
    return code


def _geonames(value: str) -> str:
    match = _GEONAMES.match(value.strip())
    if not match:
        raise PydanticCustomError(
            "geonames", "not a GeoNames id: {value} (expected digits, e.g. 3435910)", {"value": repr(value)}
        )
    return str(int(match.group(1)))


def _medtop(value: str) -> str:
    code = code_of(value)
    if code is None:
        raise PydanticCustomError(
            "medtop",
            "not a Media Topic code: {value} (expected 8 digits, e.g. 15000000 or medtop:15000000)",
            {"value": repr(value)},
        )
    if code not in medtop_tree():
        raise PydanticCustomError("medtop", "unknown Media Topic code {code}", {"code": code})
    return code


def _text(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise PydanticCustomError("empty", "empty value")
    return text


def _nonempty(values: list[Any]) -> list[Any]:
    if not values:
        raise PydanticCustomError("empty_list", "empty list (it would never match); remove the operator instead")
    return values


Text = Annotated[str, BeforeValidator(_scalar_text), AfterValidator(_text)]
Language = Annotated[str, BeforeValidator(_scalar_text), AfterValidator(_language)]
Country = Annotated[str, AfterValidator(_country)]
GeonamesId = Annotated[str, BeforeValidator(_scalar_text), AfterValidator(_geonames)]
MedtopCode = Annotated[str, BeforeValidator(_scalar_text), AfterValidator(_medtop)]

# non-empty lists, written as a list or as a single value
TextList = Annotated[list[Text], BeforeValidator(_as_list), AfterValidator(_nonempty)]
LanguageList = Annotated[list[Language], BeforeValidator(_as_list), AfterValidator(_nonempty)]
CountryList = Annotated[list[Country], BeforeValidator(_as_list), AfterValidator(_nonempty)]
GeonamesList = Annotated[list[GeonamesId], BeforeValidator(_as_list), AfterValidator(_nonempty)]
MedtopList = Annotated[list[MedtopCode], BeforeValidator(_as_list), AfterValidator(_nonempty)]
KindList = Annotated[list[StoryKind], BeforeValidator(_as_list), AfterValidator(_nonempty)]


# models --------------------------------------------------------------------------------------
class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class UrgencyRange(_Rules):
    """Inclusive urgency range (1 = most urgent, 9 = least)."""

    min: int = Field(default=1, ge=1, le=9)
    max: int = Field(default=9, ge=1, le=9)

    @model_validator(mode="before")
    @classmethod
    def _single(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return {"min": value, "max": value}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> UrgencyRange:
        if self.min > self.max:
            raise PydanticCustomError(
                "urgency", "min {min} is greater than max {max}", {"min": self.min, "max": self.max}
            )
        return self


class Match(_Rules):
    """One match expression; the operators present must all hold."""

    language: LanguageList | None = None
    source: TextList | None = None
    urgency: UrgencyRange | None = None
    kind: KindList | None = None
    medtop: MedtopList | None = None
    entity: TextList | None = None
    country: CountryList | None = None
    geonames: GeonamesList | None = None
    keyword: TextList | None = None
    all_: list[Match] | None = Field(default=None, alias="all")
    any_: Annotated[list[Match], BeforeValidator(_as_list), AfterValidator(_nonempty)] | None = Field(
        default=None, alias="any"
    )
    not_: Match | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _some_operator(self) -> Match:
        if not self.model_fields_set:
            raise PydanticCustomError(
                "empty_match", "empty match expression (use one of: {ops})", {"ops": ", ".join(OPERATORS)}
            )
        return self

    def operators(self) -> Iterator[tuple[str, Any]]:
        """(operator, value) for the operators present, in the documented order."""
        for name in OPERATORS:
            value = getattr(self, f"{name}_" if name in ("all", "any", "not") else name)
            if value is not None:
                yield name, value


class Route(_Rules):
    name: str = Field(pattern=_NAME.pattern, description="unique; also the `route` label of newswire_routed_total")
    topic: str = Field(pattern=_TOPIC.pattern, description="Kafka topic the matching stories are sent to")
    match: Match
    description: str | None = None


class RoutesFile(_Rules):
    default_topic: bool = Field(
        default=True, description="also send every story to the main stories topic (settings.topic_stories)"
    )
    routes: list[Route] = Field(default_factory=list)


# reading -------------------------------------------------------------------------------------
Loc = tuple[str | int, ...]


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present (~10x faster)


class RoutesLoader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader with YAML 1.2-style scalars: only true/false are booleans; `0123` stays a string."""


RoutesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
RoutesLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
for _digit in "0123456789":
    RoutesLoader.yaml_implicit_resolvers[_digit].insert(0, ("tag:yaml.org,2002:str", re.compile(r"^0[0-9_]+$")))


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None
    loc: Loc
    message: str
    warning: bool = False

    def render(self, filename: str) -> str:
        where = f"{filename}:{self.line}" if self.line is not None else filename
        path = format_loc(self.loc)
        prefix = "warning: " if self.warning else ""
        return f"{where}: {prefix}{path}: {self.message}" if path else f"{where}: {prefix}{self.message}"


class RulesSyntaxError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def format_loc(loc: Loc) -> str:
    """('routes', 1, 'match', 'medtop', 0) -> 'routes[1].match.medtop[0]'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise RulesSyntaxError(Problem(line, (*loc, key), f"duplicate key {key!r} (first on line {seen[key]})"))
            seen[key] = line
            lines[(*loc, key)] = line
            _walk(value_node, (*loc, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            _walk(item, (*loc, index), lines)


def read_yaml(text: str) -> tuple[Any, dict[Loc, int]]:
    """The document and a map from each key / list item path to its 1-based line."""
    loader = RoutesLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else None
            detail = " ".join(part for part in (error.context, error.problem) if part)
            raise RulesSyntaxError(Problem(line, (), f"YAML syntax error: {detail}")) from error
        if node is None:
            return {}, {}
        lines: dict[Loc, int] = {(): node.start_mark.line + 1}
        _walk(node, (), lines)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def read_toml(text: str) -> tuple[Any, dict[Loc, int]]:
    """TOML document; tomllib keeps no positions, so only syntax errors carry a line."""
    try:
        return tomllib.loads(text), {}
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        raise RulesSyntaxError(
            Problem(int(found.group(1)) if found else None, (), f"TOML syntax error: {error}")
        ) from error


def line_of(loc: Loc, lines: dict[Loc, int]) -> int | None:
    """The line of `loc`, or of its nearest ancestor the file spells out."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


_FIELDS_BY_PARENT: dict[str, tuple[str, ...]] = {
    "file": ("default_topic", "routes"),
    "route": ("name", "topic", "match", "description"),
    "urgency": ("min", "max"),
    "match": OPERATORS,
}


def _parent_kind(parent: Loc) -> str:
    if not parent:
        return "file"
    if len(parent) == 2 and parent[0] == "routes" and isinstance(parent[1], int):
        return "route"
    if parent[-1] == "urgency":
        return "urgency"
    return "match"


def _unknown_key(loc: Loc) -> str:
    key = str(loc[-1])
    kind = _parent_kind(loc[:-1])
    allowed = _FIELDS_BY_PARENT[kind]
    what = "operator" if kind == "match" else "field"
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown {what} {key!r} ({hint}expected one of: {', '.join(allowed)})"


def pydantic_problems(errors: Iterable[Mapping[str, Any]], lines: dict[Loc, int]) -> list[Problem]:
    """Pydantic errors as one Problem each, worded for people editing the file."""
    problems: list[Problem] = []
    for error in errors:
        loc: Loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        kind = error["type"]
        if kind == "extra_forbidden":
            message = _unknown_key(loc)
        elif kind == "missing":
            message = f"missing required field {loc[-1]!r}"
            loc = loc[:-1]
        elif kind == "string_pattern_mismatch" and loc and loc[-1] == "topic":
            message = f"not a valid Kafka topic name: {error.get('input')!r} (letters, digits, '.', '_', '-')"
        elif kind == "string_pattern_mismatch" and loc and loc[-1] == "name":
            message = f"not a valid route name: {error.get('input')!r} (letters, digits, '.', '_', ':', '-')"
        elif kind in ("model_type", "dict_type"):
            got = {list: "a list", str: "text", int: "a number", bool: "true/false"}.get(type(error.get("input")), "")
            message = "expected a mapping (`key: value` lines or {...})" + (f", not {got}" if got else "")
        elif kind == "literal_error" and "kind" in loc:
            message = f"unknown kind {error.get('input')!r} (expected one of: {', '.join(KINDS)})"
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(Problem(line_of(loc, lines), loc, message))
    return problems


def semantic_problems(rules: RoutesFile, lines: dict[Loc, int]) -> list[Problem]:
    """Checks across routes: duplicate names (errors); retired Media Topic codes (warnings)."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, route in enumerate(rules.routes):
        if route.name in first:
            loc: Loc = ("routes", index, "name")
            problems.append(
                Problem(
                    line_of(loc, lines), loc, f"duplicate route name {route.name!r} (also routes[{first[route.name]}])"
                )
            )
        first.setdefault(route.name, index)
    if not rules.routes and not rules.default_topic:
        problems.append(
            Problem(
                line_of(("default_topic",), lines),
                ("default_topic",),
                "no routes and default_topic is false: every story would be dropped",
            )
        )
    tree = medtop_tree()

    def visit(match: Match, loc: Loc) -> None:
        for operator, value in match.operators():
            if operator == "medtop":
                for position, code in enumerate(value):
                    if code in tree.retired:
                        at: Loc = (*loc, "medtop", position)
                        problems.append(
                            Problem(
                                line_of(at, lines),
                                at,
                                f"Media Topic {code} ({tree.label(code)}) was retired on {tree.retired[code]}",
                                warning=True,
                            )
                        )
            elif operator in ("all", "any"):
                for position, sub in enumerate(value):
                    visit(sub, (*loc, operator, position))
            elif operator == "not":
                visit(value, (*loc, "not"))

    for index, route in enumerate(rules.routes):
        visit(route.match, ("routes", index, "match"))
    return problems


ReadFn = Callable[[str], tuple[Any, dict[Loc, int]]]


def reader_for(filename: str) -> ReadFn:
    return read_toml if filename.lower().endswith(".toml") else read_yaml
