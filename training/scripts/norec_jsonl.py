"""NoReC raw text -> JSONL ({"text": ...} per document) for `spacy pretrain`.

Usage: python training/scripts/norec_jsonl.py NOREC_GZ OUT.jsonl [--max-docs N]
Documents are shuffled with a fixed seed so that a partial pretraining epoch
sees all sources/years.  Very long reviews are cut into ~20-sentence chunks.
"""
import argparse
import gzip
import json
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--max-docs", type=int, default=0)
    ap.add_argument("--chunk", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    docs, cur = [], []
    with gzip.open(a.src, "rt", encoding="utf8") as f:
        for line in f:
            line = line.strip()
            if not line:
                if cur:
                    docs.append(cur)
                cur = []
            else:
                cur.append(line)
    if cur:
        docs.append(cur)
    chunks = [" ".join(d[i:i + a.chunk]) for d in docs for i in range(0, len(d), a.chunk)]
    random.Random(a.seed).shuffle(chunks)
    if a.max_docs:
        chunks = chunks[: a.max_docs]
    with open(a.out, "w", encoding="utf8") as f:
        for c in chunks:
            f.write(json.dumps({"text": c}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
