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
import hashlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from sporbar import ingest as ingest_stage
from sporbar.errors import ArticleNotFound, EntityNotFound, InvalidQuery, SporbarError, StoreError, StoryNotFound
from sporbar.models import Article, ArticleDate, EntityCount, IngestReport, Mention, NearDuplicate, Page, SearchHit
from sporbar.query import search as search_query
from sporbar.query.export import EXPORT_FORMATS, EXPORT_KINDS, export_records, rows_for
from sporbar.query.pages import decode_cursor, encode_cursor, page_size
from sporbar.query.search import search_facets
from sporbar.store import DEFAULT_DB, SearchIndex, Store, index_path_for, is_postgres_url, open_database, open_store

# Role statements an entity's profile (GET /api/entities/ID) carries as evidence: a bounded, index-ordered read.
ROLE_RECORDS = 200

DateLike = str | dt.date | None


def _start_of(value: DateLike) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return ArticleDate.parse(value).start


def _end_of(value: DateLike) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return ArticleDate.parse(value).end


def store_target(db: str | os.PathLike[str]) -> str | Path:
    """A PostgreSQL URL stays a string; anything else is a SQLite file path."""
    return str(db) if is_postgres_url(str(db)) else Path(db)


class KnowledgeBase:
    """A sporbar archive: a store (SQLite file or PostgreSQL database) and its search index.

    ``index`` is the search index folder: by default beside a SQLite file, or in
    the user's cache folder for a PostgreSQL store (see ``store.index_path_for``).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] = DEFAULT_DB,
        *,
        repair_index: bool = False,
        index: str | os.PathLike[str] | None = None,
        create: bool = True,
    ) -> None:
        self.path = store_target(path)
        self.index_path = Path(index) if index is not None else index_path_for(self.path)
        self.store: Store
        self.index: SearchIndex
        if repair_index:
            # The index is derived: when it cannot be opened, drop it; ``reindex`` builds it again.
            self.store = open_database(self.path, create=create)
            try:
                self.index = SearchIndex(self.index_path)
            except SporbarError:
                SearchIndex.destroy(self.index_path)
                self.index = SearchIndex(self.index_path)
        else:
            self.store, self.index = open_store(self.path, create=create, index=self.index_path)
        if self.store.index_identity() is None:
            self.store.set_index_identity(self.index.identity)

    @property
    def index_is_current(self) -> bool:
        """Whether the search index is the one the store keeps up to date (another copy needs ``reindex``)."""
        return self.store.index_identity() == self.index.identity

    # -- lifecycle -------------------------------------------------------------

    def refresh(self) -> None:
        """Search what other connections or processes committed just now.

        Each open index reloads on its own a moment after another writer
        commits; call this where that moment matters (a server answering
        right after its own ingest).
        """
        self.index.refresh()

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
        dask: str | None = None,
    ) -> IngestReport:
        """Read, normalise, deduplicate, store and index articles.

        ``format`` forces a reader (``seed``, ``text``, ``jsonl``, ``json``,
        ``csv``, ``tsv``, ``html``); ``date`` dates records that have none.
        Rejected records are in the report and, with ``rejects_path``, written
        there as JSON Lines with their raw text. ``workers`` processes prepare
        records in parallel (default: all cores for inputs over 20 MB). With
        ``analyze`` (the default) new and changed articles then go through
        the Norwegian language pipeline (sentences, entity mentions); articles
        already analysed by the same model are not analysed again. ``dask``
        (a scheduler address, ``tcp://host:8786``) runs that language stage
        on a Dask cluster; the results are written here, batch by batch.
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
            dask=dask,
        )

    def analyze(
        self,
        *,
        workers: int = 1,
        on_progress: ingest_stage.AnalysisProgressCallback | None = None,
        dask: str | None = None,
    ) -> int:
        """Run the language pipeline over every article it has not analysed yet; return how many it analysed."""
        self.store.acquire_writer()
        try:
            from sporbar.resolve import resolve_archive

            analysed = ingest_stage.analyse_pending(self.store, workers=workers, on_progress=on_progress, dask=dask)
            resolve_archive(self.store)
            return analysed
        finally:
            self.store.release_writer()

    def reindex(self, *, phrase_pairs: bool | None = None) -> int:
        """Rebuild the search index from the store (from scratch if it is unreadable); return the number indexed.

        ``phrase_pairs`` builds the new index with (True) or without (False) phrase pairs: faster phrases of
        common words on a large archive, for more ingest work (see ``store.search_index``); None keeps the
        old index's choice.
        """
        if phrase_pairs is None:
            phrase_pairs = self.index.pairs is not None
        self.store.acquire_writer()
        try:
            # Mark before destroying: a run killed in between must leave the store knowing nothing is indexed.
            self.store.mark_all_unindexed()
            self.index.close()
            SearchIndex.destroy(self.index_path)
            self.index = SearchIndex(self.index_path, phrase_pairs=phrase_pairs)
            self.store.set_index_identity(self.index.identity)
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
        # Without a total the index can skip articles that cannot reach the top ``limit``.
        hits, _ = self._search(query, since, until, sources, limit, offset, count=False)
        return hits

    def _require_current_index(self) -> None:
        if not self.index_is_current:
            raise StoreError(
                f"the search index at {self.index_path} was not built from this store (or was replaced):"
                " run `sporbar reindex` (with the same --index) to rebuild it"
            )

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
        hits, total = self._search(query, since, until, sources, limit, offset, count=True)
        return hits, total or 0

    def _search(
        self,
        query: str,
        since: DateLike,
        until: DateLike,
        sources: Sequence[str],
        limit: int,
        offset: int,
        *,
        count: bool,
    ) -> tuple[list[SearchHit], int | None]:
        self._require_current_index()
        return search_query(
            self.store,
            self.index,
            query,
            since=_start_of(since),
            until=_end_of(until),
            sources=sources,
            limit=limit,
            offset=offset,
            count=count,
        )

    def search_page(
        self,
        query: str,
        *,
        since: DateLike = None,
        until: DateLike = None,
        sources: Sequence[str] = (),
        limit: int = 10,
        cursor: str | None = None,
        facets: bool = False,
    ) -> tuple[Page, dict[str, Any] | None]:
        """One page of search hits (``Page.total`` is the number of matches) and, with ``facets``, their facets.

        Facets count sources, years and the most mentioned people over the
        best ``FACET_DEPTH`` matches.
        """
        fingerprint = hashlib.sha1(
            json.dumps([query, str(since), str(until), sorted(sources)], ensure_ascii=False).encode("utf-8")
        ).hexdigest()[:12]
        offset = 0
        if cursor:
            offset, expected = decode_cursor("search", cursor, (int, str))
            if expected != fingerprint:
                raise InvalidQuery("this cursor belongs to another search; start again without it")
        limit = page_size(limit)
        hits, total = self.search_with_total(query, since=since, until=until, sources=sources, limit=limit, offset=offset)
        next_offset = offset + limit
        next_cursor = encode_cursor("search", [next_offset, fingerprint]) if next_offset < total and hits else None
        found = None
        if facets:
            found = search_facets(
                self.store, self.index, query, since=_start_of(since), until=_end_of(until), sources=sources, depth=FACET_DEPTH
            )
        return Page(hits, next_cursor, total), found

    def article_page(
        self, *, since: DateLike = None, until: DateLike = None, sources: Sequence[str] = (), limit: int = 50, cursor: str | None = None
    ) -> Page:
        """One page of articles in date order."""
        after = decode_cursor("articles", cursor, (str,))[0] if cursor else None
        limit = page_size(limit)
        items = self.store.article_page(since=_start_of(since), until=_end_of(until), sources=sources, after=after, limit=limit + 1)
        more = len(items) > limit
        items = items[:limit]
        return Page(items, encode_cursor("articles", [items[-1].id]) if more else None)

    def sources(self) -> dict[str, int]:
        """The sources the archive holds, with their article counts, most first."""
        return self.store.source_counts()

    def article_facts(self, article_id: str) -> dict[str, Any]:
        """Everything derived from one article, with offsets into its text: mentions, quotes, roles, numbers, times."""
        article = self.article(article_id)
        return {
            "article": article,
            "near_duplicates": self.store.near_duplicates_of(article_id),
            "sentences": self.store.sentences_of(article_id),
            "mentions": self.store.mentions_of(article_id),
            "quotes": self.store.quotes(article_id=article_id),
            "roles": self.store.roles(article_id=article_id),
            "numbers": self.store.numbers(article_id=article_id),
            "times": self.store.times(article_id=article_id),
            "story_id": self.store.story_of(article_id),
        }

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

    def quote_page(
        self,
        *,
        speaker: str | None = None,
        speaker_entity_id: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        text: str | None = None,
        kind: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        """One page of quotes in date order, filtered like ``quotes`` (and by the speaker's entity id)."""
        if kind is not None and kind not in ("direct", "indirect"):
            raise InvalidQuery(f"unknown kind {kind!r}: choose direct or indirect")
        after = tuple(decode_cursor("quotes", cursor, (str, int, int))) if cursor else None
        limit = page_size(limit)
        rows = self.store.quotes(
            speaker=speaker,
            speaker_entity_id=speaker_entity_id,
            since=_start_of(since),
            until=_end_of(until),
            text=text,
            kind=kind,
            limit=limit + 1,
            after=after,
        )
        return _fact_page("quotes", rows, limit)

    def number_page(
        self,
        *,
        about: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        kind: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        """One page of numbers in date order, filtered like ``numbers``."""
        after = tuple(decode_cursor("numbers", cursor, (str, int, int))) if cursor else None
        limit = page_size(limit)
        rows = self.store.numbers(
            about=about, since=_start_of(since), until=_end_of(until), kind=kind, limit=limit + 1, after=after
        )
        return _fact_page("numbers", rows, limit)

    def entity_page(self, *, label: str | None = None, name: str | None = None, limit: int = 50, cursor: str | None = None) -> Page:
        """One page of resolved entities (people, organisations, places …), most mentioned first."""
        after = tuple(decode_cursor("entities", cursor, (int, str))) if cursor else None
        limit = page_size(limit)
        rows = self.store.entity_list(label=label.upper() if label else None, name=name, after=after, limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(rows, encode_cursor("entities", [rows[-1]["mentions"], rows[-1]["entity_id"]]) if more else None)

    def entity_by_id(self, entity_id: str) -> dict[str, Any]:
        """One entity by id: its profile (aliases, roles over time, mentions per month), role records and related people."""
        if not self.store.entity_exists(entity_id):
            raise EntityNotFound(f"no entity with id {entity_id!r}")
        profile = self.store.entity_profile(entity_id)
        # The oldest ROLE_RECORDS of the role statements (all of them are in `roles` and /api/roles?person=…).
        records = self.store.roles(person_entity_id=entity_id, limit=ROLE_RECORDS + 1)
        profile["role_records"] = records[:ROLE_RECORDS]
        profile["role_records_more"] = len(records) > ROLE_RECORDS
        profile["related"] = self.store.related_entities(entity_id)
        return profile

    def role_holders(self, role: str, *, org: str | None = None) -> list[dict[str, Any]]:
        """Everyone seen in an office (of ``org``), oldest first, with first and last dates and evidence."""
        from sporbar.query.who import role_holders

        return role_holders(self.store, role, org=org)

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
            raise StoryNotFound(f"no story with id {story_id}")
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
            raise EntityNotFound(f"no entity named {name!r}")
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

    def evaluate_entities(self, gold_path: str | os.PathLike[str]) -> dict[str, Any]:
        """Score entity resolution against a gold file: stored mentions and the oracle-mention mode (see
        ``sporbar.analyze.evaluate_entities``)."""
        from sporbar.analyze.evaluate_entities import load_entity_gold, score_entities

        gold = load_entity_gold(gold_path)
        ids = sorted({g["article_id"] for g in gold})
        texts = {a.id: a.text for a in self.store.articles_by_id(ids).values()}
        scores = score_entities(gold, self.store.mentions_of, texts)
        scores["missing_articles"] = [i for i in ids if i not in texts]
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
        figures["index_path"] = str(self.index_path)
        figures["index_current"] = self.index_is_current
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


FACET_DEPTH = 1000  # facets describe at most the best this many matches


def _fact_page(kind: str, rows: list[dict[str, Any]], limit: int) -> Page:
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor(kind, [rows[-1]["article_id"], rows[-1]["start"], rows[-1]["end"]]) if more else None
    return Page(rows, cursor)


def open(  # noqa: A001
    path: str | os.PathLike[str] = DEFAULT_DB,
    *,
    repair_index: bool = False,
    index: str | os.PathLike[str] | None = None,
    create: bool = True,
) -> KnowledgeBase:
    """Open (or create) a sporbar archive: a SQLite file, or a ``postgresql://`` URL.

    ``index`` is where the search index lives (default: beside a SQLite file, or
    the user's cache folder for PostgreSQL); ``repair_index`` drops a search index
    that cannot be opened; ``create=False`` refuses to create a store that is not there.
    """
    return KnowledgeBase(path, repair_index=repair_index, index=index, create=create)


__all__ = ["EXPORT_FORMATS", "EXPORT_KINDS", "KnowledgeBase", "open"]
