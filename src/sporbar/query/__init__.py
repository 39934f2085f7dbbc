"""The query layer: what every interface (CLI, Python API, HTTP, web) asks of the store."""

from __future__ import annotations

from sporbar.query.search import search
from sporbar.query.snippets import make_snippet
from sporbar.query.syntax import parse_query

__all__ = ["make_snippet", "parse_query", "search"]
