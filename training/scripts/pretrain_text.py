"""Raw text for `spacy pretrain`: NoReC paragraphs grouped into JSON Lines documents.

Consecutive non-blank lines of ../shared/corpora/norec-text.txt.gz are joined into
documents of at most ``--words`` words (spaCy's pretraining corpus skips documents
longer than its ``max_length`` tokens, 500 in training/configs/ner.cfg).  ``--keep``
takes every k-th document (a deterministic subset, so the file stays small enough to
travel to a GPU machine); ``--keep 1`` uses all of NoReC.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path


def documents(path: Path, max_words: int):  # type: ignore[no-untyped-def]
    lines: list[str] = []
    words = 0
    with gzip.open(path, "rt", encoding="utf-8") as text:
        for raw in text:
            line = raw.strip()
            if not line:
                continue
            n = len(line.split())
            if lines and words + n > max_words:
                yield "\n".join(lines)
                lines, words = [], 0
            if n <= max_words:
                lines.append(line)
                words += n
    if lines:
        yield "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("norec", type=Path)
    parser.add_argument("out", type=Path, help="output .jsonl (or .jsonl.gz)")
    parser.add_argument("--words", type=int, default=250)
    parser.add_argument("--keep", type=int, default=1, help="keep every k-th document")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    kept = words = 0
    opener = gzip.open if args.out.suffix == ".gz" else open
    with opener(args.out, "wt", encoding="utf-8") as out:
        for i, doc in enumerate(documents(args.norec, args.words)):
            if i % args.keep:
                continue
            out.write(json.dumps({"text": doc}, ensure_ascii=False) + "\n")
            kept += 1
            words += len(doc.split())
    print(f"{kept} documents, {words} words -> {args.out}")


if __name__ == "__main__":
    main()
