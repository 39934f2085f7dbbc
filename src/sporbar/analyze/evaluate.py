"""Evaluation of the Norwegian pipeline on NorNE Bokmål (issue 3).

``evaluate_ner(nlp, split="dev")`` runs ``nlp`` on the raw text of the NorNE split
(NDT sentences grouped ~10 per document, as in training; `|` heading markers
dropped) and returns a dict:

    {"split", "source", "n_docs", "n_words",
     "ner": {"labels9": {"micro": {p, r, f, tp, fp, fn}, "per_label": {...}},
             "labels8": {...}},          # GPE_LOC + GPE_ORG -> GPE
     "token_acc", "pos_acc" (NDT part of speech), "lemma_acc",
     "dep_uas", "dep_las", "sents_f"}

Percentages are on a 0-100 scale.  With ``corpus_path`` (a JSONL of articles with
gold ``entities`` and ``ud_split``, e.g. ../shared/corpora/ndt-nob-news.jsonl) it
instead runs document-level NER on the whole articles whose ud_split == split and
returns only the "ner" part (plus counts).  Prints nothing.

Data location: $SPORBAR_SHARED, else ../shared relative to the repository root.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example

LABELS9 = ("PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC")
LABELS8 = ("PER", "ORG", "LOC", "GPE", "PROD", "EVT", "DRV", "MISC")
NO_SPACE_BEFORE = set(",.:;!?)]}»%")
NO_SPACE_AFTER = set("([{«")

Span3 = tuple[int, int, str]


def shared_dir() -> Path:
    env = os.environ.get("SPORBAR_SHARED")
    if env:
        return Path(env)
    # src/sporbar/analyze/evaluate.py -> repo root is parents[3]
    return Path(__file__).resolve().parents[3].parent / "shared"


# --------------------------------------------------------------------------- gold data
def _read_conll(path: Path):
    sent_id, rows = None, []
    with open(path, encoding="utf8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if rows:
                    yield sent_id, rows
                sent_id, rows = None, []
            elif line.startswith("#"):
                if line.startswith("# sent_id"):
                    sent_id = line.split("=", 1)[1].strip()
            else:
                rows.append(line.split("\t"))
    if rows:
        yield sent_id, rows


def _clean(rows):
    keep = [r for r in rows if not (r[1] == "|" or r[2] == "$|")]
    old2new = {r[0]: i for i, r in enumerate(keep)}
    byid = {r[0]: r for r in rows}
    out = []
    for r in keep:
        h = r[6]
        while h != "0" and h not in old2new:
            h = byid[h][6]
        lemma = r[2][1:] if r[2].startswith("$") and len(r[2]) > 1 else r[2]
        ent = r[9].split("=", 1)[1] if r[9].startswith("name=") else "O"
        out.append((r[1], lemma, r[3], -1 if h == "0" else old2new[h], r[7], ent))
    return out


def _gold_doc(vocab, sents) -> Doc:
    words, lemmas, tags, heads, deps, starts, ents = [], [], [], [], [], [], []
    for sent in sents:
        off = len(words)
        for i, (w, lem, tag, h, dep, ent) in enumerate(sent):
            words.append(w)
            lemmas.append(lem)
            tags.append(tag)
            heads.append(off + i if h < 0 else off + h)
            deps.append(dep)
            starts.append(i == 0)
            ents.append(ent)
    spaces = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        spaces.append(nxt is not None and nxt not in NO_SPACE_BEFORE and w not in NO_SPACE_AFTER)
    prev = "O"
    for i, e in enumerate(ents):
        if e.startswith("I-") and prev[2:] != e[2:]:
            ents[i] = "B-" + e[2:]
        prev = ents[i]
    return Doc(vocab, words=words, spaces=spaces, lemmas=lemmas, tags=tags, heads=heads,
               deps=deps, sent_starts=starts, ents=ents)


def norne_gold_docs(vocab, split: str, norne_dir: Optional[Path] = None,
                    n_sents: int = 10) -> list[Doc]:
    """Gold Docs of a NorNE split, ~n_sents consecutive sentences of one source per Doc."""
    path = Path(norne_dir or shared_dir() / "norne") / f"ndt-nob-{split}.conll"
    docs, group, key = [], [], None
    for sent_id, rows in _read_conll(path):
        k = (sent_id or "").split("_")[0]
        sent = _clean(rows)
        if not sent:
            continue
        if group and (k != key or len(group) >= n_sents):
            docs.append(_gold_doc(vocab, group))
            group = []
        group.append(sent)
        key = k
    if group:
        docs.append(_gold_doc(vocab, group))
    return docs


# --------------------------------------------------------------------------- scoring
def _to8(label: str) -> str:
    return "GPE" if label in ("GPE_LOC", "GPE_ORG") else label


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(100 * p, 2), "r": round(100 * r, 2), "f": round(100 * f, 2),
            "tp": tp, "fp": fp, "fn": fn}


def score_spans(pairs: Iterable[tuple[Iterable[Span3], Iterable[Span3]]],
                labels: Iterable[str], map_label=lambda x: x) -> dict:
    """pairs: (predicted spans, gold spans) per document, spans as (start, end, label)."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for pred, gold in pairs:
        p = {(s, e, map_label(label)) for s, e, label in pred}
        g = {(s, e, map_label(label)) for s, e, label in gold}
        for x in p & g:
            tp[x[2]] += 1
        for x in p - g:
            fp[x[2]] += 1
        for x in g - p:
            fn[x[2]] += 1
    per = {lab: _prf(tp[lab], fp[lab], fn[lab]) for lab in labels}
    for lab in sorted(set(tp) | set(fp) | set(fn)):
        per.setdefault(lab, _prf(tp[lab], fp[lab], fn[lab]))
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"micro": micro, "per_label": per}


def _ner_block(pairs) -> dict:
    pairs = list(pairs)
    return {"labels9": score_spans(pairs, LABELS9),
            "labels8": score_spans(pairs, LABELS8, _to8)}


def _spans(doc: Doc) -> list[Span3]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def _pct(x) -> Optional[float]:
    return None if x is None else round(100 * float(x), 2)


def evaluate_ner(nlp: Language, *, split: str = "dev", corpus_path=None,
                 batch_size: int = 64, n_process: int = 1) -> dict:
    """Evaluate ``nlp`` on a NorNE split (sentence groups) or, with corpus_path,
    on whole articles of that JSONL whose ud_split == split.  Returns a dict."""
    if split not in ("train", "dev", "test"):
        raise ValueError(f"unknown split {split!r}")
    if corpus_path is not None:
        arts = []
        with open(corpus_path, encoding="utf8") as f:
            for line in f:
                if line.strip():
                    a = json.loads(line)
                    if a.get("ud_split") == split:
                        arts.append(a)
        docs = nlp.pipe((a["text"] for a in arts), batch_size=8, n_process=n_process)
        pairs = []
        n_words = 0
        for a, doc in zip(arts, docs, strict=True):
            n_words += sum(1 for t in doc if not t.is_punct and not t.is_space)
            gold = [(e["start"], e["end"], e["label"]) for e in a.get("entities", [])]
            pairs.append((_spans(doc), gold))
        return {"split": split, "source": str(corpus_path), "level": "document",
                "n_docs": len(arts), "n_words": n_words, "ner": _ner_block(pairs)}

    golds = norne_gold_docs(nlp.vocab, split)
    preds = nlp.pipe((g.text for g in golds), batch_size=batch_size, n_process=n_process)
    examples = [Example(p, g) for p, g in zip(preds, golds, strict=True)]
    ner = _ner_block((_spans(ex.predicted), _spans(ex.reference)) for ex in examples)
    scores = Scorer(nlp).score(examples)
    tok = Scorer.score_tokenization(examples)
    return {
        "split": split, "source": str(shared_dir() / "norne" / f"ndt-nob-{split}.conll"),
        "level": "sentence-groups", "n_docs": len(golds),
        "n_words": sum(len(g) for g in golds),
        "ner": ner,
        "token_acc": _pct(tok.get("token_acc")),
        "pos_acc": _pct(scores.get("tag_acc")),
        "lemma_acc": _pct(scores.get("lemma_acc")),
        "dep_uas": _pct(scores.get("dep_uas")),
        "dep_las": _pct(scores.get("dep_las")),
        "sents_f": _pct(scores.get("sents_f")),
    }
