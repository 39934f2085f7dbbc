"""The store: articles and derived facts (the truth) and the search index derived from it.

Two backends share one schema and one set of queries (``sql.SQLStore``):
SQLite, the embedded default (a file path), and PostgreSQL, the server option
(a ``postgresql://`` URL). The store knows nothing about extraction: it saves
and returns the records of ``sporbar.models``. ``open_store`` is the one way in.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from sporbar.store.interface import Store
from sporbar.store.postgres import PostgresStore, describe_url, is_postgres_url
from sporbar.store.search_index import SearchIndex
from sporbar.store.sql import SQLStore
from sporbar.store.sqlite import SQLiteStore

DEFAULT_DB = "sporbar.db"

__all__ = [
    "DEFAULT_DB",
    "PostgresStore",
    "SQLStore",
    "SQLiteStore",
    "SearchIndex",
    "Store",
    "describe_url",
    "index_path_for",
    "is_postgres_url",
    "open_store",
]


def index_path_for(db: str | os.PathLike[str]) -> Path:
    """Return the default search index folder of a store.

    A SQLite store keeps it beside its file (``archive.db.index``). A
    PostgreSQL store has no file to sit beside: its index goes in the user's
    cache folder, named after the server, database and schema, unless
    ``--index``/``$SPORBAR_INDEX`` says otherwise.
    """
    if is_postgres_url(db):
        parts = urlsplit(str(db))
        where = describe_url(str(db)).split("://", 1)[1]
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", where).strip("_") or parts.path.strip("/") or "postgres"
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return cache / "sporbar" / f"{name}.index"
    path = Path(db)
    return path.with_name(path.name + ".index")


def open_store(
    db: str | os.PathLike[str], *, create: bool = True, index: str | os.PathLike[str] | None = None
) -> tuple[Store, SearchIndex]:
    """Open (or create) a store, SQLite file or PostgreSQL URL, and its search index."""
    store = open_database(db, create=create)
    try:
        search_index = SearchIndex(Path(index) if index is not None else index_path_for(db))
    except BaseException:
        store.close()
        raise
    return store, search_index


def open_database(db: str | os.PathLike[str], *, create: bool = True) -> Store:
    """Open (or create) just the store: PostgreSQL for a ``postgresql://`` URL, else a SQLite file."""
    if is_postgres_url(db):
        return PostgresStore(str(db), create=create)
    return SQLiteStore(db, create=create)
