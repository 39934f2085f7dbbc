"""Score entity resolution against a hand-checked sample: how well mentions are clustered into entities.

The gold file lists mention spans with the real-world thing each refers to
(its ``entity`` key, the same across articles). Gold mentions are aligned to
stored mentions by exact span; gold mentions with no stored mention at that
span are NER misses, counted apart, so the clustering figures measure
resolution, not recognition. Clustering is scored over the aligned mentions:

* pairwise precision, recall and F1 over pairs of mentions (a pair is
  predicted when both mentions have the same ``entity_id``, gold when both
  have the same ``entity`` key), for pairs inside one article, pairs across
  two articles, and all pairs;
* BCubed precision, recall and F1 over mentions.

The oracle-mention mode runs ``resolve_mentions`` on the gold spans
themselves, one article at a time as the pipeline does, so resolution is
measured free of NER errors.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sporbar.analyze.evaluate_facts import load_jsonl
from sporbar.models import Mention
from sporbar.resolve.entities import resolve_mentions

# Gold labels are NorNE's, as the language model writes them; ``GPE`` alone is read as a place.
_MODEL_LABEL = {"PER": "PER", "ORG": "ORG", "GPE": "GPE_LOC", "GPE_LOC": "GPE_LOC", "GPE_ORG": "GPE_ORG"}


def load_entity_gold(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read an entities gold file: one JSON object a line with ``article_id, start, end, text, label, entity``."""
    return load_jsonl(path, ("article_id", "start", "end", "text", "label", "entity"))


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _prf(correct: int, predicted: int, gold: int) -> dict[str, Any]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"gold_pairs": gold, "predicted_pairs": predicted, "correct_pairs": correct,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def score_clustering(items: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    """Score ``(article_id, gold_key, predicted_id)`` per mention: pairwise within/across articles and BCubed."""
    both = Counter((g, p) for _, g, p in items)
    gold = Counter(g for _, g, _ in items)
    pred = Counter(p for _, _, p in items)
    both_in = Counter((a, g, p) for a, g, p in items)
    gold_in = Counter((a, g) for a, g, _ in items)
    pred_in = Counter((a, p) for a, _, p in items)
    # Pairs are counted from cluster sizes, so the cost grows with mentions, not with their square.
    totals = {
        name: (sum(_pairs(n) for n in b.values()), sum(_pairs(n) for n in p.values()), sum(_pairs(n) for n in g.values()))
        for name, b, p, g in (("all", both, pred, gold), ("within", both_in, pred_in, gold_in))
    }
    correct_all, predicted_all, gold_all = totals["all"]
    correct_in, predicted_in, gold_in_pairs = totals["within"]
    n = len(items)
    precision = sum(count * count / pred[p] for (g, p), count in both.items()) / n if n else 0.0
    recall = sum(count * count / gold[g] for (g, p), count in both.items()) / n if n else 0.0
    return {
        "mentions": n,
        "gold_entities": len(gold),
        "predicted_entities": len(pred),
        "pairwise_within_article": _prf(correct_in, predicted_in, gold_in_pairs),
        "pairwise_cross_article": _prf(correct_all - correct_in, predicted_all - predicted_in, gold_all - gold_in_pairs),
        "pairwise_all": _prf(correct_all, predicted_all, gold_all),
        "bcubed": {
            "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        },
    }


def clustering_errors(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Wrong merges (one predicted entity holding several gold entities) and splits (one gold entity, several ids).

    Each row has ``article_id, text, entity`` (gold) and ``entity_id, canonical`` (predicted).
    """
    by_pred: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    by_gold: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_pred[row["entity_id"]].append(row)
        by_gold[row["entity"]].append(row)
    merged = [
        {"canonical": members[0]["canonical"],
         "gold_entities": {key: sorted({m["text"] for m in members if m["entity"] == key})
                           for key in sorted({m["entity"] for m in members})}}
        for members in by_pred.values() if len({m["entity"] for m in members}) > 1
    ]
    split = [
        {"entity": key,
         "predicted": {canonical: sorted({m["text"] for m in members if m["canonical"] == canonical})
                       for canonical in sorted({m["canonical"] for m in members})},
         "articles": len({m["article_id"] for m in members})}
        for key, members in by_gold.items() if len({m["entity_id"] for m in members}) > 1
    ]
    return {"wrong_merges": sorted(merged, key=lambda e: e["canonical"]), "splits": sorted(split, key=lambda e: e["entity"])}


def oracle_resolution(gold: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Resolve the gold spans themselves, article by article: gold rows with ``entity_id`` and ``canonical`` added."""
    by_article: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in gold:
        by_article[row["article_id"]].append(row)
    resolved = []
    for rows in by_article.values():
        rows.sort(key=lambda r: (r["start"], r["end"]))
        mentions = [Mention(r["start"], r["end"], r["text"], _MODEL_LABEL.get(r["label"], r["label"])) for r in rows]
        for row, (_, canonical, _, identifier) in zip(rows, resolve_mentions(mentions), strict=False):
            resolved.append({**row, "entity_id": identifier, "canonical": canonical})
    return resolved


def score_entities(
    gold: Sequence[Mapping[str, Any]],
    mentions_of: Callable[[str], Sequence[Mention]] | None,
    texts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Score stored mentions (``mentions_of(article_id)``) and the oracle-mention resolution against ``gold``.

    With ``mentions_of`` None only the oracle-mention mode is scored. ``texts``
    (article id → stored text) lets gold spans that do not match the text be
    reported instead of scored.
    """
    texts = texts or {}
    unlocated = [dict(g) for g in gold if g["article_id"] in texts and texts[g["article_id"]][g["start"]:g["end"]] != g["text"]]
    usable = [g for g in gold if not (g["article_id"] in texts and texts[g["article_id"]][g["start"]:g["end"]] != g["text"])]
    oracle_rows = oracle_resolution(usable)
    result: dict[str, Any] = {
        "articles": len({g["article_id"] for g in gold}),
        "gold_mentions": len(gold),
        "unlocated_gold": len(unlocated),
        "oracle": score_clustering([(r["article_id"], r["entity"], r["entity_id"]) for r in oracle_rows]),
    }
    errors: dict[str, Any] = {"unlocated_gold": unlocated, "oracle": clustering_errors(oracle_rows)}
    if mentions_of is not None:
        aligned: list[dict[str, Any]] = []
        missed: list[dict[str, Any]] = []
        mislabelled = 0
        # An article missing from the store is reported by the caller, not counted as NER misses.
        for article_id in sorted({g["article_id"] for g in usable if not texts or g["article_id"] in texts}):
            stored = {(m.start, m.end): m for m in mentions_of(article_id)}
            for g in (g for g in usable if g["article_id"] == article_id):
                m = stored.get((g["start"], g["end"]))
                if m is None or m.entity_id is None:
                    missed.append({k: g[k] for k in ("article_id", "start", "end", "text", "label", "entity")})
                    continue
                mislabelled += _MODEL_LABEL.get(g["label"], g["label"]) != m.label
                aligned.append({**g, "entity_id": m.entity_id, "canonical": m.canonical, "stored_label": m.label})
        result["aligned_mentions"] = len(aligned)
        result["ner_missed"] = len(missed)
        result["label_differs"] = mislabelled
        result["stored"] = score_clustering([(r["article_id"], r["entity"], r["entity_id"]) for r in aligned])
        errors["ner_missed"] = missed
        errors["stored"] = clustering_errors(aligned)
    result["errors"] = errors
    return result
