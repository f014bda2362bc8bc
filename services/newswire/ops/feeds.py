"""Feed health: per feed, when it last sent, what became of its messages, and whether it is late.

A feed is the raw message's `source` header, else the agency the parser found. Feeds come from
configuration (`NEWSWIRE_FEEDS`, each with its expected cadence and optional quiet hours); any
other feed counts as `other`, so metric labels stay bounded. Pure bookkeeping: the service calls
`record` once per final outcome, and the status page and `newswire feeds` read `snapshot`.
"""

from __future__ import annotations

import re
import time as systime
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from newswire.events.deadletter import Rejection
from newswire.events.ninjs import NinjsStory
from newswire.metrics import Metrics

OTHER = "other"
OUTCOMES = ("published", "deadlettered", "duplicate")
WINDOW_S = 15 * 60  # rate and dead-letter ratio are over the last 15 minutes (as the alert's)
# A feed whose dead-letter share over the window is above this is `failing` (FeedDeadLetterRatio's bar).
DEADLETTER_RATIO_BAR = 0.2
DEADLETTER_MIN_COUNT = 5  # ...and at least this many dead letters, so one bad message is not an incident
RECENT_DEADLETTERS = 20
DETAIL_CHARS = 200

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_QUIET = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")


@dataclass(frozen=True)
class FeedSpec:
    """One configured feed: its id, the longest expected gap between messages, its quiet hours."""

    name: str
    cadence_s: float
    quiet: tuple[time, time] | None = None

    def __str__(self) -> str:
        """The setting's own syntax (`ap=2m quiet 22:00-06:00`): what `newswire config check` prints."""
        quiet = f" quiet {self.quiet[0]:%H:%M}-{self.quiet[1]:%H:%M}" if self.quiet else ""
        return f"{self.name}={format_duration(self.cadence_s)}{quiet}"

    def is_quiet(self, at: datetime) -> bool:
        """Inside the quiet hours (a span over midnight, such as 22:00-06:00, wraps)."""
        if self.quiet is None:
            return False
        start, end = self.quiet
        now = at.time()
        return start <= now < end if start <= end else now >= start or now < end


def parse_duration(text: str) -> float:
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"bad duration {text!r} (expected a number and s, m, h or d: 90s, 10m, 2h)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def format_duration(seconds: float) -> str:
    """The largest unit that divides it: 600 -> 10m, 90 -> 90s (parse_duration's inverse)."""
    for unit in ("d", "h", "m"):
        if seconds >= _UNITS[unit] and seconds % _UNITS[unit] == 0:
            return f"{int(seconds // _UNITS[unit])}{unit}"
    return f"{seconds:g}s"


def parse_feeds(text: str) -> tuple[FeedSpec, ...]:
    """`efe=10m, ap=2m quiet 22:00-06:00` -> feed specs. Names are lower case; `other` is reserved."""
    specs: list[FeedSpec] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        name, sep, rest = entry.partition("=")
        name = name.strip().lower()
        if not sep or not _NAME.match(name) or name == OTHER:
            raise ValueError(f"bad feed {entry!r} (expected name=cadence [quiet HH:MM-HH:MM]; `other` is reserved)")
        words = rest.split()
        if len(words) not in (1, 3) or (len(words) == 3 and words[1] != "quiet"):
            raise ValueError(f"bad feed {entry!r} (expected name=cadence [quiet HH:MM-HH:MM])")
        specs.append(FeedSpec(name, parse_duration(words[0]), _parse_quiet(words[2]) if len(words) == 3 else None))
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"a feed is named twice in {text!r}")
    return tuple(specs)


def _parse_quiet(text: str) -> tuple[time, time]:
    match = _QUIET.match(text)
    if not match:
        raise ValueError(f"bad quiet hours {text!r} (expected HH:MM-HH:MM)")
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    try:
        return time(h1, m1), time(h2, m2)
    except ValueError as error:
        raise ValueError(f"bad quiet hours {text!r}: {error}") from None


def agency_of(story: NinjsStory) -> str | None:
    """The agency a parser recorded: newswire's `urn:newswire:agency:<id>` info source, else its name."""
    for source in story.infosources or []:
        uri = getattr(source, "uri", None) or ""
        if uri.startswith("urn:newswire:agency:"):
            return uri.rsplit(":", 1)[1]
    for source in story.infosources or []:
        name = getattr(source, "name", None)
        if name:
            return str(name)
    return None


def feed_of(source: str | None, stories: Iterable[NinjsStory] = ()) -> str | None:
    """The feed id: the `source` header, else the first story's agency (None when neither is known)."""
    if source and source.strip():
        return source.strip().lower()
    for story in stories:
        agency = agency_of(story)
        if agency:
            return agency.strip().lower()
    return None


# pydantic and similar errors quote the offending input (`input_value='...'`): never show that text.
_QUOTED_INPUT = re.compile(r"input_value=(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^,\]]*)")


def safe_detail(detail: str) -> str:
    """A dead letter's detail for the status page: quoted input removed, and short."""
    return _QUOTED_INPUT.sub("input_value=<omitted>", detail)[:DETAIL_CHARS]


@dataclass(frozen=True)
class DeadLetterNote:
    """What the status page shows of a dead letter: where and why, never the message's text."""

    at: float
    feed: str
    reason: str
    stage: str
    detail: str
    where: str


class _Window:
    """Outcome counts per minute over the last WINDOW_S (memory bounded whatever the rate)."""

    def __init__(self) -> None:
        self._minutes: deque[tuple[int, Counter[str]]] = deque()

    def add(self, now: float, outcome: str) -> None:
        minute = int(now // 60)
        if not self._minutes or self._minutes[-1][0] != minute:
            self._minutes.append((minute, Counter()))
        self._minutes[-1][1][outcome] += 1
        self._trim(now)

    def totals(self, now: float) -> Counter[str]:
        self._trim(now)
        total: Counter[str] = Counter()
        for _, counts in self._minutes:
            total.update(counts)
        return total

    def _trim(self, now: float) -> None:
        oldest = int((now - WINDOW_S) // 60)
        while self._minutes and self._minutes[0][0] <= oldest:
            self._minutes.popleft()


class FeedHealth:
    """Per-feed bookkeeping for one worker. `clock` is injectable so tests need no sleeping."""

    def __init__(
        self,
        specs: Iterable[FeedSpec],
        metrics: Metrics,
        timezone: str = "UTC",
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._clock = clock or systime.time
        self.specs = {spec.name: spec for spec in specs}
        self._zone = ZoneInfo(timezone)
        self._metrics = metrics
        self.started = self._clock()
        self._last: dict[str, float] = {}
        self._totals: dict[str, Counter[str]] = {}
        self._windows: dict[str, _Window] = {}
        self.recent: deque[DeadLetterNote] = deque(maxlen=RECENT_DEADLETTERS)
        self._children: dict[tuple[Any, ...], Any] = {}
        for spec in self.specs.values():
            # Until a feed's first message its "last message" is the worker's start: a feed that never
            # sends after a (re)start is still reported silent once its cadence has passed.
            metrics.feed_last_message.labels(feed=spec.name).set(self.started)
            metrics.feed_expected_interval.labels(feed=spec.name).set(spec.cadence_s)
            metrics.feed_quiet.labels(feed=spec.name).set(0)
            for outcome in OUTCOMES:
                metrics.feed_messages.labels(feed=spec.name, outcome=outcome)
        self.refresh()

    def label(self, feed: str | None) -> str:
        """A configured feed's name, else `other` (bounded labels)."""
        name = (feed or "").strip().lower()
        return name if name in self.specs else OTHER

    def record(
        self,
        feed: str | None,
        outcome: str,
        sent_at: float | None = None,
        rejection: Rejection | None = None,
        where: str = "",
    ) -> None:
        """One message's final outcome. `sent_at`: the raw message's broker time (seconds), else now."""
        now = self._clock()
        label = self.label(feed)
        seen = min(sent_at, now) if sent_at else now  # a clock-skewed producer must not look ahead of us
        if seen > self._last.get(label, 0.0):
            self._last[label] = seen
            self._child(self._metrics.feed_last_message, label).set(seen)
        self._totals.setdefault(label, Counter())[outcome] += 1
        self._windows.setdefault(label, _Window()).add(now, outcome)
        self._child(self._metrics.feed_messages, label, outcome).inc()
        if rejection is not None:
            self.recent.appendleft(
                DeadLetterNote(
                    at=now,
                    feed=(feed or "unknown")[:64] if label == OTHER else label,
                    reason=str(rejection.reason),
                    stage=str(rejection.stage),
                    detail=safe_detail(str(rejection.detail or "")),
                    where=where,
                )
            )

    def _child(self, metric: Any, *labels: str) -> Any:
        """A metric's labelled child, looked up once (`labels()` costs more than the update itself)."""
        key = (id(metric), *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    def refresh(self) -> None:
        """Quiet-hours gauges for the clock's present (called from the worker's timer and the status page)."""
        local = datetime.fromtimestamp(self._clock(), tz=self._zone)
        for spec in self.specs.values():
            self._metrics.feed_quiet.labels(feed=spec.name).set(1 if spec.is_quiet(local) else 0)

    def snapshot(self) -> list[dict[str, Any]]:
        """One row per configured feed (and `other` once it has traffic): the status page's and CLI's data."""
        now = self._clock()
        local = datetime.fromtimestamp(now, tz=self._zone)
        names = list(self.specs) + ([OTHER] if OTHER in self._totals else [])
        return [self._row(name, now, local) for name in names]

    def _row(self, name: str, now: float, local: datetime) -> dict[str, Any]:
        spec = self.specs.get(name)
        window = self._windows[name].totals(now) if name in self._windows else Counter()
        in_window = sum(window.values())
        ratio = window["deadlettered"] / in_window if in_window else 0.0
        last = self._last.get(name)
        return {
            "feed": name,
            "state": feed_state(spec, last, self.started, now, local, ratio, window["deadlettered"]),
            "last_seen": last,
            "silent_s": round(now - (last or self.started), 1),
            "cadence_s": spec.cadence_s if spec else None,
            "quiet": spec.is_quiet(local) if spec else False,
            "rate_per_min": round(in_window / (WINDOW_S / 60), 3),
            "deadletter_ratio": round(ratio, 4),
            "outcomes": {outcome: self._totals.get(name, Counter())[outcome] for outcome in OUTCOMES},
            "window": {outcome: window[outcome] for outcome in OUTCOMES},
        }


def feed_state(
    spec: FeedSpec | None,
    last: float | None,
    started: float,
    now: float,
    local: datetime,
    ratio: float,
    deadlettered: int,
) -> str:
    """ok | silent | quiet | waiting (nothing yet, cadence not passed) | failing | unwatched (no cadence)."""
    if deadlettered >= DEADLETTER_MIN_COUNT and ratio > DEADLETTER_RATIO_BAR:
        return "failing"
    if spec is None:
        return "unwatched"
    if now - (last or started) <= spec.cadence_s:
        return "ok" if last is not None else "waiting"
    return "quiet" if spec.is_quiet(local) else "silent"


def merge_snapshots(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Several workers' rows as one per feed (each worker sees only its own partitions' messages):
    summed counts and rates, the ratio over the summed window, the freshest worker's silence, and
    `failing` if any worker's share of dead letters is failing."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen = merged.setdefault(row["feed"], {**row, "outcomes": Counter(), "window": Counter(), "rate_per_min": 0.0})
        seen["outcomes"].update(row["outcomes"])
        seen["window"].update(row["window"])
        seen["rate_per_min"] = round(seen["rate_per_min"] + row["rate_per_min"], 3)
        if (row["last_seen"] or 0) > (seen["last_seen"] or 0) or (
            row["last_seen"] == seen["last_seen"] and row["silent_s"] < seen["silent_s"]
        ):
            seen.update(last_seen=row["last_seen"], silent_s=row["silent_s"], state=row["state"])
        if row["state"] == "failing":
            seen["state"] = "failing"
    for seen in merged.values():
        window = seen["window"]
        seen["deadletter_ratio"] = round(window["deadlettered"] / max(1, sum(window.values())), 4)
        seen["outcomes"], seen["window"] = dict(seen["outcomes"]), dict(window)
    return list(merged.values())
