"""Shared fixtures: the real inputs (seeds, NDT news corpus) and a fresh archive per test.

Archives come in both backends: ``sqlite`` (a file in a temporary folder) and
``postgres`` (a fresh schema in the database ``$SPORBAR_TEST_PG`` names, with
its search index in a temporary folder). ``bash .ci/run`` starts a PostgreSQL
server and sets ``$SPORBAR_TEST_PG``; without it the postgres cases are skipped
(and under CI they fail, so CI can never pass without PostgreSQL).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

import sporbar
from sporbar.api import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SPORBAR_SHARED", ROOT.parent / "shared"))
SEEDS_DIR = ROOT / "examples" / "seeds"
NDT_NEWS = SHARED / "corpora" / "ndt-nob-news.jsonl"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_URL = os.environ.get("SPORBAR_TEST_PG")
BACKENDS = ("sqlite", "postgres")


def require_postgres() -> str:
    if PG_URL:
        return PG_URL
    if os.environ.get("CI"):
        pytest.fail("CI must test PostgreSQL: $SPORBAR_TEST_PG is not set (bash .ci/run starts a server and sets it)")
    pytest.skip("PostgreSQL: set $SPORBAR_TEST_PG=postgresql://… (bash .ci/run starts a throw-away server and sets it)")


def postgres_schema_url(base_url: str, schema: str) -> str:
    """The URL of one schema in the test database (its own store)."""
    joiner = "&" if "?" in base_url else "?"
    return f"{base_url}{joiner}options=-csearch_path%3D{schema}"


class Archives:
    """Makes fresh stores of one backend and removes them afterwards."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self._cleanups: list[Callable[[], None]] = []

    def target(self, name: str) -> tuple[str | Path, Path | None]:
        """A new, empty store location and its index folder (None: the default beside a SQLite file)."""
        if self.backend == "sqlite":
            return self.folder / f"{name}.db", None
        import psycopg

        base = require_postgres()
        schema = f"t_{name.replace('-', '_')}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")

        def drop() -> None:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")

        self._cleanups.append(drop)
        return postgres_schema_url(base, schema), self.folder / f"{name}.index"

    def open(self, name: str) -> KnowledgeBase:
        target, index = self.target(name)
        return sporbar.open(target, index=index)

    def cleanup(self) -> None:
        for drop in self._cleanups:
            drop()


@pytest.fixture(params=BACKENDS)
def archives(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Archives]:
    """Fresh stores of each backend, per test."""
    if request.param == "postgres":
        require_postgres()
    made = Archives(request.param, tmp_path)
    yield made
    made.cleanup()


@pytest.fixture(scope="module", params=BACKENDS)
def module_archives(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archives]:
    """Fresh stores of each backend, shared by one test module."""
    if request.param == "postgres":
        require_postgres()
    made = Archives(request.param, tmp_path_factory.mktemp(request.param))
    yield made
    made.cleanup()

# Property tests: few examples in CI (the default), many with `pytest --hypothesis-profile=long`.
settings.register_profile("ci", max_examples=40, deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile("ci")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    assert SEEDS_DIR.is_dir(), "examples/seeds must hold the two seed articles"
    return SEEDS_DIR


@pytest.fixture(scope="session")
def ndt_path() -> Path:
    assert NDT_NEWS.is_file(), f"the NDT news corpus is expected at {NDT_NEWS} (set SPORBAR_SHARED)"
    return NDT_NEWS


@pytest.fixture(scope="session")
def ndt_records(ndt_path: Path) -> list[dict]:
    return [json.loads(line) for line in ndt_path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def kb(archives: Archives) -> Iterator[KnowledgeBase]:
    archive = archives.open("test")
    yield archive
    archive.close()


@pytest.fixture()
def seeded_kb(kb: KnowledgeBase, seeds_dir: Path) -> KnowledgeBase:
    report = kb.ingest([seeds_dir], analyze=False)
    assert report.stored == 2
    return kb


@pytest.fixture(scope="module")
def news_kb(module_archives: Archives, seeds_dir: Path, ndt_path: Path) -> Iterator[KnowledgeBase]:
    """The seeds and the whole NDT corpus, ingested once per test module and backend (read-only use)."""
    archive = module_archives.open("news")
    report = archive.ingest([seeds_dir, ndt_path], analyze=False)
    assert report.stored == 311 and report.ok
    yield archive
    archive.close()


def db_args(archive: KnowledgeBase) -> list[str]:
    """The CLI options that name an archive's store and index."""
    return ["--db", str(archive.path), "--index", str(archive.index_path)]


def seed_article_ids(archive: KnowledgeBase) -> dict[str, str]:
    """Map '2017-03' / '2019-02' to the stored seed articles' ids."""
    return {a.date.value: a.id for a in archive.articles() if a.date.value in ("2017-03", "2019-02")}


@pytest.fixture(scope="session")
def analysed_seeds_template(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seeds, ingested and analysed by the shipped model once per run; copy it (``copy_archive``) before writing."""
    path = tmp_path_factory.mktemp("analysed-seeds") / "seeds.db"
    with sporbar.open(path) as archive:
        report = archive.ingest([seeds_dir])
        assert report.analysed == 2 and report.ok
    return path


@pytest.fixture(scope="session")
def analysed_news_template(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, ndt_path: Path) -> Path:
    """The seeds and the whole NDT corpus, analysed once per run (a couple of minutes); copy it before writing."""
    path = tmp_path_factory.mktemp("analysed-news") / "news.db"
    with sporbar.open(path) as archive:
        report = archive.ingest([seeds_dir, ndt_path])
        assert report.analysed == 311 and report.ok
    return path


def copy_archive(source: Path, folder: Path) -> Path:
    """Copy a closed archive (store file and search index) into ``folder``; return the copy's store path."""
    import shutil

    from sporbar.store import index_path_for

    target = folder / source.name
    shutil.copy2(source, target)
    shutil.copytree(index_path_for(source), index_path_for(target))
    return target
