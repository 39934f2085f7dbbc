"""Resolve: what the articles share — entities across articles (``entities``) and story threads (``stories``)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from sporbar.resolve.stories import (
    ENTITY_PREFIX,
    MAX_CANDIDATES,
    ArticleProfile,
    StoryClusterer,
    StoryProfile,
    article_profile,
    profile_keys,
    story_keys,
    story_title,
)
from sporbar.resolve.variants import merge_name_variants
from sporbar.store.interface import Store

__all__ = ["assign_stories", "merge_name_variants", "resolve_archive"]

KEY_SHARE = 0.01


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


def resolve_archive(store: Store) -> tuple[int, int]:
    """After analysis: place new articles in stories, then join spelling variants of the names they bring.

    Returns ``(articles placed, entities renamed)``. Stories come first: sharing one is context for a join.
    """
    new_articles = store.articles_without_story()
    placed = assign_stories(store)
    return placed, merge_name_variants(store, new_articles)


def assign_stories(store: Store, *, batch_size: int = 500) -> int:
    """Put every analysed article that is in no story yet into one, oldest first; return how many were placed.

    Only the stories that share a name or a strong term with an article are
    loaded (through the store's key index), so the cost of one article does not
    grow with the size of the archive.
    """
    pending = store.articles_without_story()
    if not pending:
        return 0
    documents, next_id = store.story_counts()
    clusterer = StoryClusterer([], Counter(), documents, next_id=next_id)
    # Count the whole batch first: in a first import the earliest articles would otherwise see
    # every word as rare and chain unrelated articles together.
    profiles: dict[str, ArticleProfile] = {}
    df_changes: Counter[str] = Counter()
    for start in range(0, len(pending), batch_size):
        chunk = pending[start : start + batch_size]
        articles = store.articles_by_id(chunk)
        for article_id in chunk:
            article = articles.get(article_id)
            if article is not None:
                profile = article_profile(article, store.mentions_of(article_id))
                profiles[article_id] = profile
                df_changes.update(set(profile.terms) | {ENTITY_PREFIX + e for e in profile.entities})
    clusterer.df.update(store.term_frequencies(df_changes))
    clusterer.df.update(df_changes)
    clusterer.documents += len(profiles)
    # Stories touched in this run are found through this run's own key map until they are saved.
    run_keys: dict[str, set[int]] = {}
    changed: set[int] = set()
    assignments: list[tuple[str, int, float]] = []
    for article_id, profile in profiles.items():
        # Only particular keys find candidates: a word in every tenth story would pull in thousands.
        common = max(50.0, KEY_SHARE * clusterer.documents)
        keys = [k for k in profile_keys(profile) if clusterer.df.get(k, 0) <= common]
        candidates = store.story_candidates(keys, MAX_CANDIDATES)
        unloaded = [i for i in candidates if i not in clusterer.stories]
        if unloaded:
            for story in _load(store.story_rows(unloaded)):
                clusterer.stories[story.story_id] = story
        ids = set(candidates) | {i for k in keys for i in run_keys.get(k, ())}
        story_id, similarity, _ = clusterer.assign(profile, [clusterer.stories[i] for i in ids if i in clusterer.stories])
        for key in story_keys(clusterer.stories[story_id]):
            run_keys.setdefault(key, set()).add(story_id)
        changed.add(story_id)
        assignments.append((article_id, story_id, similarity))
    story_rows = []
    key_rows: list[tuple[str, int]] = []
    for story_id in changed:
        story = clusterer.stories[story_id].trimmed()
        profile_json = json.dumps({"terms": dict(story.terms), "entities": dict(story.entities)}, ensure_ascii=False)
        first = (story.first_day or dt.date.min).isoformat()
        last = (story.last_day or dt.date.min).isoformat()
        story_rows.append((story_id, story_title(story), first, last, story.size, profile_json))
        key_rows.extend((key, story_id) for key in story_keys(story))
    store.save_story_state(story_rows, key_rows, assignments, dict(df_changes), clusterer.documents)
    return len(assignments)
