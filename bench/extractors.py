"""How much time the extractors add to the language model, on the NDT news corpus.

    python bench/extractors.py [--corpus ../shared/corpora/ndt-nob-news.jsonl] [--articles 309]

Prints the language model's time (spaCy's ``nlp.pipe`` over the articles, one
process), the quote extractor's time over the same parsed Docs, and the ratio.
Target (issue 4): extraction adds no more than 20 % to the model's time.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from sporbar.analyze.extractors.quotes import extract_quotes
from sporbar.analyze.language_model import load
from sporbar.normalize import normalize_text

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "ndt-nob-news.jsonl"))
    parser.add_argument("--articles", type=int, default=309)
    parser.add_argument("--repeat", type=int, default=3, help="extractor passes to time (the median is reported)")
    args = parser.parse_args()

    texts = []
    with open(args.corpus, encoding="utf-8") as lines:
        for line in lines:
            texts.append(normalize_text(json.loads(line)["text"]))
            if len(texts) >= args.articles:
                break
    nlp = load()
    words = sum(len(t.split()) for t in texts)
    list(nlp.pipe(texts[:5]))  # warm up
    started = time.process_time()
    docs = list(nlp.pipe(texts, batch_size=32))
    model_seconds = time.process_time() - started
    timings = []
    quotes = 0
    for _ in range(args.repeat):
        started = time.process_time()
        quotes = sum(len(extract_quotes(doc)) for doc in docs)
        timings.append(time.process_time() - started)
    extractor_seconds = sorted(timings)[len(timings) // 2]
    ratio = extractor_seconds / model_seconds
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}")
    print(f"articles: {len(texts)}, words: {words:,}, quotes found: {quotes:,}")
    print(f"language model (CPU seconds, 1 process): {model_seconds:.2f} s ({words / model_seconds:,.0f} words/s)")
    print(f"quote extractor (CPU seconds, median of {args.repeat}): {extractor_seconds:.2f} s")
    print(f"extractor / model: {ratio:.1%}  (target ≤ 20 %: {'met' if ratio <= 0.2 else 'NOT met'})")


if __name__ == "__main__":
    main()
