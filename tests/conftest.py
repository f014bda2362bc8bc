"""Shared test paths. Kafka fixtures live in tests/integration/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_e6996546eecbb4a4.txt"
STANDARDS = SHARED / "standards"
FIXTURES = REPO_ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    """The real EFE story from ../shared (not copied into the repo); skipped where absent."""
    if not SEED.exists():
        pytest.skip("../shared/seed is not available here")
    return SEED.read_bytes()
