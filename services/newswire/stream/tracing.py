"""W3C Trace Context from a raw message to its story event (CloudEvents distributed-tracing extension).

A raw message's `traceparent` / `tracestate` headers (or, on the internal hand-off, the `ce_`
names this module wrote) continue on every record made from it as `ce_traceparent` /
`ce_tracestate`: the same trace id, a new parent id for this hop. A message without a valid
`traceparent` starts a new trace. Pure functions; randomness is injectable for tests.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from newswire.stream.envelope import Record

CE_TRACEPARENT, CE_TRACESTATE = "ce_traceparent", "ce_tracestate"
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
_MAX_TRACESTATE = 512  # W3C: vendors may drop tracestate beyond 512 characters


def parse_traceparent(value: str | None) -> tuple[str, str] | None:
    """(trace id, flags) of a valid traceparent, else None (all-zero ids and version ff are invalid)."""
    match = _TRACEPARENT.match((value or "").strip().lower())
    if not match:
        return None
    version, trace_id, parent_id, flags, rest = match.groups()
    if version == "ff" or trace_id == "0" * 32 or parent_id == "0" * 16 or (version == "00" and rest):
        return None
    return trace_id, flags


def _text(headers: Mapping[str, bytes], *names: str) -> str | None:
    for name in names:
        value = headers.get(name)
        if value is not None:
            return value.decode("ascii", errors="replace")
    return None


def trace_headers(
    headers: Mapping[str, bytes], random_hex: Callable[[int], str] = secrets.token_hex
) -> list[tuple[str, bytes]]:
    """The ce_trace headers for records made from a message with these headers."""
    parsed = parse_traceparent(_text(headers, "traceparent", CE_TRACEPARENT))
    trace_id, flags = parsed if parsed else (random_hex(16), "01")
    out = [(CE_TRACEPARENT, f"00-{trace_id}-{random_hex(8)}-{flags}".encode("ascii"))]
    state = _text(headers, "tracestate", CE_TRACESTATE) if parsed else None
    if state and len(state) <= _MAX_TRACESTATE:
        out.append((CE_TRACESTATE, state.encode("ascii", errors="replace")))
    return out


def traced(records: Iterable[Record], headers: Mapping[str, bytes]) -> list[Record]:
    """Records with the trace headers of the message they came from (one hop: one parent id)."""
    added = trace_headers(headers)
    names = {name for name, _ in added}
    return [replace(record, headers=[h for h in record.headers if h[0] not in names] + added) for record in records]
