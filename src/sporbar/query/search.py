"""Full-text search over the store: parse, ask the index, attach snippets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sporbar.errors import InvalidQuery
from sporbar.models import SearchHit
from sporbar.query.snippets import make_snippet
from sporbar.query.syntax import parse_query
from sporbar.store.interface import Store
from sporbar.store.search_index import SearchIndex

MAX_LIMIT = 1000
MAX_OFFSET = 10_000  # deeper pages cost memory in the index; narrow the query or the dates instead


def search(
    store: Store,
    index: SearchIndex,
    text: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    sources: Sequence[str] = (),
    limit: int = 10,
    offset: int = 0,
    count: bool = True,
) -> tuple[list[SearchHit], int | None]:
    """Return ``(hits, total)`` for a query in sporbar's search syntax (total None unless ``count``)."""
    query = parse_query(text)
    limit = max(1, min(limit, MAX_LIMIT))
    if offset > MAX_OFFSET:
        raise InvalidQuery(f"offset {offset:,} is past the last page served ({MAX_OFFSET:,}); narrow the query or the dates")
    ranked, total = index.search(
        query, since=since, until=until, sources=sources, limit=limit, offset=max(0, offset), count=count
    )
    found = store.hit_fields([article_id for article_id, _ in ranked])
    hits = []
    seen: set[str] = set()
    for article_id, score in ranked:
        fields = found.get(article_id)
        # An index entry whose article is gone (a run killed between the two writes) is never shown.
        if fields is None or article_id in seen:
            continue
        seen.add(article_id)
        date, title, source, url, text = fields
        hits.append(
            SearchHit(
                article_id=article_id,
                score=score,
                date=date,
                title=title,
                source=source,
                url=url,
                snippet=make_snippet(text, query),
            )
        )
    return hits, total


def search_facets(
    store: Store,
    index: SearchIndex,
    text: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    sources: Sequence[str] = (),
    depth: int = MAX_LIMIT,
) -> dict[str, list[dict[str, Any]]]:
    """Count sources, years and people over the best ``depth`` matches of a query (search facets)."""
    ranked, _ = index.search(parse_query(text), since=since, until=until, sources=sources, limit=max(1, min(depth, MAX_LIMIT)))
    return store.facet_counts([article_id for article_id, _ in ranked])
