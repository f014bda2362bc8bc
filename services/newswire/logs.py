"""Logging: JSON lines when not on a terminal (for log shippers), readable lines on one.

Under `newswire serve` mode's worker sets up its own handlers when it starts; the worker calls
`configure_logging` again right after (stream/service.py), so faust's, mode's and aiokafka's lines
come out in the same format as ours. Python warnings and uncaught exceptions go through logging too,
so with JSON on, every line the process writes is one JSON object.

A line logged while a message is being handled carries that message's topic, partition, offset and
(once known) story uri: the agents call `about_message`, and every task they start inherits it.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType

from newswire.config import Settings

_CONTEXT_FIELDS = ("uri", "topic", "partition", "offset", "stage", "duration_ms", "reason")
_MESSAGE: ContextVar[dict[str, object] | None] = ContextVar("newswire_log_message", default=None)


def about_message(topic: str | None, partition: int | None, offset: int | None, uri: str | None = None) -> None:
    """Lines logged from here on in this task (and the tasks it starts) are about this message."""
    fields: dict[str, object] = {"topic": topic, "partition": partition, "offset": offset}
    if uri:
        fields["uri"] = uri
    _MESSAGE.set(fields)


def about_story(uri: str | None) -> None:
    """The message being handled turned out to be this story."""
    fields = _MESSAGE.get()
    if fields is not None and uri:
        _MESSAGE.set({**fields, "uri": uri})  # a new dict: tasks already started keep what they had


class MessageContext(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in (_MESSAGE.get() or {}).items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _CONTEXT_FIELDS:
            if hasattr(record, name):
                event[name] = getattr(record, name)
        traced = getattr(record, "trace", None)
        if isinstance(traced, dict):  # stream/offset_trace.py: the event's own fields, at the top level
            event.update(traced)
        if record.exc_info:
            event["error"] = self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False, default=str)


def as_json(settings: Settings) -> bool:
    return settings.log_format == "json" or (settings.log_format == "auto" and not sys.stderr.isatty())


def _log_uncaught(kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
    logging.getLogger("newswire").critical("uncaught %s: %s", kind.__name__, error, exc_info=(kind, error, traceback))


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if as_json(settings) else logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    )
    handler.addFilter(MessageContext())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    logging.captureWarnings(True)  # warnings.warn would print plain lines to stderr
    sys.excepthook = _log_uncaught
