"""The worker's CPU settings: the collector's thresholds after warm-up and the producers' linger."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from newswire.config import load_settings
from newswire.pipeline import Pipeline, PipelineOptions
from newswire.pipeline.warm import GC_THRESHOLDS, warm_up
from newswire.stream.service import build_app


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()


@pytest.mark.usefixtures("restored_collector")
def test_warm_up_freezes_the_heap_and_spaces_young_collections() -> None:
    gc.set_threshold(700, 10, 10)
    warm_up(Pipeline(PipelineOptions(enrich_stages=())))
    assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_freeze_count() > 0


@pytest.mark.usefixtures("restored_collector")
def test_warm_up_without_freezing_leaves_the_collector_alone() -> None:
    gc.set_threshold(700, 10, 10)
    warm_up(Pipeline(PipelineOptions(enrich_stages=())), freeze=False)
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("linger_ms", [0, 5, 40])
def test_both_producers_linger_as_configured(linger_ms: int) -> None:
    """The sink (hand-offs, stories, dead letters) and faust's producer (table changelogs)."""
    app, ingest = build_app(load_settings(enrich_stages=(), producer_linger_ms=linger_ms))
    assert app.conf.producer_linger == pytest.approx(linger_ms / 1000)
    assert ingest.sink._options["linger_ms"] == linger_ms  # type: ignore[union-attr]
