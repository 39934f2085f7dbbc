"""Score stored roles against a gold set: precision, recall and F1 over (article, person, role), and org accuracy.

A predicted record matches a gold one in the same article with the same role
(base form, lower case) when the person names agree (same surname, other name
parts consistent, as for quote speakers). Organisation accuracy is measured
over the matched records; two nulls agree.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from sporbar.analyze.evaluate_facts import load_jsonl
from sporbar.analyze.evaluate_quotes import names_agree


def load_role_gold(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read a roles gold file: one JSON object a line with ``article_id, person, role`` (and ``org``, ``party``)."""
    return load_jsonl(path, ("article_id", "person", "role"))


def _org_agrees(predicted: str | None, gold: str | None) -> bool:
    if not predicted or not gold:
        return not predicted and not gold
    return predicted.lower().rstrip("s") == gold.lower().rstrip("s")


def score_roles(predicted: Iterable[Mapping[str, Any]], gold: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Return precision, recall, F1 over (article, person, role), org accuracy, and the errors."""
    gold_rows = [dict(g) for g in gold]
    articles = {g["article_id"] for g in gold_rows}
    # One predicted record per (article, person, role): repeated statements count once.
    unique: dict[tuple[str, str, str], dict[str, Any]] = {}
    for p in predicted:
        if p["article_id"] in articles:
            unique.setdefault((p["article_id"], p["person"].lower(), p["role"].lower()), dict(p))
    pred_rows = list(unique.values())
    matched: dict[int, int] = {}
    used: set[int] = set()
    for gi, g in enumerate(gold_rows):
        for pi, p in enumerate(pred_rows):
            if pi in used or p["article_id"] != g["article_id"] or p["role"].lower() != g["role"].lower():
                continue
            if names_agree(p["person"], g["person"]):
                matched[gi] = pi
                used.add(pi)
                break
    tp = len(matched)
    precision = tp / len(pred_rows) if pred_rows else 0.0
    recall = tp / len(gold_rows) if gold_rows else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    org_right = sum(1 for gi, pi in matched.items() if _org_agrees(pred_rows[pi].get("org"), gold_rows[gi].get("org")))
    return {
        "articles": len(articles),
        "gold": len(gold_rows),
        "predicted": len(pred_rows),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "org_accuracy": round(org_right / tp, 4) if tp else 0.0,
        "errors": {
            "missed": [
                {k: g.get(k) for k in ("article_id", "person", "role", "org", "evidence")}
                for gi, g in enumerate(gold_rows)
                if gi not in matched
            ],
            "spurious": [
                {k: p.get(k) for k in ("article_id", "person", "role", "org")} for pi, p in enumerate(pred_rows) if pi not in used
            ],
            "wrong_org": [
                {"article_id": gold_rows[gi]["article_id"], "person": gold_rows[gi]["person"], "role": gold_rows[gi]["role"],
                 "gold": gold_rows[gi].get("org"), "predicted": pred_rows[pi].get("org")}
                for gi, pi in matched.items()
                if not _org_agrees(pred_rows[pi].get("org"), gold_rows[gi].get("org"))
            ],
        },
    }
