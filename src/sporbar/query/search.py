"""Full-text search over the store: parse, ask the index, attach snippets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

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
) -> tuple[list[SearchHit], int]:
    """Return ``(hits, total)`` for a query in sporbar's search syntax."""
    query = parse_query(text)
    limit = max(1, min(limit, MAX_LIMIT))
    if offset > MAX_OFFSET:
        raise InvalidQuery(f"offset {offset:,} is past the last page served ({MAX_OFFSET:,}); narrow the query or the dates")
    ranked, total = index.search(query, since=since, until=until, sources=sources, limit=limit, offset=max(0, offset))
    articles = store.articles_by_id([article_id for article_id, _ in ranked])
    hits = []
    seen: set[str] = set()
    for article_id, score in ranked:
        article = articles.get(article_id)
        # An index entry whose article is gone (a run killed between the two writes) is never shown.
        if article is None or article_id in seen:
            continue
        seen.add(article_id)
        hits.append(
            SearchHit(
                article_id=article.id,
                score=score,
                date=article.date.value,
                title=article.title,
                source=article.source,
                url=article.url,
                snippet=make_snippet(article.text, query),
            )
        )
    return hits, total
