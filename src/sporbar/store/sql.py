"""The SQL both backends share: every query the rest of sporbar asks of a store.

``SQLStore`` holds the queries, written once in the SQL that SQLite and
PostgreSQL both speak (``?`` placeholders; the PostgreSQL store translates
them). The few places where the dialects differ are small methods and
attributes a backend overrides: bulk inserts (COPY on PostgreSQL), inserts
that skip conflicting rows, case-insensitive LIKE, and the transaction and
single-writer lock.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from sporbar.models import (
    Analysis,
    Article,
    ArticleDate,
    DatePrecision,
    EntityCount,
    IngestReport,
    Mention,
    NearDuplicate,
    Rejection,
    SourceLocation,
)
from sporbar.normalize.dedupe import Fingerprint, band_keys_bytes, signature_from_bytes
from sporbar.store.migrations import (
    ENTITY_ALIASES_FROM_MENTIONS,
    ENTITY_ARTICLES_FROM_MENTIONS,
    ENTITY_MONTHS_FROM_ARTICLES,
    ROLE_HOLDERS_FROM_ROLES,
    name_key,
)

_CHUNK = 500
# An article's date spans at most a year (date_end - date_start, year precision): a statement overlapping a date
# range starts at most this many days before it, which bounds the index range that finds them.
MAX_DATE_SPAN_DAYS = 366
_ROLE_ORDER = "date_start, article_id, start, id"
_ROLE_COLUMNS = (
    'article_id, date, person, person_entity_id, role, org, party, start, "end", date_start, date_end, person_start,'
    " person_end, extractor, id"
)
# The related-people list of an entity page looks at the entity's most recent articles, not all of them: a name in
# 7,000 articles would otherwise group every mention of every one of those articles on each request.
RELATED_RECENT_ARTICLES = 300
_ARTICLE_COLUMNS = "id, date, date_precision, title, source, url, text, text_hash, metadata, origin_file, origin_line"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _like_pattern(words: str) -> str:
    """A LIKE pattern matching ``words`` anywhere, with LIKE's own wildcards escaped."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _add_date_overlap(clauses: list[str], params: list[Any], since: dt.date | None, until: dt.date | None, prefix: str) -> None:
    """Keep articles whose own date range (at its precision) overlaps ``since``–``until``."""
    if since is not None:
        clauses.append(f"{prefix}date_end >= ?")
        params.append(since.isoformat())
    if until is not None:
        clauses.append(f"{prefix}date_start <= ?")
        params.append(until.isoformat())


def _add_keyset(
    clauses: list[str], params: list[Any], after: tuple[str, int, int] | None, alias: str, order: str = "a.date_start, a.id"
) -> None:
    """Continue after the fact ``(article_id, start, end)`` in (article date, article id, start, end) order."""
    if after is None:
        return
    article_id, start, end = after
    clauses.append(
        f'({order}, {alias}.start, {alias}."end") > ((SELECT date_start FROM articles WHERE id = ?), ?, ?, ?)'
    )
    params.extend([article_id, article_id, start, end])


def _month_span(month: str) -> tuple[str, str]:
    """The ``date_start`` bounds (inclusive) of articles whose date begins with ``month`` (``2017-03`` or ``2017``)."""
    return (f"{month}-01", f"{month}-31") if len(month) == 7 else (f"{month}-01-01", f"{month}-12-31")


def _article_from_row(row: Sequence[Any]) -> Article:
    (id_, date, precision, title, source, url, text, text_hash, metadata, origin_file, origin_line) = row
    return Article(
        id=id_,
        date=ArticleDate(date, DatePrecision(precision)),
        text=text,
        text_hash=text_hash,
        title=title,
        source=source,
        url=url,
        metadata=json.loads(metadata) if metadata else {},
        origin=SourceLocation(origin_file, origin_line) if origin_file else None,
    )




class Rows(Protocol):
    """What a query returns: a sqlite3 cursor, or rows a PostgreSQL query fetched."""

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class SQLStore:
    """Articles and everything derived from them, in SQL tables (see ``migrations``)."""

    backend = "sql"
    # SQLite's LIKE ignores ASCII case; PostgreSQL's ILIKE does the same (and beyond ASCII).
    _like = "LIKE"
    _newline = "char(10)"

    # -- what a backend provides ---------------------------------------------

    def _cursor(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        raise NotImplementedError

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def _select_in(self, sql: str, values: Iterable[Any], size: int = _CHUNK) -> Iterator[Any]:
        """Rows of ``sql`` whose ``{marks}`` is an IN list of ``values``, asked a chunk at a time (drivers cap parameters)."""
        values = list(values)
        for chunk in _chunks(values, size):
            yield from self._cursor(sql.replace("{marks}", ",".join("?" * len(chunk))), list(chunk))

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """Rows of a large result, fetched as they are read."""
        return iter(self._cursor(sql, params))

    def atomic(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def acquire_writer(self) -> None:
        raise NotImplementedError

    def release_writer(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    @property
    def schema_version(self) -> int:
        raise NotImplementedError

    def size_bytes(self) -> int:
        raise NotImplementedError

    def location(self) -> str:
        """Where the store is, fit to show (no password)."""
        raise NotImplementedError

    def run_sql(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one statement in the shared SQL (``?`` placeholders) and return its rows: for tools, benchmarks and tests."""
        return list(self._cursor(sql, params))

    def _insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, skip_conflicts: bool = False) -> None:
        """Insert many rows; with ``skip_conflicts`` rows that break a uniqueness constraint are left out."""
        verb = "INSERT OR IGNORE" if skip_conflicts else "INSERT"
        names = ", ".join(_quoted(c) for c in columns)
        self._executemany(f"{verb} INTO {table} ({names}) VALUES ({','.join('?' * len(columns))})", rows)

    def _replace_rows(self, table: str, columns: Sequence[str], key: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows, updating those with the same ``key`` in place.

        An upsert, not SQLite's INSERT OR REPLACE: replacing deletes the old row
        first, and the foreign keys' cascade with it (a story would lose every
        article already in it).
        """
        names = ", ".join(_quoted(c) for c in columns)
        updates = ", ".join(f"{_quoted(c)} = excluded.{_quoted(c)}" for c in columns if c not in key)
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        self._executemany(
            f"INSERT INTO {table} ({names}) VALUES ({','.join('?' * len(columns))})"
            f" ON CONFLICT ({', '.join(_quoted(k) for k in key)}) {action}",
            rows,
        )

    # -- articles ----------------------------------------------------------

    def existing(self, articles: Sequence[Article]) -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
        """Return ``{id: (text_hash, record_hash)}`` for stored ids and ``{text_hash: id}`` for stored texts."""
        by_id: dict[str, tuple[str, str | None]] = {}
        by_hash: dict[str, str] = {}
        for id_, text_hash, record_hash in self._select_in(
            "SELECT id, text_hash, record_hash FROM articles WHERE id IN ({marks})", (a.id for a in articles)
        ):
            by_id[id_] = (text_hash, record_hash)
        for id_, text_hash in self._select_in(
            "SELECT id, text_hash FROM articles WHERE text_hash IN ({marks})", (a.text_hash for a in articles)
        ):
            by_hash[text_hash] = id_
        return by_id, by_hash

    def insert_articles(self, articles: Sequence[Article]) -> None:
        """Insert new articles (call inside ``atomic``)."""
        now = _now()
        self._insert_rows(
            "articles",
            ("id", "date", "date_precision", "date_start", "date_end", "title", "source", "url", "text", "text_hash",
             "metadata", "origin_file", "origin_line", "ingested_at", "record_hash"),
            [self._row(a, now) + (a.record_hash,) for a in articles],
        )

    def update_articles(self, articles: Sequence[Article]) -> None:
        """Replace the text and metadata of stored articles whose input changed (call inside ``atomic``)."""
        now = _now()
        aliases_before = self._alias_counts([a.id for a in articles])
        holder_groups = self._role_groups([a.id for a in articles])
        # Texts may move between ids within one batch: free every old hash first (text_hash is unique).
        self._executemany(
            "UPDATE articles SET text_hash = 'pending:' || id WHERE id = ?", [(a.id,) for a in articles]
        )
        for a in articles:
            row = self._row(a, now)
            self._cursor(
                "UPDATE articles SET date=?, date_precision=?, date_start=?, date_end=?, title=?, source=?, url=?, text=?,"
                " text_hash=?, metadata=?, origin_file=?, origin_line=?, ingested_at=?, record_hash=?,"
                " revision = revision + 1 WHERE id=?",
                row[1:] + (a.record_hash, a.id),
            )
            self._cursor("DELETE FROM article_fingerprints WHERE article_id = ?", (a.id,))
            self._cursor("DELETE FROM near_duplicates WHERE article_id = ? OR other_id = ?", (a.id, a.id))
            # Facts derived from the old text would point at the wrong characters now.
            for table in ("analyses", "sentences", "mentions", "quotes", "roles", "numbers", "times", "story_articles"):
                self._cursor(f"DELETE FROM {table} WHERE article_id = ?", (a.id,))
        self._refresh_entity_summaries([a.id for a in articles], aliases_before)
        self._refresh_role_holders(holder_groups)

    @staticmethod
    def _row(a: Article, now: str) -> tuple[Any, ...]:
        return (
            a.id,
            a.date.value,
            a.date.precision.value,
            a.date.start.isoformat(),
            a.date.end.isoformat(),
            a.title,
            a.source,
            a.url,
            a.text,
            a.text_hash,
            json.dumps(a.metadata, ensure_ascii=False, default=str),
            a.origin.path if a.origin else None,
            a.origin.line if a.origin else None,
            now,
        )

    def article(self, article_id: str) -> Article | None:
        row = self._cursor(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article_from_row(row) if row else None

    def articles_by_id(self, ids: Sequence[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        for row in self._select_in(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({{marks}})", ids):
            article = _article_from_row(row)
            found[article.id] = article
        return found

    def hit_fields(self, ids: Sequence[str]) -> dict[str, tuple[str, str | None, str | None, str | None, str]]:
        # Search asks for 10 articles per query: half its store time went into parsing metadata and building Articles.
        return {
            row[0]: tuple(row[1:])
            for row in self._select_in("SELECT id, date, title, source, url, text FROM articles WHERE id IN ({marks})", ids)
        }

    def iter_articles(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sources: Sequence[str] = (),
        batch_size: int = 1000,
    ) -> Iterator[Article]:
        """Yield stored articles in date order, optionally only those that may fall in a date range."""
        where, params = self._filters(since=since, until=until, sources=sources)
        last: tuple[str, str] = ("", "")
        while True:
            rows = self._cursor(
                f"SELECT {_ARTICLE_COLUMNS}, date_start FROM articles WHERE {where} AND (date_start, id) > (?, ?)"
                " ORDER BY date_start, id LIMIT ?",
                (*params, last[0], last[1], batch_size),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article_from_row(row[:-1])
            last = (rows[-1][-1], rows[-1][0])

    def article_page(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sources: Sequence[str] = (),
        after: str | None = None,
        limit: int = 50,
    ) -> list[Article]:
        """Return up to ``limit`` articles in date order, continuing after the article with id ``after``."""
        where, params = self._filters(since=since, until=until, sources=sources)
        if after is not None:
            where += " AND (date_start, id) > ((SELECT date_start FROM articles WHERE id = ?), ?)"
            params.extend([after, after])
        rows = self._cursor(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE {where} ORDER BY date_start, id LIMIT ?", (*params, limit)
        ).fetchall()
        return [_article_from_row(row) for row in rows]

    @staticmethod
    def _filters(*, since: dt.date | None, until: dt.date | None, sources: Sequence[str]) -> tuple[str, list[Any]]:
        clauses = ["1=1"]
        params: list[Any] = []
        _add_date_overlap(clauses, params, since, until, "")
        if sources:
            clauses.append(f"casefold(source) IN ({','.join('?' * len(sources))})")
            params.extend(s.casefold() for s in sources)
        return " AND ".join(clauses), params

    def source_counts(self) -> dict[str, int]:
        """Articles per named source, most first."""
        rows = self._cursor(
            "SELECT source, count(*) FROM articles WHERE source IS NOT NULL GROUP BY source ORDER BY 2 DESC, 1"
        ).fetchall()
        return {source: int(n) for source, n in rows}

    def count_articles(self) -> int:
        return int(self._cursor("SELECT count(*) FROM articles").fetchone()[0])

    def all_ids(self) -> set[str]:
        return {row[0] for row in self._cursor("SELECT id FROM articles")}

    # -- search-index bookkeeping -------------------------------------------

    def unindexed(self, limit: int = 1000) -> list[tuple[Article, int]]:
        """Return articles whose current revision the search index has not seen, with that revision."""
        rows = self._cursor(
            f"SELECT {_ARTICLE_COLUMNS}, revision FROM articles WHERE indexed_revision < revision LIMIT ?", (limit,)
        ).fetchall()
        return [(_article_from_row(row[:-1]), int(row[-1])) for row in rows]

    def revisions(self, ids: Sequence[str]) -> dict[str, int]:
        rows = self._select_in("SELECT id, revision FROM articles WHERE id IN ({marks})", ids, 900)
        return {article_id: int(revision) for article_id, revision in rows}

    def count_unindexed(self) -> int:
        return int(self._cursor("SELECT count(*) FROM articles WHERE indexed_revision < revision").fetchone()[0])

    def count_expected_in_index(self) -> int:
        """Articles the search index must hold a document for: every one it has seen at some revision."""
        never = self._cursor(
            "SELECT count(*) FROM articles WHERE indexed_revision < revision AND indexed_revision = 0"
        ).fetchone()[0]
        return self.count_articles() - int(never)

    def mark_indexed(self, revisions: Iterable[tuple[str, int]]) -> None:
        with self.atomic():
            self._executemany(
                "UPDATE articles SET indexed_revision = ? WHERE id = ? AND revision = ?",
                [(rev, id_, rev) for id_, rev in revisions],
            )

    def mark_indexed_current(self, ids: Sequence[str]) -> None:
        """Mark the current revision of these articles as indexed (the writer indexed them since their last change)."""
        with self.atomic():
            self._executemany(
                "UPDATE articles SET indexed_revision = revision WHERE id = ? AND indexed_revision <> revision",
                [(id_,) for id_ in ids],
            )

    def index_identity(self) -> str | None:
        """The identity of the search index that ``indexed_revision`` speaks for (None before the first)."""
        row = self._cursor("SELECT value FROM store_meta WHERE key = 'index_id'").fetchone()
        return str(row[0]) if row else None

    def set_index_identity(self, identity: str) -> None:
        with self.atomic():
            self._replace_rows("store_meta", ("key", "value"), ("key",), [("index_id", identity)])

    def mark_all_unindexed(self) -> None:
        with self.atomic():
            self._cursor("UPDATE articles SET indexed_revision = 0")

    # -- language analysis -----------------------------------------------------

    _NEEDS_ANALYSIS = (
        "FROM articles a LEFT JOIN analyses n ON n.article_id = a.id"
        " WHERE n.article_id IS NULL OR n.text_hash != a.text_hash OR n.model != ?"
    )

    def articles_needing_analysis(self, model: str, limit: int = 1000) -> list[Article]:
        """Return articles with no analysis by ``model`` of their current text."""
        columns = ", ".join(f"a.{c.strip()}" for c in _ARTICLE_COLUMNS.split(","))
        rows = self._cursor(
            f"SELECT {columns} {self._NEEDS_ANALYSIS} ORDER BY a.date_start, a.id LIMIT ?", (model, limit)
        ).fetchall()
        return [_article_from_row(row) for row in rows]

    def count_needing_analysis(self, model: str) -> int:
        return int(self._cursor(f"SELECT count(*) {self._NEEDS_ANALYSIS}", (model,)).fetchone()[0])

    def ids_needing_analysis(self, model: str) -> list[str]:
        """Ids of the articles with no analysis by ``model`` of their current text, in date order."""
        return [row[0] for row in self._cursor(f"SELECT a.id {self._NEEDS_ANALYSIS} ORDER BY a.date_start, a.id", (model,))]

    def ids_needing_analysis_after(self, model: str, after: tuple[str, str] | None, limit: int) -> list[tuple[str, str]]:
        """The next ``limit`` ``(date_start, id)`` pairs of ``ids_needing_analysis`` after ``after`` (a page of them)."""
        start, last_id = after if after is not None else ("", "")
        rows = self._cursor(
            "SELECT a.date_start, a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id"
            " WHERE (n.article_id IS NULL OR n.text_hash != a.text_hash OR n.model != ?)"
            " AND (a.date_start > ? OR (a.date_start = ? AND a.id > ?)) ORDER BY a.date_start, a.id LIMIT ?",
            (model, start, start, last_id, limit),
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    def save_analyses(self, analyses: Sequence[Analysis]) -> None:
        """Replace the sentences, mentions and facts of each analysed article, in one transaction."""
        now = _now()
        with self.atomic():
            current: dict[str, tuple[str, str, str, str]] = {}
            for id_, text_hash, date, date_start, date_end in self._select_in(
                "SELECT id, text_hash, date, date_start, date_end FROM articles WHERE id IN ({marks})",
                (a.article_id for a in analyses),
            ):
                current[id_] = (text_hash, date, date_start, date_end)
            # An article that changed while it was being analysed is left out: it will be analysed again.
            fresh = {a.article_id: a for a in analyses if a.article_id in current and current[a.article_id][0] == a.text_hash}
            if not fresh:
                return
            aliases_before = self._alias_counts(list(fresh))
            holder_groups = self._role_groups(list(fresh))
            for chunk in _chunks(list(fresh)):
                marks = ",".join("?" * len(chunk))
                for table in ("sentences", "mentions", "quotes", "roles", "numbers", "times"):
                    self._cursor(f"DELETE FROM {table} WHERE article_id IN ({marks})", list(chunk))
            items = list(fresh.values())
            self._insert_rows(
                "roles",
                ("article_id", "date", "date_start", "date_end", "person", "person_entity_id", "person_start", "person_end",
                 "role", "org", "party", "start", "end", "extractor", "person_key"),
                [
                    (a.article_id, *current[a.article_id][1:], r.person, r.person_entity_id, r.person_start, r.person_end,
                     r.role, r.org, r.party, r.start, r.end, a.model, name_key(r.person))
                    for a in items for r in a.roles if _valid_span(r.start, r.end)
                ],
                skip_conflicts=True,
            )
            # Groups that lost statements are counted again; groups that only gained some take the new ones in.
            added = self._role_groups_of_articles(list(fresh))
            self._refresh_role_holders(holder_groups)
            self._refresh_role_holders(set(added) - holder_groups, added)
            self._insert_rows(
                "times",
                ("article_id", "start", "end", "text", "value", "precision", "kind", "extractor"),
                [(a.article_id, t.start, t.end, t.text, t.value, t.precision, t.kind, a.model)
                 for a in items for t in a.times if _valid_span(t.start, t.end)],
                skip_conflicts=True,
            )
            self._insert_rows(
                "numbers",
                ("article_id", "start", "end", "text", "value", "unit", "about", "qualifier", "kind", "date", "extractor"),
                [(a.article_id, n.start, n.end, n.text, n.value, n.unit, n.about, n.qualifier, n.kind, current[a.article_id][1], a.model)
                 for a in items for n in a.numbers if _valid_span(n.start, n.end)],
                skip_conflicts=True,
            )
            self._insert_rows(
                "quotes",
                ("article_id", "kind", "start", "end", "text", "speaker", "speaker_entity_id", "speaker_label",
                 "speaker_mention", "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "addressee", "date", "extractor",
                 "date_start"),
                [
                    (a.article_id, q.kind, q.start, q.end, q.text, q.speaker, q.speaker_entity_id, q.speaker_label,
                     q.speaker_mention, q.speaker_start, q.speaker_end, q.cue, q.cue_start, q.cue_end,
                     q.addressee, q.date or current[a.article_id][1], a.model, current[a.article_id][2])
                    for a in items for q in a.quotes if _valid_span(q.start, q.end)
                ],
                skip_conflicts=True,
            )
            self._insert_rows(
                "sentences",
                ("article_id", "idx", "start", "end"),
                [(a.article_id, i, start, end) for a in items for i, (start, end) in enumerate(a.sentences)],
            )
            self._insert_rows(
                "mentions",
                ("article_id", "start", "end", "text", "label", "sentence_idx", "entity_id", "canonical"),
                [(a.article_id, m.start, m.end, m.text, m.label, m.sentence, m.entity_id, m.canonical)
                 for a in items for m in a.mentions if _valid_span(m.start, m.end)],
                skip_conflicts=True,
            )
            self._refresh_entity_summaries(list(fresh), aliases_before)
            self._replace_rows(
                "analyses",
                ("article_id", "text_hash", "model", "analysed_at", "doc"),
                ("article_id",),
                [(a.article_id, a.text_hash, a.model, now, a.doc) for a in items],
            )

    def sentences_of(self, article_id: str) -> list[tuple[int, int]]:
        return [
            (int(a), int(b))
            for a, b in self._cursor(
                'SELECT start, "end" FROM sentences WHERE article_id = ? ORDER BY idx', (article_id,)
            )
        ]

    def mentions_of(self, article_id: str) -> list[Mention]:
        rows = self._cursor(
            'SELECT start, "end", text, label, sentence_idx, canonical, entity_id FROM mentions WHERE article_id = ?'
            ' ORDER BY start, "end"',
            (article_id,),
        ).fetchall()
        return [Mention(int(a), int(b), t, lab, s, c, e) for a, b, t, lab, s, c, e in rows]

    _QUOTE_COLUMNS = (
        'q.article_id, q.kind, q.text, q.start, q."end", q.speaker, q.speaker_entity_id, q.speaker_mention, q.cue,'
        " q.addressee, q.date, q.speaker_label, q.speaker_start, q.speaker_end, q.cue_start, q.cue_end, q.extractor"
    )

    def quotes(
        self,
        *,
        article_id: str | None = None,
        speaker: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        text: str | None = None,
        kind: str | None = None,
        limit: int | None = None,
        speaker_entity_id: str | None = None,
        after: tuple[str, int, int] | None = None,
    ) -> list[dict[str, Any]]:
        """Return quotes as export rows, filtered; ``speaker`` matches any part of the canonical name.

        ``after`` is the ``(article_id, start, end)`` of the last quote of a
        previous page: the page goes on after it in the same order.
        """
        clauses = ["1=1"]
        params: list[Any] = []
        if article_id is not None:
            clauses.append("q.article_id = ?")
            params.append(article_id)
        # By speaker entity: the quote's own copy of the article date orders them, so an index delivers a page.
        order = "a.date_start, a.id"
        if speaker_entity_id is not None:
            clauses.append("q.speaker_entity_id = ?")
            params.append(speaker_entity_id)
            order = "q.date_start, q.article_id"
        _add_keyset(clauses, params, after, "q", order)
        if speaker:
            clauses.append(f"(q.speaker {self._like} ? ESCAPE '\\' OR q.speaker_mention {self._like} ? ESCAPE '\\')")
            params.extend([_like_pattern(speaker)] * 2)
        _add_date_overlap(clauses, params, since, until, "a.")
        if text:
            clauses.append(f"q.text {self._like} ? ESCAPE '\\'")
            params.append(_like_pattern(text))
        if kind:
            clauses.append("q.kind = ?")
            params.append(kind)
        sql = (
            f"SELECT {self._QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY {order}, q.start, q.\"end\""
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        names = [
            "article_id", "kind", "text", "start", "end", "speaker", "speaker_entity_id", "speaker_mention", "cue",
            "addressee", "date", "speaker_label", "speaker_start", "speaker_end", "cue_start", "cue_end", "extractor",
        ]
        return [dict(zip(names, row, strict=True)) for row in self._cursor(sql, params)]

    def roles(
        self,
        *,
        role: str | None = None,
        org: str | None = None,
        person: str | None = None,
        article_id: str | None = None,
        person_entity_id: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Return role records (export-contract rows), oldest first; ``person`` matches any part of the name."""
        clauses = ["1=1"]
        params: list[Any] = []
        if person_entity_id:
            clauses.append("r.person_entity_id = ?")
            params.append(person_entity_id)
        if role:
            clauses.append("r.role = ?")
            params.append(role.lower())
        if org:
            clauses.append("casefold(r.org) = ?")
            params.append(org.casefold())
        if person:
            clauses.append(f"r.person {self._like} ? ESCAPE '\\'")
            params.append(_like_pattern(person))
        if article_id:
            clauses.append("r.article_id = ?")
            params.append(article_id)
        rows = self._cursor(
            'SELECT r.article_id, r.date, r.person, r.person_entity_id, r.role, r.org, r.party, r.start, r."end",'
            " r.date_start, r.date_end, r.person_start, r.person_end, r.extractor"
            f" FROM roles r WHERE {' AND '.join(clauses)} ORDER BY r.date_start, r.article_id, r.start"
            + (" LIMIT ?" if limit is not None else ""),
            [*params, limit] if limit is not None else params,
        ).fetchall()
        names = [
            "article_id", "date", "person", "person_entity_id", "role", "org", "party", "start", "end",
            "date_start", "date_end", "person_start", "person_end", "extractor",
        ]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def numbers(
        self,
        *,
        about: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        kind: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        after: tuple[str, int, int] | None = None,
    ) -> list[dict[str, Any]]:
        """Return number records (export-contract rows) in date order; ``about`` matches the counted thing.

        ``after`` is the ``(article_id, start, end)`` of the last number of a previous page.
        """
        clauses = ["1=1"]
        params: list[Any] = []
        _add_keyset(clauses, params, after, "n")
        if about:
            clauses.append(f"(n.about {self._like} ? ESCAPE '\\' OR n.text {self._like} ? ESCAPE '\\')")
            params.extend([_like_pattern(about)] * 2)
        _add_date_overlap(clauses, params, since, until, "a.")
        if kind:
            clauses.append("n.kind = ?")
            params.append(kind)
        if article_id:
            clauses.append("n.article_id = ?")
            params.append(article_id)
        sql = (
            'SELECT n.article_id, n.start, n."end", n.text, n.value, n.unit, n.about, n.qualifier, n.kind, n.date, n.extractor'
            f" FROM numbers n JOIN articles a ON a.id = n.article_id WHERE {' AND '.join(clauses)}"
            ' ORDER BY a.date_start, a.id, n.start, n."end"'
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        names = ["article_id", "start", "end", "text", "value", "unit", "about", "qualifier", "kind", "date", "extractor"]
        return [dict(zip(names, row, strict=True)) for row in self._cursor(sql, params)]

    def times(self, *, article_id: str) -> list[dict[str, Any]]:
        """Return an article's time expressions with their resolved dates."""
        rows = self._cursor(
            'SELECT start, "end", text, value, precision, kind FROM times WHERE article_id = ? ORDER BY start', (article_id,)
        ).fetchall()
        names = ["start", "end", "text", "value", "precision", "kind"]
        return [dict(zip(names, row, strict=True)) for row in rows]

    # -- stories ------------------------------------------------------------------

    def articles_without_story(self) -> list[str]:
        """Ids of analysed articles not yet in a story, oldest first (stories grow in date order)."""
        return [
            row[0]
            for row in self._cursor(
                "SELECT a.id FROM articles a JOIN analyses n ON n.article_id = a.id"
                " LEFT JOIN story_articles s ON s.article_id = a.id WHERE s.article_id IS NULL ORDER BY a.date_start, a.id"
            )
        ]

    def story_counts(self) -> tuple[int, int]:
        """Return ``(articles counted in the story frequencies, next free story id)``."""
        row = self._cursor("SELECT value FROM store_meta WHERE key = 'story_documents'").fetchone()
        next_id = self._cursor("SELECT coalesce(max(id), 0) + 1 FROM stories").fetchone()[0]
        return (int(row[0]) if row else 0), int(next_id)

    def term_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequencies of some terms (the story index keeps them for every word seen)."""
        rows = self._select_in("SELECT term, df FROM story_terms WHERE term IN ({marks})", sorted(set(terms)), 900)
        return {term: int(df) for term, df in rows}

    def story_candidates(self, keys: Sequence[str], limit: int) -> list[int]:
        """Stories indexed under any of the keys, those sharing most keys first."""
        if not keys:
            return []
        hits: dict[int, int] = {}
        for story_id, n in self._select_in(
            "SELECT story_id, count(*) FROM story_keys WHERE key IN ({marks}) GROUP BY story_id", dict.fromkeys(keys), 900
        ):
            hits[int(story_id)] = hits.get(int(story_id), 0) + int(n)
        return sorted(hits, key=lambda s: -hits[s])[:limit]

    def story_rows(self, story_ids: Sequence[int]) -> list[tuple[int, str, str, str, int]]:
        """Stored story rows ``(id, profile_json, first, last, size)``."""
        rows = self._select_in("SELECT id, profile, first_date, last_date, size FROM stories WHERE id IN ({marks})", story_ids, 900)
        return [(int(i), p, f, last, int(n)) for i, p, f, last, n in rows]

    def save_story_state(
        self,
        stories: Sequence[tuple[int, str, str, str, int, str]],
        keys: Sequence[tuple[str, int]],
        assignments: Sequence[tuple[str, int, float]],
        df_changes: dict[str, int],
        documents: int,
    ) -> None:
        """Write changed stories ``(id, title, first, last, size, profile)``, their keys, assignments and frequencies."""
        with self.atomic():
            self._replace_rows("stories", ("id", "title", "first_date", "last_date", "size", "profile"), ("id",), stories)
            self._executemany("DELETE FROM story_keys WHERE story_id = ?", [(row[0],) for row in stories])
            self._insert_rows("story_keys", ("key", "story_id"), list(dict.fromkeys(keys)), skip_conflicts=True)
            self._replace_rows("story_articles", ("article_id", "story_id", "similarity"), ("article_id",), assignments)
            self._executemany(
                "INSERT INTO story_terms (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = story_terms.df + excluded.df",
                list(df_changes.items()),
            )
            self._replace_rows("store_meta", ("key", "value"), ("key",), [("story_documents", str(documents))])

    def stories(self, *, since: dt.date | None = None, until: dt.date | None = None, min_size: int = 1) -> list[dict[str, Any]]:
        """Return stories (newest activity first) that overlap a date range."""
        clauses = ["size >= ?"]
        params: list[Any] = [min_size]
        if since is not None:
            clauses.append("last_date >= ?")
            params.append(since.isoformat())
        if until is not None:
            clauses.append("first_date <= ?")
            params.append(until.isoformat())
        rows = self._cursor(
            f"SELECT id, title, first_date, last_date, size FROM stories WHERE {' AND '.join(clauses)}"
            " ORDER BY size DESC, last_date DESC, id",
            params,
        ).fetchall()
        return [{"story_id": i, "title": t, "first_date": f, "last_date": last, "articles": n} for i, t, f, last, n in rows]

    def story_articles(self, story_id: int) -> list[dict[str, Any]]:
        rows = self._cursor(
            "SELECT a.id, a.date, a.title, s.similarity FROM story_articles s JOIN articles a ON a.id = s.article_id"
            " WHERE s.story_id = ? ORDER BY a.date_start, a.id",
            (story_id,),
        ).fetchall()
        return [{"article_id": i, "date": d, "title": t, "similarity": round(sim, 4)} for i, d, t, sim in rows]

    def story_of(self, article_id: str) -> int | None:
        row = self._cursor("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return int(row[0]) if row else None

    def story_export_rows(self) -> Iterator[dict[str, Any]]:
        cursor = self._stream(
            "SELECT s.story_id, s.article_id, t.title, s.similarity FROM story_articles s JOIN stories t ON t.id = s.story_id"
            " JOIN articles a ON a.id = s.article_id ORDER BY s.story_id, a.date_start, a.id"
        )
        for story_id, article_id, title, similarity in cursor:
            yield {"story_id": story_id, "article_id": article_id, "title": title, "similarity": round(similarity, 4)}

    def sentence_span(self, article_id: str, start: int, end: int) -> tuple[int, int] | None:
        """The stored sentences that hold a stretch of text, as one ``(start, end)`` span."""
        row = self._cursor(
            'SELECT min(start), max("end") FROM sentences WHERE article_id = ? AND start < ? AND "end" > ?',
            (article_id, max(end, start + 1), start),
        ).fetchone()
        return (int(row[0]), int(row[1])) if row and row[0] is not None else None

    def sentence_spans(self, stretches: Sequence[tuple[str, int, int]]) -> list[tuple[int, int] | None]:
        """``sentence_span`` of many ``(article_id, start, end)`` stretches: the sentences of their articles in one query."""
        sentences: dict[str, list[tuple[int, int]]] = {}
        for article_id, first, last in self._select_in(
            'SELECT article_id, start, "end" FROM sentences WHERE article_id IN ({marks})', list(dict.fromkeys(a for a, _, _ in stretches))
        ):
            sentences.setdefault(article_id, []).append((int(first), int(last)))
        found: list[tuple[int, int] | None] = []
        for article_id, start, end in stretches:
            holding = [(a, b) for a, b in sentences.get(article_id, ()) if a < max(end, start + 1) and b > start]
            found.append((min(a for a, _ in holding), max(b for _, b in holding)) if holding else None)
        return found

    def find_entities(self, name: str) -> list[tuple[str, str, str, int]]:
        """Entities whose canonical name or any alias matches ``name``: ``(entity_id, canonical, label, mentions)``."""
        folded = name.casefold()
        # The spellings summary has a row per entity and spelling with its mention count: the same sums as
        # counting the matching mentions, from a few rows instead of every mention of the name.
        rows = self._cursor(
            "SELECT entity_id, min(canonical), min(label), sum(mentions) FROM entity_aliases WHERE"
            " casefold(canonical) = ? OR casefold(text) = ? GROUP BY entity_id ORDER BY 4 DESC, 1",
            (folded, folded),
        ).fetchall()
        if not rows:
            rows = self._cursor(
                "SELECT entity_id, min(canonical), min(label), sum(mentions) FROM entity_aliases WHERE"
                " casefold(canonical) LIKE ? ESCAPE '\\' GROUP BY entity_id ORDER BY 4 DESC, 1 LIMIT 20",
                (_like_pattern(folded),),
            ).fetchall()
        return [(e, c, lab, int(n)) for e, c, lab, n in rows]

    def entity_profile(self, entity_id: str) -> dict[str, Any]:
        """Aliases, articles, first and last seen, quotes and roles of one entity."""
        canonical, label = self._cursor("SELECT canonical, label FROM mentions WHERE entity_id = ? LIMIT 1", (entity_id,)).fetchone()
        aliases = [row[0] for row in self._cursor(
            "SELECT text FROM entity_aliases WHERE entity_id = ? GROUP BY text ORDER BY sum(mentions) DESC, text", (entity_id,)
        )]
        # The month summary gives the count, the first and last dates and the months: one row per month.
        per_month = self._cursor(
            "SELECT month, mentions, articles, first_date, last_date FROM entity_months WHERE entity_id = ?", (entity_id,)
        ).fetchall()
        articles = sum(int(row[2]) for row in per_month)
        first = min((row[3] for row in per_month), default=None)
        last = max((row[4] for row in per_month), default=None)
        months = {month: int(n) for month, n, *_ in per_month}
        quotes = self._cursor("SELECT count(*) FROM quotes WHERE speaker_entity_id = ?", (entity_id,)).fetchone()[0]
        roles = [dict(zip(("role", "org", "party", "first", "last", "statements"), row, strict=True)) for row in self._cursor(
            "SELECT role, org, max(party), min(date), max(date), count(*) FROM roles WHERE person_entity_id = ?"
            " GROUP BY role, org ORDER BY min(date_start), role, org",
            (entity_id,),
        )]
        mentions_per_month = dict(sorted(months.items()))
        return {
            "entity_id": entity_id, "canonical": canonical, "label": label, "aliases": aliases, "articles": articles,
            "first_seen": first, "last_seen": last, "quotes": quotes, "roles": roles, "mentions_per_month": mentions_per_month,
        }

    def entity_list(
        self,
        *,
        label: str | None = None,
        name: str | None = None,
        after: tuple[int, str] | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Resolved entities, most mentioned first (ties by id); ``after`` is ``(mentions, entity_id)`` of a previous page."""
        clauses = ["entity_id IS NOT NULL"]
        params: list[Any] = []
        if label:
            clauses.append("label = ?")
            params.append(label)
        if name:
            clauses.append("casefold(canonical) LIKE ? ESCAPE '\\'")
            params.append(_like_pattern(name.casefold()))
        having = ""
        if after is not None:
            having = "HAVING (-count(*), entity_id) > (?, ?)"
            params.extend([-after[0], after[1]])
        rows = self._cursor(
            "SELECT entity_id, min(canonical), min(label), count(*), count(DISTINCT article_id) FROM mentions"
            f" WHERE {' AND '.join(clauses)} GROUP BY entity_id {having} ORDER BY -count(*), entity_id LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [
            {"entity_id": e, "canonical": c, "label": lab, "mentions": int(n), "articles": int(a)} for e, c, lab, n, a in rows
        ]

    def entity_exists(self, entity_id: str) -> bool:
        return self._cursor("SELECT 1 FROM mentions WHERE entity_id = ? LIMIT 1", (entity_id,)).fetchone() is not None

    def related_entities(self, entity_id: str, *, label: str | None = "PER", limit: int = 12) -> list[dict[str, Any]]:
        """Entities mentioned in the same articles as this one (its most recent ``RELATED_RECENT_ARTICLES``), most shared first."""
        # `|| ''` keeps SQLite off the label index: it would read every mention of the label instead of
        # the few articles of this entity (3–5 ms against 1.5 ms on the NDT archive).
        label_clause = "AND o.label || '' = ?" if label else ""
        params: list[Any] = [entity_id, entity_id]
        if label:
            params.append(label)
        # Among the entity's most recent articles only (an index range of entity_articles): bounded per request.
        # A join from those articles, not `IN (…)`: PostgreSQL planned the IN as a hash semi-join over a scan of
        # every mention (190 ms at 20,000 articles) instead of 300 index look-ups.
        rows = self._cursor(
            "SELECT o.entity_id, min(o.canonical), min(o.label), count(DISTINCT o.article_id)"
            " FROM (SELECT article_id FROM entity_articles WHERE entity_id = ? ORDER BY date_start DESC, article_id DESC LIMIT ?) r"
            " JOIN mentions o ON o.article_id = r.article_id"
            f" WHERE o.entity_id IS NOT NULL AND o.entity_id != ? {label_clause}"
            " GROUP BY o.entity_id ORDER BY 4 DESC, count(*) DESC, o.entity_id LIMIT ?",
            (params[0], RELATED_RECENT_ARTICLES, *params[1:], limit),
        ).fetchall()
        return [{"entity_id": e, "canonical": c, "label": lab, "shared_articles": int(n)} for e, c, lab, n in rows]

    def facet_counts(self, article_ids: Sequence[str], *, people: int = 10) -> dict[str, list[dict[str, Any]]]:
        """Sources, years and most mentioned people among some articles (search facets)."""
        sources: dict[str, int] = {}
        years: dict[str, int] = {}
        persons: dict[str, list[Any]] = {}
        for chunk in _chunks(list(article_ids), 900):
            marks = ",".join("?" * len(chunk))
            for source, year, n in self._cursor(
                f"SELECT source, substr(date, 1, 4), count(*) FROM articles WHERE id IN ({marks}) GROUP BY 1, 2", list(chunk)
            ):
                if source:
                    sources[source] = sources.get(source, 0) + int(n)
                years[year] = years.get(year, 0) + int(n)
            for entity_id, canonical, n in self._cursor(
                "SELECT entity_id, min(canonical), count(DISTINCT article_id) FROM mentions"
                f" WHERE article_id IN ({marks}) AND label = 'PER' AND entity_id IS NOT NULL GROUP BY entity_id",
                list(chunk),
            ):
                entry = persons.setdefault(entity_id, [canonical, 0])
                entry[1] += int(n)
        top = sorted(persons.items(), key=lambda item: (-item[1][1], item[1][0]))[:people]
        return {
            "sources": [{"value": k, "count": v} for k, v in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))],
            "years": [{"value": k, "count": v} for k, v in sorted(years.items())],
            "people": [{"entity_id": e, "value": c, "count": n} for e, (c, n) in top],
        }

    def entity_timeline(self, entity_id: str) -> list[dict[str, Any]]:
        """Dated facts about an entity, in order: the articles that mention it, its quotes and its roles."""
        facts: list[dict[str, Any]] = []
        for article_id, date, title, n in self._cursor(
            "SELECT a.id, a.date, a.title, e.mentions FROM entity_articles e JOIN articles a ON a.id = e.article_id"
            " WHERE e.entity_id = ? ORDER BY e.date_start, e.article_id",
            (entity_id,),
        ):
            facts.append({"date": date, "kind": "mentioned", "article_id": article_id, "text": f"{n} mention(s) in {title or article_id}"})
        for row in self._cursor(
            'SELECT date, article_id, kind, text, start, "end" FROM quotes WHERE speaker_entity_id = ?', (entity_id,)
        ):
            facts.append({"date": row[0], "kind": f"quote ({row[2]})", "article_id": row[1], "text": row[3], "start": row[4], "end": row[5]})
        for row in self._cursor(
            'SELECT date, article_id, role, org, party, start, "end" FROM roles WHERE person_entity_id = ?', (entity_id,)
        ):
            detail = ", ".join(x for x in (row[3], row[4]) if x)
            facts.append({"date": row[0], "kind": "role", "article_id": row[1], "text": row[2] + (f" ({detail})" if detail else ""),
                          "start": row[5], "end": row[6]})
        return sorted(facts, key=lambda f: (f["date"], f["kind"] != "mentioned"))

    def entity_counts(self, *, label: str | None = None, top: int = 20) -> list[EntityCount]:
        """Return the most mentioned names (by surface text and label)."""
        where = "WHERE label = ?" if label else ""
        params: list[Any] = [label] if label else []
        rows = self._cursor(
            f"SELECT text, label, count(*), count(DISTINCT article_id) FROM mentions {where}"
            " GROUP BY text, label ORDER BY 3 DESC, 4 DESC, text LIMIT ?",
            (*params, top),
        ).fetchall()
        return [EntityCount(t, lab, int(n), int(a)) for t, lab, n, a in rows]

    def iter_mentions(self) -> Iterator[dict[str, Any]]:
        """Yield every mention as an export row (article order, then text order)."""
        cursor = self._stream(
            'SELECT m.article_id, m.start, m."end", m.text, m.label, m.entity_id, m.canonical, m.sentence_idx'
            " FROM mentions m JOIN articles a ON a.id = m.article_id ORDER BY a.date_start, a.id, m.start"
        )
        for article_id, start, end, text, label, entity_id, canonical, sentence in cursor:
            yield {
                "article_id": article_id,
                "start": start,
                "end": end,
                "text": text,
                "label": label,
                "entity_id": entity_id,
                "canonical": canonical,
                "sentence": sentence,
            }

    # -- entities across articles -----------------------------------------------

    def person_entities(self) -> list[tuple[str, str, int]]:
        """Every person entity with a full name (two words or more): ``(entity_id, canonical, mentions)``."""
        rows = self._cursor(
            "SELECT entity_id, min(canonical), count(*) FROM mentions"
            " WHERE label = 'PER' AND entity_id IS NOT NULL AND canonical LIKE '% %' GROUP BY entity_id"
        ).fetchall()
        return [(e, c, int(n)) for e, c, n in rows]

    def entities_of_articles(self, article_ids: Sequence[str]) -> dict[str, set[str]]:
        """``{article_id: {entity_id, …}}`` for the given articles."""
        found: dict[str, set[str]] = {}
        for article_id, entity_id in self._select_in(
            "SELECT DISTINCT article_id, entity_id FROM mentions WHERE entity_id IS NOT NULL AND article_id IN ({marks})", article_ids
        ):
            found.setdefault(article_id, set()).add(entity_id)
        return found

    def articles_of_entities(self, entity_ids: Sequence[str]) -> dict[str, set[str]]:
        """``{entity_id: {article_id, …}}`` for the given entities."""
        found: dict[str, set[str]] = {}
        for entity_id, article_id in self._select_in(
            "SELECT DISTINCT entity_id, article_id FROM mentions WHERE entity_id IN ({marks})", entity_ids
        ):
            found.setdefault(entity_id, set()).add(article_id)
        return found

    def rename_entity(self, old_id: str, new_id: str, canonical: str) -> None:
        """Fold one entity into another: its mentions, quote speakers and role holders (call inside ``atomic``)."""
        articles = [row[0] for row in self._cursor("SELECT article_id FROM entity_articles WHERE entity_id = ?", (old_id,))]
        aliases_before = self._alias_counts(articles)
        self._cursor("UPDATE mentions SET entity_id = ?, canonical = ? WHERE entity_id = ?", (new_id, canonical, old_id))
        self._refresh_entity_summaries(articles, aliases_before)
        self._cursor("UPDATE quotes SET speaker_entity_id = ?, speaker = ? WHERE speaker_entity_id = ?", (new_id, canonical, old_id))
        holder_groups = {
            (role, org, key) for role, org, key in self._cursor(
                "SELECT DISTINCT role, org, person_key FROM roles WHERE person_entity_id = ?", (old_id,)
            )
        }
        self._cursor(
            "UPDATE roles SET person_entity_id = ?, person = ?, person_key = ? WHERE person_entity_id = ?",
            (new_id, canonical, name_key(canonical), old_id),
        )
        self._refresh_role_holders(holder_groups | {(role, org, name_key(canonical)) for role, org, _ in holder_groups})

    # -- role holders ----------------------------------------------------------------

    def _role_groups(self, article_ids: Sequence[str]) -> set[tuple[str, str | None, str]]:
        """The (role, org, person key) groups the role statements of some articles belong to."""
        return {
            (role, org, key)
            for role, org, key in self._select_in(
                "SELECT DISTINCT role, org, person_key FROM roles WHERE article_id IN ({marks})", list(dict.fromkeys(article_ids))
            )
            if key is not None
        }

    @staticmethod
    def _group_filter(org: str | None, prefix: str = "") -> str:
        return f"{prefix}role = ? AND {prefix}org {'= ?' if org is not None else 'IS NULL'} AND {prefix}person_key = ?"

    @staticmethod
    def _group_params(role: str, org: str | None, key: str) -> list[Any]:
        return [role, org, key] if org is not None else [role, key]

    def _role_groups_of_articles(self, article_ids: Sequence[str]) -> dict[tuple[str, str | None, str], list[str]]:
        """``{(role, org, person key): [article ids]}`` for the role statements of some articles."""
        found: dict[tuple[str, str | None, str], list[str]] = {}
        for role, org, key, article_id in self._select_in(
            "SELECT DISTINCT role, org, person_key, article_id FROM roles WHERE article_id IN ({marks})", list(dict.fromkeys(article_ids))
        ):
            if key is not None:
                found.setdefault((role, org, key), []).append(article_id)
        return found

    # The statement each summary field comes from: (columns, order, condition). Ties are broken by the database.
    # The group's columns lead the ORDER BY so that PostgreSQL uses the index order for ``org IS NULL`` too.
    _HOLDER_PICKS = (
        ("date_start, date, article_id, start, id", f"role, org, person_key, {_ROLE_ORDER}", ""),
        ("date_end, date, date_start, article_id, start, id", f"role, org, person_key, date_end DESC, {_ROLE_ORDER}", ""),
        ("person, date_start, article_id, start, id", f"length(person) DESC, {_ROLE_ORDER}", ""),
        ("party, date_start, article_id, start, id", f"role, org, person_key, {_ROLE_ORDER}", " AND party IS NOT NULL AND party <> ''"),
    )

    def _refresh_role_holders(
        self, groups: Iterable[tuple[str, str | None, str]], added: dict[tuple[str, str | None, str], list[str]] | None = None
    ) -> None:
        """Bring the ``role_holders`` rows of some (role, org, person key) groups in step with their statements.

        Call inside ``atomic``, after the statements changed. Without ``added`` each group is counted again from
        its statements (after statements were removed or renamed: index ranges, and one pass over the group's
        statements for the longest spelling). With ``added`` (``{group: [article ids]}``: the groups only gained
        the statements of those articles), each field is picked among the new statements and the statement the
        summary already names for it: rows are read for those only (the group's index range is passed over once per
        field, index-only: ≈ 5–10 ms for 8,000 statements), never sorted.
        """
        for group_key in sorted(groups, key=lambda g: (g[0], g[1] is not None, g[1] or "", g[2])):
            role, org, key = group_key
            group, params = self._group_filter(org), self._group_params(role, org, key)
            stored = self._cursor(
                f"SELECT statements, first_id, last_id, person_id, party_id FROM role_holders WHERE {group}", params
            ).fetchone()
            articles = added.get(group_key, []) if added is not None else []
            if added is not None and stored is not None and articles:
                marks = ",".join("?" * len(articles))
                candidates = f" AND (article_id IN ({marks}) OR id IN (?, ?, ?, ?))"
                candidate_params = [*articles, *(int(v) if v is not None else -1 for v in stored[1:])]
                new = self._cursor(f"SELECT count(*) FROM roles WHERE {group} AND article_id IN ({marks})", [*params, *articles])
                statements = int(stored[0]) + int(new.fetchone()[0])
            else:
                candidates, candidate_params = "", []
                statements = int(self._cursor(f"SELECT count(*) FROM roles WHERE {group}", params).fetchone()[0])
            self._cursor(f"DELETE FROM role_holders WHERE {group}", params)
            if not statements:
                continue
            picks = [
                self._cursor(
                    f"SELECT {columns} FROM roles WHERE {group}{candidates}{condition} ORDER BY {order} LIMIT 1",
                    [*params, *candidate_params],
                ).fetchone()
                for columns, order, condition in self._HOLDER_PICKS
            ]
            first, last, person = picks[0], picks[1], picks[2]
            party = picks[3] or (None,) * 5
            self._cursor(
                "INSERT INTO role_holders (role, org, person_key, statements,"
                " first_date_start, first_date, first_article_id, first_start, first_id,"
                " last_date_end, last_date, last_date_start, last_article_id, last_start, last_id,"
                " person, person_date_start, person_article_id, person_start, person_id,"
                " party, party_date_start, party_article_id, party_start, party_id)"
                f" VALUES ({','.join('?' * 25)})",
                [role, org, key, statements, *first, *last, *person, *party],
            )

    def rebuild_role_holders(self) -> None:
        """Build the role-holder summary again from all the role statements (after a bulk load that bypassed it)."""
        with self.atomic():
            self._cursor("DELETE FROM role_holders")
            self._cursor(ROLE_HOLDERS_FROM_ROLES.format(where=""))

    def role_holder_summaries(self, role: str, *, org: str | None = None) -> list[dict[str, Any]]:
        """Everyone stated to hold ``role`` (of ``org``, any case), one dict per person key, from the summary.

        Each has ``person_key``, ``person`` (the longest spelling, the first one in statement order), ``role``,
        ``org`` and ``first_seen``/``first_date`` (from the first statement), ``last_seen``/``last_date`` (the
        first statement with the latest ``date_end``), ``party`` (the first one stated), ``statements`` and
        ``orgs``: the org spellings the statements use. Statement order is ``date_start, article_id, start, id``
        as the database orders them; the ties are broken in SQL, so the order is the backend's.
        """
        clauses = ["role = ?"]
        params: list[Any] = [role.lower()]
        if org:
            clauses.append("casefold(org) = ?")
            params.append(org.casefold())
        rows = self._cursor(
            "SELECT person_key, org, statements, role, first_date_start, first_date, last_date_end, last_date, person, party,"
            " row_number() OVER (PARTITION BY person_key ORDER BY first_date_start, first_article_id, first_start, first_id),"
            " row_number() OVER (PARTITION BY person_key ORDER BY last_date_end DESC, last_date_start, last_article_id,"
            " last_start, last_id),"
            " row_number() OVER (PARTITION BY person_key ORDER BY length(person) DESC, person_date_start, person_article_id,"
            " person_start, person_id),"
            " row_number() OVER (PARTITION BY person_key ORDER BY CASE WHEN party IS NULL THEN 1 ELSE 0 END, party_date_start,"
            " party_article_id, party_start, party_id)"
            f" FROM role_holders WHERE {' AND '.join(clauses)}",
            params,
        ).fetchall()
        holders: dict[str, dict[str, Any]] = {}
        for row in rows:
            key, org_, statements, role_, first_start, first_date, last_end, last_date, person, party = row[:10]
            first, last, longest, with_party = row[10:]
            holder = holders.setdefault(key, {"person_key": key, "statements": 0, "orgs": []})
            holder["statements"] += int(statements)
            holder["orgs"].append(org_)
            if first == 1:
                holder.update(role=role_, org=org_, first_seen=first_start, first_date=first_date)
            if last == 1:
                holder.update(last_seen=last_end, last_date=last_date)
            if longest == 1:
                holder["person"] = person
            if with_party == 1:
                holder["party"] = party
        return list(holders.values())

    def holder_roles(
        self,
        role: str,
        orgs: Sequence[str | None],
        person_key: str,
        *,
        head: int = 0,
        tail: int = 0,
        around: tuple[dt.date, dt.date] | None = None,
        near: int = 0,
    ) -> list[dict[str, Any]]:
        """Some role statements of one holder (a person key under some org spellings), in statement order.

        The first ``head`` and the last ``tail`` statements; and with ``around``, the candidates for the ``near``
        statements nearest that date range: the first ``near`` that overlap it, the first ``near`` after it and the
        ``near`` that end latest before it. Each is an index range (``roles_holder``, ``roles_holder_end``) per
        org spelling, so the cost is that of the statements returned, not of all the holder's statements.
        Rows are export rows plus ``id``.
        """
        parts: list[str] = []
        params: list[Any] = []
        order = _ROLE_ORDER
        # The group's own columns lead each ORDER BY: with ``org IS NULL`` PostgreSQL delivers the index order only
        # when they are named (it does not count IS NULL as an equality), and sorts the whole range otherwise.
        forwards = f"role, org, person_key, {_ROLE_ORDER}"
        backwards = "role DESC, org DESC, person_key DESC, date_start DESC, article_id DESC, start DESC, id DESC"
        for org in dict.fromkeys(orgs):
            group, group_params = self._group_filter(org), self._group_params(role, org, person_key)
            ranges: list[tuple[str, list[Any], str, int]] = []
            if head:
                ranges.append(("", [], forwards, head))
            if tail:
                ranges.append(("", [], backwards, tail))
            if around is not None and near:
                start, end = around[0].isoformat(), around[1].isoformat()
                earliest = (around[0] - dt.timedelta(days=MAX_DATE_SPAN_DAYS)).isoformat()
                ranges.append((" AND date_start >= ? AND date_start <= ? AND date_end >= ?", [earliest, end, start], forwards, near))
                ranges.append((" AND date_start > ?", [end], forwards, near))
                ranges.append((" AND date_end < ?", [start], f"role, org, person_key, date_end DESC, {order}", near))
            for extra, extra_params, ordering, limit in ranges:
                parts.append(
                    f"SELECT * FROM (SELECT {_ROLE_COLUMNS} FROM roles WHERE {group}{extra} ORDER BY {ordering} LIMIT ?) p{len(parts)}"
                )
                params.extend([*group_params, *extra_params, limit])
        if not parts:
            return []
        rows = self._cursor(f"SELECT * FROM ({' UNION '.join(parts)}) u ORDER BY {order}", params).fetchall()
        names = [
            "article_id", "date", "person", "person_entity_id", "role", "org", "party", "start", "end",
            "date_start", "date_end", "person_start", "person_end", "extractor", "id",
        ]
        return [dict(zip(names, row, strict=True)) for row in rows]

    # -- entity summaries ----------------------------------------------------------

    def _alias_counts(self, article_ids: Sequence[str]) -> dict[tuple[str, str, str, str], int]:
        """Mentions per (entity, text, label, canonical) in some articles: taken before and after they change."""
        counts: dict[tuple[str, str, str, str], int] = {}
        for entity_id, text, label, canonical, n in self._select_in(
            "SELECT entity_id, text, label, canonical, count(*) FROM mentions WHERE article_id IN ({marks})"
            " AND entity_id IS NOT NULL AND canonical IS NOT NULL GROUP BY entity_id, text, label, canonical",
            list(dict.fromkeys(article_ids)),
        ):
            key = (entity_id, text, label, canonical)
            counts[key] = counts.get(key, 0) + int(n)
        return counts

    def _refresh_entity_summaries(self, article_ids: Sequence[str], aliases_before: dict[tuple[str, str, str, str], int]) -> None:
        """Bring ``entity_articles``, ``entity_months`` and ``entity_aliases`` in step with the mentions of some articles.

        Call inside ``atomic``, after their mentions (or their entity ids) changed, with ``_alias_counts`` of the
        same articles taken before the change. The summary rows of those articles still describe the old state,
        which says which months to count again; each month is counted from ``entity_articles`` through its primary
        key, and the spellings change by the difference of the two counts, so the cost is that of the articles
        and months touched, never of all the articles of an entity.
        """
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return
        delta = dict.fromkeys(aliases_before, 0)
        for key, n in self._alias_counts(ids).items():
            delta[key] = n
        for key, n in aliases_before.items():
            delta[key] -= n
        changes = [(*key, n) for key, n in sorted(delta.items()) if n]
        self._executemany(
            "INSERT INTO entity_aliases (entity_id, text, label, canonical, mentions) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (entity_id, text, label, canonical) DO UPDATE SET mentions = entity_aliases.mentions + excluded.mentions",
            changes,
        )
        self._executemany(
            "DELETE FROM entity_aliases WHERE entity_id = ? AND text = ? AND label = ? AND canonical = ? AND mentions <= 0",
            [row[:4] for row in changes if row[4] < 0],
        )
        months = {(e, d[:7]) for e, d in self._select_in("SELECT entity_id, date FROM entity_articles WHERE article_id IN ({marks})", ids)}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            self._cursor(f"DELETE FROM entity_articles WHERE article_id IN ({marks})", list(chunk))
            self._cursor(ENTITY_ARTICLES_FROM_MENTIONS.format(where=f"AND m.article_id IN ({marks})"), list(chunk))
        months |= {(e, d[:7]) for e, d in self._select_in("SELECT entity_id, date FROM entity_articles WHERE article_id IN ({marks})", ids)}
        keys = sorted(months)
        self._executemany("DELETE FROM entity_months WHERE entity_id = ? AND month = ?", keys)
        self._executemany(
            "INSERT INTO entity_months (entity_id, month, mentions, articles, first_date, last_date)"
            " SELECT entity_id, CAST(? AS TEXT), sum(mentions), count(*), min(date), max(date) FROM entity_articles"
            " WHERE entity_id = ? AND date_start >= ? AND date_start <= ? AND substr(date, 1, 7) = ? GROUP BY entity_id",
            [(month, entity_id, *_month_span(month), month) for entity_id, month in keys],
        )

    def rebuild_entity_summaries(self) -> None:
        """Build the entity summaries again from all the mentions (after a bulk load that bypassed them)."""
        with self.atomic():
            for table in ("entity_months", "entity_articles", "entity_aliases"):
                self._cursor(f"DELETE FROM {table}")
            self._cursor(ENTITY_ARTICLES_FROM_MENTIONS.format(where=""))
            self._cursor(ENTITY_MONTHS_FROM_ARTICLES)
            self._cursor(ENTITY_ALIASES_FROM_MENTIONS)

    # -- near duplicates -----------------------------------------------------

    def add_fingerprints(self, items: Sequence[tuple[str, Fingerprint]]) -> None:
        """Store fingerprints and their band keys, one row per article (call inside ``atomic``)."""
        self._replace_rows(
            "article_fingerprints",
            ("article_id", "signature", "band_keys"),
            ("article_id",),
            [(id_, fp.signature_bytes(), band_keys_bytes(fp)) for id_, fp in items],
        )

    def band_key_rows(self, batch_size: int = 10_000) -> Iterator[list[tuple[str, bytes | None, bytes | None]]]:
        """Yield ``(article_id, band keys, signature)`` rows in batches; the signature only where the keys are missing.

        Stores kept no band keys with their fingerprints (before schema 13): they are computed from the signature.
        """
        last = ""
        while True:
            rows = self._cursor(
                "SELECT article_id, band_keys, CASE WHEN band_keys IS NULL THEN signature END FROM article_fingerprints"
                " WHERE article_id > ? ORDER BY article_id LIMIT ?",
                (last, batch_size),
            ).fetchall()
            if not rows:
                return
            yield [(row[0], _blob(row[1]), _blob(row[2])) for row in rows]
            last = rows[-1][0]

    def fill_band_keys(self, items: Sequence[tuple[str, bytes]]) -> None:
        """Store band keys computed for fingerprints that have none (stored before schema 13)."""
        with self.atomic():
            self._executemany(
                "UPDATE article_fingerprints SET band_keys = ? WHERE article_id = ? AND band_keys IS NULL",
                [(keys, article_id) for article_id, keys in items],
            )

    def signatures(self, ids: Sequence[str]) -> dict[str, Any]:
        """Return ``{article_id: MinHash signature}`` for stored articles."""
        rows = self._select_in("SELECT article_id, signature FROM article_fingerprints WHERE article_id IN ({marks})", ids, 900)
        return {article_id: signature_from_bytes(blob) for article_id, blob in rows}

    def link_near_duplicates(self, pairs: Sequence[NearDuplicate]) -> None:
        """Record near-duplicate pairs (call inside ``atomic``); each pair is stored once, smaller id first."""
        self._replace_rows(
            "near_duplicates",
            ("article_id", "other_id", "similarity"),
            ("article_id", "other_id"),
            [(min(p.article_id, p.other_id), max(p.article_id, p.other_id), p.similarity) for p in pairs],
        )

    def near_duplicates_of(self, article_id: str) -> list[NearDuplicate]:
        rows = self._cursor(
            "SELECT article_id, other_id, similarity FROM near_duplicates WHERE article_id = ? OR other_id = ?"
            " ORDER BY similarity DESC",
            (article_id, article_id),
        ).fetchall()
        return [
            NearDuplicate(article_id, b if a == article_id else a, round(sim, 4)) for a, b, sim in rows
        ]

    def count_near_duplicates(self) -> int:
        return int(self._cursor("SELECT count(*) FROM near_duplicates").fetchone()[0])

    # -- ingest runs ---------------------------------------------------------

    def start_run(self, inputs: Sequence[str]) -> int:
        with self.atomic():
            row = self._cursor(
                "INSERT INTO ingest_runs (started_at, inputs) VALUES (?, ?) RETURNING id", (_now(), json.dumps(list(inputs)))
            ).fetchone()
        return int(row[0])

    def add_rejects(self, run_id: int, rejects: Sequence[Rejection]) -> None:
        if not rejects:
            return
        with self.atomic():
            self._executemany(
                "INSERT INTO rejects (run_id, file, line, reason, raw) VALUES (?, ?, ?, ?, ?)",
                [(run_id, r.location.path, r.location.line, r.reason, r.raw) for r in rejects],
            )

    def finish_run(self, run_id: int, report: IngestReport) -> None:
        with self.atomic():
            self._cursor(
                "UPDATE ingest_runs SET finished_at=?, read=?, stored=?, updated=?, unchanged=?, duplicates=?, rejected=?"
                " WHERE id=?",
                (
                    _now(),
                    report.read,
                    report.stored,
                    report.updated,
                    report.unchanged,
                    len(report.duplicates),
                    len(report.rejected),
                    run_id,
                ),
            )

    # -- statistics ----------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        total, first, last = self._cursor("SELECT count(*), min(date_start), max(date_end) FROM articles").fetchone()
        sources = self._cursor(
            "SELECT coalesce(source, '(none)'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        years = self._cursor("SELECT substr(date, 1, 4), count(*) FROM articles GROUP BY 1 ORDER BY 1").fetchall()
        precision = self._cursor("SELECT date_precision, count(*) FROM articles GROUP BY 1 ORDER BY 1").fetchall()
        words = self._cursor(
            f"SELECT coalesce(sum(length(text) - length(replace(replace(text, {self._newline}, ' '), ' ', '')) + 1), 0) FROM articles"
        ).fetchone()[0]
        runs = self._cursor("SELECT count(*) FROM ingest_runs").fetchone()[0]
        return {
            "backend": self.backend,
            "path": self.location(),
            "schema_version": self.schema_version,
            "articles": total,
            "words": int(words),
            "first_date": first,
            "last_date": last,
            "sources": dict(sources),
            "years": dict(years),
            "date_precision": dict(precision),
            "near_duplicate_pairs": self.count_near_duplicates(),
            "analysed": self._cursor("SELECT count(*) FROM analyses").fetchone()[0],
            "sentences": self._cursor("SELECT count(*) FROM sentences").fetchone()[0],
            "mentions": self._cursor("SELECT count(*) FROM mentions").fetchone()[0],
            "quotes": dict(self._cursor("SELECT kind, count(*) FROM quotes GROUP BY kind").fetchall()),
            "roles": self._cursor("SELECT count(*) FROM roles").fetchone()[0],
            "numbers": self._cursor("SELECT count(*) FROM numbers").fetchone()[0],
            "models": dict(self._cursor("SELECT model, count(*) FROM analyses GROUP BY model").fetchall()),
            "unindexed": self.count_unindexed(),
            "ingest_runs": runs,
            "size_bytes": self.size_bytes(),
        }


def _blob(value: Any) -> bytes | None:
    """A BLOB as bytes (PostgreSQL's driver gives ``memoryview``)."""
    return None if value is None else bytes(value)


def _quoted(column: str) -> str:
    return '"end"' if column == "end" else column


def _valid_span(start: int | None, end: int | None) -> bool:
    """The tables' CHECK on spans; a span breaking it is left out, as SQLite's INSERT OR IGNORE did."""
    return start is not None and end is not None and start >= 0 and end > start
