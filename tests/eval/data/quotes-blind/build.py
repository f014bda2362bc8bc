"""Build news.jsonl (the format eval_quotes.py scores) from stories.txt.

    python tests/eval/data/quotes-blind/build.py

stories.txt holds blocks: `=== <id> <lang>`, the story text, `--- gold`, then one gold quote a line:
`<first words of the quoted text> => <speaker's full name or null>`; the quote runs from those words to
its closing mark (nesting of « » followed). A line starting `== ` gives the whole quoted text instead
(raya dialogue, Q&A answers: no marks to close). Gold lines are in text order.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLOSE = {'"': '"', "“": "”", "«": "»", "'": "'", "‘": "’"}


def closing(text: str, start: int, opener: str) -> int:
    """Offset of the mark that closes the quote opened by `opener` just before `start`."""
    closer, depth = CLOSE[opener], 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch == opener and opener != closer:
            depth += 1
        elif ch == closer:
            if opener == "'" and i + 1 < len(text) and text[i + 1].isalpha():
                continue  # an apostrophe, not the closing mark
            if depth == 0:
                return i
            depth -= 1
    raise ValueError(f"no closing {closer!r} after {start}")


def parse(block: str) -> dict[str, object]:
    head, _, rest = block.partition("\n")
    story_id, lang = head.split()
    text, _, gold = rest.partition("\n--- gold\n")
    text = text.strip()
    quotes, cursor = [], 0
    for line in gold.strip().splitlines():
        words, _, speaker = line.rpartition(" => ")
        if words.startswith("== "):
            start = text.index(words[3:], cursor)
            end = start + len(words[3:])
        else:
            if words not in text[cursor:]:
                raise ValueError(f"{story_id}: {words!r}")
            start = text.index(words, cursor)
            end = closing(text, start, text[start - 1])
        quotes.append({"start": start, "end": end, "speaker": None if speaker == "null" else speaker})
        cursor = start + 1
    return {"id": story_id, "lang": lang, "text": text, "quotes": quotes}


def main() -> None:
    blocks = (HERE / "stories.txt").read_text(encoding="utf-8").split("=== ")[1:]
    rows = [parse(block) for block in blocks]
    with (HERE / "news.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_quotes = sum(block.split("\n--- gold\n", 1)[1].strip().count("\n") + 1 for block in blocks)
    print(f"{len(rows)} stories, {n_quotes} gold quotes")


if __name__ == "__main__":
    main()
