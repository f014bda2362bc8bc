"""Feed health without a broker: configuration, bounded labels, states, the merged view."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from newswire.config import load_settings
from newswire.events.deadletter import Rejection
from newswire.metrics import Metrics
from newswire.ops.feeds import FeedHealth, FeedSpec, merge_snapshots, parse_duration, parse_feeds, safe_detail


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC).timestamp()


def health(spec: str, clock: Clock, metrics: Metrics | None = None) -> FeedHealth:
    return FeedHealth(parse_feeds(spec), metrics or Metrics(), "UTC", clock)


def test_parse_feeds_cadence_and_quiet_hours() -> None:
    specs = parse_feeds("EFE=10m, ap=2m quiet 22:00-06:00,afp=90s")
    assert specs == (
        FeedSpec("efe", 600.0),
        FeedSpec("ap", 120.0, (time(22, 0), time(6, 0))),
        FeedSpec("afp", 90.0),
    )
    assert parse_duration("1.5h") == 5400.0


@pytest.mark.parametrize(
    "bad", ["efe", "efe=10", "efe=10m quiet", "efe=10m quiet 25:00-06:00", "other=1m", "a=1m,a=2m"]
)
def test_parse_feeds_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_feeds(bad)


def test_bad_feeds_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWIRE_FEEDS", "efe=ten minutes")
    with pytest.raises(ValueError, match=r"(?i)feeds"):
        load_settings()
    monkeypatch.setenv("NEWSWIRE_FEEDS", "efe=10m")
    assert load_settings().feeds == (FeedSpec("efe", 600.0),)


def test_quiet_hours_wrap_midnight() -> None:
    spec = FeedSpec("ap", 60, (time(22, 0), time(6, 0)))
    assert spec.is_quiet(datetime(2026, 1, 1, 23, 30))
    assert spec.is_quiet(datetime(2026, 1, 1, 5, 59))
    assert not spec.is_quiet(datetime(2026, 1, 1, 6, 0))
    assert not spec.is_quiet(datetime(2026, 1, 1, 12, 0))


def test_labels_are_bounded_to_configured_feeds_plus_other() -> None:
    clock, metrics = Clock(NOON), Metrics()
    feeds = health("efe=10m", clock, metrics)
    for name in ("efe", "EFE", "someone-new", None, "x" * 500):
        feeds.record(name, "published")
    labels = {s.labels["feed"] for f in metrics.feed_messages.collect() for s in f.samples}
    assert labels == {"efe", "other"}
    value = metrics.registry.get_sample_value
    assert value("newswire_feed_messages_total", {"feed": "efe", "outcome": "published"}) == 2
    assert value("newswire_feed_messages_total", {"feed": "other", "outcome": "published"}) == 3
    assert value("newswire_feed_expected_interval_seconds", {"feed": "efe"}) == 600


def test_a_feed_that_stops_goes_silent_and_one_that_sends_stays_ok() -> None:
    clock, metrics = Clock(NOON), Metrics()
    feeds = health("efe=10m, ap=2m", clock, metrics)
    assert {r["feed"]: r["state"] for r in feeds.snapshot()} == {"efe": "waiting", "ap": "waiting"}
    for _ in range(20):  # both send for 20 minutes, then efe stops and ap keeps going
        clock.now += 60
        feeds.record("efe", "published", sent_at=clock.now - 0.5)
        feeds.record("ap", "published")
    last_efe = clock.now - 0.5
    for _ in range(11):
        clock.now += 60
        feeds.record("ap", "duplicate")
    rows = {r["feed"]: r for r in feeds.snapshot()}
    assert rows["efe"]["state"] == "silent"
    assert rows["efe"]["last_seen"] == last_efe
    assert rows["efe"]["silent_s"] == pytest.approx(660.5)
    assert rows["ap"]["state"] == "ok"
    assert rows["ap"]["rate_per_min"] == pytest.approx(1.0, abs=0.1)
    assert rows["ap"]["outcomes"] == {"published": 20, "deadlettered": 0, "duplicate": 11}
    gauge = metrics.registry.get_sample_value("newswire_feed_last_message_timestamp_seconds", {"feed": "efe"})
    assert gauge == last_efe


def test_silence_inside_quiet_hours_is_quiet_not_silent() -> None:
    night = datetime(2026, 12, 7, 23, 0, tzinfo=UTC).timestamp()
    clock, metrics = Clock(night), Metrics()
    feeds = health("ap=2m quiet 22:00-06:00", clock, metrics)
    feeds.record("ap", "published")
    clock.now += 3600
    feeds.refresh()
    assert feeds.snapshot()[0]["state"] == "quiet"
    assert metrics.registry.get_sample_value("newswire_feed_quiet", {"feed": "ap"}) == 1
    clock.now += 7 * 3600  # 07:00: quiet hours over, still nothing
    feeds.refresh()
    assert feeds.snapshot()[0]["state"] == "silent"
    assert metrics.registry.get_sample_value("newswire_feed_quiet", {"feed": "ap"}) == 0


def test_dead_letter_ratio_failing_and_recent_notes_without_text() -> None:
    clock = Clock(NOON)
    feeds = health("efe=10m", clock)
    body = "Secret story text that must never reach the status page"
    for index in range(10):
        clock.now += 10
        if index % 2:
            rejection = Rejection(reason="malformed", stage="parse", detail="unclosed element at line 3")
            feeds.record("efe", "deadlettered", rejection=rejection, where=f"wire.raw/0/{index}")
        else:
            feeds.record("efe", "published")
    row = feeds.snapshot()[0]
    assert row["deadletter_ratio"] == 0.5
    assert row["state"] == "failing"
    assert len(feeds.recent) == 5
    assert feeds.recent[0].where == "wire.raw/0/9"
    assert body not in repr(list(feeds.recent))
    clock.now += 16 * 60  # out of the 15-minute window: no longer failing, and silent
    assert feeds.snapshot()[0]["deadletter_ratio"] == 0.0
    assert feeds.snapshot()[0]["state"] == "silent"


def test_merge_takes_the_freshest_worker_and_sums_counts() -> None:
    clock = Clock(NOON)
    one, two = health("efe=2m", clock), health("efe=2m", clock)
    one.record("efe", "published")
    clock.now += 300
    two.record("efe", "deadlettered")
    two.record("efe", "published")
    assert one.snapshot()[0]["state"] == "silent"
    merged = merge_snapshots(one.snapshot() + two.snapshot())
    assert len(merged) == 1
    row = merged[0]
    assert row["state"] == "ok"  # one says silent (it saw efe 5 min ago), two saw it just now
    assert row["outcomes"] == {"published": 2, "deadlettered": 1, "duplicate": 0}
    assert row["deadletter_ratio"] == pytest.approx(1 / 3, abs=1e-3)


def test_quoted_input_in_a_detail_never_reaches_the_status_page() -> None:
    from pydantic import BaseModel, ValidationError

    class Model(BaseModel):
        count: int

    with pytest.raises(ValidationError) as caught:
        Model(count="The harbour, said the minister, will 'reopen' soon")  # type: ignore[arg-type]
    detail = f"ValidationError: {caught.value}"
    assert "harbour" in detail
    clock = Clock(NOON)
    feeds = health("efe=10m", clock)
    feeds.record("x" * 500, "deadlettered", rejection=Rejection(reason="internal", stage="pipeline", detail=detail))
    note = feeds.recent[0]
    assert "harbour" not in note.detail and "input_value=<omitted>" in note.detail
    assert note.feed == "x" * 64 and len(note.detail) <= 200
    assert safe_detail("unclosed element at line 3") == "unclosed element at line 3"


def test_a_feed_spec_prints_as_the_setting_reads() -> None:
    text = "efe=10m,ap=2m quiet 22:00-06:00,afp=90s,night=1.5h,slow=2d"
    specs = parse_feeds(text)
    assert ",".join(str(spec) for spec in specs) == "efe=10m,ap=2m quiet 22:00-06:00,afp=90s,night=90m,slow=2d"
    assert parse_feeds(",".join(str(spec) for spec in specs)) == specs
