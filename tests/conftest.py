"""Shared fixtures: the real inputs (seeds, NDT news corpus) and a fresh archive per test."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
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
def kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    archive = sporbar.open(tmp_path / "test.db")
    yield archive
    archive.close()


@pytest.fixture()
def seeded_kb(kb: KnowledgeBase, seeds_dir: Path) -> KnowledgeBase:
    report = kb.ingest([seeds_dir], analyze=False)
    assert report.stored == 2
    return kb


@pytest.fixture(scope="module")
def news_kb(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, ndt_path: Path) -> Iterator[KnowledgeBase]:
    """The seeds and the whole NDT corpus, ingested once per test module (read-only use)."""
    archive = sporbar.open(tmp_path_factory.mktemp("news") / "news.db")
    report = archive.ingest([seeds_dir, ndt_path], analyze=False)
    assert report.stored == 311 and report.ok
    yield archive
    archive.close()


def seed_article_ids(archive: KnowledgeBase) -> dict[str, str]:
    """Map '2017-03' / '2019-02' to the stored seed articles' ids."""
    return {a.date.value: a.id for a in archive.articles() if a.date.value in ("2017-03", "2019-02")}
