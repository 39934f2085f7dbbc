"""Readers query while an ingest writes; two writers at once are refused, never interleaved.

Real processes through the CLI and the public API: WAL lets readers read
while one writer writes, the busy timeout absorbs the short locks, and the
writer lock (``DB.lock``) turns a second writer away with a clear message.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.harness import ROOT, SQLiteBackend, build_corpus, check_archive, cli_command, cli_env, run_cli

BACKEND = SQLiteBackend()


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """A store holding the analysed seeds (quotes and roles to ask for), as the readers' fixed ground."""
    db = tmp_path_factory.mktemp("concurrent") / "seeded.db"
    result = run_cli("ingest", str(seeds_dir), "--db", str(db))
    assert result.returncode == 0, result.stderr
    return db


def start_reader(db: Path, seconds: float) -> subprocess.Popen[str]:
    env = cli_env()
    env["PYTHONPATH"] = str(ROOT) + ":" + env["PYTHONPATH"]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.reader_probe", str(db), str(seconds)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_readers_see_consistent_results_while_an_ingest_writes(tmp_path: Path, seeded_db: Path, ndt_path: Path) -> None:
    db = tmp_path / "busy.db"
    BACKEND.copy(str(seeded_db), str(db))
    corpus = build_corpus(ndt_path, tmp_path / "corpus.jsonl", articles=1500, seed=11)
    writer = subprocess.Popen(
        cli_command("ingest", "--no-analyze", "--batch-size", "100", str(corpus.path), "--db", str(db)),
        env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    readers = [start_reader(db, 25) for _ in range(2)]
    _, writer_err = writer.communicate(timeout=600)
    rounds = []
    for reader in readers:
        out, err = reader.communicate(timeout=120)
        assert reader.returncode == 0, err
        rounds.append([json.loads(line) for line in out.splitlines()])
    assert writer.returncode == 1, writer_err  # the corpus's deliberate bad lines, nothing else
    assert "locked" not in writer_err
    for probe in rounds:
        assert len(probe) >= 3, "the reader should have queried several times during the ingest"
        assert not [r for r in probe if "error" in r or "crash" in r], [r for r in probe if "error" in r or "crash" in r][:3]
        counts = [r["articles"] for r in probe]
        assert counts == sorted(counts), "a later read saw fewer articles than an earlier one"
        assert counts[0] >= 2 and counts[-1] <= 2 + len(corpus.valid_ids)
        assert all(r["hits_exist"] for r in probe)
        # The seeds' facts are there, whole, in every round.
        assert {r["quotes"] for r in probe} == {probe[0]["quotes"]} and probe[0]["quotes"] > 0
        assert all(r["who"] == ["Børge Brende"] for r in probe)
    check = check_archive(BACKEND, str(db), expected_ids=corpus.valid_ids | {a[0] for a in BACKEND.query(str(seeded_db), "SELECT id FROM articles")})
    assert check.ok, check.problems


def test_two_ingests_at_once_one_is_refused_with_a_clear_message(tmp_path: Path, seeded_db: Path, ndt_path: Path) -> None:
    db = tmp_path / "two.db"
    BACKEND.copy(str(seeded_db), str(db))
    corpus = build_corpus(ndt_path, tmp_path / "corpus.jsonl", articles=1500, seed=12)
    first = subprocess.Popen(cli_command("ingest", "--no-analyze", str(corpus.path), "--db", str(db)), env=cli_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    second = subprocess.Popen(cli_command("ingest", "--no-analyze", str(corpus.path), "--db", str(db)), env=cli_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outcomes = [p.communicate(timeout=600) + (p.returncode,) for p in (first, second)]
    refused = [o for o in outcomes if "another sporbar process is writing" in o[1]]
    finished = [o for o in outcomes if o not in refused]
    assert len(refused) == 1 and len(finished) == 1, [(o[2], o[1][-300:]) for o in outcomes]
    assert refused[0][2] == 1 and refused[0][1].count("\n") == 1  # one line, no traceback
    assert finished[0][2] == 1 and "error:" not in finished[0][1]
    seeds = {a[0] for a in BACKEND.query(str(seeded_db), "SELECT id FROM articles")}
    check = check_archive(BACKEND, str(db), expected_ids=corpus.valid_ids | seeds)
    assert check.ok, check.problems


def test_reindex_during_an_ingest_is_refused(tmp_path: Path, seeded_db: Path, ndt_path: Path) -> None:
    db = tmp_path / "reindex.db"
    BACKEND.copy(str(seeded_db), str(db))
    # Large enough that the ingest is still writing when the reindex starts (ingest runs ~1,000 articles/s).
    corpus = build_corpus(ndt_path, tmp_path / "corpus.jsonl", articles=8000, seed=13)
    writer = subprocess.Popen(cli_command("ingest", "--no-analyze", str(corpus.path), "--db", str(db)), env=cli_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not Path(f"{db}.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # past start-up: the ingest holds the writer lock now
    reindex = run_cli("reindex", "--db", str(db))
    writer.communicate(timeout=600)
    assert reindex.returncode == 1 and "another sporbar process is writing" in reindex.stderr, reindex.stderr
    seeds = {a[0] for a in BACKEND.query(str(seeded_db), "SELECT id FROM articles")}
    check = check_archive(BACKEND, str(db), expected_ids=corpus.valid_ids | seeds)
    assert check.ok, check.problems
