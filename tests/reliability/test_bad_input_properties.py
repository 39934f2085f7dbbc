"""Property tests: no input makes a reader, the normaliser, the extractors or the query parser crash.

Every reader gets random Unicode (lone surrogates and control characters
included), mixed encodings, truncated and deeply nested JSON, CSV with wrong
columns, HTML without a body, dates out of range, enormous repetitions. The
only exception allowed anywhere is a ``SporbarError``; every rejection names
its input and a reason; every record that gets through can be stored, and
every offset a fact carries points inside its article's text.

Example counts come from the hypothesis profile: ``ci`` (the default) keeps
them small; ``pytest tests/reliability --hypothesis-profile=long`` runs many more.
"""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sporbar.errors import SporbarError
from sporbar.models import Article, RawRecord, Rejection, SourceLocation
from sporbar.normalize import normalize_record
from sporbar.query.syntax import MAX_QUERY_CHARS, parse_query
from sporbar.read import FORMATS, read_paths
from tests.reliability.strategies import (
    ANY_TEXT,
    CSV_TEXT,
    HOSTILE_TEXT,
    HTML_TEXT,
    JSONL_TEXT,
    RAW_BYTES,
    SEED_TEXT,
    json_documents,
    scaled,
)

PATH = "/archive/innboks/eksport.dat"
DATE_OR_NONE = st.sampled_from([None, "2019-02-13"])


def check_reader_output(items: list[RawRecord | Rejection], path: str) -> list[Article]:
    """Every item is a record or a rejection naming the input; every record normalises or is rejected with a reason."""
    articles = []
    for item in items:
        assert isinstance(item, (RawRecord, Rejection)), item
        assert item.location.path == path
        if isinstance(item, Rejection):
            assert item.reason.strip(), item
            if item.raw is not None:
                item.raw.encode("utf-8")  # the rejects file must be able to hold it
            continue
        try:
            article = normalize_record(item)
        except SporbarError as exc:
            assert exc.message.strip()
            continue
        assert article.text
        # What gets through can be stored: valid UTF-8 all the way, a usable date range.
        article.text.encode("utf-8")
        for value in (article.id, article.title, article.source, article.url):
            if value is not None:
                value.encode("utf-8")
        assert article.date.start <= article.date.end
        articles.append(article)
    return articles


@pytest.mark.parametrize(
    ("fmt", "strategy"),
    [("seed", SEED_TEXT), ("text", HOSTILE_TEXT), ("jsonl", JSONL_TEXT), ("json", json_documents()), ("csv", CSV_TEXT),
     ("tsv", CSV_TEXT.map(lambda t: t.replace(",", "\t"))), ("html", HTML_TEXT)],
)
@given(data=st.data(), default_date=DATE_OR_NONE)
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
def test_every_reader_accepts_or_rejects_any_text(fmt: str, strategy: st.SearchStrategy[str], data: st.DataObject, default_date: str | None) -> None:
    text = data.draw(strategy)
    try:
        items = list(FORMATS[fmt](text, PATH, default_date=default_date))
    except SporbarError:
        return
    check_reader_output(items, PATH)


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".tsv", ".txt", ".html", ".jsonl.gz", ".xml"])
@given(payload=RAW_BYTES, gzipped=st.booleans())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_any_bytes_in_any_file_are_read_or_rejected(tmp_path: Path, suffix: str, payload: bytes, gzipped: bool) -> None:
    path = tmp_path / f"input{suffix}"
    if suffix.endswith(".gz") and gzipped:
        payload = gzip.compress(payload)  # else: a file named .gz that is not gzip at all
    path.write_bytes(payload)
    items = list(read_paths([str(path)], date="2019-02-13"))
    check_reader_output(items, str(path))


@given(records=st.lists(st.tuples(HOSTILE_TEXT, st.sampled_from(["2019-02-13", "2019-02", "1600", "2200-12-31"])), min_size=1, max_size=4))
@settings(max_examples=scaled(10), suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_hostile_articles_stored_with_offsets_inside_their_text(tmp_path_factory: pytest.TempPathFactory, records: list[tuple[str, str]]) -> None:
    """End to end with the language model: whatever is stored, every fact's offsets point into the stored text."""
    import json

    import sporbar

    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "hostile.jsonl"
    source.write_text(
        "\n".join(json.dumps({"text": text, "date": date}, ensure_ascii=True) for text, date in records) + "\n", encoding="utf-8"
    )
    with sporbar.open(folder / "h.db") as kb:
        report = kb.ingest([source])
        assert all(r.location.path == str(source) and r.reason for r in report.rejected)
        # Each record is stored (a later record with the same id replaces an earlier one) or said to be rejected.
        readable = check_reader_output(list(read_paths([str(source)])), str(source))
        assert kb.store.all_ids() == {a.id for a in readable}
        assert len(report.rejected) == len(records) - len(readable)
        assert report.analysed == report.stored
        check_stored_offsets(kb.store.conn)


def check_stored_offsets(conn: sqlite3.Connection) -> None:
    texts = dict(conn.execute("SELECT id, text FROM articles"))
    for table, has_text in (("sentences", False), ("mentions", True), ("quotes", True), ("numbers", True), ("times", True), ("roles", False)):
        columns = 'article_id, start, "end"' + (", text" if has_text else "")
        for row in conn.execute(f"SELECT {columns} FROM {table}"):
            article_id, start, end = row[:3]
            text = texts[article_id]
            assert 0 <= start < end <= len(text), (table, row)
            if has_text and table != "quotes":
                assert text[start:end] == row[3], (table, row, text[start:end])
    for s_start, s_end, c_start, c_end, article_id in conn.execute(
        'SELECT speaker_start, speaker_end, cue_start, cue_end, article_id FROM quotes'
    ):
        for a, b in ((s_start, s_end), (c_start, c_end)):
            if a is not None:
                assert 0 <= a <= b <= len(texts[article_id])


@pytest.fixture(scope="module")
def pipeline():  # type: ignore[no-untyped-def]
    import sporbar.nlp

    return sporbar.nlp.load()


@given(text=HOSTILE_TEXT, date=st.sampled_from(["2019-02-13", "2019-02", "2019", "1600-01-01", "2200-12-31"]))
@settings(max_examples=scaled(30), suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_extractors_offsets_point_inside_the_text(pipeline, text: str, date: str) -> None:  # type: ignore[no-untyped-def]
    from sporbar.analyze.pipeline import analyse_articles

    try:
        article = normalize_record(RawRecord(SourceLocation(PATH, 1), text, date))
    except SporbarError:
        assume(False)
        return
    (analysis,) = list(analyse_articles(pipeline, [article], keep_doc=False))
    stored = article.text
    n = len(stored)
    for start, end in analysis.sentences:
        assert 0 <= start < end <= n
    for fact in (*analysis.mentions, *analysis.numbers, *analysis.times):
        assert 0 <= fact.start < fact.end <= n and stored[fact.start : fact.end] == fact.text, fact
    for quote in analysis.quotes:
        assert 0 <= quote.start < quote.end <= n, quote
        for a, b in ((quote.speaker_start, quote.speaker_end), (quote.cue_start, quote.cue_end)):
            if a is not None:
                assert b is not None and 0 <= a <= b <= n, quote
    for role in analysis.roles:
        assert 0 <= role.start < role.end <= n and 0 <= role.person_start < role.person_end <= n, role


@given(query=st.one_of(ANY_TEXT, HOSTILE_TEXT, st.text(st.sampled_from('"-=OR :*^\\()[]{}~+!&|/'), max_size=80)))
def test_query_parser_parses_or_refuses_anything(query: str) -> None:
    from sporbar.errors import InvalidQuery

    try:
        parsed = parse_query(query)
    except InvalidQuery as exc:
        assert len(query) > MAX_QUERY_CHARS or "parts" in exc.message
        return
    for clause in parsed.clauses:
        assert clause.alternatives
        for term in clause.alternatives:
            assert term.words and all(word and not any(c.isspace() for c in word) for word in term.words)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "seed", "text"])
def test_undecodable_bytes_beside_other_lone_surrogates_are_rejected_not_raised(fmt: str) -> None:
    """Found by fuzzing: the rejects file's escaping raised when a line held both kinds of surrogate."""
    text = {"csv": "text,date\n\udcdc\ud800x,2019\n", "seed": " date 2019\n\udcdc\ud800x"}.get(fmt, '{"text": "\udcdc\ud800"}\n{"a": 1}')
    items = list(FORMATS[fmt](text, PATH, default_date="2019-02-13"))
    rejected = [i for i in items if isinstance(i, Rejection)]
    assert rejected and "UTF-8" in rejected[0].reason
    assert rejected[0].raw is None or "\\xdc" in rejected[0].raw
    check_reader_output(items, PATH)


def test_html_with_undecodable_bytes_and_other_lone_surrogates_is_read() -> None:
    """Found by the long property run: the HTML reader raised on a page holding both kinds of surrogate."""
    page = "<html><body><article><p>Bl\udce5b\udce6r \ud800 er gode og det er mange av dem i skogen.</p></article></body></html>"
    (record,) = list(FORMATS["html"](page, PATH, default_date="2019-02-13"))
    assert isinstance(record, RawRecord)
    assert record.text == "Bl\ufffdb\ufffdr \ufffd er gode og det er mange av dem i skogen."
