"""The language stage in worker processes: local ones (``--workers N``) or a Dask cluster (``--dask tcp://host:8786``).

The driver (the ``sporbar`` process) reads pending articles from the store,
sends them to the workers in small batches and writes the analyses back in
transactions. Both kinds of worker run the same function, ``analyse_batch``,
and load the shipped model once per process (``language_model.load`` keeps it;
a Dask worker plugin and the local pool's initializer load it up front).
Workers never touch the store; Dask workers need this same sporbar installed.

spaCy's own ``n_process`` is not used: it ships parsed Docs between processes,
and the extractors' records on ``Doc._`` cannot be serialised that way.
"""

from __future__ import annotations

import json
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from sporbar.errors import SporbarError
from sporbar.models import Analysis, Article

TASK_ARTICLES = 8
TASKS_PER_WORKER = 3  # queued per worker, so none waits for the driver between tasks


def shipped_model_id() -> str:
    """The id of the shipped pipeline with sporbar's extractors, from its meta data (without loading it)."""
    from sporbar.analyze.language_model import model_path
    from sporbar.analyze.pipeline import model_id_from_meta

    meta = json.loads((model_path() / "meta.json").read_text(encoding="utf-8"))
    return model_id_from_meta(meta)


def _pipeline() -> Any:
    from sporbar.analyze.language_model import load
    from sporbar.analyze.pipeline import with_extractors

    return with_extractors(load())  # load() keeps the model for the life of the process


def analyse_batch(articles: list[Article]) -> list[Analysis]:
    """Analyse some articles with the shipped pipeline (runs on a worker)."""
    from sporbar.analyze.pipeline import analyse_articles

    return list(analyse_articles(_pipeline(), articles, workers=1))


def _worker_plugin() -> Any:
    from distributed.diagnostics.plugin import WorkerPlugin

    class LoadLanguageModel(WorkerPlugin):  # type: ignore[misc]
        """Load the model as a worker joins, so the first task does not pay for it."""

        name = "sporbar-language-model"

        def setup(self, worker: Any) -> None:
            _pipeline()

    return LoadLanguageModel()


class _BatchAnalyser:
    """Sends articles to workers in batches and yields their analyses in input order."""

    task_articles = TASK_ARTICLES
    model: str

    def workers(self) -> int:
        raise NotImplementedError

    def _submit(self, batch: list[Article]) -> Any:
        """Start ``analyse_batch(batch)`` on a worker; return a future."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def analyse(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """Yield one analysis per article, in order; at most a few tasks per worker are in flight."""
        window = TASKS_PER_WORKER * self.workers()
        in_flight: deque[Any] = deque()
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.task_articles:
                in_flight.append(self._submit(batch))
                batch = []
                while len(in_flight) > window:
                    yield from self._results(in_flight.popleft())
        if batch:
            in_flight.append(self._submit(batch))
        while in_flight:
            yield from self._results(in_flight.popleft())

    def _results(self, future: Any) -> Iterator[Analysis]:
        analyses: list[Analysis] = future.result()
        for analysis in analyses:
            if analysis.model != self.model:
                raise SporbarError(
                    f"a worker runs another sporbar ({analysis.model}); install this one ({self.model}) on every worker"
                )
        yield from analyses


class LocalAnalyser(_BatchAnalyser):
    """A pool of local worker processes, each with the model loaded once."""

    def __init__(self, workers: int) -> None:
        self.model = shipped_model_id()
        self._workers = workers
        self.pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("forkserver"), initializer=_start_worker
        )

    def workers(self) -> int:
        return self._workers

    def warm(self) -> None:
        """Start every worker and load its model now (for timing the steady state)."""
        for future in [self.pool.submit(_pipeline_ready) for _ in range(2 * self._workers)]:
            future.result()

    def _submit(self, batch: list[Article]) -> Any:
        return self.pool.submit(analyse_batch, batch)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def _start_worker() -> None:
    """Load the model in a pool worker whose matrix products use one thread.

    OpenBLAS starts a thread per core in every process: two workers on two
    cores then ran four threads, each process stalling the other's, and two
    workers were slower than one.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
    _pipeline()


def _pipeline_ready() -> bool:
    return _pipeline() is not None


class DaskAnalyser(_BatchAnalyser):
    """Sends articles to a Dask cluster."""

    def __init__(self, address: str, *, task_articles: int = TASK_ARTICLES) -> None:
        try:
            from dask.distributed import Client
        except ImportError:
            raise SporbarError("--dask needs dask.distributed: pip install 'sporbar[dask]'") from None
        try:
            self.client = Client(address, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise SporbarError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.address = address
        self.task_articles = task_articles
        self.model = shipped_model_id()
        self.client.register_plugin(_worker_plugin())

    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def _submit(self, batch: list[Article]) -> Any:
        return self.client.submit(analyse_batch, batch, pure=False)

    def close(self) -> None:
        self.client.close()
