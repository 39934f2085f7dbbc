"""The store: articles and derived facts (SQLite, the truth) and the search index derived from it.

The store knows nothing about extraction: it saves and returns the records
of ``sporbar.models``. ``open_store`` is the one way in.
"""

from __future__ import annotations

import os
from pathlib import Path

from sporbar.store.search_index import SearchIndex
from sporbar.store.sqlite import SQLiteStore

DEFAULT_DB = "sporbar.db"

__all__ = ["DEFAULT_DB", "SQLiteStore", "SearchIndex", "index_path_for", "open_store"]


def index_path_for(db_path: str | os.PathLike[str]) -> Path:
    """Return the search index folder that belongs to a store file."""
    path = Path(db_path)
    return path.with_name(path.name + ".index")


def open_store(db_path: str | os.PathLike[str], *, create: bool = True) -> tuple[SQLiteStore, SearchIndex]:
    """Open (or create) a store and its search index."""
    store = SQLiteStore(db_path, create=create)
    index = SearchIndex(index_path_for(db_path))
    return store, index
