"""Resolve: what the articles share — story threads across articles and years (entities next)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from sporbar.resolve.stories import (
    ENTITY_PREFIX,
    ArticleProfile,
    StoryClusterer,
    StoryProfile,
    article_profile,
    story_title,
)
from sporbar.store.sqlite import SQLiteStore

__all__ = ["assign_stories"]


def _load(rows: list[tuple[int, str, str, str, int]]) -> list[StoryProfile]:
    stories = []
    for story_id, profile, first, last, size in rows:
        data = json.loads(profile)
        stories.append(
            StoryProfile(
                story_id,
                Counter(data["terms"]),
                Counter(data["entities"]),
                dt.date.fromisoformat(first),
                dt.date.fromisoformat(last),
                size,
            )
        )
    return stories


def assign_stories(store: SQLiteStore, *, batch_size: int = 500) -> int:
    """Put every analysed article that is in no story yet into one, oldest first; return how many were placed."""
    pending = store.articles_without_story()
    if not pending:
        return 0
    rows, df, documents = store.story_state()
    clusterer = StoryClusterer(_load(rows), Counter(df), documents)
    # Count the whole batch first: in a first import the earliest articles would otherwise see
    # every word as rare and chain unrelated articles together.
    df_changes: Counter[str] = Counter()
    profiles: dict[str, ArticleProfile] = {}
    for start in range(0, len(pending), batch_size):
        chunk = pending[start : start + batch_size]
        articles = store.articles_by_id(chunk)
        for article_id in chunk:
            article = articles.get(article_id)
            if article is None:
                continue
            profile = article_profile(article, store.mentions_of(article_id))
            clusterer.count(profile)
            df_changes.update(set(profile.terms) | {ENTITY_PREFIX + e for e in profile.entities})
            profiles[article_id] = profile
    changed: set[int] = set()
    assignments: list[tuple[str, int, float]] = []
    for article_id, profile in profiles.items():
        story_id, similarity, _ = clusterer.assign(profile)
        changed.add(story_id)
        assignments.append((article_id, story_id, similarity))
    story_rows = []
    for story_id in changed:
        story = clusterer.stories[story_id].trimmed()
        clusterer.stories[story_id] = story
        profile_json = json.dumps({"terms": dict(story.terms), "entities": dict(story.entities)}, ensure_ascii=False)
        first = (story.first_day or dt.date.min).isoformat()
        last = (story.last_day or dt.date.min).isoformat()
        story_rows.append((story_id, story_title(story), first, last, story.size, profile_json))
    store.save_story_state(story_rows, assignments, dict(df_changes), clusterer.documents)
    return len(assignments)
