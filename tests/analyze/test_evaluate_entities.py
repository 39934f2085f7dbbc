"""The entity-resolution scorer: pairwise within and across articles, BCubed, NER misses, the oracle-mention mode."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sporbar.analyze.evaluate_entities import load_entity_gold, oracle_resolution, score_clustering, score_entities
from sporbar.interfaces.cli import app, run
from sporbar.models import Mention

GOLD_FILE = Path(__file__).resolve().parents[2] / "eval" / "entities-dev.jsonl"

FIRST = "Utenriksminister Børge Brende kom. Brende sa nei."
SECOND = "Brende svarte USA."


def gold_row(article_id: str, text: str, name: str, label: str, entity: str, occurrence: int = 0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(name, start + 1)
    return {"article_id": article_id, "start": start, "end": start + len(name), "text": name, "label": label, "entity": entity}


GOLD = [
    gold_row("a1", FIRST, "Børge Brende", "PER", "Børge Brende"),
    gold_row("a1", FIRST, "Brende", "PER", "Børge Brende", occurrence=1),
    gold_row("a2", SECOND, "Brende", "PER", "Børge Brende"),
    gold_row("a2", SECOND, "USA", "GPE_ORG", "USA"),
]


def test_evaluate_entities_counts_pairs_within_and_across_articles_and_bcubed() -> None:
    # a1: gold X X Y, all predicted p1; a2: gold X Y, predicted p1 p2.
    items = [("a1", "X", "p1"), ("a1", "X", "p1"), ("a1", "Y", "p1"), ("a2", "X", "p1"), ("a2", "Y", "p2")]
    scores = score_clustering(items)
    assert scores["mentions"] == 5 and scores["gold_entities"] == 2 and scores["predicted_entities"] == 2
    assert scores["pairwise_all"] == {
        "gold_pairs": 4, "predicted_pairs": 6, "correct_pairs": 3, "precision": 0.5, "recall": 0.75, "f1": 0.6,
    }
    assert scores["pairwise_within_article"] == {
        "gold_pairs": 1, "predicted_pairs": 3, "correct_pairs": 1, "precision": 0.3333, "recall": 1.0, "f1": 0.5,
    }
    assert scores["pairwise_cross_article"] == {
        "gold_pairs": 3, "predicted_pairs": 3, "correct_pairs": 2, "precision": 0.6667, "recall": 0.6667, "f1": 0.6667,
    }
    assert scores["bcubed"] == {"precision": 0.7, "recall": 0.8, "f1": 0.7467}


def test_evaluate_entities_perfect_and_all_singleton_clusterings() -> None:
    items = [("a1", "X", "x"), ("a1", "X", "x"), ("a2", "X", "x"), ("a2", "Y", "y")]
    perfect = score_clustering(items)
    assert perfect["pairwise_all"]["f1"] == 1.0 and perfect["bcubed"]["f1"] == 1.0
    singletons = score_clustering([(a, g, f"s{i}") for i, (a, g, _) in enumerate(items)])
    assert singletons["pairwise_all"]["predicted_pairs"] == 0 and singletons["pairwise_all"]["recall"] == 0.0
    # X: three mentions each 1/3 recall; Y: one mention, recall 1 → (1 + 1) / 4.
    assert singletons["bcubed"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}


def test_evaluate_entities_oracle_mode_resolves_the_gold_spans_per_article() -> None:
    resolved = {(r["article_id"], r["start"]): r["canonical"] for r in oracle_resolution(GOLD)}
    # Within a1 the surname joins the full name; in a2 the bare surname stays its own entity.
    assert resolved[("a1", FIRST.index("Brende", 30))] == "Børge Brende"
    assert resolved[("a2", 0)] == "Brende"
    scores = score_entities(GOLD, None)["oracle"]
    assert scores["pairwise_within_article"]["recall"] == 1.0
    assert scores["pairwise_cross_article"] == {
        "gold_pairs": 2, "predicted_pairs": 0, "correct_pairs": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0,
    }


def test_evaluate_entities_aligns_stored_mentions_by_exact_span_and_counts_ner_misses() -> None:
    stored = {
        "a1": [Mention(17, 29, "Børge Brende", "PER", 0, "Børge Brende", "e1"),
               Mention(35, 41, "Brende", "PER", 1, "Børge Brende", "e1")],
        # "USA" found with the wrong label; "Brende" found with one character too many: an NER miss.
        "a2": [Mention(0, 7, "Brende ", "PER", 0, "Brende", "e2"), Mention(14, 17, "USA", "GPE_LOC", 0, "USA", "e3")],
    }
    texts = {"a1": FIRST, "a2": SECOND}
    scores = score_entities(GOLD, lambda article_id: stored[article_id], texts)
    assert (scores["aligned_mentions"], scores["ner_missed"], scores["label_differs"], scores["unlocated_gold"]) == (3, 1, 1, 0)
    assert [m["text"] for m in scores["errors"]["ner_missed"]] == ["Brende"]
    assert scores["stored"]["pairwise_all"]["correct_pairs"] == 1 and scores["stored"]["pairwise_all"]["f1"] == 1.0


def test_evaluate_entities_reports_wrong_merges_splits_and_unlocated_gold() -> None:
    gold = [*GOLD, {**GOLD[3], "start": 0, "end": 3}]  # "Bre" is not "USA": unlocated
    stored = {
        "a1": [Mention(17, 29, "Børge Brende", "PER", 0, "Børge Brende", "e1"), Mention(35, 41, "Brende", "PER", 1, "Brende", "e2")],
        "a2": [Mention(0, 6, "Brende", "PER", 0, "Brende", "e2"), Mention(14, 17, "USA", "GPE_ORG", 0, "Brende", "e2")],
    }
    scores = score_entities(gold, lambda article_id: stored[article_id], {"a1": FIRST, "a2": SECOND})
    assert scores["unlocated_gold"] == 1
    errors = scores["errors"]["stored"]
    assert errors["wrong_merges"] == [{"canonical": "Brende", "gold_entities": {"Børge Brende": ["Brende"], "USA": ["USA"]}}]
    assert errors["splits"] == [
        {"entity": "Børge Brende", "predicted": {"Brende": ["Brende"], "Børge Brende": ["Børge Brende"]}, "articles": 2}
    ]


def test_evaluate_entities_cli_oracle_json(tmp_path: Path) -> None:
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in GOLD), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "entities", "--gold", str(gold_path), "--oracle", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["gold_mentions"] == 4 and "stored" not in scores and "errors" not in scores
    assert scores["oracle"]["pairwise_all"] == {
        "gold_pairs": 3, "predicted_pairs": 1, "correct_pairs": 1, "precision": 1.0, "recall": 0.3333, "f1": 0.5,
    }


def test_evaluate_entities_cli_refuses_a_broken_gold_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text('{"article_id": "a1", "start": 0}\n', encoding="utf-8")
    assert run(["eval", "entities", "--gold", str(gold_path), "--oracle"]) == 1
    message = capsys.readouterr().err
    assert "gold record lacks end, text, label, entity" in message and "Traceback" not in message


def test_evaluate_entities_gold_sample_matches_the_ndt_texts(ndt_records: list[dict]) -> None:
    gold = load_entity_gold(GOLD_FILE)
    records = {r["id"]: r for r in ndt_records}
    ndt = [g for g in gold if g["article_id"].startswith("ndt-")]
    assert len({g["article_id"] for g in ndt}) >= 25
    assert all(records[g["article_id"]]["ud_split"] == "train" for g in ndt)
    assert all(records[g["article_id"]]["text"][g["start"] : g["end"]] == g["text"] for g in ndt)
    assert {g["label"] for g in gold} == {"PER", "ORG", "GPE_LOC", "GPE_ORG"}
    # Every PER, ORG and GPE span NorNE gives in a sampled article is in the sample.
    for article_id in {g["article_id"] for g in ndt}:
        norne = {(e["start"], e["end"]) for e in records[article_id]["entities"] if e["label"] in ("PER", "ORG", "GPE_LOC", "GPE_ORG")}
        assert norne == {(g["start"], g["end"]) for g in ndt if g["article_id"] == article_id}
    # The same surname, different people, in different articles.
    solbergs = Counter(g["entity"] for g in gold if g["text"].endswith("Solberg"))
    assert {"Erna Solberg", "Petter Solberg", "Henning Solberg"} <= set(solbergs)


def test_evaluate_entities_cli_runs_on_the_gold_sample() -> None:
    result = CliRunner().invoke(app, ["eval", "entities", "--gold", str(GOLD_FILE), "--oracle"])
    assert result.exit_code == 0, result.output
    assert "30 gold articles, 822 gold mentions" in result.output


def test_evaluate_entities_sample_people_sharing_a_surname_stay_apart_and_one_person_joins() -> None:
    ids: dict[str, set[str]] = {}
    for row in oracle_resolution(load_entity_gold(GOLD_FILE)):
        ids.setdefault(row["entity"], set()).add(row["entity_id"])
    # Hagen in three articles (full name, genitive, bare surname) is one entity; the handball coach is another.
    assert len(ids["Carl I. Hagen"]) == 1 and ids["Carl I. Hagen"].isdisjoint(ids["Gunnar Hagen"])
    # The bare "Solberg" of the rally article is Petter, not Henning (same article) nor Erna (other articles).
    assert len(ids["Petter Solberg"]) == 1
    assert ids["Petter Solberg"].isdisjoint(ids["Henning Solberg"] | ids["Erna Solberg"])
    # Spelling variants and dotted party names.
    assert len(ids["Roar Flåthen"]) == 1 and len(ids["Johann Olav Koss"]) == 1
    assert len(ids["Fremskrittspartiet"]) == 1 and len(ids["Kristelig Folkeparti"]) == 1
