"""A record delivered twice in one generation is taken once; a new generation reads afresh."""

from __future__ import annotations

from faust.types import TP

from newswire.stream.rereads import FirstReads

RAW = TP("wire.raw", 0)
OTHER = TP("wire.raw", 1)


def taken(reads: FirstReads, tp: TP, generation: int, offsets: range | list[int]) -> list[int]:
    return [offset for offset in offsets if reads.first(tp, generation, offset)]


def test_the_seek_after_recovery_delivers_copies_that_are_skipped() -> None:
    reads = FirstReads()
    assert taken(reads, RAW, 3, range(100, 150)) == list(range(100, 150))  # fetched before the seek
    # The seek to the committed offset (100) delivers them again, then the records after them.
    assert taken(reads, RAW, 3, range(100, 180)) == list(range(150, 180))


def test_partitions_are_independent() -> None:
    reads = FirstReads()
    assert taken(reads, RAW, 1, range(0, 10)) == list(range(10))
    assert taken(reads, OTHER, 1, range(0, 10)) == list(range(10))
    assert taken(reads, RAW, 1, [5]) == []


def test_a_new_generation_reads_its_partitions_again() -> None:
    reads = FirstReads()
    taken(reads, RAW, 1, range(0, 50))
    assert taken(reads, RAW, 2, range(20, 60)) == list(range(20, 60))


def test_a_record_fetched_before_a_rebalance_is_left_to_the_stale_rules() -> None:
    reads = FirstReads()
    taken(reads, RAW, 2, range(20, 30))
    assert taken(reads, RAW, 1, [25]) == [25]  # stale: never acked, decided elsewhere
    assert taken(reads, RAW, 2, [25, 30]) == [30]  # and it did not disturb generation 2's record


def test_gaps_for_transaction_markers_keep_one_run() -> None:
    reads = FirstReads()
    # Offsets 2, 5 and 6 are markers (or aborted records under read_committed): never delivered.
    assert taken(reads, RAW, 1, [0, 1, 3, 4, 7]) == [0, 1, 3, 4, 7]
    assert taken(reads, RAW, 1, [0, 3, 7, 8]) == [8]


def test_reading_back_below_what_was_taken_takes_the_offsets_never_read() -> None:
    reads = FirstReads()
    assert taken(reads, RAW, 4, range(200, 210)) == list(range(200, 210))
    # A fetch from a lower offset: 190-199 are new, 200-209 copies, then new again from 210.
    assert taken(reads, RAW, 4, range(190, 215)) == list(range(190, 200)) + list(range(210, 215))
    assert taken(reads, RAW, 4, range(185, 216)) == [*range(185, 190), 215]
