"""Each record once per consumer-group generation: a second read of the same offset is dropped.

After a rebalance with table state to recover, faust 0.15 resumes the flow before it seeks the input
partitions to their committed offsets (faust.tables.recovery; stream/offsets.py now makes the seek
come first, and this module stays as a second guard). Records fetched in between wait in
the agents' buffers, and the seek resets faust's read offset, so the same records are fetched and
delivered again in the same generation. Both copies were processed: at-least-once published the
story twice, and exactly-once committed both copies in successive transactions, so even a
read_committed reader saw the input twice (the exactly-once kill -9 test's repeats, always within a
second after "Seek stream partitions to committed offsets").

A record is dropped only if this generation already took that very offset of its partition: the
offsets taken are kept as a few runs of consecutive reads, so a read that jumps back past offsets
never taken (had a fetch started above the committed offset) still takes those. The first copy
carries the outcome (its ack, its transaction); the second is neither processed nor acked. A new
generation starts afresh: its partitions are read again from the committed offset on purpose.

Used in exactly-once mode only, where commits go through `CommitGate`'s own offsets. With it on in
at-least-once mode, two kill -9 runs of three lost inputs: skipped copies left holes in faust's acked
list, and its commit passes one missing offset at the head of that list (the same defect behind the
at-least-once losses fixed in stream/offsets.py). At-least-once processes such copies twice
(allowed there: the identity stage suppresses the repeat).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from faust.types import TP


@dataclass
class _Taken:
    generation: int
    runs: list[list[int]] = field(default_factory=list)  # [first, last] offsets read in a row; last is current


class FirstReads:
    """Per partition, the offsets taken in the current generation; says whether a record is new."""

    def __init__(self) -> None:
        self._taken: dict[TP, _Taken] = {}

    def first(self, tp: TP, generation: int, offset: int) -> bool:
        """True the first time this generation delivers `offset` of `tp` (the record is then taken)."""
        taken = self._taken.get(tp)
        if taken is None or generation > taken.generation:
            self._taken[tp] = _Taken(generation, [[offset, offset]])
            return True
        if generation < taken.generation:
            return True  # fetched before the rebalance: the stale-event rules decide (never acked)
        if any(first <= offset <= last for first, last in taken.runs):
            return False
        current = taken.runs[-1]
        if offset > current[1]:
            current[1] = offset  # reading on (a gap is a transaction marker or a compacted record)
        else:
            current = [offset, offset]  # read back to offsets not taken yet
            taken.runs.append(current)
        # A run that reached an earlier one continues it: merge them, keeping the list short.
        for other in taken.runs[:-1]:
            if other[0] <= current[1] and other[1] >= current[0]:  # `current` is the last run
                current[0], current[1] = min(current[0], other[0]), max(current[1], other[1])
                taken.runs.remove(other)
        return True
