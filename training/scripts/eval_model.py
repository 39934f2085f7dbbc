"""Print the evaluation tables for a pipeline directory (dev + test, and the articles).

Usage: python training/scripts/eval_model.py MODEL_DIR [--json OUT.json] [--no-consistency]
"""
import argparse
import json
import sys
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src" / "sporbar" / "analyze"))
import consistency  # noqa: E402,F401
import lemma_lookup  # noqa: E402,F401
import paragraphs  # noqa: E402,F401
import evaluate  # noqa: E402


def table(res, key):
    block = res["ner"][key]
    lines = [f"| label | P | R | F | n gold |", "| --- | --- | --- | --- | --- |"]
    for lab, s in list(block["per_label"].items()) + [("micro", block["micro"])]:
        n = s["tp"] + s["fn"]
        lines.append(f"| {lab} | {s['p']:.1f} | {s['r']:.1f} | {s['f']:.1f} | {n} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--json")
    ap.add_argument("--no-consistency", action="store_true")
    ap.add_argument("--no-lemma-lookup", action="store_true")
    ap.add_argument("--splits", default="dev,test")
    ap.add_argument("--corpus", default=str(evaluate.shared_dir() / "corpora" / "ndt-nob-news.jsonl"))
    a = ap.parse_args()
    nlp = spacy.load(a.model)
    if a.no_consistency and consistency.FACTORY in nlp.pipe_names:
        nlp.remove_pipe(consistency.FACTORY)
    if a.no_lemma_lookup and lemma_lookup.FACTORY in nlp.pipe_names:
        nlp.remove_pipe(lemma_lookup.FACTORY)
    out = {}
    for split in a.splits.split(","):
        res = evaluate.evaluate_ner(nlp, split=split)
        out[split] = res
        print(f"\n## {split} (NorNE sentence groups)  pipeline={nlp.pipe_names}")
        print(f"token {res['token_acc']}  POS {res['pos_acc']}  lemma {res['lemma_acc']}  "
              f"UAS {res['dep_uas']}  LAS {res['dep_las']}  sents_f {res['sents_f']}")
        print("\n9 labels\n" + table(res, "labels9"))
        print("\n8 types\n" + table(res, "labels8"))
        if a.corpus and Path(a.corpus).exists():
            d = evaluate.evaluate_ner(nlp, split=split, corpus_path=a.corpus)
            out[split + "_articles"] = d
            m9, m8 = d["ner"]["labels9"]["micro"], d["ner"]["labels8"]["micro"]
            print(f"\narticles ud_split={split} ({d['n_docs']} docs): 9-label F {m9['f']} "
                  f"(P {m9['p']} R {m9['r']}), 8-type F {m8['f']}")
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
