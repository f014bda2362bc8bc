"""Fail closed: `newswire serve` runs only on the faust, aiokafka and mode code its patches were written for.

The modules in stream/ replace or wrap faust and aiokafka internals (docs/delivery.md lists each patch and
what it corrects). A patch written for one release, applied to another, can silently stop working and the
known input loss comes back. So at start-up the worker checks two things and refuses to start otherwise:

1. the installed versions of the three libraries are exactly `VERSIONS`;
2. the source of every function a patch replaces, wraps, copies or relies on hashes to `FINGERPRINTS`
   (a version check alone misses a local edit, a vendored fork or a re-released wheel).

`NEWSWIRE_ALLOW_UNVERIFIED_PATCHES=true` starts anyway, for experts re-auditing an upgrade; the worker then
logs the mismatch at CRITICAL level at every start. To re-audit: `python -m newswire.stream.guard` prints
the installed versions and fingerprints in this module's format (docs/delivery.md, "Upgrading").
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import textwrap
from collections.abc import Callable
from importlib import metadata
from typing import Any, TypeVar

VERSIONS: dict[str, str] = {"faust-streaming": "0.15.3", "aiokafka": "0.14.0", "mode-streaming": "0.7.1"}

# "module:Class.function" -> sha256 of its dedented source, first 16 hex digits. Each entry is either
# patched (replaced, wrapped) or copied by stream/, or its behaviour is what a patch's reasoning rests on.
FINGERPRINTS: dict[str, str] = {
    # stream/offsets.py: count_processed_acks_only wraps it; transactional.py edits its _acked/_acked_index
    "faust.transport.consumer:Consumer.ack": "5548cf0f75843f73",
    # the commit reckoning the delivery invariant rests on (`min(acked) - committed > 1`)
    "faust.transport.consumer:Consumer._new_offset": "2b29afe4dd9a65a3",
    # offsets._deliverable copies its test of which partitions faust delivers
    "faust.transport.consumer:Consumer.getmany": "e486c434b7928ee8",
    # transactional.install_gate replaces it per consumer and calls _commit_offsets
    "faust.transport.consumer:Consumer.force_commit": "464b62ae917215ab",
    "faust.transport.consumer:Consumer._commit_offsets": "86b3e9b0aec773ac",
    # offsets.fetch_only_active and unread_undelivered wrap getmany; unread_undelivered and
    # fairness.prioritise wrap _fetch_records (stacked)
    "faust.transport.drivers.aiokafka:AIOKafkaConsumerThread.getmany": "1b1c58046a9b2bb7",
    "faust.transport.drivers.aiokafka:AIOKafkaConsumerThread._fetch_records": "9e7369fc572de4d0",
    # offsets.seek_before_resume replaces both with copies that seek first
    "faust.tables.recovery:Recovery.on_recovery_completed": "895e7c415a4d1379",
    "faust.tables.recovery:Recovery._resume_streams": "fbe0f747b84c0b27",
    # transactional.SendBuffer wraps it per producer buffer
    "faust.transport.producer:ProducerBuffer._send_pending": "cb00d4e896f85576",
    # transactional.TransactionalSink.reachable reads app.producer._producer, set here
    "faust.transport.drivers.aiokafka:Producer._ensure_producer": "04016bd22147281a",
    # the ack path of an agent's stream: the pure-Python iterator (offsets.python_stream_iterator turns
    # the compiled one off) acks through Event.ack -> Consumer.ack, and chooses between the two in __aiter__
    "faust.streams:Stream.__aiter__": "5b6b0d2ca5f5f765",
    "faust.streams:Stream._py_aiter": "125c81c2d38d6c76",
    "faust.streams:Stream.ack": "c3cfc8c4fc8f0e58",
    # mode: the worker calls on_setup_root_logger after replacing the log handlers (service.Worker puts
    # ours back there, so faust's, mode's and aiokafka's lines stay JSON)
    "mode.worker:Worker._setup_logging": "26771e78197cdaed",
    # offset_trace.install wraps these three (and getmany, ack, _commit_offsets) with NEWSWIRE_TRACE_OFFSETS
    "aiokafka.consumer.consumer:AIOKafkaConsumer.seek": "fec4e1829687b7a8",
    "aiokafka.consumer.consumer:AIOKafkaConsumer.seek_to_committed": "9c20926f17126a19",
    "faust.transport.consumer:Consumer._add_gap": "f1cc1db634f5ea09",
    # aiokafka: an empty partition set means every partition (offsets.fetch_only_active)
    "aiokafka.consumer.fetcher:Fetcher.fetched_records": "e20ce0c8117f12d2",
    # aiokafka: the fetcher's buffer is an OrderedDict in _records (fairness.prioritise reorders it)
    "aiokafka.consumer.fetcher:Fetcher.__init__": "15b78b16e0ee3c19",
    # aiokafka: sink._send_alone picks the partition with it
    "aiokafka.producer.producer:AIOKafkaProducer._partition": "94cd5b19c6f27cfb",
}

OVERRIDE_VARIABLE = "NEWSWIRE_ALLOW_UNVERIFIED_PATCHES"


F = TypeVar("F", bound=Callable[..., Any])


def replacing(new: F, original: Callable[..., Any]) -> F:
    """Mark a patch with the library function it replaces, so the fingerprint is taken of that one."""
    new.__wrapped__ = original  # type: ignore[attr-defined]
    return new


def installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def resolve(target: str) -> Callable[..., Any]:
    """The function `module:Class.name` names, as the library defines it (under any of our wrappers)."""
    module_name, qualname = target.split(":")
    owner: Any = importlib.import_module(module_name)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    function = inspect.getattr_static(owner, name)
    seen = {id(function)}
    while hasattr(function, "__wrapped__") and id(function.__wrapped__) not in seen:  # what our patches replaced
        function = function.__wrapped__
        seen.add(id(function))
    return function  # type: ignore[no-any-return]


def fingerprint(function: Callable[..., Any]) -> str:
    source = textwrap.dedent(inspect.getsource(function))
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def problems(
    versions: dict[str, str] | None = None,
    fingerprints: dict[str, str] | None = None,
    version_of: Callable[[str], str | None] | None = None,
) -> list[str]:
    """Every way the installed libraries differ from what the patches were written for (empty: none)."""
    found = []
    for distribution, wanted in (versions or VERSIONS).items():
        have = (version_of or installed_version)(distribution)
        if have != wanted:
            found.append(f"{distribution} {have or 'missing'} installed, patches written for {wanted}")
    for target, wanted in (fingerprints or FINGERPRINTS).items():
        try:
            have = fingerprint(resolve(target))
        except (ImportError, AttributeError, OSError, TypeError) as error:
            found.append(f"{target} not found ({type(error).__name__})")
            continue
        if have != wanted:
            found.append(f"{target} changed (source hash {have}, patches written for {wanted})")
    return found


def refusal(found: list[str]) -> str:
    """The one line `newswire serve` prints when it refuses to start."""
    return (
        f"newswire serve: refusing to start: {'; '.join(found)}. The delivery patches in stream/ may not "
        f"hold on this code (see docs/delivery.md, 'Upgrading'); {OVERRIDE_VARIABLE}=true starts anyway"
    )


def report() -> str:
    """The installed versions and fingerprints, in this module's format (for re-auditing an upgrade)."""
    lines = ["VERSIONS = {"]
    lines += [f'    "{name}": "{installed_version(name)}",' for name in VERSIONS]
    lines += ["}", "FINGERPRINTS = {"]
    for target, wanted in FINGERPRINTS.items():
        have = fingerprint(resolve(target))
        lines.append(f'    "{target}": "{have}",' + ("" if have == wanted else "  # CHANGED"))
    lines.append("}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
