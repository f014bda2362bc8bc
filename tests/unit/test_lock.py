"""requirements.lock covers pyproject.toml: every declared dependency pinned, hashed, inside its range.

A dependency added to pyproject.toml without `make lock` fails here (and `make install` would not
install it), instead of surfacing as an ImportError on a clean machine.
"""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO_ROOT

LOCK = REPO_ROOT / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for each pin in the lock."""
    pins: dict[str, tuple[str, int]] = {}
    current: str | None = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = [*project["project"]["dependencies"], *project["project"]["optional-dependencies"]["dev"]]
    return [Requirement(name) for name in names] + [Requirement(r) for r in project["build-system"]["requires"]]


def test_every_declared_dependency_is_locked_hashed_and_in_range() -> None:
    locked = _locked()
    problems = []
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{name} is not in requirements.lock")
            continue
        version, hashes = locked[name]
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{name}=={version} is outside pyproject's {requirement.specifier}")
        if hashes == 0:
            problems.append(f"{name} has no hash")
    assert not problems, "run `make lock`: " + "; ".join(problems)


def test_every_pin_in_the_lock_is_exact_and_hashed() -> None:
    locked = _locked()
    assert len(locked) > 20
    assert all(hashes > 0 for _, hashes in locked.values())


def test_the_patched_streaming_libraries_are_pinned_exactly_in_pyproject() -> None:
    """stream/ patches these; `newswire serve` refuses other versions, so a range would only break it."""
    declared = {canonicalize_name(r.name): str(r.specifier) for r in _declared()}
    for name in ("faust-streaming", "aiokafka", "mode-streaming"):
        assert declared[name].startswith("=="), (name, declared[name])
