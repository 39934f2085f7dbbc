"""Crash safety at scale (issue 9): SIGKILL `sporbar` at random moments and at chosen SQL statements.

Builds a 5,000-line JSON Lines input from real NDT sentences (with deliberate
bad lines, exact duplicates and near-copies; see tests/reliability/harness.py),
ingests it once without interruption as the reference, and then:

1. ingest, no language model: ``--kills`` kills of ``sporbar ingest --no-analyze``
   at moments drawn uniformly over an uninterrupted run, on fresh stores; after
   a kill the rerun is itself killed again three times in four (up to 5 kills
   per store); then the run completes and the archive is checked against the
   reference: every valid article once, every fact once, the index agreeing
   with the store, ``PRAGMA integrity_check`` clean;
2. ingest with the language model, on a small input (``--analyze-articles``):
   ``--analyze-kills`` kills, the derived facts (sentences, mentions, quotes,
   roles, numbers, times) compared with the uninterrupted run's;
3. kills at SQL statements: ``--statement-kills`` ingests that die just
   before a statement drawn from all the statements an ingest runs;
4. reindex: ``--reindex-kills`` kills of ``sporbar reindex`` on a complete archive,
   then recovery by ``reindex`` (and by ``ingest``, alternately);
5. migration: a store at schema version 1 holding the 5,000 articles, opened
   by a sporbar that upgrades it, killed before every SQL statement of the
   upgrade in turn (``--migration-every K``: every K-th).

``--backend postgres`` runs the same kills against the PostgreSQL store: every
archive is a fresh database on the server that ``--pg URL`` (or
``$SPORBAR_TEST_PG``) names, checked with ``amcheck`` (``bt_index_check`` with
``heapallindexed`` on every B-tree index, ``verify_heapam`` on every table)
and foreign-key orphan queries; statement kills wrap psycopg's libpq calls.
Section 5 (migration) is SQLite only: the old-schema builder writes SQLite files.

Prints the figures and writes them to OUT/crash_kill.json (crash_kill-postgres.json
for PostgreSQL). Usage:

    python bench/crash_kill.py                       # the full run (50 kills, ~30 min on 2 cores)
    python bench/crash_kill.py --kills 5 --analyze-kills 1 --reindex-kills 2 --statement-kills 3 --migration-every 10
    eval "$(.ci/postgres start /tmp/pg)"; python bench/crash_kill.py --backend postgres --pg "$SPORBAR_TEST_PG"
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import sporbar  # noqa: E402
from tests.reliability.harness import (  # noqa: E402
    Backend,
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

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "ndt-nob-news.jsonl"


def log(message: str) -> None:
    print(message, flush=True)


def ids_in(backend: Backend, db: str) -> set[str]:
    return {row[0] for row in backend.query(db, "SELECT id FROM articles")}


def id_counts(backend: Backend, db: str) -> list[int]:
    return [int(row[0]) for row in backend.query(db, "SELECT count(*) FROM articles GROUP BY id")]


def cycle_fact_diff(backend: Backend, db: str, reference: dict[str, list[tuple[Any, ...]]]) -> dict[str, tuple[int, int]]:
    """Per table of the snapshot: (rows of the uninterrupted run missing here, rows here it does not have), as multisets."""
    mine = snapshot(backend, db)
    diff: dict[str, tuple[int, int]] = {}
    for table, rows in reference.items():
        theirs, ours = Counter(map(repr, rows)), Counter(map(repr, mine.get(table, [])))
        diff[table] = (sum((theirs - ours).values()), sum((ours - theirs).values()))
    return diff


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=50, help="kills of ingest without the language model")
    parser.add_argument("--max-kills-per-store", type=int, default=5, help="kill the reruns too, up to this many kills before one completes")
    parser.add_argument("--analyze-articles", type=int, default=40)
    parser.add_argument("--analyze-kills", type=int, default=10)
    parser.add_argument("--statement-kills", type=int, default=20)
    parser.add_argument("--reindex-kills", type=int, default=20)
    parser.add_argument("--migration-every", type=int, default=1, help="kill before every K-th statement of the upgrade")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--workdir", type=Path, default=None, help="where stores are written (default: a temporary folder)")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg", default=None, help="PostgreSQL: URL of a database on the server (default $SPORBAR_TEST_PG); "
                        "each archive is a new database beside it")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    try:
        backend = backend_for(args.backend, args.pg)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        return run(args, backend, rng)
    finally:
        backend.cleanup()


def store_losses(backend: Backend, db: str, cycle: Any, valid_ids: set[str], reference: Any) -> Counter[str]:
    """What one killed-and-rerun store lost or doubled against the uninterrupted reference."""
    losses: Counter[str] = Counter(
        integrity_problems=sum(1 for problem in cycle.check.problems if problem.startswith("integrity")),
        articles_lost=len(valid_ids - ids_in(backend, db)),
        articles_duplicated=sum(count - 1 for count in id_counts(backend, db) if count > 1),
    )
    for missing, extra in cycle_fact_diff(backend, db, reference).values():
        losses["fact_rows_lost"] += missing
        losses["fact_rows_extra"] += extra
    return losses


LOSS_KEYS = ("articles_lost", "articles_duplicated", "fact_rows_lost", "fact_rows_extra", "integrity_problems")


def run(args: argparse.Namespace, backend: Backend, rng: random.Random) -> int:
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="sporbar-crash-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"backend": backend.name, "articles": args.articles, "seed": args.seed}
    failures: list[str] = []
    started = time.perf_counter()

    corpus = build_corpus(args.corpus, work / "corpus.jsonl", articles=args.articles, seed=args.seed)
    log(f"input: {args.articles:,} lines, {len(corpus.valid_ids):,} valid articles, {len(corpus.rejected_lines)} bad lines, "
        f"{len(corpus.duplicate_ids)} exact duplicates ({corpus.path.stat().st_size / 1e6:.1f} MB)")
    reference_db = backend.db_arg(work, "reference")
    seconds, result = timed_run("ingest", "--no-analyze", str(corpus.path), "--db", reference_db)
    reference_check = check_archive(backend, reference_db, expected_ids=corpus.valid_ids)
    if not reference_check.ok:
        log(f"the uninterrupted run itself is wrong: {reference_check.problems}")
        return 2
    reference = snapshot(backend, reference_db)
    log(f"uninterrupted ingest: {seconds:.1f} s; {reference_check.facts}")
    figures["uninterrupted_ingest_s"] = round(seconds, 2)

    # 1. random kills of ingest, no language model
    kills = cycles = finished_first = 0
    losses: Counter[str] = Counter()
    stored_at_kill: list[int] = []
    while kills < args.kills:
        cycles += 1
        db = backend.db_arg(work, f"ingest-{cycles}")
        # Half the stores take the default batch (1,000 articles per transaction), half batches of 100:
        # more commits, so more kills land between a commit to SQLite and the one to the index.
        batch = ["--batch-size", "100"] if cycles % 2 == 0 else []
        cycle = kill_ingest_cycle(
            backend, db, ["--no-analyze", *batch, str(corpus.path)], rng=rng, full_seconds=seconds,
            expected_ids=corpus.valid_ids, reference=reference, max_kills=args.max_kills_per_store, continue_killing=0.75,
        )
        kills += sum(k.killed for k in cycle.kills)
        finished_first += sum(not k.killed for k in cycle.kills)
        stored_at_kill += [n for n, k in zip(cycle.stored_at_kill, cycle.kills, strict=True) if k.killed]
        status = "ok" if cycle.check.ok else "FAILED: " + "; ".join(cycle.check.problems)
        log(f"  ingest store {cycles}: killed at {', '.join(f'{k.delay:.1f}s' for k in cycle.kills if k.killed) or '-'}"
            f" (stored then: {cycle.stored_at_kill}) → {status}")
        if not cycle.check.ok:
            failures.append(f"ingest store {cycles}: {cycle.check.problems}")
        losses += store_losses(backend, db, cycle, corpus.valid_ids, reference)
        backend.drop(db)
    figures["ingest"] = {
        "kills": kills, "stores": cycles, "finished_before_kill": finished_first,
        "stored_at_kill_min": min(stored_at_kill, default=0), "stored_at_kill_max": max(stored_at_kill, default=0),
        "kills_with_nothing_stored": sum(1 for n in stored_at_kill if n == 0),
        "kills_with_everything_stored": sum(1 for n in stored_at_kill if n == len(corpus.valid_ids)),
        **{key: losses[key] for key in LOSS_KEYS}, "failed_stores": sum(1 for f in failures if f.startswith("ingest store")),
    }
    log(f"ingest: {kills} kills over {cycles} stores; articles stored at the kill: "
        f"{figures['ingest']['stored_at_kill_min']}–{figures['ingest']['stored_at_kill_max']}; after the reruns "
        f"{losses['articles_lost']} articles lost, {losses['articles_duplicated']} duplicated, {losses['fact_rows_lost']} fact rows lost,"
        f" {losses['fact_rows_extra']} extra; {losses['integrity_problems']} integrity problems")

    # 2. random kills of ingest with the language model, small input
    if args.analyze_kills:
        small = build_corpus(args.corpus, work / "small.jsonl", articles=args.analyze_articles, seed=args.seed + 1)
        small_db = backend.db_arg(work, "analysed-reference")
        analysed_seconds, _ = timed_run("ingest", str(small.path), "--db", small_db)
        small_check = check_archive(backend, small_db, expected_ids=small.valid_ids, analysed=True)
        small_reference = snapshot(backend, small_db)
        log(f"uninterrupted ingest with analysis of {len(small.valid_ids)} articles: {analysed_seconds:.1f} s; {small_check.facts}")
        analysed_kills = analysed_cycles = 0
        analysed_losses: Counter[str] = Counter()
        while analysed_kills < args.analyze_kills:
            analysed_cycles += 1
            db = backend.db_arg(work, f"analysed-{analysed_cycles}")
            cycle = kill_ingest_cycle(
                backend, db, [str(small.path)], rng=rng, full_seconds=analysed_seconds,
                expected_ids=small.valid_ids, reference=small_reference, analysed=True,
            )
            analysed_kills += sum(k.killed for k in cycle.kills)
            status = "ok" if cycle.check.ok else "FAILED: " + "; ".join(cycle.check.problems)
            log(f"  analysed store {analysed_cycles}: killed at {', '.join(f'{k.delay:.1f}s' for k in cycle.kills if k.killed) or '-'} → {status}")
            if not cycle.check.ok:
                failures.append(f"analysed store {analysed_cycles}: {cycle.check.problems}")
            analysed_losses += store_losses(backend, db, cycle, small.valid_ids, small_reference)
            backend.drop(db)
        figures["ingest_with_analysis"] = {
            "articles": len(small.valid_ids), "kills": analysed_kills, "stores": analysed_cycles,
            "facts_per_run": small_check.facts, "uninterrupted_s": round(analysed_seconds, 2),
            **{key: analysed_losses[key] for key in LOSS_KEYS},
        }
        log(f"ingest with analysis: {analysed_kills} kills over {analysed_cycles} stores; {analysed_losses['articles_lost']} articles"
            f" lost, {analysed_losses['articles_duplicated']} duplicated, {analysed_losses['fact_rows_lost']} fact rows lost,"
            f" {analysed_losses['fact_rows_extra']} extra; {analysed_losses['integrity_problems']} integrity problems")

    # 3. kills before chosen SQL statements of an ingest
    if args.statement_kills:
        counting_db = backend.db_arg(work, "counting")
        total, _ = count_statements("ingest", "--no-analyze", str(corpus.path), "--db", counting_db)
        points = sorted(rng.sample(range(1, total + 1), min(args.statement_kills, total)))
        statement_failures = 0
        for point in points:
            db = backend.db_arg(work, f"statement-{point}")
            outcome = kill_at_statement(point, "ingest", "--no-analyze", str(corpus.path), "--db", db)
            run_cli("ingest", "--no-analyze", str(corpus.path), "--db", db)
            check = check_archive(backend, db, expected_ids=corpus.valid_ids, reference=reference)
            log(f"  killed before statement {point:,} of {total:,} ({'killed' if outcome.killed else 'finished'}) → "
                f"{'ok' if check.ok else 'FAILED: ' + '; '.join(check.problems)}")
            if not check.ok:
                statement_failures += 1
                failures.append(f"statement kill {point}: {check.problems}")
            backend.drop(db)
        figures["ingest_statement_kills"] = {"statements_per_ingest": total, "kills": len(points), "failures": statement_failures}

    # 4. kills of reindex
    if args.reindex_kills:
        db = backend.db_arg(work, "reindex")
        backend.copy(reference_db, db)
        reindex_seconds, _ = timed_run("reindex", "--db", db)
        reindex_kills = 0
        for number in range(args.reindex_kills):
            recover = ("reindex",) if number % 2 == 0 else ("ingest", "--no-analyze", str(corpus.path))
            cycle = kill_reindex_cycle(backend, db, rng=rng, full_seconds=reindex_seconds, reference=reference, recover_with=recover)
            reindex_kills += sum(k.killed for k in cycle.kills)
            log(f"  reindex kill {number + 1} at {cycle.kills[0].delay:.1f}s ({'killed' if cycle.kills[0].killed else 'finished'}),"
                f" recovered by `{recover[0]}` → {'ok' if cycle.check.ok else 'FAILED: ' + '; '.join(cycle.check.problems)}")
            if not cycle.check.ok:
                failures.append(f"reindex kill {number + 1}: {cycle.check.problems}")
        # Every one of the first statements (where the old index is dropped) and a sample of the rest.
        total, _ = count_statements("reindex", "--db", db)
        points = sorted(set(range(1, min(total, 30) + 1)) | set(rng.sample(range(1, total + 1), min(args.statement_kills, total))))
        statement_failures = 0
        for number, point in enumerate(points):
            recover = ("reindex",) if number % 2 == 0 else ("ingest", "--no-analyze", str(corpus.path))
            outcome = kill_at_statement(point, "reindex", "--db", db)
            run_cli(*recover, "--db", db)
            check = check_archive(backend, db, reference=reference)
            if not check.ok:
                statement_failures += 1
                failures.append(f"reindex killed before statement {point}, recovered by {recover[0]}: {check.problems}")
                log(f"  reindex killed before statement {point} ({outcome.killed}), recovered by `{recover[0]}`: FAILED: {check.problems}")
        log(f"reindex: {reindex_kills} random kills, {len(points)} kills before SQL statements (of {total:,}); {statement_failures} failures")
        figures["reindex"] = {
            "kills": reindex_kills, "attempts": args.reindex_kills, "uninterrupted_s": round(reindex_seconds, 2),
            "statement_kills": len(points), "statements_per_reindex": total,
        }

    # 5. kills during a schema migration
    if args.migration_every and backend.name != "sqlite":
        log("migration: skipped (the old-schema builder writes SQLite stores only)")
    elif args.migration_every:
        old_db = backend.db_arg(work, "schema-v1")
        copied = build_old_store(reference_db, old_db, 1)
        fresh_db = backend.db_arg(work, "fresh")
        sporbar.open(fresh_db).close()
        fresh_schema = schema_of(backend, fresh_db)
        before = article_rows(backend, old_db)
        probe = backend.db_arg(work, "schema-v1-probe")
        backend.copy(old_db, probe)
        total, _ = count_statements("stats", "--db", probe)
        migration_kills = 0
        for point in range(1, total + 1, args.migration_every):
            complete = ["--no-analyze", str(corpus.path)] if point % 20 == 1 else None
            cycle = kill_migration_cycle(
                backend, old_db, work, point, fresh_schema=fresh_schema, articles_before=before,
                complete_with=complete, expected_ids=corpus.valid_ids,
            )
            migration_kills += sum(k.killed for k in cycle.kills)
            if not cycle.check.ok:
                failures.append(f"migration kill at statement {point}: {cycle.check.problems}")
                log(f"  migration killed before statement {point}: FAILED: {cycle.check.problems}")
            for leftover in work.glob(f"migrate-{point}.db*"):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        log(f"migration from schema 1 with {copied:,} articles: {migration_kills} kills over {total} statements")
        figures["migration"] = {"from_version": 1, "articles": copied, "statements": total, "kills": migration_kills}

    figures["failures"] = failures
    figures["seconds"] = round(time.perf_counter() - started, 1)
    out_file = args.out / ("crash_kill.json" if backend.name == "sqlite" else f"crash_kill-{backend.name}.json")
    out_file.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    log("")
    log(f"kills survived: ingest {figures['ingest']['kills']}"
        + (f", ingest with analysis {figures['ingest_with_analysis']['kills']}" if "ingest_with_analysis" in figures else "")
        + (f", at SQL statements {figures['ingest_statement_kills']['kills']}" if "ingest_statement_kills" in figures else "")
        + (f", reindex {figures['reindex']['kills']} (+{figures['reindex']['statement_kills']} at SQL statements)" if "reindex" in figures else "")
        + (f", migration {figures['migration']['kills']}" if "migration" in figures else ""))
    log(f"failures: {len(failures)}; {figures['seconds']:.0f} s in all; figures in {out_file}")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
