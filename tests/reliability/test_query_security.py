"""Hostile search input reaches neither SQL nor Tantivy's query language.

The search syntax is parsed by sporbar into words and phrases, and the index
query is built from them as term and phrase objects (Tantivy's own query
parser is never called); every SQL statement takes its values as parameters,
and LIKE patterns escape their wildcards. So a field name, a wildcard, a
boost or a quote in a query is just text: it finds what those words find,
or nothing, or a clear error (status 400) when the query is too long.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sporbar
from sporbar.api import KnowledgeBase
from sporbar.errors import InvalidQuery, SporbarError
from sporbar.query.syntax import MAX_QUERY_CHARS


@pytest.fixture(scope="module")
def analysed_kb(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, ndt_path: Path) -> KnowledgeBase:
    archive = sporbar.open(tmp_path_factory.mktemp("security") / "s.db")
    archive.ingest([ndt_path], analyze=False)
    archive.ingest([seeds_dir])  # the seeds with their quotes and roles
    yield archive
    archive.close()


def hit_ids(kb: KnowledgeBase, query: str, **filters: object) -> list[str]:
    return [h.article_id for h in kb.search(query, limit=1000, **filters)]


# (hostile query, what it must mean in sporbar's syntax: punctuation inside a word splits it into a phrase)
LITERAL = [
    ("source:Aftenposten", '"source Aftenposten"'),
    ("title:regjeringen", '"title regjeringen"'),
    ("id:ndt-ap001-001", '"id ndt ap001 001"'),
    ("exact:regjeringen base:regjering", '"exact regjeringen" "base regjering"'),
    ("date_start:[0 TO 999999]", '"date start 0" TO 999999'),
    ("regjeringen^100", '"regjeringen 100"'),
    ("regjering*", "regjering"),
    ("regjering~2", '"regjering 2"'),
    ("(regjeringen", "regjeringen"),
    ("regjeringen\\", "regjeringen"),
    ("+regjeringen &&", "regjeringen"),
    ("'; DROP TABLE articles; --", "DROP TABLE articles"),
    ("regjeringen' OR '1'='1", 'regjeringen OR "1 1"'),
]


@pytest.mark.parametrize(("hostile", "plain"), LITERAL)
def test_query_syntax_of_other_languages_is_literal_text(analysed_kb: KnowledgeBase, hostile: str, plain: str) -> None:
    assert hit_ids(analysed_kb, hostile) == hit_ids(analysed_kb, plain)


def test_field_names_do_not_select_fields(analysed_kb: KnowledgeBase) -> None:
    # "source:Aftenposten" would match ~150 articles in Tantivy's syntax; as words it needs both words in the text.
    by_field = len(hit_ids(analysed_kb, "", sources=["Aftenposten"]))
    assert by_field > 50
    assert len(hit_ids(analysed_kb, "source:Aftenposten")) < by_field


def test_wildcards_alone_are_no_query(analysed_kb: KnowledgeBase) -> None:
    everything = hit_ids(analysed_kb, "")  # an empty query lists the newest articles
    for query in ("*", "?", "^", ":", "\\", '"', "()", "-", "="):
        assert hit_ids(analysed_kb, query) == everything, query


def test_sql_statements_in_queries_change_nothing(analysed_kb: KnowledgeBase) -> None:
    before = analysed_kb.store.count_articles()
    for query in ["'; DROP TABLE articles; --", '"); DELETE FROM articles; --', "1; UPDATE articles SET text = ''"]:
        analysed_kb.search(query)
        analysed_kb.quotes(speaker=query, text=query)
        analysed_kb.roles(person=query, org=query, role=query)
        analysed_kb.numbers(about=query)
        analysed_kb.search("regjeringen", sources=[query])
    assert analysed_kb.store.count_articles() == before
    assert analysed_kb.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_like_wildcards_in_filters_are_literal(analysed_kb: KnowledgeBase) -> None:
    assert analysed_kb.quotes(speaker="Pompeo")
    assert analysed_kb.quotes(speaker="%") == [] and analysed_kb.quotes(speaker="_") == []
    # "%" is a literal: only quotes that contain a per cent sign ("50% stilling").
    assert all("%" in q["text"] for q in analysed_kb.quotes(text="%"))
    assert all("_" in q["text"] for q in analysed_kb.quotes(text="_"))
    assert analysed_kb.roles(person="%") == [] and analysed_kb.roles(person="_%")  == []
    assert len(analysed_kb.roles(person="Brende")) > 0
    assert all("%" in (n["about"] or "") + n["text"] for n in analysed_kb.numbers(about="%"))  # matches about or the text
    assert analysed_kb.search("regjeringen", sources=["%"]) == []
    with pytest.raises(SporbarError, match="no entity named"):
        analysed_kb.entity("%")


def test_too_long_or_too_many_parts_is_a_clear_400(analysed_kb: KnowledgeBase) -> None:
    analysed_kb.search("a" * MAX_QUERY_CHARS)  # at the limit: fine
    with pytest.raises(InvalidQuery) as too_long:
        analysed_kb.search("a" * (MAX_QUERY_CHARS + 1))
    assert too_long.value.status == 400 and "at most" in too_long.value.message
    with pytest.raises(InvalidQuery) as too_many:
        analysed_kb.search(" ".join(f"ord{i}" for i in range(40)))
    assert too_many.value.status == 400
    with pytest.raises(InvalidQuery):
        analysed_kb.search("regjeringen", offset=10**9)


def test_control_characters_and_odd_unicode_in_queries(analysed_kb: KnowledgeBase) -> None:
    for query in ["\x00", "regjeringen\x00", "\u202eregjeringen", "\ud800", "regjer\u200bingen", "ＲＥＧＪＥＲＩＮＧＥＮ", "\n\t\r"]:
        try:
            analysed_kb.search(query)
        except SporbarError:
            pass
