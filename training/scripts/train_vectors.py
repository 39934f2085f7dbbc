"""Train floret vectors on the NoReC raw text and write them as a floret .vec table.

Usage: python training/scripts/train_vectors.py NOREC_GZ OUT_PREFIX [--dim 200 --bucket 24000 ...]

The text is pre-split on punctuation so that "Oslo," and "Oslo" share one word
vector, roughly as spaCy's Norwegian tokenizer does.  Then
`spacy init vectors nb OUT_PREFIX.floret OUT_DIR --mode floret` turns the
table into spaCy vectors (done by the Makefile).
floret's own RNG seed is fixed (fastText default 0); with >1 thread the result
is not bit-identical between runs.
"""
import argparse
import gzip
import re
import sys
from pathlib import Path

import floret

PUNCT = re.compile(r'([,.:;!?()"«»\[\]{}…]|--)')


def preprocess(src: Path, dst: Path) -> int:
    n = 0
    with gzip.open(src, "rt", encoding="utf8") as fin, open(dst, "w", encoding="utf8") as fout:
        for line in fin:
            line = line.strip()
            if not line:
                continue
            line = PUNCT.sub(r" \1 ", line)
            toks = line.split()
            n += len(toks)
            fout.write(" ".join(toks) + "\n")
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out_prefix")
    ap.add_argument("--dim", type=int, default=200)
    ap.add_argument("--bucket", type=int, default=24000)
    ap.add_argument("--minn", type=int, default=4)
    ap.add_argument("--maxn", type=int, default=5)
    ap.add_argument("--hash-count", type=int, default=2)
    ap.add_argument("--epoch", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    out = Path(args.out_prefix)
    out.parent.mkdir(parents=True, exist_ok=True)
    txt = out.with_suffix(".txt")
    if not txt.exists():
        n = preprocess(Path(args.src), txt)
        print(f"preprocessed {n} tokens -> {txt}", file=sys.stderr, flush=True)
    model = floret.train_unsupervised(
        str(txt),
        model="cbow",
        mode="floret",
        hashCount=args.hash_count,
        bucket=args.bucket,
        minn=args.minn,
        maxn=args.maxn,
        dim=args.dim,
        epoch=args.epoch,
        minCount=args.min_count,
        thread=args.threads,
        verbose=2,
    )
    model.save_floret_vectors(str(out.with_suffix(".floret")))
    print("wrote", out.with_suffix(".floret"), file=sys.stderr)


if __name__ == "__main__":
    main()
