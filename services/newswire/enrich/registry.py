"""The enrichment registry: each stage is one module that registers one pure function.

A stage reads a `Document` and what earlier stages found, and returns its own findings
(keys of the `newswire` extension, plus `subjects` for ninjs). The pipeline times each
stage, and a stage that raises is recorded in `newswire.errors`; the story still ships.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newswire.events.extension import DatelineInfo
from newswire.wire.model import SubjectCode


@dataclass(frozen=True)
class Document:
    """What every enrichment stage sees of a story."""

    text: str  # the main text/plain body; every offset points into it
    headline: str = ""
    declared_language: str | None = None
    dateline: DatelineInfo | None = None
    reference_date: date | None = None
    subjects: tuple[SubjectCode, ...] = field(default_factory=tuple)
    keywords: tuple[str, ...] = field(default_factory=tuple)


Findings = dict[str, Any]
StageFunction = Callable[[Document, Mapping[str, Any]], Findings]


@dataclass(frozen=True)
class Stage:
    name: str
    run: StageFunction
    description: str


_STAGES: dict[str, Stage] = {}


def stage(name: str, description: str) -> Callable[[StageFunction], StageFunction]:
    """Decorator: register `function` as the enrichment stage `name` (runs in import order)."""

    def register(function: StageFunction) -> StageFunction:
        if name in _STAGES:
            raise ValueError(f"enrichment stage {name!r} registered twice")
        _STAGES[name] = Stage(name=name, run=function, description=description)
        return function

    return register


def stages(enabled: tuple[str, ...] | None = None) -> tuple[Stage, ...]:
    """All registered stages in order, or only those named in `enabled` (unknown names raise)."""
    if enabled is None:
        return tuple(_STAGES.values())
    unknown = [name for name in enabled if name not in _STAGES]
    if unknown:
        raise ValueError(f"unknown enrichment stage(s) {unknown}; known: {list(_STAGES)}")
    return tuple(stage for name, stage in _STAGES.items() if name in enabled)
