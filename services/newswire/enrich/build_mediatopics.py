"""Build the compact IPTC Media Topics model shipped as `enrich/data/mediatopics.json.gz`.

Build-time only; reads the IPTC vocabularies in ../shared/standards (or the paths given):

    .venv/bin/python -m newswire.enrich.build_mediatopics \
        [--current mediatopics-cptall-en-GB-2025-10-09.json] \
        [--multilingual mediatopics-KI-medtop-multilang-2015ish.json]

Sources: IPTC Media Topics (CC BY 4.0, IPTC): the current en-GB vocabulary gives the live
concepts, hierarchy, definitions and the mapping from IPTC Subject Codes (exactMatch /
closeMatch to `subjectcode/...`); the 2015 multilingual edition gives labels in es, fr, de
and ar (and German definitions). `data/subject_cues.json` adds hand-written cue words.

Output: {"topics": {code: {"parent": code|null, "names": {lang: label}}},
         "terms": {lang: {stemmed term: [[code, weight], ...]}},
         "subjectcode": {subject code: media topic code (exact or close match, else the broadest
                         topic with a broadMatch to it)}}
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

from newswire.enrich.lexical import WORD, fold_word, load_json, stem, stopwords

HERE = Path(__file__).resolve().parent
STANDARDS = HERE.parents[2].parent / "shared" / "standards"
CURRENT = STANDARDS / "mediatopics-cptall-en-GB-2025-10-09.json"
MULTILINGUAL = STANDARDS / "mediatopics-KI-medtop-multilang-2015ish.json"
OUT = HERE / "data" / "mediatopics.json.gz"
LANGS = ("en", "es", "fr", "de")
LABEL_WEIGHT, PHRASE_WEIGHT, DEFINITION_WEIGHT, CUE_WEIGHT = 1.0, 1.5, 0.2, 2.0
# words of cue phrases that say nothing alone
VAGUE = frozenset(
    [
        "casa",
        "blanca",
        "house",
        "white",
        "primer",
        "prime",
        "alto",
        "medio",
        "ola",
        "millones",
        "euros",
        "state",
        "estado",
        "line",
        "linea",
    ]
)


def code_of(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1].replace("medtop:", "")


def content_stems(text: str, lang: str) -> list[str]:
    common = stopwords(lang)
    keys = [fold_word(w) for w in WORD.findall(text)]
    return [stem(k) for k in keys if len(k) > 2 and k not in common and not k.isdigit()]


def _depth(code: str, topics: dict[str, dict[str, Any]]) -> int:
    depth = 0
    parent = topics.get(code, {}).get("parent")
    while parent:
        depth += 1
        parent = topics.get(parent, {}).get("parent")
    return depth


def build(current: Path, multilingual: Path) -> dict[str, Any]:
    now = json.loads(current.read_text(encoding="utf-8"))["conceptSet"]
    old = {c["qcode"]: c for c in json.loads(multilingual.read_text(encoding="utf-8"))["conceptSet"]}
    topics: dict[str, dict[str, Any]] = {}
    subjectcode: dict[str, str] = {}
    broad: dict[str, list[str]] = defaultdict(list)  # subject code -> media topics it is broader than
    raw: dict[str, list[tuple[str, str, float]]] = defaultdict(list)  # lang -> (term, code, weight)
    for concept in now:
        if concept.get("retired"):
            continue
        code = code_of(concept["qcode"])
        parents = [code_of(b) for b in concept.get("broader", [])]
        names = {"en": concept["prefLabel"]["en-GB"]}
        earlier = old.get(concept["qcode"], {})
        for lang in ("es", "fr", "de", "ar"):
            label = earlier.get("prefLabel", {}).get(lang)
            if label:
                names[lang] = label
        topics[code] = {"parent": parents[0] if parents else None, "names": names}
        for relation in ("exactMatch", "closeMatch"):
            for match in concept.get(relation, []):
                if "/subjectcode/" in match:
                    subjectcode.setdefault(code_of(match), code)
        for match in concept.get("broadMatch", []):
            if "/subjectcode/" in match:
                broad[code_of(match)].append(code)
        definitions = {"en": concept.get("definition", {}).get("en-GB", "")}
        definitions["de"] = earlier.get("definition", {}).get("de", "")
        for lang in LANGS:
            label = names.get(lang)
            if label:
                for part in label.replace(" and ", ",").replace(" y ", ",").replace(" et ", ",").split(","):
                    stems = content_stems(part.replace(" und ", ","), lang)
                    for s in stems:
                        raw[lang].append((s, code, LABEL_WEIGHT))
                    if 1 < len(stems) <= 3:
                        raw[lang].append((" ".join(stems), code, PHRASE_WEIGHT))
            for s in set(content_stems(definitions.get(lang) or "", lang)):
                raw[lang].append((s, code, DEFINITION_WEIGHT))
    # a subject code with no exact or close match maps to the broadest media topic that names it
    for subject, candidates in broad.items():
        if subject not in subjectcode:
            subjectcode[subject] = min(candidates, key=lambda c: (_depth(c, topics), c))
    cues: dict[str, dict[str, list[str]]] = load_json("subject_cues.json")
    for code, by_lang in cues.items():
        for lang, words in by_lang.items():
            for word in words:
                if fold_word(word) in VAGUE:
                    continue
                for s in content_stems(word, lang):
                    raw[lang].append((s, code, CUE_WEIGHT))
    terms: dict[str, dict[str, list[list[Any]]]] = {}
    for lang, entries in raw.items():
        per_term: dict[str, dict[str, float]] = defaultdict(dict)
        for term, code, weight in entries:
            per_term[term][code] = max(per_term[term].get(code, 0.0), weight)
        terms[lang] = {
            term: [[code, round(weight / (1.0 + math.log(len(codes))), 3)] for code, weight in sorted(codes.items())]
            for term, codes in sorted(per_term.items())
        }
    return {"topics": topics, "terms": terms, "subjectcode": dict(sorted(subjectcode.items()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--current", type=Path, default=CURRENT)
    parser.add_argument("--multilingual", type=Path, default=MULTILINGUAL)
    args = parser.parse_args()
    data = build(args.current, args.multilingual)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    OUT.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    sizes = {lang: len(t) for lang, t in data["terms"].items()}
    print(f"{OUT}: {len(data['topics'])} topics, terms {sizes}, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
