"""SIGKILL a real `sporbar` process, rerun it, and find the archive exactly as an uninterrupted run leaves it.

The bounded CI form of ``bench/crash_kill.py`` (which runs 50 and more kills
over 5,000 articles): a few random kills of ingest with and without the
language model, kills before chosen SQL statements, kills of reindex and of
a schema upgrade. Every check compares with an archive built from the same
input without a kill.

Each test runs against SQLite and, when ``$SPORBAR_TEST_PG`` names a server,
against PostgreSQL (a fresh database per archive, ``amcheck`` for integrity),
with fewer kills there to keep CI short (``KILLS``). The schema-upgrade kills
are SQLite only: the old-schema builder writes SQLite files.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sporbar
from sporbar.errors import StoreError
from sporbar.store import index_path_for
from sporbar.store.migrations import MIGRATIONS
from tests.conftest import require_postgres
from tests.reliability.harness import (
    Backend,
    Corpus,
    article_rows,
    backend_for,
    build_corpus,
    build_old_store,
    check_archive,
    count_statements,
    kill_at_statement,
    kill_ingest_cycle,
    kill_migration_cycle,
    kill_reindex_cycle,
    run_cli,
    schema_of,
    snapshot,
    timed_run,
)

ARTICLES = 1200
# Kills per test and backend: random ingest kills, statement kills, reindex kills (random, at statements).
KILLS = {"sqlite": 5, "postgres": 2}
STATEMENT_KILLS = {"sqlite": 3, "postgres": 2}
REINDEX_RECOVERIES = {"sqlite": 2, "postgres": 1}
REINDEX_STATEMENT_KILLS = {"sqlite": 4, "postgres": 2}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    made = backend_for(request.param, require_postgres() if request.param == "postgres" else None)
    yield made
    made.cleanup()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crash")


@pytest.fixture(scope="module")
def corpus(workdir: Path, ndt_path: Path) -> Corpus:
    return build_corpus(ndt_path, workdir / "corpus.jsonl", articles=ARTICLES, seed=9)


@pytest.fixture(scope="module")
def reference(backend: Backend, workdir: Path, corpus: Corpus) -> tuple[str, float, dict[str, list[tuple[Any, ...]]]]:
    """The archive an uninterrupted ingest leaves, how long it took, and its snapshot."""
    db = backend.db_arg(workdir, "reference")
    seconds, result = timed_run("ingest", "--no-analyze", "--batch-size", "200", str(corpus.path), "--db", db)
    assert result.returncode == 1, result.stderr  # the corpus's deliberate bad lines
    check = check_archive(backend, db, expected_ids=corpus.valid_ids)
    assert check.ok, check.problems
    assert check.articles == len(corpus.valid_ids) == ARTICLES - 12 - 13
    assert check.facts["near_duplicates"] > 0
    return db, seconds, snapshot(backend, db)


def test_corpus_has_bad_lines_duplicates_and_near_copies(corpus: Corpus) -> None:
    assert len(corpus.rejected_lines) == 12 and len(corpus.duplicate_ids) == 13
    lines = corpus.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == ARTICLES
    assert not lines[96].endswith("}")  # line 97: truncated JSON
    assert '"text"' not in lines[193]  # line 194: no text
    assert '"date": "i fjor"' in lines[290]  # line 291: a date that is not one


def test_ingest_killed_at_random_moments_then_rerun_loses_and_repeats_nothing(
    backend: Backend, workdir: Path, corpus: Corpus, reference: tuple
) -> None:
    _, seconds, snap = reference
    rng = random.Random(2024)
    kills = 0
    stores = 0
    wanted = KILLS[backend.name]
    while kills < wanted:
        stores += 1
        db = backend.db_arg(workdir, f"killed-{stores}")
        cycle = kill_ingest_cycle(
            backend, db, ["--no-analyze", "--batch-size", "200", str(corpus.path)], rng=rng, full_seconds=seconds,
            expected_ids=corpus.valid_ids, reference=snap,
        )
        assert cycle.check.ok, (cycle.kills, cycle.check.problems)
        assert cycle.rerun_returncode == 1  # only the deliberate rejections
        kills += sum(k.killed for k in cycle.kills)
        backend.drop(db)
        assert stores < 4 * wanted, "the kills keep arriving after the run finished"


def test_ingest_killed_before_chosen_sql_statements(backend: Backend, workdir: Path, corpus: Corpus, reference: tuple) -> None:
    """Kill points that random timing rarely hits: right after a batch's COMMIT, inside the index bookkeeping."""
    _, _, snap = reference
    total, _ = count_statements("ingest", "--no-analyze", "--batch-size", "200", str(corpus.path), "--db", backend.db_arg(workdir, "count"))
    # Enough statements to spread the kills over the batches (PostgreSQL sends one per table and batch: ≈ 230).
    assert total > 100
    for point in (total // 7, total // 3, (2 * total) // 3)[-STATEMENT_KILLS[backend.name] :]:
        db = backend.db_arg(workdir, f"statement-{point}")
        outcome = kill_at_statement(point, "ingest", "--no-analyze", "--batch-size", "200", str(corpus.path), "--db", db)
        assert outcome.killed
        run_cli("ingest", "--no-analyze", "--batch-size", "200", str(corpus.path), "--db", db)
        check = check_archive(backend, db, expected_ids=corpus.valid_ids, reference=snap)
        assert check.ok, (point, check.problems)
        backend.drop(db)


def test_ingest_with_analysis_killed_then_rerun_has_every_fact_once(backend: Backend, workdir: Path, ndt_path: Path) -> None:
    small = build_corpus(ndt_path, workdir / "small.jsonl", articles=25, seed=10)
    reference_db = backend.db_arg(workdir, "analysed-reference")
    seconds, result = timed_run("ingest", str(small.path), "--db", reference_db)
    assert result.returncode == 0, result.stderr
    check = check_archive(backend, reference_db, expected_ids=small.valid_ids, analysed=True)
    assert check.ok, check.problems
    assert all(check.facts[t] > 0 for t in ("sentences", "mentions", "quotes", "numbers", "times"))
    snap = snapshot(backend, reference_db)
    rng = random.Random(7)
    db = backend.db_arg(workdir, "analysed-killed")
    # Kill late in the run, where the language model and the fact writes are.
    cycle = kill_ingest_cycle(
        backend, db, [str(small.path)], rng=random.Random(rng.random()), full_seconds=seconds,
        expected_ids=small.valid_ids, reference=snap, analysed=True, max_kills=2 if backend.name == "sqlite" else 1,
    )
    assert cycle.check.ok, (cycle.kills, cycle.check.problems)


def test_reindex_killed_then_recovered_by_reindex_or_ingest(backend: Backend, workdir: Path, corpus: Corpus, reference: tuple) -> None:
    reference_db, _, snap = reference
    db = backend.db_arg(workdir, "reindex")
    backend.copy(reference_db, db)
    seconds, result = timed_run("reindex", "--db", db)
    assert result.returncode == 0, result.stderr
    rng = random.Random(5)
    for recover in (("reindex",), ("ingest", "--no-analyze", str(corpus.path)))[: REINDEX_RECOVERIES[backend.name]]:
        cycle = kill_reindex_cycle(backend, db, rng=rng, full_seconds=seconds, reference=snap, recover_with=recover)
        assert cycle.check.ok, (recover, cycle.kills, cycle.check.problems)
    # The instants right after the old index is dropped, where a kill once left it empty for good
    # (SQLite: statements 7 to 10, after five connection pragmas; PostgreSQL: 9 is the BEGIN right after
    # the old index is dropped, 11 the COMMIT of the new index's identity).
    points = (7, 8, 9, 10) if backend.name == "sqlite" else (9, 11)
    for point in points[: REINDEX_STATEMENT_KILLS[backend.name]]:
        kill_at_statement(point, "reindex", "--db", db)
        run_cli("ingest", "--no-analyze", str(corpus.path), "--db", db)
        check = check_archive(backend, db, reference=snap)
        assert check.ok, (point, check.problems)


def test_index_folder_deleted_by_hand_is_rebuilt_by_the_next_ingest(backend: Backend, workdir: Path, corpus: Corpus, reference: tuple) -> None:
    reference_db, _, snap = reference
    db = backend.db_arg(workdir, "deleted-index")
    backend.copy(reference_db, db)
    shutil.rmtree(index_path_for(db))
    with sporbar.open(db) as kb, pytest.raises(StoreError, match="reindex"):
        kb.search("regjeringen")  # a clear error, not an empty answer, until the index is back
    result = run_cli("ingest", "--no-analyze", str(corpus.path), "--db", db)
    assert result.returncode == 1, result.stderr
    check = check_archive(backend, db, reference=snap)
    assert check.ok, check.problems


def test_migration_killed_before_each_statement_of_the_upgrade(backend: Backend, workdir: Path, corpus: Corpus, reference: tuple) -> None:
    if backend.name != "sqlite":
        pytest.skip("the old-schema store builder (harness.build_old_store) writes SQLite files only")
    reference_db, _, _ = reference
    old_db = backend.db_arg(workdir, "schema-v1")
    copied = build_old_store(reference_db, old_db, 1)
    assert copied == len(corpus.valid_ids)
    assert backend.query(old_db, "SELECT max(version) FROM schema_migrations") == [(1,)]
    fresh_db = backend.db_arg(workdir, "fresh")
    sporbar.open(fresh_db).close()
    fresh_schema = schema_of(backend, fresh_db)
    before = article_rows(backend, old_db)
    probe = backend.db_arg(workdir, "schema-v1-probe")
    backend.copy(old_db, probe)
    total, _ = count_statements("stats", "--db", probe)
    assert backend.query(probe, "SELECT max(version) FROM schema_migrations") == [(MIGRATIONS[-1].version,)]
    # Statements 6 to 40 or so are the upgrade (five connection pragmas come first): a sample of them.
    for point in (6, 9, 14, 21, 30):
        assert point < total
        complete = ["--no-analyze", str(corpus.path)] if point == 14 else None
        cycle = kill_migration_cycle(
            backend, old_db, workdir, point, fresh_schema=fresh_schema, articles_before=before,
            complete_with=complete, expected_ids=corpus.valid_ids,
        )
        assert cycle.kills[0].killed
        assert cycle.check.ok, (point, cycle.check.problems)
