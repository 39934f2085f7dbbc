"""Story threads on the seeds and the whole NDT news corpus, analysed by the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sporbar
from sporbar.api import KnowledgeBase
from sporbar.interfaces.cli import app

from ..conftest import copy_archive, seed_article_ids


@pytest.fixture(scope="module")
def corpus_kb(tmp_path_factory: pytest.TempPathFactory, analysed_news_template: Path) -> KnowledgeBase:
    # A copy of the run's analysed seeds + NDT archive (its ingest asserted 311 articles analysed): these tests write to it.
    return sporbar.open(copy_archive(analysed_news_template, tmp_path_factory.mktemp("stories")))


def test_stories_the_two_seeds_two_years_apart_are_one_story(corpus_kb: KnowledgeBase) -> None:
    seeds = seed_article_ids(corpus_kb)
    story_id = corpus_kb.store.story_of(seeds["2017-03"])
    assert story_id is not None and corpus_kb.store.story_of(seeds["2019-02"]) == story_id
    story = corpus_kb.story(story_id)
    # No article of the NDT corpus (1997–2012, other subjects) joins the coalition story.
    assert [a["article_id"] for a in story["articles_in_order"]] == [seeds["2017-03"], seeds["2019-02"]]
    assert (story["first_date"], story["last_date"]) == ("2017-03-01", "2019-02-01")
    assert {"Mike Pompeo", "Børge Brende"} <= {q["speaker"] for q in story["quotes"]}
    assert any(n["text"] == "Mer enn 800" for n in story["numbers"])


def test_stories_every_article_is_in_exactly_one_story(corpus_kb: KnowledgeBase) -> None:
    rows = list(corpus_kb.store.story_export_rows())
    assert sorted(r["article_id"] for r in rows) == sorted(a.id for a in corpus_kb.articles())
    sizes = [s["articles"] for s in corpus_kb.stories()]
    assert sum(sizes) == 311
    assert max(sizes) < 60  # no blob swallowing the archive


def test_stories_grow_incrementally(corpus_kb: KnowledgeBase, tmp_path: Path) -> None:
    seeds = seed_article_ids(corpus_kb)
    story_id = corpus_kb.store.story_of(seeds["2019-02"])
    follow_up = {
        "id": "oppfolging",
        "date": "2019-03-02",
        "title": "Koalisjonen mot IS: Pompeo ber igjen om at fremmedkrigere hentes hjem",
        "text": "USAs utenriksminister Mike Pompeo gjentok fredag oppfordringen til koalisjonen mot IS om å hente hjem "
        "fremmedkrigere fra Syria og Irak. Utenriksminister Ine Eriksen Søreide sier Norge ikke vil hente hjem IS-krigere.",
    }
    path = tmp_path / "ny.jsonl"
    path.write_text(json.dumps(follow_up, ensure_ascii=False) + "\n", encoding="utf-8")
    corpus_kb.ingest([path])
    assert corpus_kb.store.story_of("oppfolging") == story_id
    # The articles already in the story stay in it.
    assert [a["article_id"] for a in corpus_kb.story(story_id)["articles_in_order"]] == [seeds["2017-03"], seeds["2019-02"], "oppfolging"]


def test_stories_cli_and_export(corpus_kb: KnowledgeBase) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["stories", "--from", "2017", "--db", str(corpus_kb.path), "--json"])
    assert result.exit_code == 0, result.output
    (story,) = json.loads(result.output)
    assert story["articles"] >= 2
    result = runner.invoke(app, ["export", "stories", "--db", str(corpus_kb.path)])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert list(rows[0])[:3] == ["story_id", "article_id", "title"]
