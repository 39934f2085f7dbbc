"""HTTP readers while an ingest writes: `sporbar serve` answers every request, and never with a half-written archive.

A real ``sporbar serve`` process on 127.0.0.1 (with an API token, so the
write endpoint exists), a real ``sporbar ingest --no-analyze`` writing the same
store, and reader threads asking /api/search, /api/articles/{id},
/api/quotes, /api/who and /api/stats over HTTP the whole time. No request may
fail with a 5xx or a "database is locked"; article counts and search totals
never go down; every article a search returns can be fetched; the seeds'
facts stay whole; the writer finishes and the archive checks clean. While the
CLI writes, ``POST /api/ingest`` is refused with 409 (one writer at a time);
once it is done, the same request is taken. Against SQLite and, with
``$SPORBAR_TEST_PG``, PostgreSQL.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import require_postgres
from tests.reliability.harness import (
    Backend,
    backend_for,
    build_corpus,
    check_archive,
    cli_command,
    cli_cwd,
    cli_env,
    run_cli,
)

TOKEN = "reliability-test-token-0123456789"
ARTICLES = 1500
READERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    made = backend_for(request.param, require_postgres() if request.param == "postgres" else None)
    yield made
    made.cleanup()


@pytest.fixture(scope="module")
def seeded(backend: Backend, tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> tuple[str, set[str]]:
    """A store holding the analysed seeds (quotes and an office holder to ask for), and their ids."""
    db = backend.db_arg(tmp_path_factory.mktemp("serve"), "seeded")
    result = run_cli("ingest", str(seeds_dir), "--db", db)
    assert result.returncode == 0, result.stderr
    return db, {row[0] for row in backend.query(db, "SELECT id FROM articles")}


class Server:
    """``sporbar serve`` in a child process."""

    def __init__(self, db: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = cli_env()
        env["SPORBAR_TEST_API_TOKEN"] = TOKEN
        self.process = subprocess.Popen(
            cli_command("serve", "--db", db, "--host", "127.0.0.1", "--port", str(self.port), "--token-env", "SPORBAR_TEST_API_TOKEN"),
            env=env, cwd=cli_cwd(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, f"the server stopped: {self.process.communicate()[0][-2000:]}"
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            try:
                if httpx.get(f"{self.url}/api/stats", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)

    def stop(self) -> str:
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output


def read_round(client: httpx.Client) -> dict[str, Any]:
    """One reader's round: what a user of the API would have seen, every failure kept."""
    found: dict[str, Any] = {"t": time.monotonic(), "failures": []}

    def get(path: str, **params: Any) -> Any:
        response = client.get(path, params=params)
        if response.status_code >= 500 or "locked" in response.text.lower():
            found["failures"].append(f"{path} {params}: {response.status_code} {response.text[:300]}")
            return None
        if response.status_code != 200:
            found["failures"].append(f"{path} {params}: unexpected {response.status_code} {response.text[:300]}")
            return None
        return response.json()

    stats = get("/api/stats")
    if stats is not None:
        found["articles"] = stats["articles"]
    search = get("/api/search", q="regjeringen OR Pompeo", limit=20)  # the seeds match from the start
    if search is not None:
        found["search_total"] = search["total"]
        found["hit_ids"] = [hit["id"] for hit in search["hits"]]
        for article_id in found["hit_ids"][:8]:
            article = get(f"/api/articles/{article_id}")
            if article is not None and article.get("id") != article_id:
                found["failures"].append(f"/api/articles/{article_id} answered with {article.get('id')}")
    quotes = get("/api/quotes", speaker="Pompeo")
    if quotes is not None:
        found["quotes"] = len(quotes["items"])
    who = get("/api/who", role="utenriksminister", org="Norge", at="2017-03")
    if who is not None:
        found["who"] = sorted(holder["person"] for holder in who["holders"])
    return found


def reader(base_url: str, stop: threading.Event, rounds: list[dict[str, Any]]) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        while not stop.is_set():
            try:
                rounds.append(read_round(client))
            except Exception as exc:  # a dropped connection or a body that is not JSON
                rounds.append({"t": time.monotonic(), "failures": [f"{type(exc).__name__}: {exc}"]})


def post_ingest(base_url: str, record: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{base_url}/api/ingest", params={"analyze": "false"}, content=json.dumps(record, ensure_ascii=False).encode("utf-8"),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}, timeout=120,
    )


def test_http_readers_while_an_ingest_writes(backend: Backend, seeded: tuple[str, set[str]], tmp_path: Path, ndt_path: Path) -> None:
    seeded_db, seed_ids = seeded
    db = backend.db_arg(tmp_path, "served")
    backend.copy(seeded_db, db)
    corpus = build_corpus(ndt_path, tmp_path / "corpus.jsonl", articles=ARTICLES, seed=21)
    server = Server(db)
    stop = threading.Event()
    rounds: list[list[dict[str, Any]]] = [[] for _ in range(READERS)]
    threads = [threading.Thread(target=reader, args=(server.url, stop, found), daemon=True) for found in rounds]
    try:
        for thread in threads:
            thread.start()
        writer = subprocess.Popen(
            cli_command("ingest", "--no-analyze", "--batch-size", "100", str(corpus.path), "--db", db),
            env=cli_env(), cwd=cli_cwd(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        # Once the writer has stored something it holds the writer lock: a write over HTTP must be turned away.
        deadline = time.monotonic() + 120
        refused = None
        while writer.poll() is None and time.monotonic() < deadline:
            if max((r.get("articles", 0) for found in rounds for r in found), default=0) > len(seed_ids):
                record = {"id": "http-during", "date": "2020-01-02", "title": "Under skriving", "text": "Regjeringen la fram budsjettet i dag."}
                response = post_ingest(server.url, record)
                refused = (response.status_code, response.text, writer.poll() is None)
                break
            time.sleep(0.1)
        _, writer_err = writer.communicate(timeout=300)
        time.sleep(1.5)  # a few more rounds after the writer is done
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        # After the writer: the same kind of request is taken (writes are serialised, not lost).
        after = post_ingest(server.url, {"id": "http-after", "date": "2020-01-03", "title": "Etter", "text": "Stortinget vedtok budsjettet i dag."})
        fetched = httpx.get(f"{server.url}/api/articles/http-after", timeout=30)
        final = httpx.get(f"{server.url}/api/stats", timeout=30).json()
    finally:
        stop.set()
        server_output = server.stop()

    assert writer.returncode == 1, writer_err  # the corpus's deliberate bad lines, nothing else
    assert "locked" not in writer_err and "Traceback" not in writer_err, writer_err[-1000:]
    assert "Traceback" not in server_output, server_output[-3000:]
    assert refused is not None, "the writer finished before a write over HTTP could be tried"
    status, body, writer_was_running = refused
    if writer_was_running or status != 200:
        assert status == 409 and "another sporbar process is writing" in body, (status, body)
    assert after.status_code == 200 and after.json()["stored"] == 1, after.text
    assert fetched.status_code == 200 and fetched.json()["id"] == "http-after", fetched.text
    for found in rounds:
        assert len(found) >= 3, "each reader should have asked several times during the ingest"
        failures = [f for r in found for f in r["failures"]]
        assert not failures, failures[:5]
        counts = [r["articles"] for r in found]
        assert counts == sorted(counts), "a later read saw fewer articles than an earlier one"
        assert counts[0] >= len(seed_ids) and counts[-1] <= len(seed_ids) + len(corpus.valid_ids)
        totals = [r["search_total"] for r in found]
        assert totals == sorted(totals), f"a later search found fewer articles than an earlier one: {totals}"
        assert {r["quotes"] for r in found} == {found[0]["quotes"]} and found[0]["quotes"] > 0
        assert all(r["who"] == ["Børge Brende"] for r in found)
    assert any(r["articles"] < len(seed_ids) + len(corpus.valid_ids) for found in rounds for r in found), (
        "no read happened while the ingest was still writing"
    )
    expected = corpus.valid_ids | seed_ids | {"http-after"} | ({"http-during"} if refused[0] == 200 else set())
    assert final["articles"] == len(expected)
    check = check_archive(backend, db, expected_ids=expected)
    assert check.ok, check.problems
