"""Ingest: read → normalise → deduplicate → store → index, in transactional batches.

Every batch lands in SQLite in one transaction, then in the search index;
each article remembers which revision the index has seen. A run killed at any
moment therefore leaves a consistent store, and the next run completes the
index and skips what is already stored, without duplicates.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sporbar.errors import SporbarError
from sporbar.models import (
    Analysis,
    Article,
    ArticleDate,
    DatePrecision,
    Duplicate,
    IngestReport,
    NearDuplicate,
    RawRecord,
    Rejection,
    SourceLocation,
)
from sporbar.normalize import normalize_record
from sporbar.normalize.dedupe import (
    BANDS,
    NEAR_DUPLICATE_THRESHOLD,
    BandIndex,
    Fingerprint,
    band_key_array,
    band_keys_from_bytes,
    fingerprints,
    signature_from_bytes,
)
from sporbar.normalize.sorted_runs import IdSet, ScratchFolder
from sporbar.read import ReadProgress
from sporbar.read.dispatch import JsonLinesChunk, expand_paths, read_chunks
from sporbar.read.source import printable_raw
from sporbar.store.interface import Store
from sporbar.store.search_index import SearchIndex

if TYPE_CHECKING:
    from spacy.language import Language

    from sporbar.analyze.distributed import _BatchAnalyser

DEFAULT_BATCH_SIZE = 1000
INDEX_COMMIT_ARTICLES = 20_000
INDEX_COMMIT_SECONDS = 10.0
PENDING_PAGE = 10_000  # ids of articles to analyse, read from the store at a time
AUTO_WORKERS_MIN_BYTES = 20_000_000
MAX_AUTO_WORKERS = 4
ProgressCallback = Callable[[int, int, int], None]
AnalysisProgressCallback = Callable[[int, int], None]


@dataclass(slots=True)
class _Batch:
    new: list[Article]
    updated: list[Article]


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article with everything CPU-heavy already computed (possibly in a worker process)."""

    article: Article
    fingerprint: Fingerprint | None

    def __reduce__(self) -> tuple[Callable[..., PreparedArticle], tuple[object, ...]]:
        # Sent from every worker to the writing process: one flat tuple pickles and unpickles in half the time
        # of the nested frozen dataclasses (whose default state goes through ``dataclasses.fields`` each time).
        a, fp = self.article, self.fingerprint
        origin = a.origin
        return (
            _prepared_from_state,
            (
                a.id, a.date.value, a.date.precision.value, a.text, a.text_hash, a.title, a.source, a.url,
                a.metadata, origin.path if origin else None, origin.line if origin else None, origin is not None,
                a.record_hash, fp.signature_data if fp else None, fp.band_keys if fp else None,
            ),
        )


def _prepared_from_state(
    id: str, date: str, precision: str, text: str, text_hash: str, title: str | None, source: str | None,
    url: str | None, metadata: dict[str, object], path: str | None, line: int | None, has_origin: bool,
    record_hash: str, signature: bytes | None, band_keys: tuple[int, ...] | None,
) -> PreparedArticle:
    article = Article(
        id=id,
        date=ArticleDate(date, DatePrecision(precision)),
        text=text,
        text_hash=text_hash,
        title=title,
        source=source,
        url=url,
        metadata=metadata,
        origin=SourceLocation(path, line) if has_origin and path is not None else None,
        record_hash=record_hash,
    )
    found = Fingerprint(signature, band_keys) if signature is not None and band_keys is not None else None
    return PreparedArticle(article, found)


def prepare_records(records: list[RawRecord]) -> list[PreparedArticle | Rejection]:
    """Normalise and fingerprint records: pure, so it can run in any process."""
    prepared: list[PreparedArticle | Rejection] = []
    articles: list[Article] = []
    for record in records:
        try:
            article = normalize_record(record)
        except SporbarError as exc:
            prepared.append(Rejection(record.location, exc.message, _raw_for_report(record)))
            continue
        articles.append(article)
        prepared.append(PreparedArticle(article=article, fingerprint=None))
    # One vectorised pass over the batch's texts (a pass per text cost three times as much).
    found = iter(fingerprints([a.text for a in articles]))
    return [item if isinstance(item, Rejection) else PreparedArticle(item.article, next(found)) for item in prepared]


def prepare_unit(unit: list[RawRecord] | JsonLinesChunk) -> tuple[int, list[PreparedArticle | Rejection]]:
    """Read (for raw JSON Lines), normalise and fingerprint; return how many records were read, and the results.

    Rejections by the reader come back among the results, in input order.
    """
    if not isinstance(unit, JsonLinesChunk):
        return len(unit), prepare_records(unit)
    records: list[RawRecord] = []
    items: list[RawRecord | Rejection] = []
    for item in unit.records():
        items.append(item)
        if not isinstance(item, Rejection):
            records.append(item)
    prepared = iter(prepare_records(records))
    return len(records), [item if isinstance(item, Rejection) else next(prepared) for item in items]


def _auto_workers(paths: Sequence[str]) -> int:
    """Use worker processes only when the input is large enough to repay starting them."""
    total = 0
    for path, problem in expand_paths(paths):
        if problem is None and path != "-":
            try:
                total += os.path.getsize(path)
            except OSError:
                pass
    if total < AUTO_WORKERS_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_AUTO_WORKERS))


def ingest_paths(
    store: Store,
    index: SearchIndex,
    paths: Sequence[str],
    *,
    format: str | None = None,
    date: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    rejects_path: str | os.PathLike[str] | None = None,
    on_progress: ProgressCallback | None = None,
    analyze: bool = True,
    nlp: Language | None = None,
    on_analysis_progress: AnalysisProgressCallback | None = None,
    dask: str | None = None,
) -> IngestReport:
    """Ingest files, directories or ``-`` (stdin) into the store and its index.

    ``workers`` processes normalise and analyse records in parallel (None: as
    many as there are cores, for inputs over a few megabytes). The store and
    the index are written by this process only, one batch per transaction.
    ``on_progress(records_read, bytes_done, total_bytes)`` is called after each batch.
    With ``analyze``, every article without an analysis of its current text
    by the current model is then run through the language pipeline
    (``on_analysis_progress(done, total)``), so an interrupted run resumes.
    With ``dask`` (a scheduler address such as ``tcp://host:8786``) that
    language stage runs on the Dask cluster's workers instead.
    """
    if date is not None:
        # Fail before reading anything if the fallback date itself is wrong.
        ArticleDate.parse(date)
    started = time.perf_counter()
    report = IngestReport()
    store.acquire_writer()
    pool: ProcessPoolExecutor | None = None
    scratch_files = ExitStack()
    try:
        worker_count = workers if workers is not None else _auto_workers(paths)
        if worker_count > 1:
            # Large inputs: Tantivy indexes on two threads. On one, its indexing thread (≈ 370 µs per article,
            # every word twice with positions) was the slowest stage of the pipeline: 1,693 → 2,145 articles/s
            # on the idle 2-core machine. Small inputs keep one thread and one segment per commit.
            index.writer_threads = 2
        sync_index(store, index)
        run_id = store.start_run(paths)
        progress = ReadProgress()
        if worker_count > 1:
            pool = ProcessPoolExecutor(max_workers=worker_count, mp_context=multiprocessing.get_context("forkserver"))
        in_flight: deque[Future[tuple[int, list[PreparedArticle | Rejection]]]] = deque()
        index_writes = _IndexWrites(store, index)
        # What the run looks up over everything it has seen lives in scratch files, not in memory that grows.
        scratch = ScratchFolder("sporbar-ingest-")
        scratch_files.callback(scratch.close)
        seen = IdSet(scratch.path / "seen")
        scratch_files.callback(seen.close)
        bands = load_band_index(store, scratch.path / "bands")
        scratch_files.callback(bands.close)

        def write(read: int, prepared: list[PreparedArticle | Rejection]) -> None:
            report.read += read
            _write_batch(store, prepared, report, seen, index_writes, bands)
            if on_progress:
                on_progress(report.read, progress.bytes_done, progress.total_bytes)

        def drain(limit: int) -> None:
            while len(in_flight) > limit:
                write(*in_flight.popleft().result())

        def submit(unit: list[RawRecord] | JsonLinesChunk) -> None:
            if pool is None:
                write(*prepare_unit(unit))
                return
            in_flight.append(pool.submit(prepare_unit, unit))
            drain(worker_count * 2)

        pending: list[RawRecord] = []
        # JSON Lines arrive as chunks of raw lines: the workers parse them (the reading process only splits lines).
        for item in read_chunks(paths, format=format, date=date, progress=progress, lines_per_chunk=batch_size):
            if isinstance(item, JsonLinesChunk):
                if pending:
                    submit(pending)
                    pending = []
                submit(item)
                continue
            if isinstance(item, Rejection):
                report.rejected.append(item)
                continue
            pending.append(item)
            if len(pending) >= batch_size:
                submit(pending)
                pending = []
        if pending:
            submit(pending)
        drain(0)
        index_writes.commit()
        report.rejected.sort(key=lambda r: (r.location.path, r.location.line or 0))
        if on_progress:
            on_progress(report.read, progress.total_bytes, progress.total_bytes)
        if pool is not None:
            pool.shutdown()
            pool = None
        # Rejections are saved before the long analysis, so nothing is lost if it fails.
        store.add_rejects(run_id, report.rejected)
        if report.rejected and rejects_path is not None:
            report.rejects_file = str(write_rejects(report.rejected, rejects_path))
        if analyze:
            report.analysed = analyse_pending(
                store, nlp, workers=worker_count if workers is not None else 1, on_progress=on_analysis_progress, dask=dask
            )
            from sporbar.resolve import resolve_archive

            resolve_archive(store)
        report.seconds = time.perf_counter() - started
        store.finish_run(run_id, report)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        scratch_files.close()
        index.close()
        store.release_writer()
    return report


def _raw_for_report(record: RawRecord) -> str | None:
    return printable_raw(record.raw) if record.raw is not None else None


class _IndexWrites:
    """Index articles a batch at a time, committing the index every few seconds.

    A Tantivy commit costs a third of a second whatever its size, and the
    index indexes in its own thread while Python prepares the next batch, so
    committing per batch wasted most of that. The store records which revision
    of each article the index holds (``mark_indexed``) only after a commit, so
    a crash in between leaves articles that ``sync_index`` indexes again on the
    next run.
    """

    def __init__(self, store: Store, index: SearchIndex) -> None:
        self.store, self.index = store, index
        self.pending: list[str] = []
        self.last_commit = time.perf_counter()

    def add(self, articles: list[Article]) -> None:
        self.index.upsert(articles)
        self.pending.extend(a.id for a in articles)
        if len(self.pending) >= INDEX_COMMIT_ARTICLES or time.perf_counter() - self.last_commit >= INDEX_COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        self.index.commit()
        self.last_commit = time.perf_counter()
        return_free_memory()
        if self.pending:
            # This process is the only writer and indexed every pending article after its last change
            # (a later version in the run was indexed after the earlier one): the current revision is indexed.
            # Asking for the revisions first and matching them cost a query and a comparison per article.
            self.store.mark_indexed_current(list(dict.fromkeys(self.pending)))
            self.pending = []


def return_free_memory() -> None:
    """Give the memory freed since the last call back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    Tantivy's indexing and merging threads and the thread that receives the
    workers' batches each allocate from their own glibc arena; what they free
    stays with the process, so the resident size of a long run kept climbing
    (≈ 15 arenas of up to 64 MiB each) although the live data did not grow.
    Called after each index commit: a few milliseconds every 20,000 articles.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def _write_batch(
    store: Store,
    prepared: list[PreparedArticle | Rejection],
    report: IngestReport,
    seen: IdSet,
    index_writes: _IndexWrites,
    bands: BandIndex,
) -> None:
    usable: list[PreparedArticle] = []
    for item in prepared:
        if isinstance(item, Rejection):
            report.rejected.append(item)
        else:
            usable.append(item)
    batch = _classify(store, [p.article for p in usable], report, seen)
    changed = batch.new + batch.updated
    changed_ids = {a.id for a in changed}
    by_id = {p.article.id: p for p in usable if p.article.id in changed_ids}
    fingerprints = [(a.id, fp) for a in changed if (fp := by_id[a.id].fingerprint) is not None]
    links = _near_duplicates(store, bands, fingerprints)
    with store.atomic():
        # Updates first: a text an update gives up may be the text of a new article in this batch.
        store.update_articles(batch.updated)
        store.insert_articles(batch.new)
        store.add_fingerprints(fingerprints)
        store.link_near_duplicates(links)
    if fingerprints:
        bands.add([id_ for id_, _ in fingerprints], np.array([fp.band_keys for _, fp in fingerprints], dtype=np.int64))
    report.stored += len(batch.new)
    report.updated += len(batch.updated)
    report.near_duplicates += len(links)
    index_writes.add(changed)


def _classify(store: Store, articles: list[Article], report: IngestReport, seen: IdSet) -> _Batch:
    """Split a batch into new and changed articles; count unchanged ones and report exact duplicates.

    Records are taken in input order against a running view of the store, so a
    text that moves from one id to another in the same batch is never lost,
    and ``seen`` (the ids this run has already taken) tells a repeated record
    in the input (a duplicate) from one stored by an earlier run (unchanged).
    """
    stored_by_id, stored_by_hash = store.existing(articles)
    current = {article_id: hashes for article_id, hashes in stored_by_id.items()}
    owner = dict(stored_by_hash)
    # Records the store already holds as they are: taken by an earlier batch of this run (a repeat) or not.
    stored_as_is = list(dict.fromkeys(
        a.id for a in articles if stored_by_id.get(a.id) == (a.text_hash, a.record_hash)
    ))
    taken_earlier = {i for i, found in zip(stored_as_is, seen.contains(stored_as_is), strict=True) if found}
    taken_now: set[str] = set()
    taken: dict[str, Article] = {}
    for article in articles:
        same_record = current.get(article.id) == (article.text_hash, article.record_hash)
        if same_record:
            if article.id in taken_earlier or article.id in taken_now:
                report.duplicates.append(Duplicate(article.origin, article.id, article.id))
            else:
                report.unchanged += 1
                taken_now.add(article.id)
            continue
        holder = owner.get(article.text_hash)
        if holder is not None and holder != article.id:
            report.duplicates.append(Duplicate(article.origin, article.id, holder))
            continue
        previous = current.get(article.id)
        if previous is not None and owner.get(previous[0]) == article.id:
            del owner[previous[0]]
        owner[article.text_hash] = article.id
        current[article.id] = (article.text_hash, article.record_hash)
        taken[article.id] = article  # a later version in the same input replaces the earlier one
        taken_now.add(article.id)
    seen.add(sorted(taken_now))
    batch = _Batch(new=[], updated=[])
    for article_id, article in taken.items():
        (batch.updated if article_id in stored_by_id else batch.new).append(article)
    return batch


def load_band_index(store: Store, folder: Path | None = None) -> BandIndex:
    """The band keys of every stored fingerprint, for this run's near-duplicate lookups (scratch files in ``folder``)."""
    bands = BandIndex(folder)
    for rows in store.band_key_rows():
        ids = [article_id for article_id, _, _ in rows]
        keys = np.empty((len(rows), BANDS), dtype=np.int64)
        missing: list[int] = []
        for row, (_, blob, _) in enumerate(rows):
            if blob is None:
                missing.append(row)
            else:
                keys[row] = band_keys_from_bytes(blob)
        if missing:
            # Stored before schema 13: the keys follow from the signature, and are stored for the next run.
            signatures = np.stack([signature_from_bytes(rows[row][2] or b"") for row in missing])
            keys[missing] = band_key_array(signatures)
            store.fill_band_keys([(ids[row], keys[row].tobytes()) for row in missing])
        bands.add(ids, keys)
    return bands


def _near_duplicates(
    store: Store, bands: BandIndex, fingerprints: list[tuple[str, Fingerprint]]
) -> list[NearDuplicate]:
    """Find stored or same-batch articles whose MinHash similarity passes the threshold."""
    if not fingerprints:
        return []
    keys = np.fromiter((key for _, fp in fingerprints for key in fp.band_keys), dtype=np.int64)
    stored_matches = bands.matches(keys)
    # Almost every key is new and unique: find the few shared ones in NumPy, then look only at their articles.
    unique, counts = np.unique(keys, return_counts=True)
    shared = set(unique[counts > 1].tolist()) | set(stored_matches)
    batch_matches: dict[int, list[str]] = {}
    by_id = dict(fingerprints)
    candidates: dict[str, set[str]] = {}
    for article_id, fp in fingerprints:
        found: set[str] = set()
        for key in shared.intersection(fp.band_keys):
            found.update(stored_matches.get(key, ()))
            found.update(batch_matches.get(key, ()))
            batch_matches.setdefault(key, []).append(article_id)
        found.discard(article_id)
        if found:
            candidates[article_id] = found
    # Stored candidates are confirmed with the signature the store holds now (an updated article's old keys
    # may still be in the band index: its new signature decides).
    stored_ids = {other for found in candidates.values() for other in found if other not in by_id}
    signatures = store.signatures(sorted(stored_ids)) if stored_ids else {}
    links: dict[tuple[str, str], NearDuplicate] = {}
    for article_id, found in candidates.items():
        fp = by_id[article_id]
        for other in found:
            other_signature = by_id[other].signature if other in by_id else signatures.get(other)
            if other_signature is None:
                continue
            similarity = fp.similarity(other_signature)
            if similarity >= NEAR_DUPLICATE_THRESHOLD:
                pair = (min(article_id, other), max(article_id, other))
                links[pair] = NearDuplicate(pair[0], pair[1], round(similarity, 4))
    return list(links.values())


def sync_index(store: Store, index: SearchIndex, *, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Bring the search index up to date with the store; return how many articles were (re)indexed."""
    if store.index_identity() != index.identity:
        # The store's bookkeeping speaks for another index (a new machine, a deleted folder): build this one whole.
        store.mark_all_unindexed()
        index.clear()
        store.set_index_identity(index.identity)
    elif index.count() < store.count_expected_in_index():
        # The index lost documents the store says it has (a rebuild killed midway, a restored index
        # folder): trusting the marks would leave those articles unsearchable for good.
        store.mark_all_unindexed()
        index.clear()
    done = 0
    while True:
        rows = store.unindexed(batch_size)
        if not rows:
            return done
        index.upsert(article for article, _ in rows)
        index.commit()
        store.mark_indexed([(article.id, revision) for article, revision in rows])
        done += len(rows)


def rebuild_index(store: Store, index: SearchIndex) -> int:
    """Drop the search index and build it again from the store."""
    store.acquire_writer()
    try:
        # Mark first: a run killed after the clear then still knows every article needs indexing.
        store.mark_all_unindexed()
        # Set before the writer opens (``clear`` opens it): Tantivy indexes in two threads while Python reads and
        # prepares the next articles.
        index.writer_threads = 2
        index.clear()
        # A commit costs about as much whatever its size, and one per thousand articles was most of a
        # million-article rebuild: commit as rarely as an ingest does.
        count = sync_index(store, index, batch_size=INDEX_COMMIT_ARTICLES)
        index.close()
        return count
    finally:
        store.release_writer()


def analyse_pending(
    store: Store,
    nlp: Language | None = None,
    *,
    workers: int = 1,
    save_every: int = 200,
    on_progress: AnalysisProgressCallback | None = None,
    dask: str | None = None,
) -> int:
    """Run the language pipeline over every article not yet analysed by it; return how many were analysed.

    Results land in the store ``save_every`` articles per transaction. With
    ``workers`` > 1 the shipped pipeline runs in that many local processes, with
    ``dask`` on that Dask cluster's workers (each loads the model once); this
    process then only reads articles and writes results.
    """
    from sporbar.analyze.language_model import load
    from sporbar.analyze.pipeline import analyse_articles, model_id, with_extractors

    analyser: _BatchAnalyser | None = None
    if dask is not None:
        from sporbar.analyze.distributed import DaskAnalyser

        if nlp is not None:
            raise SporbarError("a Dask cluster runs the shipped language model; a pipeline of your own runs locally")
        analyser = DaskAnalyser(dask)
        model = analyser.model
    elif workers > 1 and nlp is None:
        from sporbar.analyze.distributed import LocalAnalyser

        analyser = LocalAnalyser(workers)
        model = analyser.model
    else:
        pipeline = with_extractors(nlp if nlp is not None else load())
        model = model_id(pipeline)
    pending = store.count_needing_analysis(model)
    if not pending:
        if analyser is not None:
            analyser.close()
        return 0

    def articles() -> Iterator[Article]:
        # A page of ids at a time, in date order (a list of every pending id grew with the archive).
        after: tuple[str, str] | None = None
        while page := store.ids_needing_analysis_after(model, after, PENDING_PAGE):
            after = page[-1]
            ids = [article_id for _, article_id in page]
            for start in range(0, len(ids), save_every):
                chunk = ids[start : start + save_every]
                found = store.articles_by_id(chunk)
                yield from (found[i] for i in chunk if i in found)

    done = 0
    results: list[Analysis] = []
    try:
        analyses = analyser.analyse(articles()) if analyser is not None else analyse_articles(pipeline, articles())
        for analysis in analyses:
            results.append(analysis)
            if len(results) >= save_every:
                store.save_analyses(results)
                done += len(results)
                results = []
                if on_progress:
                    on_progress(done, pending)
    finally:
        if analyser is not None:
            analyser.close()
    if results:
        store.save_analyses(results)
        done += len(results)
    if on_progress:
        on_progress(done, pending)
    return done


def write_rejects(rejects: Iterable[Rejection], path: str | os.PathLike[str]) -> Path:
    """Write rejected records (with their raw text) as JSON Lines, so nothing is lost."""
    target = Path(path)
    with target.open("w", encoding="utf-8") as out:
        for reject in rejects:
            out.write(json.dumps(reject.to_dict(), ensure_ascii=False) + "\n")
    return target
