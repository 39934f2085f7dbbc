"""The analysis stage inside ingest: stored sentences and mentions point at the right characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sporbar.api import KnowledgeBase
from sporbar.interfaces.cli import app

from ..conftest import Archives, db_args, seed_article_ids

SEED_PEOPLE = {
    "2017-03": {"Børge Brende", "Tillerson", "Donald Trump", "Abu Bakr al-Baghdadi"},
    "2019-02": {"Mike Pompeo", "Ine Eriksen Søreide", "Kristin Enstad", "Tor Mikkel Wara", "Donald Trump"},
}


@pytest.fixture(scope="module")
def analysed_kb(module_archives: Archives, seeds_dir: Path) -> KnowledgeBase:
    archive = module_archives.open("analysed")
    report = archive.ingest([seeds_dir])
    assert report.analysed == 2
    return archive


def test_analysis_mentions_point_at_their_text(analysed_kb: KnowledgeBase) -> None:
    for article in analysed_kb.articles():
        mentions = analysed_kb.mentions(article.id)
        assert mentions
        for mention in mentions:
            assert article.text[mention.start : mention.end] == mention.text


def test_analysis_finds_every_person_in_the_seeds(analysed_kb: KnowledgeBase) -> None:
    ids = seed_article_ids(analysed_kb)
    for month, people in SEED_PEOPLE.items():
        found = {m.text for m in analysed_kb.mentions(ids[month]) if m.label == "PER"}
        assert people <= found, f"{month}: missing {people - found}"


def test_analysis_sentences_cover_the_text_in_order(analysed_kb: KnowledgeBase) -> None:
    ids = seed_article_ids(analysed_kb)
    article = analysed_kb.article(ids["2019-02"])
    sentences = analysed_kb.sentences(article.id)
    assert len(sentences) >= 20
    assert all(a < b for a, b in sentences)
    assert all(sentences[i][1] <= sentences[i + 1][0] for i in range(len(sentences) - 1))
    texts = [article.text[a:b] for a, b in sentences]
    assert "– IS er fremdeles en trussel, og det er vår generasjons oppgave å stoppe dem, sa utenriksministeren." in texts
    # Every mention lies inside the sentence it is filed under.
    for mention in analysed_kb.mentions(article.id):
        start, end = sentences[mention.sentence]
        assert start <= mention.start < mention.end <= end


def test_analysis_is_not_repeated_for_unchanged_articles(analysed_kb: KnowledgeBase, seeds_dir: Path) -> None:
    report = analysed_kb.ingest([seeds_dir])
    assert (report.unchanged, report.analysed) == (2, 0)


def test_analysis_follows_a_changed_article(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    path.write_text(json.dumps({"id": "sak", "date": "2019-02-13", "text": "Utenriksminister Ine Eriksen Søreide reiser til Washington."}) + "\n")
    assert kb.ingest([path]).analysed == 1
    assert "Ine Eriksen Søreide" in {m.text for m in kb.mentions("sak")}
    path.write_text(json.dumps({"id": "sak", "date": "2019-02-13", "text": "Justisminister Tor Mikkel Wara besøker Bergen."}) + "\n")
    report = kb.ingest([path])
    assert (report.updated, report.analysed) == (1, 1)
    texts = {m.text for m in kb.mentions("sak")}
    assert "Tor Mikkel Wara" in texts and "Ine Eriksen Søreide" not in texts


def test_analysis_entities_cli_and_export_contract(analysed_kb: KnowledgeBase) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["entities", "--label", "PER", *db_args(analysed_kb), "--json"])
    assert result.exit_code == 0, result.output
    names = {row["text"]: row for row in json.loads(result.output)}
    assert names["Tillerson"]["articles"] == 1 and names["Tillerson"]["mentions"] >= 4
    result = runner.invoke(app, ["export", "entities", *db_args(analysed_kb)])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows
    texts = {a.id: a.text for a in analysed_kb.articles()}
    for row in rows:
        assert list(row)[:7] == ["article_id", "start", "end", "text", "label", "entity_id", "canonical"]
        assert texts[row["article_id"]][row["start"] : row["end"]] == row["text"]


def test_analysis_numbers_and_roles_reach_the_store_and_exports(analysed_kb: KnowledgeBase) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["numbers", "--about", "fremmedkrigere", *db_args(analysed_kb), "--json"])
    assert result.exit_code == 0, result.output
    (claim,) = [r for r in json.loads(result.output) if r["kind"] == "count"]
    assert (claim["text"], claim["value"], claim["qualifier"], claim["date"]) == ("Mer enn 800", 800.0, "over", "2019-02")
    texts = {a.id: a.text for a in analysed_kb.articles()}
    for kind, fields in (
        ("numbers", ["article_id", "start", "end", "text", "value", "unit", "about", "qualifier"]),
        ("roles", ["article_id", "date", "person", "person_entity_id", "role", "org", "party", "start", "end"]),
    ):
        result = runner.invoke(app, ["export", kind, *db_args(analysed_kb)])
        rows = [json.loads(line) for line in result.output.splitlines()]
        assert rows, kind
        for row in rows:
            assert list(row)[: len(fields)] == fields
            assert texts[row["article_id"]][row["start"] : row["end"]]
    roles = {(r["person"], r["role"], r["org"]) for r in analysed_kb.roles()}
    assert ("Mike Pompeo", "utenriksminister", "USA") in roles
