"""Assemble the shipped pipeline from the two trained pipelines.

Usage: python training/scripts/assemble.py CORE_MODEL NER_MODEL OUT_DIR [--version X]

CORE_MODEL: tok2vec + tagger + morphologizer + trainable_lemmatizer + parser
(shared tok2vec, floret vectors).  NER_MODEL: ner with its own tok2vec (same
vectors).  Adds the rule-based sporbar_doc_consistency component after ner.
Writes only what nlp.to_disk writes (no training logs, no model-last).
"""
import argparse
import json
import shutil
import sys
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src" / "sporbar" / "analyze"))
import consistency  # noqa: E402,F401  (registers the factory without importing sporbar)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("core")
    ap.add_argument("ner")
    ap.add_argument("out")
    ap.add_argument("--name", default="sporbar")
    ap.add_argument("--version", default="0.1.0")
    ap.add_argument("--no-consistency", action="store_true")
    a = ap.parse_args()
    nlp = spacy.load(a.core)
    ner_nlp = spacy.load(a.ner)
    assert nlp.vocab.vectors.to_bytes(exclude=["strings"]) == ner_nlp.vocab.vectors.to_bytes(
        exclude=["strings"]), "core and ner were trained with different vectors"
    nlp.add_pipe("ner", source=ner_nlp)
    if not a.no_consistency:
        nlp.add_pipe(consistency.FACTORY, after="ner")
    nlp.meta.update({
        "name": a.name, "version": a.version, "lang": "nb",
        "description": "Norwegian Bokmål pipeline for sporbar: NDT tags/morphology, lemmas, "
                       "NDT dependencies, NorNE entities (9 labels); floret vectors on NoReC.",
        "license": "NDT/NorNE annotations CC0; vectors trained on NoReC (CC BY-NC 4.0 texts)",
        "sources": [{"name": "NorNE (Bokmål)", "url": "https://github.com/ltgoslo/norne"},
                    {"name": "NoReC 2.1 text (vectors only)", "url": "https://github.com/ltgoslo/norec"}],
    })
    for name, src in (("core", a.core), ("ner", a.ner)):
        meta = json.loads((Path(src) / "meta.json").read_text())
        nlp.meta.setdefault("training", {})[name] = meta.get("performance", {})
    out = Path(a.out)
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    print("wrote", out, nlp.pipe_names, file=sys.stderr)


if __name__ == "__main__":
    main()
