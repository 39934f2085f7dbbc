"""Score extracted quotes against a gold set, the way the held-out evaluation does.

A predicted quote matches a gold quote of the same article when the Dice
overlap of their word tokens is ≥ 0.5 (each quote matched at most once, best
overlap first). The speaker is right when the names agree: same surname (last
word, genitive -s ignored) and the other name parts consistent (one name's
words contained in the other's). Figures come overall and by kind.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

MATCH_DICE = 0.5
_WORD = re.compile(r"[^\W_]+")


def load_gold(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read a gold file: one JSON object a line with ``article_id, kind, quote`` (and ``quote_end``, ``speaker`` …)."""
    from sporbar.analyze.evaluate_facts import load_jsonl

    return load_jsonl(path, ("article_id", "kind", "quote"))


def gold_span(text: str, row: Mapping[str, Any]) -> tuple[int, int] | None:
    """Locate a gold quote (first sentence ``quote`` … last sentence ``quote_end``) in the article text."""
    start = text.find(row["quote"])
    if start < 0:
        return None
    end = start + len(row["quote"])
    quote_end = row.get("quote_end")
    if quote_end and quote_end != row["quote"]:
        found = text.find(quote_end, start)
        if found >= 0:
            end = found + len(quote_end)
    return start, end


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def dice(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    from collections import Counter

    overlap = sum((Counter(a) & Counter(b)).values())
    return 2 * overlap / (len(a) + len(b))


def names_agree(predicted: str | None, gold: str | None) -> bool:
    """Same surname, other name parts consistent; two nulls agree."""
    if not predicted or not gold:
        return not predicted and not gold
    p, g = _name_parts(predicted), _name_parts(gold)
    if not p or not g or p[-1] != g[-1]:
        return False
    return set(p) <= set(g) or set(g) <= set(p)


def _name_parts(name: str) -> list[str]:
    parts = [w for w in _words(name) if w not in ("det", "den", "de")]
    if parts and parts[-1].endswith("s") and len(parts[-1]) > 3:
        parts[-1] = parts[-1][:-1] if not parts[-1].endswith("ss") else parts[-1]
    return parts


def score_quotes(
    predicted: Iterable[Mapping[str, Any]], gold: Iterable[Mapping[str, Any]], texts: Mapping[str, str]
) -> dict[str, Any]:
    """Return precision, recall, F1, speaker accuracy and end-to-end F1, overall and by kind.

    Only articles that appear in the gold set are scored; ``texts`` maps article ids to stored text.
    """
    gold_rows = [dict(g) for g in gold]
    articles = {g["article_id"] for g in gold_rows}
    missing = sorted(a for a in articles if a not in texts)
    gold_items = []
    unlocated = []
    for g in gold_rows:
        if g["article_id"] not in texts:
            continue
        span = gold_span(texts[g["article_id"]], g)
        if span is None:
            unlocated.append(g["quote"][:60])
            continue
        gold_items.append((g, span, _words(texts[g["article_id"]][span[0] : span[1]])))
    pred_items = [
        (p, _words(p["text"])) for p in predicted if p["article_id"] in articles and p["article_id"] in texts
    ]
    candidates = []
    for gi, (g, _, g_words) in enumerate(gold_items):
        for pi, (p, p_words) in enumerate(pred_items):
            if p["article_id"] != g["article_id"]:
                continue
            overlap = dice(p_words, g_words)
            if overlap >= MATCH_DICE:
                candidates.append((overlap, gi, pi))
    candidates.sort(reverse=True)
    matched_gold: dict[int, int] = {}
    matched_pred: set[int] = set()
    for _, gi, pi in candidates:
        if gi in matched_gold or pi in matched_pred:
            continue
        matched_gold[gi] = pi
        matched_pred.add(pi)
    errors: dict[str, list[dict[str, Any]]] = {"missed": [], "spurious": [], "wrong_speaker": []}
    result: dict[str, Any] = {}
    for kind in ("all", "direct", "indirect"):
        g_idx = [i for i, (g, _, _) in enumerate(gold_items) if kind == "all" or g["kind"] == kind]
        p_idx = [i for i, (p, _) in enumerate(pred_items) if kind == "all" or p["kind"] == kind]
        tp_gold = [i for i in g_idx if i in matched_gold]
        tp_pred = [i for i in p_idx if i in matched_pred]
        right = [i for i in tp_gold if names_agree(pred_items[matched_gold[i]][0].get("speaker"), gold_items[i][0].get("speaker"))]
        precision = len(tp_pred) / len(p_idx) if p_idx else 0.0
        recall = len(tp_gold) / len(g_idx) if g_idx else 0.0
        e2e_p = len(right) / len(p_idx) if p_idx else 0.0
        e2e_r = len(right) / len(g_idx) if g_idx else 0.0
        result[kind] = {
            "gold": len(g_idx),
            "predicted": len(p_idx),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(_f1(precision, recall), 4),
            "speaker_accuracy": round(len(right) / len(tp_gold), 4) if tp_gold else 0.0,
            "end_to_end_f1": round(_f1(e2e_p, e2e_r), 4),
        }
    for i, (g, _, _) in enumerate(gold_items):
        if i not in matched_gold:
            errors["missed"].append({"article_id": g["article_id"], "kind": g["kind"], "quote": g["quote"]})
        else:
            p = pred_items[matched_gold[i]][0]
            if not names_agree(p.get("speaker"), g.get("speaker")):
                errors["wrong_speaker"].append(
                    {"article_id": g["article_id"], "quote": g["quote"][:80], "gold": g.get("speaker"), "predicted": p.get("speaker"),
                     "mention": p.get("speaker_mention")}
                )
    for i, (p, _) in enumerate(pred_items):
        if i not in matched_pred:
            errors["spurious"].append({"article_id": p["article_id"], "kind": p["kind"], "text": p["text"][:100]})
    result["articles"] = len(articles)
    result["missing_articles"] = missing
    result["unlocated_gold"] = unlocated
    result["errors"] = errors
    return result


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
