"""W3C trace context from raw headers to ce_traceparent / ce_tracestate (pure, no broker)."""

from __future__ import annotations

from newswire.stream.envelope import Record
from newswire.stream.tracing import parse_traceparent, trace_headers, traced

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_valid_and_invalid_traceparents() -> None:
    assert parse_traceparent(PARENT) == ("4bf92f3577b34da6a3ce929d0e0e4736", "01")
    assert parse_traceparent(PARENT.upper()) == ("4bf92f3577b34da6a3ce929d0e0e4736", "01")
    for bad in (
        None,
        "",
        "garbage",
        "ff" + PARENT[2:],
        "00-" + "0" * 32 + "-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0" * 16 + "-01",
        PARENT + "-extra",
    ):
        assert parse_traceparent(bad) is None, bad
    # a later version may carry more fields
    assert parse_traceparent("01" + PARENT[2:] + "-more") is not None


def test_the_trace_continues_with_a_new_parent_id_and_the_state() -> None:
    out = dict(trace_headers({"traceparent": PARENT.encode(), "tracestate": b"vendor=abc"}))
    version, trace_id, parent, flags = out["ce_traceparent"].decode().split("-")
    assert (version, trace_id, flags) == ("00", "4bf92f3577b34da6a3ce929d0e0e4736", "01")
    assert parent != "00f067aa0ba902b7" and len(parent) == 16
    assert out["ce_tracestate"] == b"vendor=abc"


def test_the_internal_hop_reads_its_own_ce_headers() -> None:
    first = dict(trace_headers({"traceparent": PARENT.encode()}))
    second = dict(trace_headers(first))
    assert second["ce_traceparent"].split(b"-")[1] == first["ce_traceparent"].split(b"-")[1]


def test_a_message_without_context_starts_a_new_sampled_trace() -> None:
    ids = iter(["a" * 32, "b" * 16])
    out = trace_headers({"traceparent": b"not-a-trace", "tracestate": b"x=1"}, random_hex=lambda n: next(ids))
    assert out == [("ce_traceparent", b"00-" + b"a" * 32 + b"-" + b"b" * 16 + b"-01")]
    assert parse_traceparent(trace_headers({})[0][1].decode()) is not None


def test_traced_replaces_rather_than_repeats_headers() -> None:
    record = Record("t", b"k", b"v", [("ce_id", b"1"), ("ce_traceparent", b"old")])
    (out,) = traced([record], {"traceparent": PARENT.encode()})
    names = [name for name, _ in out.headers]
    assert names.count("ce_traceparent") == 1 and names[0] == "ce_id"
    assert b"4bf92f3577b34da6a3ce929d0e0e4736" in dict(out.headers)["ce_traceparent"]
