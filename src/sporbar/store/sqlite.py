"""The embedded default store: one SQLite file (WAL, foreign keys, migrations).

SQLite is the source of truth. The search index is derived from it: every
article row carries a ``revision`` and the ``indexed_revision`` the index has
seen, so an interrupted run can always bring the index up to date.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sporbar.errors import StoreError, StoreLocked
from sporbar.store.migrations import current_version, migrate
from sporbar.store.sql import Rows, SQLStore


def casefold(value: object) -> object:
    """The SQL function ``casefold()`` that the store's expression indexes use: any connection to the file needs it."""
    return value.casefold() if isinstance(value, str) else value


class SQLiteStore(SQLStore):
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
            self.conn.execute("PRAGMA cache_size = -65536")
            # SQLite's lower() only folds ASCII: "Økokrim" and "Østlendingen" need Python's.
            self.conn.create_function("casefold", 1, casefold, deterministic=True)
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

    # -- primitives ------------------------------------------------------------

    def _cursor(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        return self.conn.execute(sql, params)

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def location(self) -> str:
        return str(self.path)

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
