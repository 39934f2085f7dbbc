"""What the rest of sporbar asks of a store, whichever backend holds it.

``api``, ``ingest``, ``query`` and ``resolve`` are typed against ``Store``;
``SQLiteStore`` and ``PostgresStore`` (both ``sql.SQLStore``) provide it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from sporbar.models import Analysis, Article, EntityCount, IngestReport, Mention, NearDuplicate, Rejection
from sporbar.normalize.dedupe import Fingerprint


class Store(Protocol):
    """A sporbar store: articles, their analyses and facts, the ingest bookkeeping."""

    backend: str

    def close(self) -> None: ...

    def atomic(self) -> AbstractContextManager[Any]:
        """Run a block in one write transaction: all of it lands, or none."""
        ...

    def acquire_writer(self) -> None:
        """Take the store's single-writer lock, or raise ``StoreLocked`` at once."""
        ...

    def release_writer(self) -> None: ...

    @property
    def schema_version(self) -> int: ...

    def location(self) -> str:
        """Where the store is, fit to show (no password)."""
        ...

    def size_bytes(self) -> int: ...

    def run_sql(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one statement in the shared SQL (``?`` placeholders) and return its rows."""
        ...

    def existing(self, articles: Sequence[Article]) -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
        """Return ``{id: (text_hash, record_hash)}`` for stored ids and ``{text_hash: id}`` for stored texts."""
        ...

    def insert_articles(self, articles: Sequence[Article]) -> None:
        """Insert new articles (call inside ``atomic``)."""
        ...

    def update_articles(self, articles: Sequence[Article]) -> None:
        """Replace the text and metadata of stored articles whose input changed (call inside ``atomic``)."""
        ...

    def article(self, article_id: str) -> Article | None:
        ...

    def articles_by_id(self, ids: Sequence[str]) -> dict[str, Article]:
        ...

    def hit_fields(self, ids: Sequence[str]) -> dict[str, tuple[str, str | None, str | None, str | None, str]]:
        """``{id: (date, title, source, url, text)}``: what a search hit shows, without building ``Article``s."""
        ...

    def iter_articles(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sources: Sequence[str] = (),
        batch_size: int = 1000,
    ) -> Iterator[Article]:
        """Yield stored articles in date order, optionally only those that may fall in a date range."""
        ...

    def article_page(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sources: Sequence[str] = (),
        after: str | None = None,
        limit: int = 50,
    ) -> list[Article]:
        """Up to ``limit`` articles in date order, continuing after the article with id ``after``."""
        ...

    def source_counts(self) -> dict[str, int]:
        """Articles per named source, most first."""
        ...

    def count_articles(self) -> int:
        ...

    def unindexed(self, limit: int = 1000) -> list[tuple[Article, int]]:
        """Return articles whose current revision the search index has not seen, with that revision."""
        ...

    def revisions(self, ids: Sequence[str]) -> dict[str, int]:
        ...

    def count_unindexed(self) -> int:
        ...

    def count_expected_in_index(self) -> int:
        ...

    def mark_indexed(self, revisions: Iterable[tuple[str, int]]) -> None:
        ...

    def mark_indexed_current(self, ids: Sequence[str]) -> None:
        """Mark the current revision of these articles as indexed (only the writer, right after an index commit)."""
        ...

    def mark_all_unindexed(self) -> None:
        ...

    def index_identity(self) -> str | None:
        """The identity of the search index that ``indexed_revision`` speaks for (None before the first)."""
        ...

    def set_index_identity(self, identity: str) -> None:
        ...

    def ids_needing_analysis(self, model: str) -> list[str]:
        """Ids of the articles with no analysis by ``model`` of their current text, in date order."""
        ...

    def ids_needing_analysis_after(self, model: str, after: tuple[str, str] | None, limit: int) -> list[tuple[str, str]]:
        """The next ``limit`` ``(date_start, id)`` pairs of ``ids_needing_analysis`` after ``after`` (a page of them)."""
        ...

    def count_needing_analysis(self, model: str) -> int: ...

    def save_analyses(self, analyses: Sequence[Analysis]) -> None:
        """Replace the sentences, mentions and facts of each analysed article, in one transaction."""
        ...

    def sentences_of(self, article_id: str) -> list[tuple[int, int]]:
        ...

    def mentions_of(self, article_id: str) -> list[Mention]:
        ...

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
        speaker_entity_id: str | None = None,
        after: tuple[str, int, int] | None = None,
    ) -> list[dict[str, Any]]:
        """Return quotes as export rows, filtered; ``after`` is ``(article_id, start, end)`` of a previous page's last."""
        ...

    def roles(
        self,
        *,
        role: str | None = None,
        org: str | None = None,
        person: str | None = None,
        article_id: str | None = None,
        person_entity_id: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Return role records (export-contract rows), oldest first; ``person`` matches any part of the name."""
        ...

    def numbers(
        self,
        *,
        about: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        kind: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        after: tuple[str, int, int] | None = None,
    ) -> list[dict[str, Any]]:
        """Return number records (export-contract rows) in date order; ``after`` as for ``quotes``."""
        ...

    def times(self, *, article_id: str) -> list[dict[str, Any]]:
        """Return an article's time expressions with their resolved dates."""
        ...

    def articles_without_story(self) -> list[str]:
        """Ids of analysed articles not yet in a story, oldest first (stories grow in date order)."""
        ...

    def story_counts(self) -> tuple[int, int]:
        """Return ``(articles counted in the story frequencies, next free story id)``."""
        ...

    def term_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequencies of some terms (the story index keeps them for every word seen)."""
        ...

    def story_candidates(self, keys: Sequence[str], limit: int) -> list[int]:
        """Stories indexed under any of the keys, those sharing most keys first."""
        ...

    def story_rows(self, story_ids: Sequence[int]) -> list[tuple[int, str, str, str, int]]:
        """Stored story rows ``(id, profile_json, first, last, size)``."""
        ...

    def save_story_state(
        self,
        stories: Sequence[tuple[int, str, str, str, int, str]],
        keys: Sequence[tuple[str, int]],
        assignments: Sequence[tuple[str, int, float]],
        df_changes: dict[str, int],
        documents: int,
    ) -> None:
        """Write changed stories ``(id, title, first, last, size, profile)``, their keys, assignments and frequencies."""
        ...

    def stories(self, *, since: dt.date | None = None, until: dt.date | None = None, min_size: int = 1) -> list[dict[str, Any]]:
        """Return stories (newest activity first) that overlap a date range."""
        ...

    def story_articles(self, story_id: int) -> list[dict[str, Any]]:
        ...

    def story_of(self, article_id: str) -> int | None:
        ...

    def person_entities(self) -> list[tuple[str, str, int]]:
        ...

    def entities_of_articles(self, article_ids: Sequence[str]) -> dict[str, set[str]]:
        ...

    def articles_of_entities(self, entity_ids: Sequence[str]) -> dict[str, set[str]]:
        ...

    def rename_entity(self, old_id: str, new_id: str, canonical: str) -> None:
        ...

    def rebuild_entity_summaries(self) -> None:
        """Build the per-entity article and month summaries again from all the mentions."""
        ...

    def rebuild_role_holders(self) -> None:
        """Build the role-holder summary again from all the role statements."""
        ...

    def role_holder_summaries(self, role: str, *, org: str | None = None) -> list[dict[str, Any]]:
        """Everyone stated to hold ``role`` (of ``org``), one dict per person key, from the role-holder summary."""
        ...

    def holder_roles(
        self,
        role: str,
        orgs: Sequence[str | None],
        person_key: str,
        *,
        head: int = 0,
        tail: int = 0,
        around: tuple[dt.date, dt.date] | None = None,
        near: int = 0,
    ) -> list[dict[str, Any]]:
        """Some role statements of one holder, in statement order: the first ``head``, the last ``tail`` and the
        candidates for the ``near`` nearest ``around``."""
        ...

    def story_export_rows(self) -> Iterator[dict[str, Any]]:
        ...

    def sentence_span(self, article_id: str, start: int, end: int) -> tuple[int, int] | None:
        """The stored sentences that hold a stretch of text, as one ``(start, end)`` span."""
        ...

    def sentence_spans(self, stretches: Sequence[tuple[str, int, int]]) -> list[tuple[int, int] | None]:
        """``sentence_span`` of many ``(article_id, start, end)`` stretches at once."""
        ...

    def find_entities(self, name: str) -> list[tuple[str, str, str, int]]:
        """Entities whose canonical name or any alias matches ``name``: ``(entity_id, canonical, label, mentions)``."""
        ...

    def entity_profile(self, entity_id: str) -> dict[str, Any]:
        """Aliases, articles, first and last seen, quotes and roles of one entity."""
        ...

    def entity_timeline(self, entity_id: str) -> list[dict[str, Any]]:
        """Dated facts about an entity, in order: the articles that mention it, its quotes and its roles."""
        ...

    def entity_list(
        self,
        *,
        label: str | None = None,
        name: str | None = None,
        after: tuple[int, str] | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Resolved entities, most mentioned first (ties by id); ``after`` is ``(mentions, entity_id)`` of a previous page."""
        ...

    def entity_exists(self, entity_id: str) -> bool: ...

    def related_entities(self, entity_id: str, *, label: str | None = "PER", limit: int = 12) -> list[dict[str, Any]]:
        """Entities mentioned in the same articles as this one (among its most recent articles), most shared first."""
        ...

    def facet_counts(self, article_ids: Sequence[str], *, people: int = 10) -> dict[str, list[dict[str, Any]]]:
        """Sources, years and most mentioned people among some articles (search facets)."""
        ...

    def entity_counts(self, *, label: str | None = None, top: int = 20) -> list[EntityCount]:
        """Return the most mentioned names (by surface text and label)."""
        ...

    def iter_mentions(self) -> Iterator[dict[str, Any]]:
        """Yield every mention as an export row (article order, then text order)."""
        ...

    def add_fingerprints(self, items: Sequence[tuple[str, Fingerprint]]) -> None:
        """Store fingerprints and their band keys (call inside ``atomic``)."""
        ...

    def band_key_rows(self, batch_size: int = 10_000) -> Iterator[list[tuple[str, bytes | None, bytes | None]]]:
        """Yield ``(article_id, band keys, signature)`` rows in batches; the signature only where the keys are missing."""
        ...

    def fill_band_keys(self, items: Sequence[tuple[str, bytes]]) -> None:
        """Store band keys computed for fingerprints that have none (stored before schema 13)."""
        ...

    def signatures(self, ids: Sequence[str]) -> dict[str, Any]:
        """Return ``{article_id: MinHash signature}`` for stored articles."""
        ...

    def link_near_duplicates(self, pairs: Sequence[NearDuplicate]) -> None:
        """Record near-duplicate pairs (call inside ``atomic``); each pair is stored once, smaller id first."""
        ...

    def near_duplicates_of(self, article_id: str) -> list[NearDuplicate]:
        ...

    def start_run(self, inputs: Sequence[str]) -> int:
        ...

    def add_rejects(self, run_id: int, rejects: Sequence[Rejection]) -> None:
        ...

    def finish_run(self, run_id: int, report: IngestReport) -> None:
        ...

    def stats(self) -> dict[str, Any]:
        ...
