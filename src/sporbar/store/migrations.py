"""Numbered, named schema migrations, recorded in the database itself.

Each migration runs once, inside a transaction, and is recorded in
``schema_migrations``; ``pending`` only reads. Never edit a migration that has
shipped: add a new one.

One list serves both backends. Migrations are written in SQLite's dialect and
``postgres_ddl`` maps the few types that differ (64-bit integers, identity
keys, ``BYTEA``, double precision); a migration that needs more says so with
``schema.dialect``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sporbar.errors import SchemaTooNew


class Schema(Protocol):
    """What a migration may do: run statements in the dialect it names."""

    dialect: str  # "sqlite" or "postgres"

    def execute(self, sql: str) -> Any: ...

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Run one statement (``?`` placeholders) once per row."""
        ...


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Schema], None]


MIGRATIONS: list[Migration] = []


def migration(version: int, name: str) -> Callable[[Callable[[Schema], None]], Callable[[Schema], None]]:
    def register(fn: Callable[[Schema], None]) -> Callable[[Schema], None]:
        MIGRATIONS.append(Migration(version, name, fn))
        MIGRATIONS.sort(key=lambda m: m.version)
        return fn

    return register


@migration(1, "articles")
def _articles(conn: Schema) -> None:
    run_script(
        conn,
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            date TEXT NOT NULL,
            date_precision TEXT NOT NULL CHECK (date_precision IN ('year', 'month', 'day', 'datetime')),
            date_start TEXT NOT NULL,
            date_end TEXT NOT NULL,
            title TEXT,
            source TEXT,
            url TEXT,
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL UNIQUE,
            metadata TEXT NOT NULL DEFAULT '{}',
            origin_file TEXT,
            origin_line INTEGER,
            ingested_at TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            indexed_revision INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX articles_date ON articles (date_start, date_end);
        CREATE INDEX articles_source ON articles (source);
        CREATE INDEX articles_unindexed ON articles (id) WHERE indexed_revision < revision;

        CREATE TABLE article_fingerprints (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            signature BLOB NOT NULL
        );
        CREATE TABLE fingerprint_bands (
            band_key INTEGER NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            PRIMARY KEY (band_key, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX fingerprint_bands_article ON fingerprint_bands (article_id);

        CREATE TABLE near_duplicates (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            other_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            similarity REAL NOT NULL,
            PRIMARY KEY (article_id, other_id),
            CHECK (article_id < other_id)
        ) WITHOUT ROWID;
        CREATE INDEX near_duplicates_other ON near_duplicates (other_id);

        CREATE TABLE ingest_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            inputs TEXT NOT NULL,
            read INTEGER NOT NULL DEFAULT 0,
            stored INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE rejects (
            run_id INTEGER NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
            file TEXT NOT NULL,
            line INTEGER,
            reason TEXT NOT NULL,
            raw TEXT
        );
        """
    )
    if conn.dialect == "postgres":
        # SQLite gets casefold() from Python; here it is Unicode lower-casing (ICU where the server has it).
        conn.execute(
            """
            DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
                CREATE FUNCTION casefold(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
                    AS $f$ SELECT lower(value COLLATE "und-x-icu") $f$;
            ELSE
                CREATE FUNCTION casefold(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
                    AS $f$ SELECT lower(value) $f$;
            END IF;
            END $$
            """
        )


@migration(2, "language analysis: sentences and entity mentions")
def _analysis(conn: Schema) -> None:
    run_script(
        conn,
        """
        CREATE TABLE analyses (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            text_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            analysed_at TEXT NOT NULL,
            doc BLOB
        );
        CREATE TABLE sentences (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx),
            CHECK (start >= 0 AND "end" > start)
        ) WITHOUT ROWID;
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            label TEXT NOT NULL,
            sentence_idx INTEGER,
            entity_id TEXT,
            canonical TEXT,
            UNIQUE (article_id, start, "end", label),
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX mentions_label_text ON mentions (label, text);
        CREATE INDEX mentions_entity ON mentions (entity_id);
        """,
    )


@migration(3, "quotes")
def _quotes(conn: Schema) -> None:
    run_script(
        conn,
        """
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            speaker TEXT,
            speaker_entity_id TEXT,
            speaker_label TEXT,
            speaker_mention TEXT,
            speaker_start INTEGER,
            speaker_end INTEGER,
            cue TEXT,
            cue_start INTEGER,
            cue_end INTEGER,
            addressee TEXT,
            date TEXT NOT NULL,
            extractor TEXT NOT NULL,
            UNIQUE (article_id, start, "end"),
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX quotes_speaker ON quotes (speaker);
        CREATE INDEX quotes_date ON quotes (date);
        """,
    )


@migration(4, "roles and numbers")
def _roles_numbers(conn: Schema) -> None:
    run_script(
        conn,
        """
        CREATE TABLE roles (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            date_start TEXT NOT NULL,
            date_end TEXT NOT NULL,
            person TEXT NOT NULL,
            person_entity_id TEXT,
            person_start INTEGER,
            person_end INTEGER,
            role TEXT NOT NULL,
            org TEXT,
            party TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            extractor TEXT NOT NULL,
            UNIQUE (article_id, start, "end", role, person),
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX roles_role ON roles (role, org, date_start);
        CREATE INDEX roles_person ON roles (person);
        CREATE TABLE numbers (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            value REAL,
            unit TEXT,
            about TEXT,
            qualifier TEXT,
            kind TEXT,
            date TEXT NOT NULL,
            extractor TEXT NOT NULL,
            UNIQUE (article_id, start, "end"),
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX numbers_about ON numbers (about);
        """,
    )


@migration(5, "record hash: updates of date, title, source and metadata")
def _record_hash(conn: Schema) -> None:
    conn.execute("ALTER TABLE articles ADD COLUMN record_hash TEXT")


@migration(6, "time expressions")
def _times(conn: Schema) -> None:
    run_script(
        conn,
        """
        CREATE TABLE times (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            value TEXT,
            precision TEXT,
            kind TEXT NOT NULL,
            extractor TEXT NOT NULL,
            UNIQUE (article_id, start, "end"),
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX times_value ON times (value);
        """,
    )


@migration(7, "story threads")
def _stories(conn: Schema) -> None:
    run_script(
        conn,
        """
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            first_date TEXT NOT NULL,
            last_date TEXT NOT NULL,
            size INTEGER NOT NULL,
            profile TEXT NOT NULL
        );
        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            similarity REAL NOT NULL
        );
        CREATE INDEX story_articles_story ON story_articles (story_id);
        CREATE TABLE story_terms (
            term TEXT PRIMARY KEY,
            df INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE store_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    )


@migration(8, "story key index")
def _story_keys(conn: Schema) -> None:
    run_script(
        conn,
        """
        CREATE TABLE story_keys (
            key TEXT NOT NULL,
            story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            PRIMARY KEY (key, story_id)
        ) WITHOUT ROWID;
        CREATE INDEX story_keys_story ON story_keys (story_id);
        """,
    )


@migration(9, "entity lookups: folded names, speakers and role holders by entity")
def _entity_lookups(conn: Schema) -> None:
    # An entity page looks a name up case-insensitively and then everything said or held by that entity:
    # without these, each is a scan of the whole mentions, quotes or roles table.
    run_script(
        conn,
        """
        CREATE INDEX mentions_canonical_folded ON mentions (casefold(canonical));
        CREATE INDEX mentions_text_folded ON mentions (casefold(text));
        CREATE INDEX quotes_speaker_entity ON quotes (speaker_entity_id);
        CREATE INDEX roles_person_entity ON roles (person_entity_id);
        """,
    )


@migration(10, "article dates by id")
def _article_dates(conn: Schema) -> None:
    # Dating an entity's mentions joins articles only for their dates: this index answers that
    # without reading the article rows, which are mostly text.
    conn.execute("CREATE INDEX IF NOT EXISTS articles_id_date ON articles (id, date, date_start)")



# The entity summaries, from the mentions: one row per entity and article (its date and how many mentions), one
# per entity and month (``substr(date, 1, 7)``: ``2017`` for an article dated only by year), and one per entity and
# spelling (the mention text, with the entity's label and canonical name, and how many mentions). ``SQLStore`` keeps them
# in step with the mentions in the same transactions that change those; these statements build them from scratch.
ENTITY_ARTICLES_FROM_MENTIONS = (
    "INSERT INTO entity_articles (entity_id, date_start, article_id, date, mentions)"
    " SELECT m.entity_id, a.date_start, m.article_id, a.date, count(*) FROM mentions m JOIN articles a ON a.id = m.article_id"
    " WHERE m.entity_id IS NOT NULL {where} GROUP BY m.entity_id, m.article_id, a.date_start, a.date"
)
ENTITY_ALIASES_FROM_MENTIONS = (
    "INSERT INTO entity_aliases (entity_id, text, label, canonical, mentions)"
    " SELECT entity_id, text, label, canonical, count(*) FROM mentions"
    " WHERE entity_id IS NOT NULL AND canonical IS NOT NULL GROUP BY entity_id, text, label, canonical"
)
ENTITY_MONTHS_FROM_ARTICLES = (
    "INSERT INTO entity_months (entity_id, month, mentions, articles, first_date, last_date)"
    " SELECT entity_id, substr(date, 1, 7), sum(mentions), count(*), min(date), max(date) FROM entity_articles"
    " GROUP BY entity_id, substr(date, 1, 7)"
)


@migration(11, "entity summaries: articles and months per entity")
def _entity_summaries(conn: Schema) -> None:
    # An entity page read every mention of the entity joined to its article on each request (O(articles of the
    # entity): 0.1–0.2 s for a frequent name at 1,000,000 articles). These tables answer it in O(months), and give
    # the entity's articles in date order, so "most recent" is an index range, not a sort.
    run_script(
        conn,
        """
        CREATE TABLE entity_articles (
            entity_id TEXT NOT NULL,
            date_start TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (entity_id, date_start, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX entity_articles_article ON entity_articles (article_id);
        CREATE TABLE entity_months (
            entity_id TEXT NOT NULL,
            month TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            articles INTEGER NOT NULL,
            first_date TEXT NOT NULL,
            last_date TEXT NOT NULL,
            PRIMARY KEY (entity_id, month)
        ) WITHOUT ROWID;
        CREATE TABLE entity_aliases (
            entity_id TEXT NOT NULL,
            text TEXT NOT NULL,
            label TEXT NOT NULL,
            canonical TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (entity_id, text, label, canonical)
        ) WITHOUT ROWID;
        """,
    )
    conn.execute(ENTITY_ARTICLES_FROM_MENTIONS.format(where=""))
    conn.execute(ENTITY_MONTHS_FROM_ARTICLES)
    conn.execute(ENTITY_ALIASES_FROM_MENTIONS)
    # Looking a name up: the spellings and canonical names of entities, not every mention of them.
    conn.execute("CREATE INDEX entity_aliases_canonical_folded ON entity_aliases (casefold(canonical))")
    conn.execute("CREATE INDEX entity_aliases_text_folded ON entity_aliases (casefold(text))")
    # The roles of a person grouped by (role, org) straight from an index, without reading the rows.
    conn.execute("CREATE INDEX roles_person_entity_role ON roles (person_entity_id, role, org, date_start, date, party)")
    # A speaker's quotes in the order of the quote pages (article date, article, position) from an index.
    conn.execute("ALTER TABLE quotes ADD COLUMN date_start TEXT")
    conn.execute("UPDATE quotes SET date_start = (SELECT a.date_start FROM articles a WHERE a.id = quotes.article_id)")
    conn.execute('CREATE INDEX quotes_speaker_entity_date ON quotes (speaker_entity_id, date_start, article_id, start, "end")')
    conn.execute("DROP INDEX quotes_speaker_entity")
    # Role records of a person in date order straight from an index (the API gives a bounded page of them).
    conn.execute("CREATE INDEX roles_person_entity_date ON roles (person_entity_id, date_start, article_id, start)")
    conn.execute("DROP INDEX roles_person_entity")


def name_key(name: str) -> str:
    """The key that groups spellings of one person's name: lower case, runs of white space as one space."""
    return " ".join(name.lower().split())


# The role-holder summary, from the role statements: one row per (role, org as written, person key) with the number
# of statements and, for each of the first statement (in the order date_start, article_id, start, id), the first of
# those with the latest date_end, the first of those with the longest spelling of the name and the first with a
# party, that statement's order key and the values `who` reports. ``SQLStore`` recomputes the rows of the groups a
# change touches, in the same transaction; this statement builds them (``{where}``: a filter on ``roles``, or none).
_ROLE_ORDER = "date_start, article_id, start, id"
ROLE_HOLDERS_FROM_ROLES = (
    "INSERT INTO role_holders (role, org, person_key, statements,"
    " first_date_start, first_date, first_article_id, first_start, first_id,"
    " last_date_end, last_date, last_date_start, last_article_id, last_start, last_id,"
    " person, person_date_start, person_article_id, person_start, person_id,"
    " party, party_date_start, party_article_id, party_start, party_id)"
    " SELECT role, org, person_key, max(n),"
    " max(CASE WHEN f = 1 THEN date_start END), max(CASE WHEN f = 1 THEN date END), max(CASE WHEN f = 1 THEN article_id END),"
    " max(CASE WHEN f = 1 THEN start END), max(CASE WHEN f = 1 THEN id END),"
    " max(CASE WHEN l = 1 THEN date_end END), max(CASE WHEN l = 1 THEN date END), max(CASE WHEN l = 1 THEN date_start END),"
    " max(CASE WHEN l = 1 THEN article_id END), max(CASE WHEN l = 1 THEN start END), max(CASE WHEN l = 1 THEN id END),"
    " max(CASE WHEN p = 1 THEN person END), max(CASE WHEN p = 1 THEN date_start END), max(CASE WHEN p = 1 THEN article_id END),"
    " max(CASE WHEN p = 1 THEN start END), max(CASE WHEN p = 1 THEN id END),"
    " max(CASE WHEN y = 1 AND has_party = 1 THEN party END), max(CASE WHEN y = 1 AND has_party = 1 THEN date_start END),"
    " max(CASE WHEN y = 1 AND has_party = 1 THEN article_id END), max(CASE WHEN y = 1 AND has_party = 1 THEN start END),"
    " max(CASE WHEN y = 1 AND has_party = 1 THEN id END)"
    " FROM (SELECT role, org, person_key, date, date_start, date_end, article_id, start, id, person, party, has_party,"
    " count(*) OVER (PARTITION BY role, org, person_key) AS n,"
    f" row_number() OVER (PARTITION BY role, org, person_key ORDER BY {_ROLE_ORDER}) AS f,"
    f" row_number() OVER (PARTITION BY role, org, person_key ORDER BY date_end DESC, {_ROLE_ORDER}) AS l,"
    f" row_number() OVER (PARTITION BY role, org, person_key ORDER BY length(person) DESC, {_ROLE_ORDER}) AS p,"
    f" row_number() OVER (PARTITION BY role, org, person_key, has_party ORDER BY {_ROLE_ORDER}) AS y"
    " FROM (SELECT r.*, CASE WHEN r.party IS NOT NULL AND r.party <> '' THEN 1 ELSE 0 END AS has_party"
    " FROM roles r WHERE r.person_key IS NOT NULL {where}) r) t"
    " GROUP BY role, org, person_key"
)


@migration(12, "role-holder summaries")
def _role_holders(conn: Schema) -> None:
    # `who ROLE --org ORG` grouped every statement of the role per person on each request (O(statements): 0.15 s
    # for 875,000 statements at 1,000,000 articles). The summary answers with one row per holder and org spelling,
    # and the two indexes give a holder's statements in date order, and nearest a date, as index ranges.
    conn.execute("ALTER TABLE roles ADD COLUMN person_key TEXT")
    persons = [row[0] for row in conn.execute("SELECT DISTINCT person FROM roles").fetchall()]
    conn.executemany("UPDATE roles SET person_key = ? WHERE person = ?", [(name_key(p), p) for p in persons])
    run_script(
        conn,
        """
        CREATE INDEX roles_holder ON roles (role, org, person_key, date_start, article_id, start, id, date_end);
        CREATE INDEX roles_holder_end ON roles (role, org, person_key, date_end DESC, date_start, article_id, start, id);
        CREATE TABLE role_holders (
            id INTEGER PRIMARY KEY,
            role TEXT NOT NULL,
            org TEXT,
            person_key TEXT NOT NULL,
            statements INTEGER NOT NULL,
            first_date_start TEXT NOT NULL,
            first_date TEXT NOT NULL,
            first_article_id TEXT NOT NULL,
            first_start INTEGER NOT NULL,
            first_id INTEGER NOT NULL,
            last_date_end TEXT NOT NULL,
            last_date TEXT NOT NULL,
            last_date_start TEXT NOT NULL,
            last_article_id TEXT NOT NULL,
            last_start INTEGER NOT NULL,
            last_id INTEGER NOT NULL,
            person TEXT NOT NULL,
            person_date_start TEXT NOT NULL,
            person_article_id TEXT NOT NULL,
            person_start INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            party TEXT,
            party_date_start TEXT,
            party_article_id TEXT,
            party_start INTEGER,
            party_id INTEGER
        );
        CREATE INDEX role_holders_group ON role_holders (role, org, person_key);
        CREATE INDEX role_holders_org_folded ON role_holders (role, casefold(org));
        """,
    )
    conn.execute(ROLE_HOLDERS_FROM_ROLES.format(where=""))


@migration(13, "band keys kept with each fingerprint")
def _band_keys(conn: Schema) -> None:
    # A row per band key (16 per article, random keys, a second index and a foreign key) cost the ingest more
    # than storing the article, and each batch rewrote most of the table's pages. The keys now stay with the
    # signature, one row per article; an ingest run holds the lookup in memory (``dedupe.BandIndex``).
    # Rows from before keep NULL keys: the next ingest computes them from the signature and stores them.
    run_script(conn, "ALTER TABLE article_fingerprints ADD COLUMN band_keys BLOB;\nDROP TABLE fingerprint_bands;")


@migration(14, "article texts compressed with lz4 (PostgreSQL)")
def _text_compression(conn: Schema) -> None:
    # PostgreSQL tries to compress every row over ≈ 2 kB before it stores it; its default method (pglz) costs
    # ≈ 80 µs per article of news text and then gives up (sentences of one article repeat little: under the 25 % it
    # asks for), the largest item of the server's work per ingested article. lz4 is ≈ 4× cheaper and keeps what it
    # gains (≈ 13 %). Only new values are affected; stored ones stay readable either way. A server built without lz4
    # (or older than PostgreSQL 14) keeps pglz. SQLite stores text as it is: nothing to do.
    if conn.dialect != "postgres":
        return
    conn.execute(
        "DO $$ BEGIN EXECUTE 'ALTER TABLE articles ALTER COLUMN text SET COMPRESSION lz4';"
        " EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL; END $$"
    )


def run_script(conn: Schema, script: str) -> None:
    """Run several statements inside the caller's transaction.

    ``executescript`` would commit first, so a failed migration could leave
    half a schema behind; statements run one by one here instead.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(postgres_ddl(statement) if conn.dialect == "postgres" else statement)
            statement = ""
    if statement.strip():
        conn.execute(postgres_ddl(statement) if conn.dialect == "postgres" else statement)


_POSTGRES_TYPES = (
    # SQLite's INTEGER is 64 bits and an INTEGER PRIMARY KEY numbers itself.
    (re.compile(r"\bINTEGER PRIMARY KEY\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    # SQLite's REAL is an 8-byte float; PostgreSQL's REAL is 4 bytes.
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\)\s*WITHOUT ROWID"), ")"),
)


def postgres_ddl(sql: str) -> str:
    """The PostgreSQL form of a schema statement written for SQLite."""
    for pattern, replacement in _POSTGRES_TYPES:
        sql = pattern.sub(replacement, sql)
    return sql


class SQLiteSchema:
    """A SQLite connection as a migration sees it."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str) -> Any:
        return self.conn.execute(sql)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.conn.executemany(sql, rows)


_SCHEMA_TABLE = {
    "sqlite": "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL DEFAULT (datetime('now')))",
    "postgres": "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL DEFAULT (now()::text))",
}


def current_version(conn: Any, dialect: str = "sqlite") -> int:
    """The store's schema version (``conn`` is a sqlite3 or psycopg connection)."""
    conn.execute(_SCHEMA_TABLE[dialect])
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def pending(conn: Any, dialect: str = "sqlite") -> list[Migration]:
    """Return the migrations this database has not had yet (reads only)."""
    version = current_version(conn, dialect)
    latest = MIGRATIONS[-1].version
    if version > latest:
        raise SchemaTooNew(f"the store has schema version {version}, this sporbar knows up to {latest}: upgrade sporbar")
    return [m for m in MIGRATIONS if m.version > version]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations to a SQLite store, each in its own transaction; return their names."""
    applied = []
    for step in pending(conn):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            if current_version(conn) >= step.version:
                conn.execute("COMMIT")
                continue
            step.apply(SQLiteSchema(conn))
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (step.version, step.name))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(step.name)
    return applied
