"""`newswire serve` refuses to start on faust/aiokafka/mode code its patches were not written for.

No broker: the refusal comes before the worker is built.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from faust.tables import recovery as faust_recovery

from newswire import cli
from newswire.stream import guard, offsets, service


def test_the_installed_libraries_are_the_ones_the_patches_were_written_for() -> None:
    """Fails after an upgrade (make lock UPGRADE=1) until the patches are re-audited (docs/delivery.md)."""
    assert guard.problems() == []


def test_the_fingerprints_are_of_the_library_functions_even_with_the_patches_installed() -> None:
    offsets.seek_before_resume()
    offsets.count_processed_acks_only(["guard-test.raw"])
    assert faust_recovery.Recovery._resume_streams.__module__ == "newswire.stream.offsets"  # patched
    assert guard.problems() == []


def test_a_changed_version_is_a_problem() -> None:
    def version_of(name: str) -> str | None:
        return "0.15.4" if name == "faust-streaming" else guard.VERSIONS[name]

    (found,) = guard.problems(version_of=version_of)
    assert found == "faust-streaming 0.15.4 installed, patches written for 0.15.3"


def test_a_missing_library_is_a_problem() -> None:
    found = guard.problems(versions={"not-a-real-distribution-19": "1.0"}, fingerprints={})
    assert found == ["not-a-real-distribution-19 missing installed, patches written for 1.0"]


def test_an_edited_patched_function_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    original = guard.resolve("faust.tables.recovery:Recovery._resume_streams")

    async def edited(self: Any, generation_id: int = 0) -> None:  # the same name, another body
        await self.app.on_rebalance_complete.send()

    monkeypatch.setattr(faust_recovery.Recovery, "_resume_streams", edited)
    (found,) = guard.problems(versions={})
    assert found.startswith("faust.tables.recovery:Recovery._resume_streams changed (source hash ")
    assert guard.fingerprint(original) == guard.FINGERPRINTS["faust.tables.recovery:Recovery._resume_streams"]


def test_a_function_that_disappeared_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(faust_recovery.Recovery, "_resume_streams")
    (found,) = guard.problems(versions={}, fingerprints={"faust.tables.recovery:Recovery._resume_streams": "0"})
    assert found == "faust.tables.recovery:Recovery._resume_streams not found (AttributeError)"


class _Built(Exception):
    """Raised instead of building the worker: start-up got past the guard."""


def _never_build(*_: Any, **__: Any) -> Any:
    raise _Built


@pytest.fixture
def wrong_faust(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "installed_version", lambda name: "0.16.0" if name == "faust-streaming" else "x")
    monkeypatch.setattr(service, "build_app", _never_build)
    monkeypatch.delenv("NEWSWIRE_ALLOW_UNVERIFIED_PATCHES", raising=False)


@pytest.mark.usefixtures("wrong_faust")
def test_serve_refuses_to_start_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve"]) == service.EXIT_REFUSED
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("newswire serve: refusing to start: faust-streaming 0.16.0 installed")
    assert "NEWSWIRE_ALLOW_UNVERIFIED_PATCHES" in err


@pytest.mark.usefixtures("wrong_faust")
def test_serve_refuses_an_edited_patched_function(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(guard, "installed_version", guard.VERSIONS.get)  # versions right, a function edited
    monkeypatch.setitem(guard.FINGERPRINTS, "faust.streams:Stream.ack", "0000000000000000")
    assert cli.main(["serve"]) == service.EXIT_REFUSED
    assert "faust.streams:Stream.ack changed" in capsys.readouterr().err


@pytest.mark.usefixtures("wrong_faust")
def test_the_override_starts_anyway_and_says_so_loudly(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("NEWSWIRE_ALLOW_UNVERIFIED_PATCHES", "true")
    with caplog.at_level(logging.CRITICAL), pytest.raises(_Built):
        service.serve(service.Settings())
    (record,) = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert "NEWSWIRE_ALLOW_UNVERIFIED_PATCHES" in record.getMessage()
    assert "faust-streaming 0.16.0 installed" in record.getMessage()
