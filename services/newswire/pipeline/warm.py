"""Getting a pipeline ready before its first real story: models loaded, the heap frozen."""

from __future__ import annotations

import gc

from newswire.pipeline.core import Pipeline
from newswire.pipeline.message import RawMessage
from newswire.samples import sample_paths

GC_THRESHOLDS = (50_000, 20, 20)  # young, middle, old: collections far apart (see warm_up)


def warm_up(pipeline: Pipeline, freeze: bool = True) -> None:
    """Run the bundled sample wires (one per language the models cover) through the pipeline,
    then move everything alive into the collector's permanent generation.

    Loading the models leaves some 250,000 long-lived objects that never become garbage. Left to
    the collector, every full collection walks all of them: 50-130 ms, once in about every 80
    stories, which was the p99 of a whole story. Frozen, a full collection takes a few ms.

    The young-generation threshold goes up as well. A story's processing raises the collector's
    allocation count by some 1,400 containers, so at the default of 700 every story set off two
    young collections (17,266 over 8,000 stories). Each of them promoted that story's temporaries
    towards the old generation, and a worker then ran a full collection about every 56 stories,
    23 ms each, over the faust, Kafka and identity objects that are not frozen: 5% of a worker's
    CPU (a gc.callbacks probe in a worker draining 8,000 stories). Those temporaries die by
    reference counting long before 50,000 allocations; cycles are still collected.
    """
    for path in sample_paths():
        pipeline.process(RawMessage(value=path.read_bytes()))
    if freeze:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
