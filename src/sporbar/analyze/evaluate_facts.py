"""Score numbers, time expressions and story threads against hand-annotated gold sets.

Numbers and times are scored inside the annotated sentences only: a predicted
expression is right when its span overlaps the gold one and its value agrees
(numbers within 0.1 %, times exactly, at the same precision). Stories are
scored over the gold articles with pairwise and BCubed precision, recall and F1.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from itertools import combinations
from pathlib import Path
from typing import Any

from sporbar.errors import SporbarError


def load_jsonl(path: str | os.PathLike[str], required: Iterable[str]) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SporbarError(f"{path}:{number}: invalid JSON in the gold file: {exc.msg}") from None
        missing = [f for f in required if f not in row]
        if missing:
            raise SporbarError(f"{path}:{number}: gold record lacks {', '.join(missing)}")
        rows.append(row)
    return rows


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def score_spans(
    gold: list[dict[str, Any]],
    predicted_for: Callable[[str], list[dict[str, Any]]],
    texts: Mapping[str, str],
    agree: Callable[[dict[str, Any], dict[str, Any]], bool],
) -> dict[str, Any]:
    """Match predicted expressions to gold ones inside the annotated sentences of each article."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in gold:
        by_article[row["article_id"]].append(row)
    tp = predicted_total = gold_total = 0
    errors: dict[str, list[dict[str, Any]]] = {"missed": [], "spurious": [], "wrong_value": []}
    unlocated = 0
    for article_id, rows in by_article.items():
        text = texts.get(article_id)
        if text is None:
            unlocated += len(rows)
            continue
        spans: list[tuple[int, int]] = []
        located: list[tuple[dict[str, Any], int, int]] = []
        for row in rows:
            sentence_start = text.find(row["sentence"])
            if sentence_start < 0:
                unlocated += 1
                continue
            spans.append((sentence_start, sentence_start + len(row["sentence"])))
            start = text.find(row["text"], sentence_start, sentence_start + len(row["sentence"]))
            if start < 0:
                unlocated += 1
                continue
            located.append((row, start, start + len(row["text"])))
        covered = sorted(set(spans))
        predicted = [p for p in predicted_for(article_id) if any(a <= p["start"] and p["end"] <= b for a, b in covered)]
        gold_total += len(located)
        predicted_total += len(predicted)
        used: set[int] = set()
        for row, start, end in located:
            match = next((i for i, p in enumerate(predicted) if i not in used and p["start"] < end and start < p["end"]), None)
            if match is None:
                errors["missed"].append({"article_id": article_id, "text": row["text"]})
                continue
            used.add(match)
            if agree(predicted[match], row):
                tp += 1
            else:
                errors["wrong_value"].append(
                    {"article_id": article_id, "text": row["text"], "gold": row.get("value"), "predicted": predicted[match].get("value"),
                     "predicted_text": predicted[match]["text"]}
                )
        errors["spurious"].extend(
            {"article_id": article_id, "text": p["text"], "value": p.get("value")} for i, p in enumerate(predicted) if i not in used
        )
    return {"gold": gold_total, "predicted": predicted_total, "correct": tp, **_prf(tp, predicted_total, gold_total),
            "unlocated_gold": unlocated, "errors": errors}


def number_agrees(predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    g, p = gold.get("value"), predicted.get("value")
    if g is None or p is None:
        return g is None and p is None and predicted.get("kind") == gold.get("kind")
    return abs(float(p) - float(g)) <= max(1e-9, abs(float(g)) * 1e-3)


def time_agrees(predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    return predicted.get("value") == gold.get("value")


def score_stories(predicted: Mapping[str, int | None], gold: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Pairwise and BCubed precision, recall and F1 of predicted story ids over the gold articles."""
    gold_story = {g["article_id"]: g["story"] for g in gold}
    articles = [a for a in gold_story if predicted.get(a) is not None]
    pred = {a: predicted[a] for a in articles}
    # Pairwise.
    tp = fp = fn = 0
    for a, b in combinations(articles, 2):
        same_gold = gold_story[a] == gold_story[b]
        same_pred = pred[a] == pred[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    pairwise = _prf(tp, tp + fp, tp + fn)
    # BCubed.
    gold_members: dict[Any, set[str]] = defaultdict(set)
    pred_members: dict[Any, set[str]] = defaultdict(set)
    for a in articles:
        gold_members[gold_story[a]].add(a)
        pred_members[pred[a]].add(a)
    precision = sum(len(pred_members[pred[a]] & gold_members[gold_story[a]]) / len(pred_members[pred[a]]) for a in articles)
    recall = sum(len(pred_members[pred[a]] & gold_members[gold_story[a]]) / len(gold_members[gold_story[a]]) for a in articles)
    n = len(articles) or 1
    p, r = precision / n, recall / n
    bcubed = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}
    return {"articles": len(articles), "missing": [a for a in gold_story if predicted.get(a) is None], "pairwise": pairwise, "bcubed": bcubed}
