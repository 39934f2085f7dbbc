"""Crash-safety harness: kill real ``sporbar`` processes with SIGKILL, rerun them, check the archive.

Used by the CI tests in ``tests/reliability/`` (a few kills) and by
``bench/crash_kill.py`` (50 and more). Everything goes through the CLI in a
child process, the way a user or a cron job runs it, so a kill can land
anywhere: in Python, inside SQLite or psycopg, inside Tantivy's writer threads.

Backends plug in through ``Backend``: the value passed as ``--db``, how to
check the store's own integrity, how to read its rows, copy and remove an
archive. ``SQLiteBackend`` is the embedded store; ``PostgresBackend`` the
PostgreSQL one (a fresh database per archive, checked with ``amcheck`` and
orphan queries); every other check here applies to both unchanged.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sporbar.store.sqlite import casefold

ROOT = Path(__file__).resolve().parents[2]

# Derived facts and the columns that say what a fact *is* (its natural key and content);
# row ids and timestamps are left out, so two archives built differently compare equal.
DERIVED_TABLES: dict[str, tuple[str, ...]] = {
    "sentences": ("article_id", "idx", "start", '"end"'),
    "mentions": ("article_id", "start", '"end"', "text", "label", "entity_id", "canonical"),
    "quotes": ("article_id", "kind", "start", '"end"', "text", "speaker", "speaker_mention", "cue", "addressee", "date"),
    "roles": ("article_id", "person", "role", "org", "party", "start", '"end"'),
    "numbers": ("article_id", "start", '"end"', "text", "value", "unit", "about", "qualifier", "kind"),
    "times": ("article_id", "start", '"end"', "text", "value", "precision", "kind"),
}
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "sentences": ("article_id", "idx"),
    "mentions": ("article_id", "start", '"end"', "label"),
    "quotes": ("article_id", "start", '"end"'),
    "roles": ("article_id", "start", '"end"', "role", "person"),
    "numbers": ("article_id", "start", '"end"'),
    "times": ("article_id", "start", '"end"'),
    "article_fingerprints": ("article_id",),
    "near_duplicates": ("article_id", "other_id"),
    "analyses": ("article_id",),
    "story_articles": ("article_id",),
}
# Tables whose facts carry character offsets into the article text.
OFFSET_TABLES = ("sentences", "mentions", "quotes", "roles", "numbers", "times")


# -- the input ---------------------------------------------------------------------


@dataclass
class Corpus:
    """A synthetic JSON Lines input and what a correct ingest of it must leave behind."""

    path: Path
    valid_ids: set[str]
    rejected_lines: set[int]
    duplicate_ids: set[str]


def ndt_sentences(ndt_path: Path) -> tuple[list[str], list[str]]:
    """The sentences and the sources of the NDT news corpus."""
    sentences: list[str] = []
    sources: set[str] = set()
    for line in ndt_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        sources.add(record.get("source") or "NDT")
        sentences.extend(" ".join(s.split()) for s in record["text"].split("\n") if len(s.split()) >= 3)
    return sentences, sorted(sources)


def build_corpus(
    ndt_path: Path,
    out: Path,
    *,
    articles: int,
    seed: int = 9,
    words_per_article: int = 120,
    bad_every: int = 97,
    duplicate_every: int = 89,
) -> Corpus:
    """Write ``articles`` lines of real NDT sentences resampled into new articles.

    Every ``bad_every``-th line is broken (a bad date, truncated JSON, no
    text, in turn) and must be rejected; every ``duplicate_every``-th line
    repeats an earlier article's text under a new id and must be skipped as an
    exact duplicate; each tenth article is a near-copy of the previous one
    (one paragraph dropped), stored and linked.
    """
    rng = random.Random(seed)
    sentences, sources = ndt_sentences(ndt_path)
    first_day = dt.date(1998, 1, 1)
    valid: set[str] = set()
    rejected: set[int] = set()
    duplicates: set[str] = set()
    texts: list[str] = []
    with out.open("w", encoding="utf-8") as handle:
        for line in range(1, articles + 1):
            article_id = f"crash-{line:06d}"
            record: dict[str, Any] = {
                "id": article_id,
                "date": (first_day + dt.timedelta(days=rng.randrange(8000))).isoformat(),
                "title": rng.choice(sentences)[:80],
                "source": rng.choice(sources),
            }
            if line % bad_every == 0:
                rejected.add(line)
                kind = (line // bad_every) % 3
                if kind == 0:
                    record["date"] = "i fjor"
                    record["text"] = rng.choice(sentences)
                elif kind == 1:
                    handle.write(json.dumps(record, ensure_ascii=False)[:-10] + "\n")
                    continue
                # kind 2: no text at all
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                continue
            if line % duplicate_every == 0 and texts:
                record["text"] = rng.choice(texts)
                duplicates.add(article_id)
            elif line % 10 == 0 and texts:
                paragraphs = texts[-1].split("\n\n")
                record["text"] = "\n\n".join(paragraphs[:-1] or paragraphs) + "\n\nDenne saken er oppdatert."
            else:
                paragraphs: list[str] = []
                count = 0
                while count < words_per_article:
                    paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 3)))
                    paragraphs.append(paragraph)
                    count += len(paragraph.split())
                record["text"] = "\n\n".join(paragraphs)
            if article_id not in duplicates:
                if record["text"] in texts:  # resampling repeated a whole text: the input really has a duplicate
                    duplicates.add(article_id)
                else:
                    valid.add(article_id)
                    texts.append(record["text"])
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return Corpus(out, valid, rejected, duplicates)


# -- backends ------------------------------------------------------------------------


class Backend(Protocol):
    """What the harness needs from a store backend."""

    name: str

    def db_arg(self, workdir: Path, label: str) -> str:
        """The ``--db`` value for a new, empty store called ``label``."""

    def integrity_problems(self, db: str) -> list[str]:
        """The store engine's own consistency check; empty when clean."""

    def query(self, db: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query against the store."""

    def copy(self, source: str, target: str) -> None:
        """Copy a whole archive (store and index)."""

    def drop(self, db: str) -> None:
        """Remove an archive (store and index)."""

    def cleanup(self) -> None:
        """Remove everything this backend made outside the work folder."""


class SQLiteBackend:
    name = "sqlite"

    def db_arg(self, workdir: Path, label: str) -> str:
        return str(workdir / f"{label}.db")

    def _connect(self, db: str) -> sqlite3.Connection:
        # Read-write (but never creating a store): after a kill, opening rolls back the unfinished
        # transaction from the WAL, exactly as sporbar's own next open does; read-only cannot.
        conn = sqlite3.connect(f"file:{db}?mode=rw", uri=True, timeout=30)
        # The store's expression indexes use sporbar's casefold(); integrity_check evaluates them.
        conn.create_function("casefold", 1, casefold, deterministic=True)
        return conn

    def integrity_problems(self, db: str) -> list[str]:
        conn = self._connect(db)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
            problems += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
            return problems
        finally:
            conn.close()

    def query(self, db: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        conn = self._connect(db)
        try:
            return [tuple(row) for row in conn.execute(sql, params)]
        finally:
            conn.close()

    def copy(self, source: str, target: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            if Path(source + suffix).exists():
                shutil.copy2(source + suffix, target + suffix)
        if Path(source + ".index").exists():
            shutil.copytree(source + ".index", target + ".index")


    def drop(self, db: str) -> None:
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(db + suffix).unlink(missing_ok=True)
        shutil.rmtree(db + ".index", ignore_errors=True)

    def cleanup(self) -> None:
        """Nothing outside the work folder to remove."""


class PostgresBackend:
    """The PostgreSQL store: one fresh database per archive, its Tantivy index in sporbar's default folder for it.

    ``base_url`` names any database on the server (``$SPORBAR_TEST_PG``); each
    ``db_arg`` creates a new database beside it and returns its URL, so the
    archive lives in the ``public`` schema as a user's would, and its search
    index goes where sporbar puts it for that URL (``index_path_for``: the
    user's cache folder, named after server and database). ``cleanup`` drops
    every database and index folder this backend made.
    """

    name = "postgres"

    def __init__(self, base_url: str, prefix: str = "crash") -> None:
        import uuid

        self.base_url = base_url
        self.prefix = f"{prefix}_{uuid.uuid4().hex[:8]}"
        self.databases: dict[str, str] = {}  # url -> database name

    def _url_for(self, database: str) -> str:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(self.base_url)
        return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(self.base_url, autocommit=True)

    def _name_of(self, db: str) -> str:
        from urllib.parse import urlsplit

        return self.databases.get(db) or urlsplit(db).path.lstrip("/")

    def _create(self, database: str, template: str | None = None) -> None:
        import psycopg

        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            clause = f' TEMPLATE "{template}"' if template else ""
            # A template may have no other sessions: a process that just exited can take a moment to let go.
            for attempt in range(100):
                try:
                    conn.execute(f'CREATE DATABASE "{database}"{clause}')
                    return
                except psycopg.errors.ObjectInUse:
                    if attempt == 99:
                        raise
                    time.sleep(0.1)

    def db_arg(self, workdir: Path, label: str) -> str:
        import re

        database = f"{self.prefix}_{re.sub(r'[^a-z0-9_]+', '_', label.lower())}"[:63]
        self._create(database)
        url = self._url_for(database)
        self.databases[url] = database
        self._remove_index(url)
        return url

    def _connect(self, db: str) -> Any:
        import psycopg

        return psycopg.connect(db, autocommit=True)

    def integrity_problems(self, db: str) -> list[str]:
        """``amcheck`` on every B-tree index (with ``heapallindexed``) and every table's heap, invalid indexes, and orphans."""
        import psycopg

        problems: list[str] = []
        with self._connect(db) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            indexes = conn.execute(
                "SELECT c.oid::regclass::text, i.indisvalid AND i.indisready FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE a.amname = 'btree' AND n.nspname = current_schema() AND c.relpersistence = 'p'"
            ).fetchall()
            if not indexes:
                problems.append("no B-tree index found to check (is this a sporbar store?)")
            for name, valid in indexes:
                if not valid:
                    problems.append(f"index {name} is not valid")
                    continue
                try:
                    conn.execute("SELECT bt_index_check(%s::regclass, true)", (name,))
                except psycopg.Error as exc:
                    problems.append(f"bt_index_check({name}): {' '.join(str(exc).split())}")
            tables = [row[0] for row in conn.execute(
                "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relpersistence = 'p'"
            )]
            for table in tables:
                try:
                    for row in conn.execute("SELECT blkno, offnum, msg FROM verify_heapam(%s::regclass)", (table,)):
                        problems.append(f"verify_heapam({table}): block {row[0]}, item {row[1]}: {row[2]}")
                except psycopg.Error as exc:
                    problems.append(f"verify_heapam({table}): {' '.join(str(exc).split())}")
            # Foreign keys are enforced by PostgreSQL; an orphan would mean a constraint was lost or bypassed.
            keys = conn.execute(
                "SELECT con.conname, con.conrelid::regclass::text, con.confrelid::regclass::text,"
                " (SELECT array_agg(attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)"
                "   JOIN pg_attribute ON attrelid = con.conrelid AND attnum = k.num),"
                " (SELECT array_agg(attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)"
                "   JOIN pg_attribute ON attrelid = con.confrelid AND attnum = k.num),"
                " con.convalidated"
                " FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace"
                " WHERE con.contype = 'f' AND n.nspname = current_schema()"
            ).fetchall()
            if not keys:
                problems.append("no foreign keys found (the schema lost its constraints?)")
            for name, child, parent, child_columns, parent_columns, validated in keys:
                if not validated:
                    problems.append(f"foreign key {name} on {child} is not validated")
                present = " AND ".join(f'c."{col}" IS NOT NULL' for col in child_columns)
                match = " AND ".join(f'p."{pc}" = c."{cc}"' for cc, pc in zip(child_columns, parent_columns, strict=True))
                (orphans,) = conn.execute(
                    f"SELECT count(*) FROM {child} c WHERE {present} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match})"
                ).fetchone()
                if orphans:
                    problems.append(f"foreign key: {orphans} rows of {child} without their {parent} ({name})")
        return problems

    def query(self, db: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        # The harness's queries are written for SQLite: its placeholders and char() are the only differences.
        sql = sql.replace("char(31)", "chr(31)").replace("?", "%s")
        with self._connect(db) as conn:
            return [tuple(row) for row in conn.execute(sql, tuple(params))]

    def copy(self, source: str, target: str) -> None:
        from sporbar.store import index_path_for

        self._create(self._name_of(target), template=self._name_of(source))
        self.databases.setdefault(target, self._name_of(target))
        self._remove_index(target)
        if index_path_for(source).exists():
            shutil.copytree(index_path_for(source), index_path_for(target))

    def _remove_index(self, db: str) -> None:
        from sporbar.store import index_path_for

        shutil.rmtree(index_path_for(db), ignore_errors=True)

    def drop(self, db: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self._name_of(db)}" WITH (FORCE)')
        self._remove_index(db)
        self.databases.pop(db, None)

    def cleanup(self) -> None:
        for url in list(self.databases):
            self.drop(url)


def backend_for(name: str, pg_url: str | None = None) -> SQLiteBackend | PostgresBackend:
    """``sqlite`` or ``postgres`` (which needs the URL of a database on the server, e.g. ``$SPORBAR_TEST_PG``)."""
    if name == "sqlite":
        return SQLiteBackend()
    if name == "postgres":
        url = pg_url or os.environ.get("SPORBAR_TEST_PG")
        if not url:
            raise ValueError("the postgres backend needs a server: pass its URL or set $SPORBAR_TEST_PG")
        return PostgresBackend(url)
    raise ValueError(f"unknown backend {name!r}")


# -- running the CLI -------------------------------------------------------------------


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "sporbar.interfaces.cli", *args]


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    # One thread each: the machine is shared, and the kill timing should not depend on BLAS threads.
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    return env


@functools.cache
def cli_cwd() -> Path:
    """Where the CLI runs: a PostgreSQL ingest writes ``sporbar.rejects.jsonl`` into its working folder."""
    return Path(tempfile.mkdtemp(prefix="sporbar-cli-"))


def run_cli(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    """Run the CLI to completion."""
    return subprocess.run(cli_command(*args), env=cli_env(), cwd=cli_cwd(), capture_output=True, text=True, timeout=timeout)


@dataclass
class KillOutcome:
    killed: bool  # False: the process had already finished when the kill was due
    delay: float
    returncode: int | None


def run_and_kill(args: Sequence[str], delay: float) -> KillOutcome:
    """Start the CLI and SIGKILL it after ``delay`` seconds (unless it finished first)."""
    process = subprocess.Popen(cli_command(*args), env=cli_env(), cwd=cli_cwd(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        process.wait(timeout=delay)
        return KillOutcome(False, delay, process.returncode)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return KillOutcome(True, delay, process.returncode)
    finally:
        if process.stderr:
            process.stderr.close()


def timed_run(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    result = run_cli(*args)
    return time.perf_counter() - started, result


# -- reading an archive ------------------------------------------------------------------


def index_ids(db: str) -> list[str]:
    """Every article id the search index holds (one entry per indexed document)."""
    import tantivy

    from sporbar.store import SearchIndex, index_path_for

    index = SearchIndex(index_path_for(db))
    index.index.reload()
    searcher = index.index.searcher()
    total = int(searcher.num_docs)
    if total == 0:
        return []
    result = searcher.search(tantivy.Query.all_query(), limit=total)
    return [searcher.doc(address)["id"][0] for _, address in result.hits]


def snapshot(backend: Backend, db: str) -> dict[str, list[tuple[Any, ...]]]:
    """The archive's content, row ids and timestamps left out, sorted: equal snapshots mean equal archives."""
    state: dict[str, list[tuple[Any, ...]]] = {
        "articles": sorted(
            backend.query(db, "SELECT id, date, date_precision, title, source, url, text_hash, metadata FROM articles")
        ),
        "near_duplicates": sorted(backend.query(db, "SELECT article_id, other_id, similarity FROM near_duplicates")),
        "fingerprints": sorted(backend.query(db, "SELECT article_id, signature FROM article_fingerprints")),
        "analyses": sorted(backend.query(db, "SELECT article_id, text_hash, model FROM analyses")),
    }
    for table, columns in DERIVED_TABLES.items():
        state[table] = sorted(backend.query(db, f"SELECT {', '.join(columns)} FROM {table}"), key=repr)
    return state


@dataclass
class Check:
    """What a check of one archive found."""

    problems: list[str] = field(default_factory=list)
    articles: int = 0
    facts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_archive(
    backend: Backend,
    db: str,
    *,
    expected_ids: set[str] | None = None,
    reference: dict[str, list[tuple[Any, ...]]] | None = None,
    analysed: bool = False,
) -> Check:
    """Check one archive: engine integrity, exactly-once articles and facts, offsets, index agreement.

    With ``reference`` (the snapshot of an archive built from the same input
    without kills), every article and every derived fact must be exactly the
    reference's: nothing lost, nothing twice, nothing different.
    """
    found = Check()
    found.problems += [f"integrity: {p}" for p in backend.integrity_problems(db)]
    ids = [row[0] for row in backend.query(db, "SELECT id FROM articles")]
    found.articles = len(ids)
    if len(ids) != len(set(ids)):
        found.problems.append(f"articles: {len(ids) - len(set(ids))} ids stored twice")
    if expected_ids is not None and set(ids) != expected_ids:
        missing, extra = expected_ids - set(ids), set(ids) - expected_ids
        found.problems.append(f"articles: {len(missing)} missing (e.g. {sorted(missing)[:3]}), {len(extra)} unexpected (e.g. {sorted(extra)[:3]})")
    (hashes,) = backend.query(db, "SELECT count(*) - count(DISTINCT text_hash) FROM articles")
    if hashes[0]:
        found.problems.append(f"articles: {hashes[0]} texts stored twice")
    for table, key in NATURAL_KEYS.items():
        (row,) = backend.query(db, f"SELECT count(*), count(DISTINCT {' || char(31) || '.join(key)}) FROM {table}")
        found.facts[table] = int(row[0])
        if row[0] != row[1]:
            found.problems.append(f"{table}: {row[0] - row[1]} rows repeat a natural key")
    for table in OFFSET_TABLES:
        (bad,) = backend.query(
            db,
            f'SELECT count(*) FROM {table} f JOIN articles a ON a.id = f.article_id WHERE f.start < 0 OR f."end" > length(a.text) OR f.start >= f."end"',
        )
        if bad[0]:
            found.problems.append(f"{table}: {bad[0]} offsets outside the article text")
    (orphans,) = backend.query(db, "SELECT count(*) FROM analyses n JOIN articles a ON a.id = n.article_id WHERE n.text_hash != a.text_hash")
    if orphans[0]:
        found.problems.append(f"analyses: {orphans[0]} analyses of an older text")
    if analysed:
        (unanalysed,) = backend.query(db, "SELECT count(*) FROM articles a LEFT JOIN analyses n ON n.article_id = a.id WHERE n.article_id IS NULL")
        if unanalysed[0]:
            found.problems.append(f"analyses: {unanalysed[0]} articles never analysed")
    (unindexed,) = backend.query(db, "SELECT count(*) FROM articles WHERE indexed_revision != revision")
    if unindexed[0]:
        found.problems.append(f"index: {unindexed[0]} articles not marked as indexed at their revision")
    in_index = index_ids(db)
    if len(in_index) != len(set(in_index)):
        found.problems.append(f"index: {len(in_index) - len(set(in_index))} articles indexed twice")
    if set(in_index) != set(ids):
        found.problems.append(
            f"index: {len(set(ids) - set(in_index))} stored articles missing from the index, {len(set(in_index) - set(ids))} indexed articles not in the store"
        )
    if reference is not None:
        mine = snapshot(backend, db)
        for table, rows in reference.items():
            if mine.get(table) != rows:
                theirs = set(map(repr, rows))
                ours = set(map(repr, mine.get(table, [])))
                found.problems.append(
                    f"{table}: differs from the uninterrupted run ({len(theirs - ours)} rows missing, {len(ours - theirs)} extra, {len(mine.get(table, []))} vs {len(rows)} rows)"
                )
    return found


def stored_count(backend: Backend, db: str) -> int:
    """Articles stored so far (0 when the store does not exist yet or cannot be read)."""
    try:
        return int(backend.query(db, "SELECT count(*) FROM articles")[0][0])
    except Exception:  # sqlite3.Error, psycopg.Error: no store, or no articles table yet
        return 0


# -- kill cycles -----------------------------------------------------------------------


@dataclass
class CycleResult:
    """One archive killed one or more times and then completed."""

    kills: list[KillOutcome]
    stored_at_kill: list[int]
    check: Check
    rerun_returncode: int


def kill_ingest_cycle(
    backend: Backend,
    db: str,
    ingest_args: Sequence[str],
    *,
    rng: random.Random,
    full_seconds: float,
    max_kills: int = 3,
    continue_killing: float = 0.5,
    expected_ids: set[str] | None = None,
    reference: dict[str, list[tuple[Any, ...]]] | None = None,
    analysed: bool = False,
) -> CycleResult:
    """Kill ``sporbar ingest`` at a random moment, maybe again during the rerun, then let it finish and check.

    ``full_seconds`` is how long an uninterrupted run takes; kill moments are
    drawn uniformly over it, so kills land in start-up, reading, SQLite
    commits, index commits and analysis in proportion to the time each takes.
    """
    args = ["ingest", *ingest_args, "--db", db]
    kills: list[KillOutcome] = []
    stored: list[int] = []
    while len(kills) < max_kills:
        outcome = run_and_kill(args, rng.uniform(0.05, full_seconds))
        kills.append(outcome)
        stored.append(stored_count(backend, db))
        if not outcome.killed or rng.random() < 1 - continue_killing:
            break
    final = run_cli(*args)
    check = check_archive(backend, db, expected_ids=expected_ids, reference=reference, analysed=analysed)
    # Exit status 1 only for the corpus's deliberate rejections; anything else is a failure.
    if final.returncode not in (0, 1) or "error:" in final.stderr:
        check.problems.append(f"rerun failed ({final.returncode}): {final.stderr.strip()[-300:]}")
    return CycleResult(kills, stored, check, final.returncode)


def kill_reindex_cycle(
    backend: Backend,
    db: str,
    *,
    rng: random.Random,
    full_seconds: float,
    reference: dict[str, list[tuple[Any, ...]]] | None = None,
    recover_with: Sequence[str] = ("reindex",),
) -> CycleResult:
    """Kill ``sporbar reindex`` at a random moment; the store must be untouched and the next run must restore the index."""
    outcome = run_and_kill(["reindex", "--db", db], rng.uniform(0.05, full_seconds))
    problems = [f"after the kill, integrity: {p}" for p in backend.integrity_problems(db)]
    # Whatever the kill left, reading must not crash: results or one clear error line.
    probe = run_cli("search", "regjeringen", "--db", db, "--json")
    if probe.returncode not in (0, 1) or "Traceback" in probe.stderr:
        problems.append(f"search after a killed reindex crashed: {probe.stderr.strip()[-300:]}")
    final = run_cli(*recover_with, "--db", db)
    check = check_archive(backend, db, reference=reference)
    check.problems = problems + check.problems
    if final.returncode not in (0, 1) or "error:" in final.stderr:
        check.problems.append(f"recovery `{' '.join(recover_with)}` failed ({final.returncode}): {final.stderr.strip()[-300:]}")
    return CycleResult([outcome], [stored_count(backend, db)], check, final.returncode)


# -- kills at chosen SQL statements ---------------------------------------------------------


def statement_command(kill_at: int, *args: str) -> list[str]:
    return [sys.executable, "-m", "tests.reliability.kill_at_statement", str(kill_at), *args]


def count_statements(*args: str) -> tuple[int, subprocess.CompletedProcess[str]]:
    """Run a CLI command through to the end and return how many SQL statements it ran."""
    from tests.reliability.kill_at_statement import COUNT_PREFIX

    env = cli_env()
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env["PYTHONPATH"]
    result = subprocess.run(statement_command(0, *args), env=env, cwd=cli_cwd(), capture_output=True, text=True, timeout=1800)
    lines = [line for line in result.stderr.splitlines() if line.startswith(COUNT_PREFIX)]
    if not lines:
        raise RuntimeError(f"the counting run did not finish: {result.stderr[-500:]}")
    return int(lines[-1][len(COUNT_PREFIX) :]), result


def kill_at_statement(kill_at: int, *args: str) -> KillOutcome:
    """Run a CLI command that SIGKILLs itself just before its ``kill_at``-th SQL statement."""
    env = cli_env()
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env["PYTHONPATH"]
    result = subprocess.run(statement_command(kill_at, *args), env=env, cwd=cli_cwd(), capture_output=True, text=True, timeout=1800)
    return KillOutcome(result.returncode == -signal.SIGKILL, float(kill_at), result.returncode)


# -- old-schema stores, for kills during a migration ----------------------------------------


def build_old_store(source_db: str, target: str, version: int) -> int:
    """Write a store at schema ``version`` (the first migrations only) holding ``source_db``'s articles.

    Returns the number of articles copied. The copy is marked unindexed, as a
    store from before the index existed would be.
    """
    from sporbar.store.migrations import MIGRATIONS, SQLiteSchema, current_version

    conn = sqlite3.connect(target, isolation_level=None)
    try:
        current_version(conn)
        for step in MIGRATIONS:
            if step.version > version:
                break
            conn.execute("BEGIN IMMEDIATE")
            step.apply(SQLiteSchema(conn))
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (step.version, step.name))
            conn.execute("COMMIT")
        columns = [row[1] for row in conn.execute("PRAGMA table_info(articles)")]
        conn.execute("ATTACH DATABASE ? AS source", (f"file:{source_db}?mode=ro",))
        picked = ", ".join("0" if c == "indexed_revision" else c for c in columns)
        conn.execute("BEGIN")
        conn.execute(f"INSERT INTO articles ({', '.join(columns)}) SELECT {picked} FROM source.articles")
        conn.execute("INSERT INTO article_fingerprints (article_id, signature) SELECT article_id, signature FROM source.article_fingerprints")
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'fingerprint_bands'").fetchone():
            # Before schema 13 the band keys had a row each; they follow from the signatures.
            from sporbar.normalize.dedupe import band_keys, signature_from_bytes

            bands = [
                (key, article_id)
                for article_id, signature in conn.execute("SELECT article_id, signature FROM article_fingerprints").fetchall()
                for key in dict.fromkeys(band_keys(signature_from_bytes(signature)))
            ]
            conn.executemany("INSERT INTO fingerprint_bands (band_key, article_id) VALUES (?, ?)", bands)
        conn.execute("INSERT INTO near_duplicates SELECT * FROM source.near_duplicates")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE source")
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def schema_of(backend: Backend, db: str) -> list[tuple[Any, ...]]:
    return sorted(backend.query(db, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"), key=repr)


def article_rows(backend: Backend, db: str) -> list[tuple[Any, ...]]:
    return sorted(backend.query(db, "SELECT id, date, date_precision, title, source, url, text, text_hash, metadata FROM articles"))


def kill_migration_cycle(
    backend: Backend,
    old_db: str,
    workdir: Path,
    kill_at: int,
    *,
    fresh_schema: list[tuple[Any, ...]],
    articles_before: list[tuple[Any, ...]],
    complete_with: Sequence[str] | None = None,
    expected_ids: set[str] | None = None,
) -> CycleResult:
    """Open an old-schema store and die before SQL statement ``kill_at`` of the upgrade; reopen and check.

    After the reopen the schema must be exactly a fresh store's and every
    article must be there unchanged. With ``complete_with`` (ingest
    arguments) the upgraded store then takes an ingest and is checked whole.
    """
    db = str(workdir / f"migrate-{kill_at}.db")
    backend.copy(old_db, db)
    outcome = kill_at_statement(kill_at, "stats", "--db", db)
    problems = [f"after the kill, integrity: {p}" for p in backend.integrity_problems(db)]
    reopened = run_cli("stats", "--db", db, "--json")
    if reopened.returncode != 0:
        problems.append(f"reopening after the kill failed: {reopened.stderr.strip()[-300:]}")
    if schema_of(backend, db) != fresh_schema:
        problems.append("schema after the upgrade differs from a new store's")
    versions = [row[0] for row in backend.query(db, "SELECT version FROM schema_migrations ORDER BY version")]
    if versions != sorted(set(versions)) or versions != list(range(1, len(versions) + 1)):
        problems.append(f"migrations recorded out of order or twice: {versions}")
    if article_rows(backend, db) != articles_before:
        problems.append("articles changed during the upgrade")
    check = Check(problems=problems, articles=len(articles_before))
    returncode = reopened.returncode
    if complete_with is not None:
        final = run_cli("ingest", *complete_with, "--db", db)
        returncode = final.returncode
        full = check_archive(backend, db, expected_ids=expected_ids)
        check.problems += full.problems
        check.facts = full.facts
    return CycleResult([outcome], [len(articles_before)], check, returncode)
