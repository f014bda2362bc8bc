"""The identity stage's clock: the raw messages' broker time, monotonic and capped by the wall clock."""

from __future__ import annotations

from newswire.config import load_settings
from newswire.identity.clock import StreamClock
from newswire.identity.stage import IdentityOptions, IdentityStage
from newswire.pipeline import RawMessage
from newswire.stream.envelope import Record
from newswire.stream.service import H_RAW_TS, Ingest, Prepared
from tests.unit.test_identity_stage import story

WALL = 1_756_900_000.0


def test_it_follows_the_broker_time_and_never_goes_back() -> None:
    clock = StreamClock()
    assert clock.now(int((WALL - 600) * 1000), WALL) == WALL - 600
    assert clock.now(int((WALL - 300) * 1000), WALL) == WALL - 300
    # A late or redelivered message does not rewind expiry.
    assert clock.now(int((WALL - 900) * 1000), WALL) == WALL - 300
    # One without a timestamp keeps the stream time.
    assert clock.now(None, WALL + 50) == WALL - 300
    assert clock.now(-1, WALL + 50) == WALL - 300


def test_a_fast_producer_clock_cannot_run_it_ahead_of_the_wall() -> None:
    clock = StreamClock()
    assert clock.now(int((WALL + 86_400) * 1000), WALL) == WALL
    assert clock.now(int((WALL - 10) * 1000), WALL + 5) == WALL


def test_without_any_timestamp_it_is_the_wall_clock() -> None:
    clock = StreamClock()
    assert clock.now(None, WALL) == WALL
    assert clock.now(0, WALL + 7) == WALL + 7


def _handoff(worker: Ingest, body: str, offset: int, raw_ms: int) -> RawMessage:
    raw = RawMessage(value=b"x", topic="raw", partition=0, offset=offset, timestamp_ms=raw_ms)
    prepared = worker._forward(raw, (story(body, headline=f"Story {offset}"),))
    assert isinstance(prepared, Prepared)
    record: Record = prepared.records[0]
    headers = dict(record.headers)
    return RawMessage(record.value, headers, key=record.key, topic=record.topic, partition=0, offset=offset)


def test_a_backlog_worked_off_at_once_keeps_only_the_feeds_window_of_state() -> None:
    """300 stories that reached the wire a second apart, all identified within the same instant (a
    worker catching up): with a 60 s window, the state holds about a minute of the feed, not all 300."""
    worker = Ingest(load_settings(enrich_stages=()))
    states: dict[bytes, bytes] = {}
    worker.identity = IdentityStage(states, {}, IdentityOptions(window_s=60.0))
    first_ms = int((WALL - 3600) * 1000)
    for offset in range(300):
        body = f"Historia número {offset} sobre el asunto {offset * 7919 % 1009} con detalles propios {offset}."
        message = _handoff(worker, body, offset, first_ms + offset * 1000)
        assert message.header(H_RAW_TS) == str(first_ms + offset * 1000)
        now = worker.identity_now(message)
        assert now == (first_ms + offset * 1000) / 1000
        prepared, kind = worker.identify(message, now)
        assert kind is None and prepared is not None
        worker.identity.expire(now)
    assert 55 <= len(states) <= 62
