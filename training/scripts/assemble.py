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
import consistency  # noqa: E402  (registers the factories without importing sporbar)
import lemma_lookup  # noqa: E402
import paragraphs  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))
from sporbar.lang.nb.titles import PARTIES  # noqa: E402  (plain data module)

sys.path.insert(0, str(ROOT / "training" / "scripts"))
from convert_conll import clean_sentence, read_conll  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("core")
    ap.add_argument("ner")
    ap.add_argument("out")
    ap.add_argument("--name", default="sporbar")
    ap.add_argument("--version", default="0.1.0")
    ap.add_argument("--no-consistency", action="store_true")
    ap.add_argument("--lemma-table", help="NDT training CoNLL for the lemma lookup table")
    ap.add_argument("--lemma-min-share", type=float, default=0.9)
    a = ap.parse_args()
    nlp = spacy.load(a.core)
    ner_nlp = spacy.load(a.ner)
    assert nlp.vocab.vectors.to_bytes(exclude=["strings"]) == ner_nlp.vocab.vectors.to_bytes(
        exclude=["strings"]), "core and ner were trained with different vectors"
    nlp.add_pipe("ner", source=ner_nlp)
    if a.lemma_table:
        counts = {}
        for _, rows in read_conll(a.lemma_table):
            for t in clean_sentence(rows):
                c = counts.setdefault((t["word"].lower(), t["tag"]), {})
                c[t["lemma"]] = c.get(t["lemma"], 0) + 1
        lk = nlp.add_pipe(lemma_lookup.FACTORY, after="trainable_lemmatizer")
        lk.set_table(((f, t, c) for (f, t), c in counts.items()), min_share=a.lemma_min_share)
        print("lemma table", len(lk.table), file=sys.stderr)
    # Party names are written without a full stop in Norwegian news; spaCy's nb exceptions keep
    # "Ap." / "Frp." / "Sp." as one token, which glues a sentence-final party name to its full
    # stop and the next sentence to this one (and puts the stop inside the entity).
    nlp.tokenizer.rules = {text: attrs for text, attrs in nlp.tokenizer.rules.items()
                           if not (text.endswith(".") and text[:-1] in PARTIES)}
    nlp.add_pipe(paragraphs.FACTORY, before="parser")
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
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print("wrote", out, nlp.pipe_names, file=sys.stderr)


if __name__ == "__main__":
    main()
