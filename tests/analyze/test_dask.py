"""The language stage in worker processes (a Dask cluster, the local pool): the same analysis as a one-process run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sporbar
from sporbar.api import KnowledgeBase
from sporbar.interfaces.cli import app

from ..conftest import Archives, db_args

NDT_SAMPLE = 6


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, ndt_records: list[dict]) -> list[Path]:
    """The seeds and a handful of NDT articles with quotes in them."""
    quoted = [r for r in ndt_records if "«" in r["text"] or "\n–" in r["text"]][:NDT_SAMPLE]
    path = tmp_path_factory.mktemp("dask-input") / "ndt.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in quoted), encoding="utf-8")
    return [seeds_dir, path]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def local_kb(tmp_path_factory: pytest.TempPathFactory, sample: list[Path]) -> Iterator[KnowledgeBase]:
    archive = sporbar.open(tmp_path_factory.mktemp("dask-local") / "local.db")
    report = archive.ingest(sample)
    assert report.analysed == 2 + NDT_SAMPLE
    yield archive
    archive.close()


def facts(archive: KnowledgeBase, article_id: str) -> dict[str, object]:
    return {
        "sentences": archive.sentences(article_id),
        "mentions": archive.mentions(article_id),
        "quotes": archive.quotes(article_id=article_id),
        "roles": archive.store.roles(article_id=article_id),
        "numbers": archive.numbers(article_id=article_id),
        "times": archive.store.times(article_id=article_id),
    }


def test_dask_analysis_equals_a_local_run(archives: Archives, scheduler: str, sample: list[Path], local_kb: KnowledgeBase) -> None:
    with archives.open("dask") as archive:
        report = archive.ingest(sample, dask=scheduler, batch_size=3)
        assert report.analysed == 2 + NDT_SAMPLE
        ids = [a.id for a in local_kb.articles()]
        assert ids == [a.id for a in archive.articles()]
        quotes = 0
        for article_id in ids:
            local, distributed = facts(local_kb, article_id), facts(archive, article_id)
            assert distributed == local, article_id
            quotes += len(local["quotes"])  # type: ignore[arg-type]
        assert quotes >= 10 and local_kb.mentions(ids[0])  # the comparison covers real facts
        # Nothing is left for the next run, and the stories were formed from the stored analyses.
        assert sum(s["articles"] for s in archive.stories()) == len(ids)
    result = CliRunner().invoke(app, ["analyze", "--dask", scheduler, *db_args(archive)])
    assert result.exit_code == 0 and "analysed 0 articles" in result.output, result.output


def test_local_worker_pool_analysis_equals_a_one_process_run(tmp_path: Path, sample: list[Path], local_kb: KnowledgeBase) -> None:
    with sporbar.open(tmp_path / "pool.db") as archive:
        report = archive.ingest(sample, workers=2, batch_size=3)
        assert report.analysed == 2 + NDT_SAMPLE
        for article in local_kb.articles():
            assert facts(archive, article.id) == facts(local_kb, article.id), article.id
