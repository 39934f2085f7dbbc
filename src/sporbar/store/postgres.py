"""The server store: PostgreSQL (psycopg 3, a connection pool, COPY for bulk loads).

Same tables, migrations and queries as the SQLite store (``SQLStore``); what
differs is here: placeholders, transactions on a pooled connection, bulk
inserts through COPY, upserts with ``ON CONFLICT`` and the index bookkeeping as
one statement per batch over arrays (a statement per row cost more than the
rows themselves), ``IN`` lists as ``= ANY(array)``, and the single-writer lock,
which is a PostgreSQL advisory lock held by the writing process's own
connection (so it is released when that process dies, like SQLite's flock).

One database may hold several stores, one per schema: the connection's
``search_path`` (``?options=-csearch_path%3Dname`` in the URL) picks it.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sporbar.errors import StoreError, StoreLocked
from sporbar.store.migrations import current_version, pending
from sporbar.store.sql import Rows, SQLStore, _quoted

URL_PREFIXES = ("postgresql://", "postgres://")
# Below this many rows a multi-row INSERT is cheaper than COPY into a staging table.
COPY_MIN_ROWS = 50
_staging_names = itertools.count()
# One writer per store: the lock is named after the schema, so stores in other schemas do not block each other.
_WRITER_LOCK = "hashtextextended('sporbar-writer:' || current_schema(), 0)"


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(URL_PREFIXES)


def describe_url(url: str) -> str:
    """The URL without its password, fit for messages and ``stats``."""
    parts = urlsplit(url)
    host = parts.hostname or parse_qs(parts.query).get("host", ["localhost"])[0]
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    schema = _schema_in(url)
    return f"postgresql://{user}{host}{port}{parts.path}" + (f" (schema {schema})" if schema else "")


def _schema_in(url: str) -> str | None:
    for option in parse_qs(urlsplit(url).query).get("options", []):
        for part in option.split():
            if part.startswith("-csearch_path="):
                return part.split("=", 1)[1]
    return None


@lru_cache(maxsize=512)
def _postgres_sql(sql: str) -> str:
    # The shared SQL never has a literal % or ? inside quotes, so this is a plain substitution.
    return sql.replace("%", "%%").replace("?", "%s")


_NUMBERS: dict[str, type] = {"bigint": int, "integer": int, "smallint": int, "double precision": float, "real": float}


def _array_of(values: list[Any], column_type: str) -> list[Any]:
    """A column's values as one array parameter: numbers of one Python type (a binary array may not mix int and float)."""
    convert = _NUMBERS.get(column_type)
    if convert is None:
        return values
    return [None if v is None else convert(v) for v in values]


class _Fetched:
    """Rows already fetched: the connection went back to the pool."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def fetchone(self) -> Any:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[Any]:
        return self.rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


class _PostgresSchema:
    dialect = "postgres"

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str) -> Any:
        return self.conn.execute(sql)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(_postgres_sql(sql), rows)


class PostgresStore(SQLStore):
    """Articles and everything derived from them, in a PostgreSQL database (or one schema of it)."""

    backend = "postgres"
    _like = "ILIKE"
    _newline = "chr(10)"

    def __init__(self, url: str, *, create: bool = True, pool_size: int | None = None) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        self.url = url
        self.path = url  # what the store was opened with, as for the SQLite store
        self._local = threading.local()
        self._writer: Any = None
        self._types: dict[str, dict[str, str]] = {}
        try:
            # Connect once first: a wrong URL gets psycopg's own message, not a pool timeout.
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {describe_url(url)}: {' '.join(str(exc).split())}") from None
        size = pool_size or int(os.environ.get("SPORBAR_PG_POOL", "8"))
        self.pool = ConnectionPool(
            url, min_size=1, max_size=max(1, size), kwargs={"autocommit": True}, open=True, name="sporbar", timeout=60
        )
        try:
            if not create and not self._has_store():
                raise StoreError(f"no sporbar store at {describe_url(url)}: run `sporbar ingest PATH --db URL` first")
            self._migrate()
        except BaseException:
            self.pool.close()
            raise

    # -- lifecycle -------------------------------------------------------------

    def _has_store(self) -> bool:
        with self.pool.connection() as conn:
            return conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]  # type: ignore[index,no-any-return]

    def _migrate(self) -> list[str]:
        applied = []
        with self.pool.connection() as conn:
            for step in pending(conn, "postgres"):
                with conn.transaction():
                    # Two processes opening a new store at once: the second waits, then finds it done.
                    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('sporbar-migrate:' || current_schema(), 0))")
                    if current_version(conn, "postgres") >= step.version:
                        continue
                    step.apply(_PostgresSchema(conn))
                    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (step.version, step.name))
                applied.append(step.name)
        return applied

    @property
    def schema_version(self) -> int:
        with self.pool.connection() as conn:
            return current_version(conn, "postgres")

    def close(self) -> None:
        self.release_writer()
        self.pool.close()

    def location(self) -> str:
        return describe_url(self.url)

    def size_bytes(self) -> int:
        row = self._cursor(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
        ).fetchone()
        return int(row[0])

    @contextmanager
    def atomic(self) -> Iterator[Any]:
        """Run a block in one transaction on one pooled connection: all of it lands, or none."""
        if getattr(self._local, "conn", None) is not None:
            yield self._local.conn  # already inside a transaction on this thread
            return
        with self.pool.connection() as conn, conn.transaction():
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

    def acquire_writer(self) -> None:
        """Take the store's single-writer lock (an advisory lock on a connection of its own), or raise ``StoreLocked``."""
        if self._writer is not None:
            return
        import psycopg

        conn = psycopg.connect(self.url, autocommit=True)
        got = conn.execute(f"SELECT pg_try_advisory_lock({_WRITER_LOCK})").fetchone()
        if not got or not got[0]:
            conn.close()
            raise StoreLocked(
                f"another sporbar process is writing to {describe_url(self.url)}; try again when it has finished"
            )
        self._writer = conn

    def release_writer(self) -> None:
        if self._writer is not None:
            # Unlock before closing: a closed connection's server process lets go of its locks only as it exits,
            # which can be after this process has asked for the lock again.
            try:
                self._writer.execute(f"SELECT pg_advisory_unlock({_WRITER_LOCK})")
            finally:
                self._writer.close()
                self._writer = None

    # -- primitives ------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
        else:
            with self.pool.connection() as conn:
                yield conn

    def _cursor(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        with self._connection() as conn:
            cursor = conn.execute(_postgres_sql(sql), tuple(params))
            return _Fetched(cursor.fetchall() if cursor.description else [])

    def _cursor_arrays(self, sql: str, arrays: Sequence[list[Any]]) -> Rows:
        """``_cursor`` for a statement whose parameters are all arrays (lists): sent in binary.

        psycopg writes a list in the text format element by element in Python (≈ 2 µs an id, 13 µs a 600-byte
        signature); in the binary format it costs a tenth of that.
        """
        with self._connection() as conn:
            cursor = conn.execute(_postgres_sql(sql).replace("%s", "%b"), tuple(arrays))
            return _Fetched(cursor.fetchall() if cursor.description else [])

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        with self._connection() as conn, conn.cursor() as cursor:
            cursor.executemany(_postgres_sql(sql), rows)

    def _select_in(self, sql: str, values: Iterable[Any], size: int = 500) -> Iterator[Any]:
        # ``= ANY(array)``: one parameter, so one statement text and plan for every chunk size, where an IN list of
        # 500 placeholders is parsed and planned again for each. Same rows, same chunks as the shared code.
        if "IN ({marks})" not in sql:
            yield from super()._select_in(sql, values, size)
            return
        query = sql.replace("IN ({marks})", "= ANY(?)")
        values = list(values)
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            if len({type(v) for v in chunk}) > 1:  # a binary array holds one type (ints and floats, say)
                yield from super()._select_in(sql, chunk, size)
            else:
                yield from self._cursor_arrays(query, (chunk,))

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        # A server-side cursor: an export of millions of rows never sits in memory at once.
        with self.pool.connection() as conn, conn.transaction():
            with conn.cursor(name=f"sporbar_stream_{next(_staging_names)}") as cursor:
                cursor.itersize = 2000
                cursor.execute(_postgres_sql(sql), tuple(params))
                yield from cursor

    def _insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, skip_conflicts: bool = False) -> None:
        if not rows:
            return
        names = ", ".join(_quoted(c) for c in columns)
        if len(rows) < COPY_MIN_ROWS:
            conflict = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
            self._executemany(f"INSERT INTO {table} ({names}) VALUES ({','.join('?' * len(columns))}){conflict}", rows)
            return
        with self.atomic() as conn:
            if not skip_conflicts:
                self._copy(conn, table, names, rows)
                return
            # COPY cannot skip conflicting rows: load a staging table, then insert what does not conflict.
            staging = f"sporbar_staging_{next(_staging_names)}"
            conn.execute(f"CREATE TEMP TABLE {staging} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA")
            self._copy(conn, staging, names, rows)
            conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} ON CONFLICT DO NOTHING")

    def _replace_rows(self, table: str, columns: Sequence[str], key: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """The shared upsert as one statement over arrays (``unnest``), not a statement per row.

        Rows with the same key: the last one wins, as when each row was its own statement (one statement may not
        update a row twice).
        """
        if len(rows) < 2:
            super()._replace_rows(table, columns, key, rows)
            return
        positions = [columns.index(k) for k in key]
        last = {tuple(row[i] for i in positions): row for row in rows}
        if len(last) < len(rows):
            rows = list(last.values())
        types = self._column_types(table)
        names = ", ".join(_quoted(c) for c in columns)
        arrays = ", ".join(f"?::{types[c]}[]" for c in columns)
        updates = ", ".join(f"{_quoted(c)} = excluded.{_quoted(c)}" for c in columns if c not in key)
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        self._cursor_arrays(
            f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})"
            f" ON CONFLICT ({', '.join(_quoted(k) for k in key)}) {action}",
            [_array_of([row[i] for row in rows], types[c]) for i, c in enumerate(columns)],
        )

    def _column_types(self, table: str) -> dict[str, str]:
        """``{column: type}`` of one of the store's tables, asked once per store."""
        found = self._types.get(table)
        if found is None:
            found = {
                name: kind
                for name, kind in self._cursor(
                    "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                    " WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped",
                    (table,),
                )
            }
            self._types[table] = found
        return found

    def mark_indexed(self, revisions: Iterable[tuple[str, int]]) -> None:
        pairs = list(revisions)
        if not pairs:
            return
        with self.atomic():
            self._cursor_arrays(
                "UPDATE articles a SET indexed_revision = v.revision FROM unnest(?::text[], ?::bigint[]) AS v (id, revision)"
                " WHERE a.id = v.id AND a.revision = v.revision",
                ([id_ for id_, _ in pairs], [rev for _, rev in pairs]),
            )

    def mark_indexed_current(self, ids: Sequence[str]) -> None:
        # One statement for a whole index commit (up to 20,000 articles), not one per article.
        if not ids:
            return
        with self.atomic():
            self._cursor_arrays(
                "UPDATE articles SET indexed_revision = revision WHERE id = ANY(?) AND indexed_revision <> revision",
                (list(ids),),
            )

    @staticmethod
    def _copy(conn: Any, table: str, names: str, rows: Sequence[Sequence[Any]]) -> None:
        with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
