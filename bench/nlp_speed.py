"""Speed of the shipped Norwegian pipeline (issue 3).

Words per second of the full pipeline (nlp.pipe) with 1 and 2 processes on the
texts of ../shared/corpora/ndt-nob-news.jsonl (309 NDT articles, ~224k words),
and the same for spaCy's tokenizer alone, plus their ratio.
"words" = whitespace-separated words of the input text (independent of tokenisation);
tokens/s (spaCy tokens, punctuation included, whitespace tokens not) is reported too.

Usage: python bench/nlp_speed.py [--limit N] [--processes 1,2] [--batch-size 16] [--json]
Environment: SPORBAR_SHARED (default ../shared next to the repository).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sporbar.analyze.language_model import MODEL_NAME, MODEL_VERSION, load, model_path  # noqa: E402


def texts(limit: int | None):
    shared = Path(os.environ.get("SPORBAR_SHARED", ROOT.parent / "shared"))
    out = []
    with open(shared / "corpora" / "ndt-nob-news.jsonl", encoding="utf8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line)["text"])
    return out[:limit] if limit else out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--processes", default="1,2")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    docs = texts(a.limit)
    n_words = sum(len(t.split()) for t in docs)
    t0 = time.perf_counter()
    nlp = load()
    load_s = time.perf_counter() - t0

    for _ in nlp.pipe(docs[:5]):  # warm up (lexeme and tokenizer caches, lazy inits)
        pass
    for _ in nlp.tokenizer.pipe(docs):
        pass
    t0 = time.perf_counter()
    for _ in nlp.tokenizer.pipe(docs):
        pass
    tok_s = time.perf_counter() - t0
    res = {"model": f"{MODEL_NAME} {MODEL_VERSION}", "pipeline": nlp.pipe_names,
           "cpus": os.cpu_count(), "loadavg_at_start": round(os.getloadavg()[0], 2),
           "articles": len(docs), "words": n_words, "load_s": round(load_s, 2),
           "tokenizer_wps": round(n_words / tok_s)}
    size = sum(f.stat().st_size for f in model_path().rglob("*") if f.is_file())
    res["model_mb"] = round(size / 1e6, 1)
    for n in [int(x) for x in a.processes.split(",")]:
        t0 = time.perf_counter()
        n_tokens = 0
        for doc in nlp.pipe(docs, batch_size=a.batch_size, n_process=n):
            n_tokens += sum(1 for t in doc if not t.is_space)
        s = time.perf_counter() - t0
        res[f"pipeline_wps_{n}proc"] = round(n_words / s)
        res[f"pipeline_tokens_per_s_{n}proc"] = round(n_tokens / s)
        res[f"tokenizer_to_pipeline_ratio_{n}proc"] = round(res["tokenizer_wps"] / (n_words / s), 1)
    if a.json:
        print(json.dumps(res, indent=1))
    else:
        for k, v in res.items():
            print(f"{k:36s} {v}")


if __name__ == "__main__":
    main()
