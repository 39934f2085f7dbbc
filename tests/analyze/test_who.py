"""Who held which office when: the seed queries of issue 5, answered with evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sporbar.api import KnowledgeBase
from sporbar.interfaces.cli import app

from ..conftest import Archives, db_args


@pytest.fixture(scope="module")
def seeds_kb(module_archives: Archives, seeds_dir: Path) -> KnowledgeBase:
    archive = module_archives.open("who")
    archive.ingest([seeds_dir])
    return archive


@pytest.mark.parametrize(
    ("role", "org", "at", "holder"),
    [
        ("utenriksminister", "Norge", "2017-03", "Børge Brende"),
        ("utenriksminister", "Norge", "2019-02", "Ine Eriksen Søreide"),
        ("utenriksminister", "USA", "2019-02", "Mike Pompeo"),
        ("justisminister", None, "2019-02-14", "Tor Mikkel Wara"),
    ],
)
def test_who_answers_the_seed_queries(seeds_kb: KnowledgeBase, role: str, org: str | None, at: str, holder: str) -> None:
    answer = seeds_kb.who(role, org=org, at=at)
    assert [h["person"] for h in answer["holders"]] == [holder]
    assert not answer["inferred"]
    evidence = answer["holders"][0]["evidence"][0]
    article = seeds_kb.article(evidence["article_id"])
    assert article.text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert holder.split()[-1] in evidence["text"] and evidence["date"] == at[:7]
    assert evidence["text"] in evidence["sentence"]


def test_who_between_evidence_is_inferred_from_the_last_holder(seeds_kb: KnowledgeBase) -> None:
    answer = seeds_kb.who("utenriksminister", org="Norge", at="2018-06")
    assert answer["inferred"]
    (holder,) = answer["holders"]
    assert (holder["person"], holder["next_holder"]) == ("Børge Brende", "Ine Eriksen Søreide")


def test_who_cli_json(seeds_kb: KnowledgeBase) -> None:
    result = CliRunner().invoke(
        app, ["who", "utenriksminister", "--org", "USA", "--at", "2019-02", *db_args(seeds_kb), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["holders"][0]["person"] == "Mike Pompeo"
