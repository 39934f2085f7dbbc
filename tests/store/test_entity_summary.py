"""The per-entity summaries (``entity_articles``, ``entity_months``) against a recomputation from the mentions.

The entity page reads these summaries instead of grouping every mention of an entity per request, so they must
equal what the mentions say after every kind of change: ingest with analysis, an update of an article's text and
date (its mentions go, then come back by re-analysis), a re-analysis, a renamed entity (re-resolution), on both
backends, on the seeds and the NDT news corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sporbar.api import KnowledgeBase
from sporbar.resolve import resolve_archive

Rows = list[tuple[Any, ...]]


def _recomputed(kb: KnowledgeBase) -> tuple[Rows, Rows, Rows, Rows]:
    run = kb.store.run_sql
    articles = run(
        "SELECT m.entity_id, a.date_start, m.article_id, a.date, count(*) FROM mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.entity_id IS NOT NULL GROUP BY m.entity_id, m.article_id, a.date_start, a.date"
    )
    months = run(
        "SELECT m.entity_id, substr(a.date, 1, 7), count(*), count(DISTINCT m.article_id), min(a.date), max(a.date)"
        " FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id IS NOT NULL GROUP BY 1, 2"
    )
    aliases = run(
        "SELECT entity_id, text, label, canonical, count(*) FROM mentions WHERE entity_id IS NOT NULL GROUP BY 1, 2, 3, 4"
    )
    quote_dates = run("SELECT q.id, a.date_start FROM quotes q JOIN articles a ON a.id = q.article_id")
    return _rows(articles), _rows(months), _rows(aliases), _rows(quote_dates)


def _stored(kb: KnowledgeBase) -> tuple[Rows, Rows, Rows, Rows]:
    run = kb.store.run_sql
    articles = run("SELECT entity_id, date_start, article_id, date, mentions FROM entity_articles")
    months = run("SELECT entity_id, month, mentions, articles, first_date, last_date FROM entity_months")
    aliases = run("SELECT entity_id, text, label, canonical, mentions FROM entity_aliases")
    quote_dates = run("SELECT id, date_start FROM quotes")
    return _rows(articles), _rows(months), _rows(aliases), _rows(quote_dates)


def _rows(rows: list[Any]) -> list[tuple[Any, ...]]:
    return sorted(tuple(int(v) if isinstance(v, int) else v for v in row) for row in rows)


def _assert_in_step(kb: KnowledgeBase) -> None:
    stored, expected = _stored(kb), _recomputed(kb)
    assert stored[0] == expected[0], "entity_articles differs from the mentions"
    assert stored[1] == expected[1], "entity_months differs from the mentions"
    assert stored[2] == expected[2], "entity_aliases differs from the mentions"
    assert stored[3] == expected[3], "a quote's date_start differs from its article's"


def _old_profile_counts(kb: KnowledgeBase, entity_id: str) -> tuple[int, str | None, str | None, dict[str, int]]:
    """What the entity page computed from the mentions before the summaries (one pass over the entity's articles)."""
    per_article = kb.store.run_sql(
        "SELECT a.date, count(*) FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? GROUP BY a.id, a.date",
        (entity_id,),
    )
    months: dict[str, int] = {}
    for date, n in per_article:
        months[date[:7]] = months.get(date[:7], 0) + int(n)
    dates = [d for d, _ in per_article]
    return len(per_article), min(dates, default=None), max(dates, default=None), dict(sorted(months.items()))


def _old_find_entities(kb: KnowledgeBase, name: str) -> Rows:
    folded = name.casefold()
    rows = kb.store.run_sql(
        "SELECT entity_id, min(canonical), min(label), count(*) FROM mentions WHERE entity_id IS NOT NULL AND"
        " (casefold(canonical) = ? OR casefold(text) = ?) GROUP BY entity_id ORDER BY 4 DESC, 1",
        (folded, folded),
    )
    return [(e, c, lab, int(n)) for e, c, lab, n in rows]


def _old_aliases(kb: KnowledgeBase, entity_id: str) -> list[str]:
    sql = "SELECT text FROM mentions WHERE entity_id = ? GROUP BY text ORDER BY count(*) DESC, text"
    return [row[0] for row in kb.store.run_sql(sql, (entity_id,))]


def _top_people(kb: KnowledgeBase, n: int) -> list[str]:
    rows = kb.store.run_sql(
        "SELECT entity_id FROM mentions WHERE label = 'PER' AND entity_id IS NOT NULL GROUP BY entity_id ORDER BY count(*) DESC, entity_id LIMIT ?",
        (n,),
    )
    return [r[0] for r in rows]


def test_entity_summaries_follow_the_mentions(kb: KnowledgeBase, seeds_dir: Path, ndt_path: Path, tmp_path: Path) -> None:
    report = kb.ingest([seeds_dir, ndt_path])
    assert report.analysed == 311 and report.ok
    _assert_in_step(kb)
    assert len(_stored(kb)[1]) > 1000

    # The profile reads the summary and says what the old per-request pass over the mentions said.
    for entity_id in _top_people(kb, 5):
        profile = kb.entity_by_id(entity_id)
        assert (profile["articles"], profile["first_seen"], profile["last_seen"], profile["mentions_per_month"]) == _old_profile_counts(
            kb, entity_id
        )

    # Name look-ups and aliases read the spellings summary and agree with counting the mentions.
    for name in ("Brende", "Pompeo", "Børge Brende", "IS", "Norge", "Stoltenberg"):
        assert kb.store.find_entities(name) == _old_find_entities(kb, name), name
    every_quote = kb.store.quotes()
    for entity_id in _top_people(kb, 10):
        assert kb.entity_by_id(entity_id)["aliases"] == _old_aliases(kb, entity_id)
        # A speaker's quotes come from an index in the order of all quotes, page by page too.
        expected = [q for q in every_quote if q["speaker_entity_id"] == entity_id]
        assert kb.store.quotes(speaker_entity_id=entity_id) == expected
        paged: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = kb.quote_page(speaker_entity_id=entity_id, limit=2, cursor=cursor)
            paged += page.items
            if not (cursor := page.next_cursor):
                break
        assert paged == expected

    # Updated articles (new text, another year): their mentions go with the old text, and come back by re-analysis.
    records = [json.loads(line) for line in ndt_path.read_text(encoding="utf-8").splitlines()[:12]]
    changed = [dict(r, date=f"{int(r['date'][:4]) - 7}{r['date'][4:]}", text=r["text"] + "\n\nJens Stoltenberg kom også.") for r in records]
    path = tmp_path / "changed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in changed), encoding="utf-8")
    report = kb.ingest([path], analyze=False)
    assert report.updated == 12
    _assert_in_step(kb)
    assert kb.analyze() == 12
    _assert_in_step(kb)

    # A re-analysis of articles already analysed (their analysis record gone, as after a model change).
    ids = [row[0] for row in kb.store.run_sql("SELECT article_id FROM analyses ORDER BY article_id LIMIT 15")]
    kb.store.run_sql(f"DELETE FROM analyses WHERE article_id IN ({','.join('?' * len(ids))})", ids)
    assert kb.analyze() == 15
    _assert_in_step(kb)

    # Re-resolution: one entity folded into another, where both are mentioned in some of the same articles.
    first = _top_people(kb, 1)[0]
    other = kb.store.related_entities(first, limit=1)[0]["entity_id"]
    with kb.store.atomic():
        kb.store.rename_entity(other, first, kb.entity_by_id(first)["canonical"])
    _assert_in_step(kb)
    assert kb.store.run_sql("SELECT count(*) FROM entity_months WHERE entity_id = ?", (other,))[0][0] == 0
    assert kb.entity_by_id(first)["mentions_per_month"] == _old_profile_counts(kb, first)[3]
    resolve_archive(kb.store)
    _assert_in_step(kb)

    # A full rebuild gives the same rows.
    before = _stored(kb)
    kb.store.rebuild_entity_summaries()
    assert _stored(kb) == before


def test_entity_page_reads_are_bounded(kb: KnowledgeBase, seeds_dir: Path) -> None:
    kb.ingest([seeds_dir])
    entity_id = _top_people(kb, 1)[0]
    profile = kb.entity_by_id(entity_id)
    assert profile["role_records_more"] is False
    assert len(profile["role_records"]) == len(kb.store.roles(person_entity_id=entity_id))
    assert kb.store.roles(person_entity_id=entity_id, limit=1) == kb.store.roles(person_entity_id=entity_id)[:1]
