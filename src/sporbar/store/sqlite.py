"""The embedded default store: one SQLite file (WAL, foreign keys, migrations).

SQLite is the source of truth. The search index is derived from it: every
article row carries a ``revision`` and the ``indexed_revision`` the index has
seen, so an interrupted run can always bring the index up to date.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sporbar.errors import StoreError, StoreLocked
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
from sporbar.normalize.dedupe import Fingerprint, signature_from_bytes
from sporbar.store.migrations import current_version, migrate

_CHUNK = 500
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


def _article_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Article:
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


class SQLiteStore:
    """Articles and everything derived from them, in one SQLite file."""

    backend = "sqlite"

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"no store at {self.path} (run `sporbar ingest` first, or check --db)")
        if self.path.parent and not self.path.parent.exists():
            raise StoreError(f"folder {self.path.parent} does not exist")
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            # Articles are a few kilobytes: 8 KiB pages hold two where 4 KiB pages hold one (new stores only).
            self.conn.execute("PRAGMA page_size = 8192")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA busy_timeout = 30000")
            # SQLite's lower() only folds ASCII: "Økokrim" and "Østlendingen" need Python's.
            self.conn.create_function("casefold", 1, lambda v: v.casefold() if isinstance(v, str) else v, deterministic=True)
            migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable sporbar store: {exc}") from None
        self._lock_file: int | None = None

    # -- lifecycle ---------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return current_version(self.conn)

    def close(self) -> None:
        self.release_writer()
        self.conn.close()

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one write transaction: all of it lands, or none."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def acquire_writer(self) -> None:
        """Take the store's single-writer lock, or raise ``StoreLocked`` at once."""
        if self._lock_file is not None:
            return
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreLocked(f"another sporbar process is writing to {self.path}; try again when it has finished") from None
        self._lock_file = fd

    def release_writer(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            os.close(self._lock_file)
            self._lock_file = None

    # -- articles ----------------------------------------------------------

    def existing(self, articles: Sequence[Article]) -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
        """Return ``{id: (text_hash, record_hash)}`` for stored ids and ``{text_hash: id}`` for stored texts."""
        by_id: dict[str, tuple[str, str | None]] = {}
        by_hash: dict[str, str] = {}
        for chunk in _chunks(articles):
            ids = [a.id for a in chunk]
            marks = ",".join("?" * len(ids))
            for id_, text_hash, record_hash in self.conn.execute(
                f"SELECT id, text_hash, record_hash FROM articles WHERE id IN ({marks})", ids
            ):
                by_id[id_] = (text_hash, record_hash)
            hashes = [a.text_hash for a in chunk]
            for id_, text_hash in self.conn.execute(f"SELECT id, text_hash FROM articles WHERE text_hash IN ({marks})", hashes):
                by_hash[text_hash] = id_
        return by_id, by_hash

    def insert_articles(self, articles: Sequence[Article]) -> None:
        """Insert new articles (call inside ``atomic``)."""
        now = _now()
        self.conn.executemany(
            "INSERT INTO articles (id, date, date_precision, date_start, date_end, title, source, url, text, text_hash,"
            " metadata, origin_file, origin_line, ingested_at, record_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [self._row(a, now) + (a.record_hash,) for a in articles],
        )

    def update_articles(self, articles: Sequence[Article]) -> None:
        """Replace the text and metadata of stored articles whose input changed (call inside ``atomic``)."""
        now = _now()
        # Texts may move between ids within one batch: free every old hash first (text_hash is unique).
        self.conn.executemany(
            "UPDATE articles SET text_hash = 'pending:' || id WHERE id = ?", [(a.id,) for a in articles]
        )
        for a in articles:
            row = self._row(a, now)
            self.conn.execute(
                "UPDATE articles SET date=?, date_precision=?, date_start=?, date_end=?, title=?, source=?, url=?, text=?,"
                " text_hash=?, metadata=?, origin_file=?, origin_line=?, ingested_at=?, record_hash=?,"
                " revision = revision + 1 WHERE id=?",
                row[1:] + (a.record_hash, a.id),
            )
            self.conn.execute("DELETE FROM article_fingerprints WHERE article_id = ?", (a.id,))
            self.conn.execute("DELETE FROM fingerprint_bands WHERE article_id = ?", (a.id,))
            self.conn.execute("DELETE FROM near_duplicates WHERE article_id = ? OR other_id = ?", (a.id, a.id))
            # Facts derived from the old text would point at the wrong characters now.
            for table in ("analyses", "sentences", "mentions", "quotes", "roles", "numbers", "times", "story_articles"):
                self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (a.id,))

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
        row = self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article_from_row(row) if row else None

    def articles_by_id(self, ids: Sequence[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", list(chunk)):
                article = _article_from_row(row)
                found[article.id] = article
        return found

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
            rows = self.conn.execute(
                f"SELECT {_ARTICLE_COLUMNS}, date_start FROM articles WHERE {where} AND (date_start, id) > (?, ?)"
                " ORDER BY date_start, id LIMIT ?",
                (*params, last[0], last[1], batch_size),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article_from_row(row[:-1])
            last = (rows[-1][-1], rows[-1][0])

    @staticmethod
    def _filters(*, since: dt.date | None, until: dt.date | None, sources: Sequence[str]) -> tuple[str, list[Any]]:
        clauses = ["1=1"]
        params: list[Any] = []
        _add_date_overlap(clauses, params, since, until, "")
        if sources:
            clauses.append(f"casefold(source) IN ({','.join('?' * len(sources))})")
            params.extend(s.casefold() for s in sources)
        return " AND ".join(clauses), params

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def all_ids(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT id FROM articles")}

    # -- search-index bookkeeping -------------------------------------------

    def unindexed(self, limit: int = 1000) -> list[tuple[Article, int]]:
        """Return articles whose current revision the search index has not seen, with that revision."""
        rows = self.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS}, revision FROM articles WHERE indexed_revision < revision LIMIT ?", (limit,)
        ).fetchall()
        return [(_article_from_row(row[:-1]), int(row[-1])) for row in rows]

    def revisions(self, ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(list(ids), 900):
            marks = ",".join("?" * len(chunk))
            for article_id, revision in self.conn.execute(
                f"SELECT id, revision FROM articles WHERE id IN ({marks})", list(chunk)
            ):
                found[article_id] = int(revision)
        return found

    def count_unindexed(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles WHERE indexed_revision < revision").fetchone()[0])

    def count_expected_in_index(self) -> int:
        """Articles the search index must hold a document for: every one it has seen at some revision."""
        never = self.conn.execute(
            "SELECT count(*) FROM articles WHERE indexed_revision < revision AND indexed_revision = 0"
        ).fetchone()[0]
        return self.count_articles() - int(never)

    def mark_indexed(self, revisions: Iterable[tuple[str, int]]) -> None:
        with self.atomic():
            self.conn.executemany(
                "UPDATE articles SET indexed_revision = ? WHERE id = ? AND revision = ?",
                [(rev, id_, rev) for id_, rev in revisions],
            )

    def mark_all_unindexed(self) -> None:
        with self.atomic():
            self.conn.execute("UPDATE articles SET indexed_revision = 0")

    # -- language analysis -----------------------------------------------------

    _NEEDS_ANALYSIS = (
        "FROM articles a LEFT JOIN analyses n ON n.article_id = a.id"
        " WHERE n.article_id IS NULL OR n.text_hash != a.text_hash OR n.model != ?"
    )

    def articles_needing_analysis(self, model: str, limit: int = 1000) -> list[Article]:
        """Return articles with no analysis by ``model`` of their current text."""
        columns = ", ".join(f"a.{c.strip()}" for c in _ARTICLE_COLUMNS.split(","))
        rows = self.conn.execute(
            f"SELECT {columns} {self._NEEDS_ANALYSIS} ORDER BY a.date_start, a.id LIMIT ?", (model, limit)
        ).fetchall()
        return [_article_from_row(row) for row in rows]

    def count_needing_analysis(self, model: str) -> int:
        return int(self.conn.execute(f"SELECT count(*) {self._NEEDS_ANALYSIS}", (model,)).fetchone()[0])

    def save_analyses(self, analyses: Sequence[Analysis]) -> None:
        """Replace the sentences and mentions of each analysed article, in one transaction."""
        now = _now()
        with self.atomic():
            for analysis in analyses:
                current = self.conn.execute("SELECT text_hash FROM articles WHERE id = ?", (analysis.article_id,)).fetchone()
                if current is None or current[0] != analysis.text_hash:
                    continue  # the article changed while it was being analysed: it will be analysed again
                for table in ("sentences", "mentions", "quotes", "roles", "numbers", "times"):
                    self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (analysis.article_id,))
                date, date_start, date_end = self.conn.execute(
                    "SELECT date, date_start, date_end FROM articles WHERE id = ?", (analysis.article_id,)
                ).fetchone()
                self.conn.executemany(
                    'INSERT OR IGNORE INTO roles (article_id, date, date_start, date_end, person, person_entity_id, person_start,'
                    ' person_end, role, org, party, start, "end", extractor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                    [
                        (
                            analysis.article_id, date, date_start, date_end, r.person, r.person_entity_id, r.person_start, r.person_end,
                            r.role, r.org, r.party, r.start, r.end, analysis.model,
                        )
                        for r in analysis.roles
                    ],
                )
                self.conn.executemany(
                    'INSERT OR IGNORE INTO times (article_id, start, "end", text, value, precision, kind, extractor)'
                    " VALUES (?,?,?,?,?,?,?,?)",
                    [(analysis.article_id, t.start, t.end, t.text, t.value, t.precision, t.kind, analysis.model) for t in analysis.times],
                )
                self.conn.executemany(
                    'INSERT OR IGNORE INTO numbers (article_id, start, "end", text, value, unit, about, qualifier, kind,'
                    " date, extractor) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (analysis.article_id, n.start, n.end, n.text, n.value, n.unit, n.about, n.qualifier, n.kind, date, analysis.model)
                        for n in analysis.numbers
                    ],
                )
                self.conn.executemany(
                    'INSERT OR IGNORE INTO quotes (article_id, kind, start, "end", text, speaker, speaker_entity_id, speaker_label,'
                    " speaker_mention, speaker_start, speaker_end, cue, cue_start, cue_end, addressee, date, extractor)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            analysis.article_id, q.kind, q.start, q.end, q.text, q.speaker, q.speaker_entity_id, q.speaker_label,
                            q.speaker_mention, q.speaker_start, q.speaker_end, q.cue, q.cue_start, q.cue_end,
                            q.addressee, q.date or date, analysis.model,
                        )
                        for q in analysis.quotes
                    ],
                )
                self.conn.executemany(
                    'INSERT INTO sentences (article_id, idx, start, "end") VALUES (?, ?, ?, ?)',
                    [(analysis.article_id, i, start, end) for i, (start, end) in enumerate(analysis.sentences)],
                )
                self.conn.executemany(
                    'INSERT OR IGNORE INTO mentions (article_id, start, "end", text, label, sentence_idx, entity_id, canonical)'
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (analysis.article_id, m.start, m.end, m.text, m.label, m.sentence, m.entity_id, m.canonical)
                        for m in analysis.mentions
                    ],
                )
                self.conn.execute(
                    "INSERT OR REPLACE INTO analyses (article_id, text_hash, model, analysed_at, doc) VALUES (?, ?, ?, ?, ?)",
                    (analysis.article_id, analysis.text_hash, analysis.model, now, analysis.doc),
                )

    def sentences_of(self, article_id: str) -> list[tuple[int, int]]:
        return [
            (int(a), int(b))
            for a, b in self.conn.execute(
                'SELECT start, "end" FROM sentences WHERE article_id = ? ORDER BY idx', (article_id,)
            )
        ]

    def mentions_of(self, article_id: str) -> list[Mention]:
        rows = self.conn.execute(
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
    ) -> list[dict[str, Any]]:
        """Return quotes as export rows, filtered; ``speaker`` matches any part of the canonical name."""
        clauses = ["1=1"]
        params: list[Any] = []
        if article_id is not None:
            clauses.append("q.article_id = ?")
            params.append(article_id)
        if speaker:
            clauses.append("(q.speaker LIKE ? ESCAPE '\\' OR q.speaker_mention LIKE ? ESCAPE '\\')")
            params.extend([_like_pattern(speaker)] * 2)
        _add_date_overlap(clauses, params, since, until, "a.")
        if text:
            clauses.append("q.text LIKE ? ESCAPE '\\'")
            params.append(_like_pattern(text))
        if kind:
            clauses.append("q.kind = ?")
            params.append(kind)
        sql = (
            f"SELECT {self._QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY a.date_start, a.id, q.start"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        names = [
            "article_id", "kind", "text", "start", "end", "speaker", "speaker_entity_id", "speaker_mention", "cue",
            "addressee", "date", "speaker_label", "speaker_start", "speaker_end", "cue_start", "cue_end", "extractor",
        ]
        return [dict(zip(names, row, strict=True)) for row in self.conn.execute(sql, params)]

    def roles(
        self,
        *,
        role: str | None = None,
        org: str | None = None,
        person: str | None = None,
        article_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Return role records (export-contract rows), oldest first; ``person`` matches any part of the name."""
        clauses = ["1=1"]
        params: list[Any] = []
        if role:
            clauses.append("r.role = ?")
            params.append(role.lower())
        if org:
            clauses.append("casefold(r.org) = ?")
            params.append(org.casefold())
        if person:
            clauses.append("r.person LIKE ? ESCAPE '\\'")
            params.append(_like_pattern(person))
        if article_id:
            clauses.append("r.article_id = ?")
            params.append(article_id)
        rows = self.conn.execute(
            'SELECT r.article_id, r.date, r.person, r.person_entity_id, r.role, r.org, r.party, r.start, r."end",'
            " r.date_start, r.date_end, r.person_start, r.person_end, r.extractor"
            f" FROM roles r WHERE {' AND '.join(clauses)} ORDER BY r.date_start, r.article_id, r.start",
            params,
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
    ) -> list[dict[str, Any]]:
        """Return number records (export-contract rows) in date order; ``about`` matches the counted thing."""
        clauses = ["1=1"]
        params: list[Any] = []
        if about:
            clauses.append("(n.about LIKE ? ESCAPE '\\' OR n.text LIKE ? ESCAPE '\\')")
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
            " ORDER BY a.date_start, a.id, n.start"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        names = ["article_id", "start", "end", "text", "value", "unit", "about", "qualifier", "kind", "date", "extractor"]
        return [dict(zip(names, row, strict=True)) for row in self.conn.execute(sql, params)]

    def times(self, *, article_id: str) -> list[dict[str, Any]]:
        """Return an article's time expressions with their resolved dates."""
        rows = self.conn.execute(
            'SELECT start, "end", text, value, precision, kind FROM times WHERE article_id = ? ORDER BY start', (article_id,)
        ).fetchall()
        names = ["start", "end", "text", "value", "precision", "kind"]
        return [dict(zip(names, row, strict=True)) for row in rows]

    # -- stories ------------------------------------------------------------------

    def articles_without_story(self) -> list[str]:
        """Ids of analysed articles not yet in a story, oldest first (stories grow in date order)."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT a.id FROM articles a JOIN analyses n ON n.article_id = a.id"
                " LEFT JOIN story_articles s ON s.article_id = a.id WHERE s.article_id IS NULL ORDER BY a.date_start, a.id"
            )
        ]

    def story_counts(self) -> tuple[int, int]:
        """Return ``(articles counted in the story frequencies, next free story id)``."""
        row = self.conn.execute("SELECT value FROM store_meta WHERE key = 'story_documents'").fetchone()
        next_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM stories").fetchone()[0]
        return (int(row[0]) if row else 0), int(next_id)

    def term_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequencies of some terms (the story index keeps them for every word seen)."""
        found: dict[str, int] = {}
        for chunk in _chunks(sorted(set(terms)), 900):
            marks = ",".join("?" * len(chunk))
            for term, df in self.conn.execute(f"SELECT term, df FROM story_terms WHERE term IN ({marks})", list(chunk)):
                found[term] = int(df)
        return found

    def story_candidates(self, keys: Sequence[str], limit: int) -> list[int]:
        """Stories indexed under any of the keys, those sharing most keys first."""
        if not keys:
            return []
        hits: dict[int, int] = {}
        for chunk in _chunks(list(dict.fromkeys(keys)), 900):
            marks = ",".join("?" * len(chunk))
            for story_id, n in self.conn.execute(
                f"SELECT story_id, count(*) FROM story_keys WHERE key IN ({marks}) GROUP BY story_id", list(chunk)
            ):
                hits[int(story_id)] = hits.get(int(story_id), 0) + int(n)
        return sorted(hits, key=lambda s: -hits[s])[:limit]

    def story_rows(self, story_ids: Sequence[int]) -> list[tuple[int, str, str, str, int]]:
        """Stored story rows ``(id, profile_json, first, last, size)``."""
        rows: list[tuple[int, str, str, str, int]] = []
        for chunk in _chunks(list(story_ids), 900):
            marks = ",".join("?" * len(chunk))
            rows.extend(
                (int(i), p, f, last, int(n))
                for i, p, f, last, n in self.conn.execute(
                    f"SELECT id, profile, first_date, last_date, size FROM stories WHERE id IN ({marks})", list(chunk)
                )
            )
        return rows

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
            self.conn.executemany(
                "INSERT OR REPLACE INTO stories (id, title, first_date, last_date, size, profile) VALUES (?,?,?,?,?,?)",
                stories,
            )
            self.conn.executemany("DELETE FROM story_keys WHERE story_id = ?", [(row[0],) for row in stories])
            self.conn.executemany("INSERT OR IGNORE INTO story_keys (key, story_id) VALUES (?, ?)", keys)
            self.conn.executemany(
                "INSERT OR REPLACE INTO story_articles (article_id, story_id, similarity) VALUES (?,?,?)", assignments
            )
            self.conn.executemany(
                "INSERT INTO story_terms (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
                list(df_changes.items()),
            )
            self.conn.execute(
                "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('story_documents', ?)", (str(documents),)
            )

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
        rows = self.conn.execute(
            f"SELECT id, title, first_date, last_date, size FROM stories WHERE {' AND '.join(clauses)}"
            " ORDER BY size DESC, last_date DESC, id",
            params,
        ).fetchall()
        return [{"story_id": i, "title": t, "first_date": f, "last_date": last, "articles": n} for i, t, f, last, n in rows]

    def story_articles(self, story_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT a.id, a.date, a.title, s.similarity FROM story_articles s JOIN articles a ON a.id = s.article_id"
            " WHERE s.story_id = ? ORDER BY a.date_start, a.id",
            (story_id,),
        ).fetchall()
        return [{"article_id": i, "date": d, "title": t, "similarity": round(sim, 4)} for i, d, t, sim in rows]

    def story_of(self, article_id: str) -> int | None:
        row = self.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return int(row[0]) if row else None

    def story_export_rows(self) -> Iterator[dict[str, Any]]:
        cursor = self.conn.execute(
            "SELECT s.story_id, s.article_id, t.title, s.similarity FROM story_articles s JOIN stories t ON t.id = s.story_id"
            " JOIN articles a ON a.id = s.article_id ORDER BY s.story_id, a.date_start, a.id"
        )
        for story_id, article_id, title, similarity in cursor:
            yield {"story_id": story_id, "article_id": article_id, "title": title, "similarity": round(similarity, 4)}

    def sentence_span(self, article_id: str, start: int, end: int) -> tuple[int, int] | None:
        """The stored sentences that hold a stretch of text, as one ``(start, end)`` span."""
        row = self.conn.execute(
            'SELECT min(start), max("end") FROM sentences WHERE article_id = ? AND start < ? AND "end" > ?',
            (article_id, max(end, start + 1), start),
        ).fetchone()
        return (int(row[0]), int(row[1])) if row and row[0] is not None else None

    def find_entities(self, name: str) -> list[tuple[str, str, str, int]]:
        """Entities whose canonical name or any alias matches ``name``: ``(entity_id, canonical, label, mentions)``."""
        folded = name.casefold()
        rows = self.conn.execute(
            "SELECT entity_id, canonical, label, count(*) FROM mentions WHERE entity_id IS NOT NULL AND"
            " (casefold(canonical) = ? OR casefold(text) = ?) GROUP BY entity_id ORDER BY 4 DESC",
            (folded, folded),
        ).fetchall()
        if not rows:
            rows = self.conn.execute(
                "SELECT entity_id, canonical, label, count(*) FROM mentions WHERE entity_id IS NOT NULL AND"
                " casefold(canonical) LIKE ? ESCAPE '\\' GROUP BY entity_id ORDER BY 4 DESC LIMIT 20",
                (_like_pattern(folded),),
            ).fetchall()
        return [(e, c, lab, int(n)) for e, c, lab, n in rows]

    def entity_profile(self, entity_id: str) -> dict[str, Any]:
        """Aliases, articles, first and last seen, quotes and roles of one entity."""
        c = self.conn
        canonical, label = c.execute("SELECT canonical, label FROM mentions WHERE entity_id = ? LIMIT 1", (entity_id,)).fetchone()
        aliases = [row[0] for row in c.execute(
            "SELECT text FROM mentions WHERE entity_id = ? GROUP BY text ORDER BY count(*) DESC", (entity_id,)
        )]
        articles, first, last = c.execute(
            "SELECT count(DISTINCT m.article_id), min(a.date), max(a.date) FROM mentions m JOIN articles a ON a.id = m.article_id"
            " WHERE m.entity_id = ?",
            (entity_id,),
        ).fetchone()
        quotes = c.execute("SELECT count(*) FROM quotes WHERE speaker_entity_id = ?", (entity_id,)).fetchone()[0]
        roles = [dict(zip(("role", "org", "party", "first", "last", "statements"), row, strict=True)) for row in c.execute(
            "SELECT role, org, party, min(date), max(date), count(*) FROM roles WHERE person_entity_id = ?"
            " GROUP BY role, org ORDER BY min(date_start)",
            (entity_id,),
        )]
        mentions_per_month = dict(c.execute(
            "SELECT substr(a.date, 1, 7), count(*) FROM mentions m JOIN articles a ON a.id = m.article_id"
            " WHERE m.entity_id = ? GROUP BY 1 ORDER BY 1",
            (entity_id,),
        ).fetchall())
        return {
            "entity_id": entity_id, "canonical": canonical, "label": label, "aliases": aliases, "articles": articles,
            "first_seen": first, "last_seen": last, "quotes": quotes, "roles": roles, "mentions_per_month": mentions_per_month,
        }

    def entity_timeline(self, entity_id: str) -> list[dict[str, Any]]:
        """Dated facts about an entity, in order: the articles that mention it, its quotes and its roles."""
        facts: list[dict[str, Any]] = []
        for article_id, date, title, n in self.conn.execute(
            "SELECT a.id, a.date, a.title, count(*) FROM mentions m JOIN articles a ON a.id = m.article_id"
            " WHERE m.entity_id = ? GROUP BY a.id ORDER BY a.date_start",
            (entity_id,),
        ):
            facts.append({"date": date, "kind": "mentioned", "article_id": article_id, "text": f"{n} mention(s) in {title or article_id}"})
        for row in self.conn.execute(
            'SELECT date, article_id, kind, text, start, "end" FROM quotes WHERE speaker_entity_id = ?', (entity_id,)
        ):
            facts.append({"date": row[0], "kind": f"quote ({row[2]})", "article_id": row[1], "text": row[3], "start": row[4], "end": row[5]})
        for row in self.conn.execute(
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
        rows = self.conn.execute(
            f"SELECT text, label, count(*), count(DISTINCT article_id) FROM mentions {where}"
            " GROUP BY text, label ORDER BY 3 DESC, 4 DESC, text LIMIT ?",
            (*params, top),
        ).fetchall()
        return [EntityCount(t, lab, int(n), int(a)) for t, lab, n, a in rows]

    def iter_mentions(self) -> Iterator[dict[str, Any]]:
        """Yield every mention as an export row (article order, then text order)."""
        cursor = self.conn.execute(
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

    # -- near duplicates -----------------------------------------------------

    def add_fingerprints(self, items: Sequence[tuple[str, Fingerprint]]) -> None:
        """Store fingerprints and their band keys (call inside ``atomic``)."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO article_fingerprints (article_id, signature) VALUES (?, ?)",
            [(id_, fp.signature_bytes()) for id_, fp in items],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO fingerprint_bands (band_key, article_id) VALUES (?, ?)",
            [(key, id_) for id_, fp in items for key in fp.band_keys],
        )

    def band_matches(self, band_keys: Sequence[int]) -> dict[int, list[str]]:
        """Return ``{band_key: [article_id, ...]}`` for stored articles sharing any of the keys."""
        found: dict[int, list[str]] = {}
        for chunk in _chunks(list(band_keys), 900):
            marks = ",".join("?" * len(chunk))
            for key, article_id in self.conn.execute(
                f"SELECT band_key, article_id FROM fingerprint_bands WHERE band_key IN ({marks})", list(chunk)
            ):
                found.setdefault(key, []).append(article_id)
        return found

    def signatures(self, ids: Sequence[str]) -> dict[str, Any]:
        """Return ``{article_id: MinHash signature}`` for stored articles."""
        found: dict[str, Any] = {}
        for chunk in _chunks(list(ids), 900):
            marks = ",".join("?" * len(chunk))
            for article_id, blob in self.conn.execute(
                f"SELECT article_id, signature FROM article_fingerprints WHERE article_id IN ({marks})", list(chunk)
            ):
                found[article_id] = signature_from_bytes(blob)
        return found

    def link_near_duplicates(self, pairs: Sequence[NearDuplicate]) -> None:
        """Record near-duplicate pairs (call inside ``atomic``); each pair is stored once, smaller id first."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO near_duplicates (article_id, other_id, similarity) VALUES (?, ?, ?)",
            [(min(p.article_id, p.other_id), max(p.article_id, p.other_id), p.similarity) for p in pairs],
        )

    def near_duplicates_of(self, article_id: str) -> list[NearDuplicate]:
        rows = self.conn.execute(
            "SELECT article_id, other_id, similarity FROM near_duplicates WHERE article_id = ? OR other_id = ?"
            " ORDER BY similarity DESC",
            (article_id, article_id),
        ).fetchall()
        return [
            NearDuplicate(article_id, b if a == article_id else a, round(sim, 4)) for a, b, sim in rows
        ]

    def count_near_duplicates(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM near_duplicates").fetchone()[0])

    # -- ingest runs ---------------------------------------------------------

    def start_run(self, inputs: Sequence[str]) -> int:
        with self.atomic():
            cursor = self.conn.execute(
                "INSERT INTO ingest_runs (started_at, inputs) VALUES (?, ?)", (_now(), json.dumps(list(inputs)))
            )
        return int(cursor.lastrowid or 0)

    def add_rejects(self, run_id: int, rejects: Sequence[Rejection]) -> None:
        if not rejects:
            return
        with self.atomic():
            self.conn.executemany(
                "INSERT INTO rejects (run_id, file, line, reason, raw) VALUES (?, ?, ?, ?, ?)",
                [(run_id, r.location.path, r.location.line, r.reason, r.raw) for r in rejects],
            )

    def finish_run(self, run_id: int, report: IngestReport) -> None:
        with self.atomic():
            self.conn.execute(
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
        c = self.conn
        total, first, last = c.execute("SELECT count(*), min(date_start), max(date_end) FROM articles").fetchone()
        sources = c.execute(
            "SELECT coalesce(source, '(none)'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        years = c.execute("SELECT substr(date, 1, 4), count(*) FROM articles GROUP BY 1 ORDER BY 1").fetchall()
        precision = c.execute("SELECT date_precision, count(*) FROM articles GROUP BY 1 ORDER BY 1").fetchall()
        words = c.execute(
            "SELECT coalesce(sum(length(text) - length(replace(replace(text, char(10), ' '), ' ', '')) + 1), 0) FROM articles"
        ).fetchone()[0]
        runs = c.execute("SELECT count(*) FROM ingest_runs").fetchone()[0]
        return {
            "backend": self.backend,
            "path": str(self.path),
            "schema_version": self.schema_version,
            "articles": total,
            "words": int(words),
            "first_date": first,
            "last_date": last,
            "sources": dict(sources),
            "years": dict(years),
            "date_precision": dict(precision),
            "near_duplicate_pairs": self.count_near_duplicates(),
            "analysed": c.execute("SELECT count(*) FROM analyses").fetchone()[0],
            "sentences": c.execute("SELECT count(*) FROM sentences").fetchone()[0],
            "mentions": c.execute("SELECT count(*) FROM mentions").fetchone()[0],
            "quotes": dict(c.execute("SELECT kind, count(*) FROM quotes GROUP BY kind").fetchall()),
            "roles": c.execute("SELECT count(*) FROM roles").fetchone()[0],
            "numbers": c.execute("SELECT count(*) FROM numbers").fetchone()[0],
            "models": dict(c.execute("SELECT model, count(*) FROM analyses GROUP BY model").fetchall()),
            "unindexed": self.count_unindexed(),
            "ingest_runs": runs,
            "size_bytes": sum(
                p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists()
            ),
        }
