#!/usr/bin/env python
"""Check the tagger's opener rule against a model: every run it leaves out must be one the model tags all O.

    PYTHONPATH=services .venv/bin/python tests/eval/check_opener_runs.py [--data ../shared/eval/ner] [--models DIR]

`FeatureExtractor.runs` leaves out a run whose only capitalised token is a common word opening the
sentence (`En`, `La`, `Según`: see `features._opener_only`), so that crfsuite never sees it. That is
exact only while the model tags such runs `O`. This tags every such run of the CoNLL train and dev
sets of each language anyway and prints how many came out otherwise; the exit status is 1 if any did.
Run it after retraining a model (`--models` points at the new model files).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "services"))

from newswire.enrich.ner import _tagger  # noqa: E402
from newswire.enrich.ner.conll import DATA_FILES, read_conll  # noqa: E402


def check(lang: str, data: Path) -> tuple[int, int]:
    """(runs left out, of which the model tags some token other than O) over train and dev of `lang`."""
    model = _tagger._get_model(lang)
    fx = model.features
    left_out = wrong = 0
    for split in ("train", "dev"):
        for tokens, _ in read_conll(data / DATA_FILES[lang][split], DATA_FILES[lang]["encoding"]):
            fx.skip_openers = False
            try:
                every = dict(fx.runs(tokens))
            finally:
                fx.skip_openers = True
            kept = dict(fx.runs(tokens))
            for start in every.keys() - kept.keys():
                left_out += 1
                wrong += any(tag != "O" for tag in model.tagger.tag(every[start]))
    return left_out, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "ner")
    parser.add_argument("--models", type=Path, help="model files from this directory instead of the shipped ones")
    args = parser.parse_args()
    if args.models is not None:
        _tagger.MODEL_DIR = args.models
    failed = False
    for lang in ("es", "en"):
        left_out, wrong = check(lang, args.data)
        print(f"{lang}: {left_out} opener runs left out, {wrong} of them tagged other than O by the model")
        failed = failed or wrong > 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
