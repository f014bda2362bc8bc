"""Checks of single settings, and the one-line messages a bad setting produces.

Each check returns the value it was given (normalised) or raises ValueError with a message that says
what is wrong and, where it can, what was probably meant. config.py attaches them to the settings;
`render` turns pydantic's errors into one line per bad setting, naming its NEWSWIRE_ variable.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

PREFIX = "NEWSWIRE_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_TOPIC = re.compile(r"[A-Za-z0-9._-]{1,249}")
# NEWSWIRE_ variables read outside the settings: the local broker script, status page, test harnesses.
# Read outside Settings: build metadata, test harness knobs, and the NER model directory (enrich/ner/_tagger.py).
OTHER_VARIABLES = frozenset({"BUILD_COMMIT", "FAULTS_REPORT", "FUZZ_EXAMPLES", "FUZZ_REPLAY", "NER_MODELS"})
OTHER_PREFIXES = ("LOCAL_KAFKA_",)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or nothing when none is close."""
    options = list(choices)
    folded = {choice.lower(): choice for choice in options}
    close = difflib.get_close_matches(value.lower(), list(folded), n=1, cutoff=0.75)
    return f" (did you mean '{folded[close[0]]}'?)" if close else ""


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{value}'{did_you_mean(value, _zones())}") from None
    return value


def log_level(value: str) -> str:
    level = value.strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(
            f"unknown log level '{value}'{did_you_mean(level, LOG_LEVELS)}; one of {', '.join(LOG_LEVELS)}"
        )
    return level


def stage_names(names: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    for name in names:
        if name not in known:
            raise ValueError(f"unknown enrichment stage '{name}'{did_you_mean(name, known)}; known: {', '.join(known)}")
    return tuple(names)


def bootstrap(value: str) -> str:
    servers = [server.strip() for server in value.split(",")]
    for server in servers:
        host, _, port = server.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"'{server}' is not host:port (comma-separated for several brokers)")
    return ",".join(servers)


def topic_name(value: str) -> str:
    if not _TOPIC.fullmatch(value) or value in (".", ".."):
        raise ValueError(f"'{value}' is not a Kafka topic name (1-249 of letters, digits, '.', '_', '-')")
    return value


def readable_file(value: Path) -> Path:
    if not value.is_file():
        raise ValueError(f"no such file: {value}")
    if not os.access(value, os.R_OK):
        raise ValueError(f"file not readable: {value}")
    return value


def variable(field: str) -> str:
    return PREFIX + field.upper()


def render(errors: Sequence[Mapping[str, Any]], secrets: frozenset[str]) -> list[str]:
    """One line per bad setting: `NEWSWIRE_X='value': problem` (the value left out for secrets)."""
    lines = []
    for error in errors:
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        location = error.get("loc") or ()
        if not location:  # a check across settings names its variables itself
            lines.append(message)
            continue
        field = str(location[0])
        given = error.get("input")
        shown = "" if field in secrets or not isinstance(given, str | int | float) else f"={str(given)[:80]!r}"
        lines.append(f"{variable(field)}{shown}: {message}")
    return lines


def unknown_variables(environ: Mapping[str, str], fields: Iterable[str]) -> list[str]:
    """A warning line for each NEWSWIRE_ variable nothing reads, with the closest known name."""
    known = {variable(field) for field in fields} | {PREFIX + name for name in OTHER_VARIABLES}
    warnings = []
    for name in sorted(environ):
        if not name.startswith(PREFIX) or name in known:
            continue
        if name[len(PREFIX) :].startswith(OTHER_PREFIXES):
            continue
        warnings.append(f"newswire: warning: unknown setting {name} is ignored{did_you_mean(name, known)}")
    return warnings
