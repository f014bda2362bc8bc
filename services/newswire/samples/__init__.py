"""Sample wires bundled for `make run` and the tests.

Every text here is invented for this project (no agency copy); each imitates a shape
agencies use: EFE Spanish, AP English, AFP French, dpa German plain text.
"""

from pathlib import Path

SAMPLES_DIR = Path(__file__).parent / "wires"


def sample_paths() -> list[Path]:
    return sorted(p for p in SAMPLES_DIR.iterdir() if p.suffix in (".txt", ".xml", ".json", ".anpa") and p.is_file())
