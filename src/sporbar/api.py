"""The public Python API: every interface (CLI, HTTP, web) is a thin layer over it.

    import sporbar
    with sporbar.open("archive.db") as kb:
        kb.ingest(["examples/seeds"])
        for hit in kb.search("fremmedkriger", since="2019-01"):
            print(hit.date, hit.title, hit.snippet.marked())

Functions return records from ``sporbar.models`` and never print or exit;
errors are ``sporbar.errors.SporbarError`` subclasses.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from sporbar import ingest as ingest_stage
from sporbar.errors import ArticleNotFound, SporbarError
from sporbar.models import Article, ArticleDate, EntityCount, IngestReport, Mention, NearDuplicate, SearchHit
from sporbar.query import search as search_query
from sporbar.query.export import EXPORT_FORMATS, EXPORT_KINDS, export_records, rows_for
from sporbar.store import DEFAULT_DB, SearchIndex, SQLiteStore, index_path_for, open_store

DateLike = str | dt.date | None


def _start_of(value: DateLike) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return ArticleDate.parse(value).start


def _end_of(value: DateLike) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return ArticleDate.parse(value).end


class KnowledgeBase:
    """A sporbar archive: a store file and the search index beside it."""

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_DB, *, repair_index: bool = False) -> None:
        self.path = Path(path)
        self.store: SQLiteStore
        self.index: SearchIndex
        if repair_index:
            # The index is derived: when it cannot be opened, drop it; ``reindex`` builds it again.
            self.store = SQLiteStore(self.path)
            try:
                self.index = SearchIndex(index_path_for(self.path))
            except SporbarError:
                SearchIndex.destroy(index_path_for(self.path))
                self.index = SearchIndex(index_path_for(self.path))
        else:
            self.store, self.index = open_store(self.path)

    # -- lifecycle -------------------------------------------------------------

    def close(self) -> None:
        """Close the store and the index."""
        self.index.close()
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        format: str | None = None,
        date: str | None = None,
        rejects_path: str | os.PathLike[str] | None = None,
        batch_size: int = ingest_stage.DEFAULT_BATCH_SIZE,
        workers: int | None = None,
        analyze: bool = True,
        on_progress: ingest_stage.ProgressCallback | None = None,
        on_analysis_progress: ingest_stage.AnalysisProgressCallback | None = None,
    ) -> IngestReport:
        """Read, normalise, deduplicate, store and index articles.

        ``format`` forces a reader (``seed``, ``text``, ``jsonl``, ``json``,
        ``csv``, ``tsv``, ``html``); ``date`` dates records that have none.
        Rejected records are in the report and, with ``rejects_path``, written
        there as JSON Lines with their raw text. ``workers`` processes prepare
        records in parallel (default: all cores for inputs over 20 MB). With
        ``analyze`` (the default) new and changed articles then go through
        the Norwegian language pipeline (sentences, entity mentions); articles
        already analysed by the same model are not analysed again.
        """
        return ingest_stage.ingest_paths(
            self.store,
            self.index,
            [str(p) for p in paths],
            format=format,
            date=date,
            batch_size=batch_size,
            workers=workers,
            rejects_path=rejects_path,
            on_progress=on_progress,
            analyze=analyze,
            on_analysis_progress=on_analysis_progress,
        )

    def analyze(
        self, *, workers: int = 1, on_progress: ingest_stage.AnalysisProgressCallback | None = None
    ) -> int:
        """Run the language pipeline over every article it has not analysed yet; return how many it analysed."""
        self.store.acquire_writer()
        try:
            return ingest_stage.analyse_pending(self.store, workers=workers, on_progress=on_progress)
        finally:
            self.store.release_writer()

    def reindex(self) -> int:
        """Rebuild the search index from the store (from scratch if it is unreadable); return the number indexed."""
        self.store.acquire_writer()
        try:
            # Mark before destroying: a run killed in between must leave the store knowing nothing is indexed.
            self.store.mark_all_unindexed()
            self.index.close()
            SearchIndex.destroy(index_path_for(self.path))
            self.index = SearchIndex(index_path_for(self.path))
        finally:
            self.store.release_writer()
        return ingest_stage.rebuild_index(self.store, self.index)

    # -- reading ---------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        since: DateLike = None,
        until: DateLike = None,
        sources: Sequence[str] = (),
        limit: int = 10,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Search articles; ``since``/``until`` accept ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        An article matches a date range when its own date (kept at the
        precision its source gave, e.g. a whole month) overlaps the range.
        """
        hits, _ = self.search_with_total(query, since=since, until=until, sources=sources, limit=limit, offset=offset)
        return hits

    def search_with_total(
        self,
        query: str,
        *,
        since: DateLike = None,
        until: DateLike = None,
        sources: Sequence[str] = (),
        limit: int = 10,
        offset: int = 0,
    ) -> tuple[list[SearchHit], int]:
        """Like ``search``, and also return how many articles match in all."""
        return search_query(
            self.store,
            self.index,
            query,
            since=_start_of(since),
            until=_end_of(until),
            sources=sources,
            limit=limit,
            offset=offset,
        )

    def article(self, article_id: str) -> Article:
        """Return one article by id; raise ``ArticleNotFound``."""
        article = self.store.article(article_id)
        if article is None:
            raise ArticleNotFound(article_id)
        return article

    def articles(self, *, since: DateLike = None, until: DateLike = None, sources: Sequence[str] = ()) -> Iterator[Article]:
        """Yield stored articles in date order."""
        return self.store.iter_articles(since=_start_of(since), until=_end_of(until), sources=sources)

    def near_duplicates(self, article_id: str) -> list[NearDuplicate]:
        """Return the articles that are near-copies of this one, most similar first."""
        self.article(article_id)
        return self.store.near_duplicates_of(article_id)

    def sentences(self, article_id: str) -> list[tuple[int, int]]:
        """Return the article's sentences as ``(start, end)`` offsets into its text."""
        self.article(article_id)
        return self.store.sentences_of(article_id)

    def mentions(self, article_id: str) -> list[Mention]:
        """Return the named-entity mentions the language model found in one article."""
        self.article(article_id)
        return self.store.mentions_of(article_id)

    def entities(self, *, label: str | None = None, top: int = 20) -> list[EntityCount]:
        """Return the most mentioned names, optionally of one label (PER, ORG, GPE_LOC …)."""
        return self.store.entity_counts(label=label, top=top)

    def quotes(
        self,
        *,
        speaker: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        text: str | None = None,
        kind: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Return quotes (export-contract rows) filtered by speaker name, date range, words and kind."""
        return self.store.quotes(
            speaker=speaker,
            since=_start_of(since),
            until=_end_of(until),
            text=text,
            kind=kind,
            article_id=article_id,
            limit=limit,
        )

    def roles(self, *, role: str | None = None, org: str | None = None, person: str | None = None) -> list[dict[str, Any]]:
        """Return role records (export-contract rows): who was stated to hold which office, with evidence offsets."""
        return self.store.roles(role=role, org=org, person=person)

    def who(self, role: str, *, org: str | None = None, at: DateLike = None) -> dict[str, Any]:
        """Who held ``role`` (of ``org``) at a date: attested holders, or the last one seen before, with evidence."""
        from sporbar.query.who import who

        window = None
        if at is not None:
            window = (_start_of(at), _end_of(at))
        return who(self.store, role, org=org, at=window)  # type: ignore[arg-type]

    def numbers(
        self,
        *,
        about: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        kind: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Return the numbers articles claimed (export-contract rows), oldest first; ``about`` matches what is counted."""
        return self.store.numbers(
            about=about, since=_start_of(since), until=_end_of(until), kind=kind, article_id=article_id, limit=limit
        )

    def stories(self, *, since: DateLike = None, until: DateLike = None, min_size: int = 1) -> list[dict[str, Any]]:
        """Return story threads (largest first) whose dates overlap a range."""
        return self.store.stories(since=_start_of(since), until=_end_of(until), min_size=min_size)

    def story(self, story_id: int) -> dict[str, Any]:
        """Return one story: its articles in date order, key people, their quotes and the numbers over time."""
        rows = [s for s in self.store.stories() if s["story_id"] == story_id]
        if not rows:
            raise SporbarError(f"no story with id {story_id}")
        story = dict(rows[0])
        articles = self.store.story_articles(story_id)
        story["articles_in_order"] = articles
        people: dict[str, int] = {}
        quotes: list[dict[str, Any]] = []
        numbers: list[dict[str, Any]] = []
        for item in articles:
            for mention in self.store.mentions_of(item["article_id"]):
                if mention.label == "PER":
                    people[mention.text] = people.get(mention.text, 0) + 1
            quotes.extend(self.store.quotes(article_id=item["article_id"]))
            numbers.extend(n for n in self.store.numbers(article_id=item["article_id"]) if n["kind"] in ("count", "percent", "money"))
        speakers = {q["speaker"] for q in quotes if q["speaker"]}
        story["key_people"] = sorted(people, key=lambda p: (-people[p] - (5 if p in speakers else 0), p))[:10]
        story["quotes"] = quotes
        story["numbers"] = numbers
        return story

    def entity(self, name: str) -> dict[str, Any]:
        """Everything about the entity best matching a name (aliases, type, roles over time, counts, first/last seen)."""
        matches = self._entity_matches(name)
        profile = self.store.entity_profile(matches[0][0])
        profile["other_matches"] = [{"entity_id": e, "canonical": c, "label": lab, "mentions": n} for e, c, lab, n in matches[1:]]
        return profile

    def timeline(self, name: str) -> list[dict[str, Any]]:
        """Dated facts about an entity, oldest first."""
        return self.store.entity_timeline(self._entity_matches(name)[0][0])

    def _entity_matches(self, name: str) -> list[tuple[str, str, str, int]]:
        from sporbar.resolve.entities import aliases

        alias = aliases().get(name.casefold())
        matches = self.store.find_entities(alias[0] if alias else name)
        if not matches:
            raise SporbarError(f"no entity named {name!r}")
        return matches

    def evaluate_quotes(self, gold_path: str | os.PathLike[str]) -> dict[str, Any]:
        """Score the stored quotes against a gold file (see ``sporbar.analyze.evaluate_quotes``)."""
        from sporbar.analyze.evaluate_quotes import load_gold, score_quotes

        gold = load_gold(gold_path)
        ids = sorted({g["article_id"] for g in gold})
        texts = {a.id: a.text for a in self.store.articles_by_id(ids).values()}
        predicted = [q for article_id in ids for q in self.store.quotes(article_id=article_id)]
        return score_quotes(predicted, gold, texts)

    def evaluate_roles(self, gold_path: str | os.PathLike[str]) -> dict[str, Any]:
        """Score the stored roles against a gold file (see ``sporbar.analyze.evaluate_roles``)."""
        from sporbar.analyze.evaluate_roles import load_role_gold, score_roles

        gold = load_role_gold(gold_path)
        ids = sorted({g["article_id"] for g in gold})
        predicted = [r for article_id in ids for r in self.store.roles(article_id=article_id)]
        scores = score_roles(predicted, [g for g in gold if self.store.article(g["article_id"]) is not None])
        scores["missing_articles"] = [i for i in ids if self.store.article(i) is None]
        return scores

    def evaluate_numbers(self, gold_path: str | os.PathLike[str]) -> dict[str, Any]:
        """Score stored numbers in the annotated sentences of a gold file."""
        from sporbar.analyze.evaluate_facts import load_jsonl, number_agrees, score_spans

        gold = load_jsonl(gold_path, ("article_id", "sentence", "text"))
        texts = {a.id: a.text for a in self.store.articles_by_id(sorted({g["article_id"] for g in gold})).values()}
        return score_spans(gold, lambda article_id: self.store.numbers(article_id=article_id), texts, number_agrees)

    def evaluate_times(self, gold_path: str | os.PathLike[str]) -> dict[str, Any]:
        """Score stored time expressions (resolved dates) in the annotated sentences of a gold file."""
        from sporbar.analyze.evaluate_facts import load_jsonl, score_spans, time_agrees

        gold = load_jsonl(gold_path, ("article_id", "sentence", "text", "value"))
        texts = {a.id: a.text for a in self.store.articles_by_id(sorted({g["article_id"] for g in gold})).values()}
        return score_spans(gold, lambda article_id: self.store.times(article_id=article_id), texts, time_agrees)

    def evaluate_stories(self, gold_path: str | os.PathLike[str]) -> dict[str, Any]:
        """Score story threads against a gold grouping: pairwise and BCubed precision, recall and F1."""
        from sporbar.analyze.evaluate_facts import load_jsonl, score_stories

        gold = load_jsonl(gold_path, ("article_id", "story"))
        predicted = {g["article_id"]: self.store.story_of(g["article_id"]) for g in gold}
        return score_stories(predicted, gold)

    def stats(self) -> dict[str, Any]:
        """Return counts and sizes describing the archive."""
        figures = self.store.stats()
        figures["index_documents"] = self.index.count()
        figures["index_path"] = str(index_path_for(self.path))
        figures["index_size_bytes"] = self.index.size_bytes()
        return figures

    def export(
        self,
        kind: str,
        *,
        format: str = "jsonl",
        out: str | os.PathLike[str] | IO[str] | None = None,
    ) -> int:
        """Write all records of ``kind`` in ``format`` to ``out`` (a path, a text stream, or stdout); return the count."""
        return export_records(self.store, kind, format=format, out=out if out is not None else sys.stdout)

    def export_rows(self, kind: str) -> Iterator[dict[str, Any]]:
        """Yield the records of ``kind`` as dictionaries with the export contract's fields."""
        return rows_for(self.store, kind)


def open(path: str | os.PathLike[str] = DEFAULT_DB, *, repair_index: bool = False) -> KnowledgeBase:  # noqa: A001
    """Open (or create) a sporbar archive; ``repair_index`` drops a search index that cannot be opened."""
    return KnowledgeBase(path, repair_index=repair_index)


__all__ = ["EXPORT_FORMATS", "EXPORT_KINDS", "KnowledgeBase", "open"]
