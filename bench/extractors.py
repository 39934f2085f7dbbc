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

from sporbar.analyze.extractors.numbers import extract_numbers
from sporbar.analyze.extractors.quotes import extract_quotes
from sporbar.analyze.extractors.roles import extract_roles
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
    from spacy.tokens import Doc

    for name in ("roles", "quotes", "numbers"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}")
    print(f"articles: {len(texts)}, words: {words:,}")
    print(f"language model (CPU seconds, 1 process): {model_seconds:.2f} s ({words / model_seconds:,.0f} words/s)")
    for name, extract in (("roles", extract_roles), ("quotes", extract_quotes), ("numbers", extract_numbers)):
        timings = []
        found = 0
        for _ in range(args.repeat):
            started = time.process_time()
            found = 0
            for doc in docs:
                facts = extract(doc)
                if name == "roles":
                    doc._.roles = facts  # the quote extractor reads the roles
                found += len(facts)
            timings.append(time.process_time() - started)
        seconds = sorted(timings)[len(timings) // 2]
        ratio = seconds / model_seconds
        target = f"  (issue 4 target ≤ 20 %: {'met' if ratio <= 0.2 else 'NOT met'})" if name == "quotes" else ""
        print(f"{name} extractor (CPU seconds, median of {args.repeat}): {seconds:.2f} s, {found:,} found, {ratio:.1%} of the model{target}")


if __name__ == "__main__":
    main()
