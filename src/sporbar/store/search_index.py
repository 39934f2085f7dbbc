"""The full-text index: Tantivy, derived from the store and rebuildable.

Two text fields hold every word: ``exact`` (lower-cased as written, Tantivy's
own analyser) and ``base`` (dictionary base forms computed by
``search_terms``). A word in a query must match either; an exact match adds a
boosted score so ``mener`` ranks articles with *mener* above ones that only
share its base form. Dates are stored as day numbers (``date_start`` and
``date_end``) so a month-precise article can be filtered by overlap.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import tantivy

from sporbar.errors import StoreError, StoreLocked
from sporbar.models import Article, Clause, ParsedQuery, Term
from sporbar.store.search_terms import base_form, base_forms_text

INDEX_FORMAT = 1
EXACT_BOOST = 10.0
WRITER_HEAP_BYTES = 128_000_000


def day_number(day: dt.date) -> int:
    return day.toordinal()


class SearchIndex:
    """A Tantivy index in a folder beside the store."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        marker = self.path / "sporbar-index-format"
        written = marker.read_text().strip() if marker.exists() else ""
        # Empty: a marker torn by a kill, or (before it was written atomically) one being rewritten.
        if written not in ("", str(INDEX_FORMAT)):
            raise StoreError(f"the search index at {self.path} has an old format; run `sporbar reindex`")
        self.schema = self._schema()
        try:
            self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        except ValueError as exc:
            raise StoreError(f"cannot open the search index at {self.path}: {exc}; run `sporbar reindex`") from None
        if written != str(INDEX_FORMAT):
            # Written only when missing, and atomically: readers open the index while a writer works,
            # and a reader once read the marker half-written and refused the index as "old".
            staged = self.path / f".sporbar-index-format.{os.getpid()}"
            staged.write_text(str(INDEX_FORMAT))
            os.replace(staged, marker)
        self._register_analyzers()
        self._writer: tantivy.IndexWriter | None = None

    @staticmethod
    def _schema() -> tantivy.Schema:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
        builder.add_text_field("exact", stored=False, tokenizer_name="nb_exact", index_option="position")
        builder.add_text_field("base", stored=False, tokenizer_name="whitespace", index_option="position")
        builder.add_text_field("source", stored=False, tokenizer_name="nb_keyword", index_option="basic")
        builder.add_integer_field("date_start", stored=False, indexed=True, fast=True)
        builder.add_integer_field("date_end", stored=False, indexed=True, fast=True)
        return builder.build()

    def _register_analyzers(self) -> None:
        # Custom analysers are not stored in the index: register them on every open.
        exact = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase()).build()
        keyword = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(tantivy.Filter.lowercase()).build()
        self.index.register_tokenizer("nb_exact", exact)
        self.index.register_tokenizer("nb_keyword", keyword)

    # -- writing ---------------------------------------------------------------

    def _writer_or_open(self) -> tantivy.IndexWriter:
        if self._writer is None:
            try:
                self._writer = self.index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=1)
            except ValueError as exc:
                raise StoreLocked(f"the search index is being written by another process: {exc}") from None
        return self._writer

    def upsert(self, articles: Iterable[Article], *, base_texts: dict[str, str] | None = None) -> None:
        """Add articles, replacing any earlier version with the same id (call ``commit`` after).

        ``base_texts`` may carry each article's base-form text already computed
        (by ingest workers), keyed by article id.
        """
        writer = self._writer_or_open()
        for article in articles:
            writer.delete_documents_by_term("id", article.id)
            document = tantivy.Document()
            document.add_text("id", article.id)
            body = self.indexed_body(article)
            document.add_text("exact", body)
            base = base_texts.get(article.id) if base_texts else None
            document.add_text("base", base if base is not None else base_forms_text(body))
            if article.source:
                document.add_text("source", article.source)
            document.add_integer("date_start", day_number(article.date.start))
            document.add_integer("date_end", day_number(article.date.end))
            writer.add_document(document)

    def delete(self, ids: Iterable[str]) -> None:
        writer = self._writer_or_open()
        for article_id in ids:
            writer.delete_documents_by_term("id", article_id)

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self.index.reload()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None

    def clear(self) -> None:
        writer = self._writer_or_open()
        writer.delete_all_documents()
        writer.commit()
        self.index.reload()

    @staticmethod
    def indexed_body(article: Article) -> str:
        """Return the text the index holds for an article: its title, then its text."""
        return f"{article.title}\n{article.text}" if article.title else article.text

    @staticmethod
    def destroy(path: str | Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    # -- reading ---------------------------------------------------------------

    def count(self) -> int:
        self.index.reload()
        return int(self.index.searcher().num_docs)

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())

    def search(
        self,
        query: ParsedQuery,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sources: Sequence[str] = (),
        limit: int = 10,
        offset: int = 0,
    ) -> tuple[list[tuple[str, float]], int]:
        """Return ``([(article_id, score)], total_matches)``, best first; newest first for an empty query."""
        must: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for clause in query.clauses:
            occur = tantivy.Occur.MustNot if clause.exclude else tantivy.Occur.Must
            must.append((occur, self._clause_query(clause)))
        filters = self._filter_queries(since=since, until=until, sources=sources)
        if query.is_empty:
            must.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        # Range and term filters give every document the same score, so they do not change the ranking.
        must.extend((tantivy.Occur.Must, f) for f in filters)
        combined = tantivy.Query.boolean_query(must)
        searcher = self.index.searcher()
        if query.is_empty:
            result = searcher.search(combined, limit=limit, offset=offset, count=True, order_by_field="date_start")
        else:
            result = searcher.search(combined, limit=limit, offset=offset, count=True)
        hits = []
        for score, address in result.hits:
            document = searcher.doc(address)
            hits.append((document["id"][0], float(score)))
        return hits, int(result.count or 0)  # type: ignore[attr-defined]  # missing from the stub

    def _term_query(self, term: Term) -> tantivy.Query:
        exact_words: list[str | tuple[int, str]] = list(term.words)
        if term.is_phrase:
            exact = tantivy.Query.phrase_query(self.schema, "exact", exact_words)
            base_words: list[str | tuple[int, str]] = [base_form(w) for w in term.words]
            if base_words == exact_words or term.exact_only:
                return exact  # the base-form phrase would find the same articles again, at twice the cost
            base = tantivy.Query.phrase_query(self.schema, "base", base_words)
        else:
            exact = tantivy.Query.term_query(self.schema, "exact", term.words[0])
            base = tantivy.Query.term_query(self.schema, "base", base_form(term.words[0]))
        if term.exact_only:
            return exact
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, base),
                (tantivy.Occur.Should, tantivy.Query.boost_query(exact, EXACT_BOOST)),
            ]
        )

    def _clause_query(self, clause: Clause) -> tantivy.Query:
        if len(clause.alternatives) == 1:
            return self._term_query(clause.alternatives[0])
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, self._term_query(t)) for t in clause.alternatives])

    def _filter_queries(
        self, *, since: dt.date | None, until: dt.date | None, sources: Sequence[str]
    ) -> list[tantivy.Query]:
        filters: list[tantivy.Query] = []
        if since is not None:
            filters.append(
                tantivy.Query.range_query(self.schema, "date_end", tantivy.FieldType.Integer, day_number(since), None)
            )
        if until is not None:
            filters.append(
                tantivy.Query.range_query(self.schema, "date_start", tantivy.FieldType.Integer, None, day_number(until))
            )
        if sources:
            alternatives = [
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "source", s.lower())) for s in sources
            ]
            filters.append(tantivy.Query.boolean_query(alternatives))
        return filters
