"""The run's look-up structures: what a dictionary answers, with most entries in files, and files that go away."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from sporbar.normalize import sorted_runs
from sporbar.normalize.sorted_runs import BLOCK, IdLog, IdSet, ScratchFolder, SortedRuns


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sorted_runs, "MERGE_CHUNK", 257)  # merges cross many chunk boundaries


def test_sorted_runs_answer_what_a_dictionary_answers(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    runs = SortedRuns(tmp_path, memory_entries=1000)
    reference: dict[int, list[int]] = {}
    # A few keys repeat hundreds of times (longer than a block, across files); most are unique.
    common = rng.integers(-(2**63), 2**63 - 1, 5, dtype=np.int64)
    value = 0
    for _ in range(120):
        keys = np.concatenate([rng.integers(-(2**63), 2**63 - 1, 150, dtype=np.int64), rng.choice(common, 10)])
        values = np.arange(value, value + len(keys), dtype=np.int64)
        value += len(keys)
        runs.add(keys, values)
        for k, v in zip(keys.tolist(), values.tolist(), strict=True):
            reference.setdefault(k, []).append(v)
    assert len(runs) == value
    assert 1 < len(runs.runs) < 8, "entries should be in a few merged files"
    for run in runs.runs:
        on_disk = np.fromfile(run.keys_path, dtype=np.int64)
        assert len(on_disk) == run.size and np.all(on_disk[1:] >= on_disk[:-1])
        assert np.array_equal(run.fence, on_disk[::BLOCK])
    stored = np.array(list(reference), dtype=np.int64)
    asked = np.concatenate([rng.choice(stored, 3000), common, rng.integers(-(2**63), 2**63 - 1, 3000, dtype=np.int64),
                            [np.iinfo(np.int64).min, np.iinfo(np.int64).max]])
    keys, values = runs.find(asked)
    got: dict[int, list[int]] = {}
    for k, v in zip(keys.tolist(), values.tolist(), strict=True):
        got.setdefault(k, []).append(v)
    expected = {k: reference[k] for k in set(asked.tolist()) if k in reference}
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in expected.items()}
    assert all(len(got[int(k)]) >= 100 for k in common)
    assert runs.contains(asked[:10]).tolist() == [int(k) in reference for k in asked[:10].tolist()]
    runs.close()
    assert list(tmp_path.iterdir()) == []


def test_extreme_and_neighbouring_keys_are_told_apart(tmp_path: Path) -> None:
    runs = SortedRuns(tmp_path, memory_entries=BLOCK)
    lowest, highest = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    keys = np.array([lowest, highest, *range(0, 2 * BLOCK * 3, 2)], dtype=np.int64)
    runs.add(keys, np.arange(len(keys), dtype=np.int64))
    assert runs.runs and not runs.levels
    asked = np.array([lowest, lowest + 1, highest, highest - 1, 0, 1, 2 * BLOCK, 2 * BLOCK + 1, 6 * BLOCK], dtype=np.int64)
    assert runs.contains(asked).tolist() == [True, False, True, False, True, False, True, False, False]


def test_id_log_reads_back_any_number(tmp_path: Path) -> None:
    log = IdLog(tmp_path)
    ids = ["ndt-001", "bjørn/ærlig-å", "", "🙂 id", "x" * 500]
    assert log.append(ids[:2]) == 0 and log.append(ids[2:]) == 2
    assert log.get([4, 0, 3, 2, 1]) == [ids[4], ids[0], ids[3], ids[2], ids[1]]
    with pytest.raises(IndexError):
        log.get([5])
    log.close()


def test_id_set_knows_the_ids_it_was_given(tmp_path: Path) -> None:
    taken = IdSet(tmp_path, memory_entries=50)
    for batch in range(10):
        taken.add([f"art-{batch}-{i}" for i in range(40)])
    assert taken.contains(["art-0-0", "art-9-39", "art-10-0", "art-3-17", "art-3-"]) == [True, True, False, True, False]
    taken.close()


def test_scratch_folders_of_killed_runs_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    # A process that made a folder and was killed before it could remove it.
    code = "import os, sys; from sporbar.normalize.sorted_runs import ScratchFolder; print(ScratchFolder('sporbar-ingest-').path); sys.stdout.flush(); os._exit(0)"
    env = dict(os.environ, TMPDIR=str(tmp_path))
    orphan = Path(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.strip())
    assert orphan.is_dir() and orphan.parent == tmp_path
    mine = ScratchFolder("sporbar-ingest-")
    assert not orphan.exists() and mine.path.is_dir()
    other = ScratchFolder("sporbar-ingest-")  # this process is alive: its folders stay
    assert mine.path.is_dir()
    mine.close()
    other.close()
    assert list(tmp_path.iterdir()) == []
