"""Coverage-guided fuzzing of sniff -> decode -> parse -> normalise with atheris (libFuzzer).

Not a pytest module (the name does not start with `test_`). Run it by hand, e.g. for 10 minutes:

    .venv/bin/python tests/fuzz/fuzz_pipeline.py -max_total_time=600 -rss_limit_mb=2048 \
        -timeout=10 -max_len=65536 -print_final_stats=1 .fuzz/corpus tests/fixtures/wires

The first corpus directory is where atheris keeps what it learned; it is seeded from
tests/fixtures/wires/** (copied in on the first run, so the fixtures stay untouched).

A finding is any of: an exception escaping `Pipeline.process` (it must never raise), a
rejection with reason `internal` (a parser raised something other than a `WireError`),
a story that does not serialise, a run slower than `-timeout`, or memory above
`-rss_limit_mb`. libFuzzer writes the input as `crash-*`/`timeout-*`/`oom-*` in the
working directory (or -artifact_prefix); copy minimised ones to tests/fixtures/fuzz-crashes/.

`NEWSWIRE_FUZZ_REPLAY=path...` replays saved inputs without atheris and prints the outcome.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fixtures" / "wires"


class InternalRejection(Exception):
    """The pipeline turned an unexpected exception into reason=internal: a parser bug."""


def _pipeline():  # type: ignore[no-untyped-def]
    from newswire.pipeline import Pipeline, PipelineOptions

    return Pipeline(PipelineOptions(enrich_stages=()))


def check(pipeline, data: bytes) -> None:  # type: ignore[no-untyped-def]
    from newswire.pipeline import Accepted, RawMessage

    outcome = pipeline.process(RawMessage(value=data))
    if isinstance(outcome, Accepted):
        for story in outcome.stories:
            story.to_payload()
        return
    if outcome.rejection.reason == "internal":
        raise InternalRejection(f"{outcome.rejection.stage}: {outcome.rejection.detail}")


def seed_corpus(corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for path in sorted(SEEDS.rglob("*")):
        if path.is_file():
            shutil.copy(path, corpus / f"seed-{path.parent.name}-{path.name}")


def main() -> None:
    replay = os.environ.get("NEWSWIRE_FUZZ_REPLAY")
    if replay:
        pipeline = _pipeline()
        for name in replay.split(os.pathsep):
            try:
                check(pipeline, Path(name).read_bytes())
                print(f"{name}: ok")
            except Exception as error:  # report and go on
                print(f"{name}: {type(error).__name__}: {error}")
        return

    import atheris

    with atheris.instrument_imports(include=["newswire"]):
        pipeline = _pipeline()

    corpus_dirs = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if corpus_dirs:
        seed_corpus(Path(corpus_dirs[0]))

    def one_input(data: bytes) -> None:
        check(pipeline, data)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
