"""Look-ups that one ingest run needs over everything it has seen, in memory of a fixed size.

An ingest run checks each new article against every article stored before it
(near-duplicate band keys) and every record it has already taken (repeated
records in the input). Held in Python objects that cost ≈ 1 KB per article,
which at millions of articles is the process's largest memory. Here the
recent entries stay in memory and the rest go to sorted files in a scratch
folder (a log-structured merge: runs written once, merged in chunks with runs
of similar size, so a key is rewritten a few times and a look-up searches a
few files). A look-up finds its block of a file from a sparse in-memory list
of every ``BLOCK``-th key (8 bytes per 256 entries) and searches the block
through a read-only map that is closed after each call, so file pages do not
stay in the process either.

The files are temporary: the store holds the truth (band keys with each
fingerprint), and a run rebuilds these from it.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

BLOCK = 256  # entries between the in-memory fence keys: a look-up reads one 2 KiB block of keys
MERGE_CHUNK = 1 << 20  # entries per side read at a time while merging two files (16 MiB)
MEMORY_ENTRIES = 1 << 21  # entries kept in memory before they go to a file (32 MiB of keys and values)

T = TypeVar("T")


@dataclass
class _Run:
    """One sorted file pair on disk: keys (int64) and values (int64), and every BLOCK-th key in memory."""

    keys_path: Path
    values_path: Path
    size: int
    fence: np.ndarray

    def remove(self) -> None:
        self.keys_path.unlink(missing_ok=True)
        self.values_path.unlink(missing_ok=True)


class SortedRuns:
    """An int64 → int64 multimap for one run: recent entries in memory, the rest in sorted files under ``folder``."""

    def __init__(self, folder: Path, *, memory_entries: int | None = None) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.memory_entries = memory_entries if memory_entries is not None else MEMORY_ENTRIES
        self.levels: list[tuple[np.ndarray, np.ndarray]] = []  # in memory, sorted (keys, values), largest first
        self.runs: list[_Run] = []  # on disk, largest first
        self._next_file = 0

    def __len__(self) -> int:
        return sum(len(k) for k, _ in self.levels) + sum(r.size for r in self.runs)

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        keys = np.ascontiguousarray(keys, dtype=np.int64).reshape(-1)
        values = np.ascontiguousarray(values, dtype=np.int64).reshape(-1)
        if len(keys) != len(values):
            raise ValueError("keys and values differ in length")
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        self.levels.append((keys[order], values[order]))
        while len(self.levels) > 1 and len(self.levels[-1][0]) * 4 >= len(self.levels[-2][0]):
            small = self.levels.pop()
            self.levels.append(merge_sorted(self.levels.pop(), small))
        if sum(len(k) for k, _ in self.levels) >= self.memory_entries:
            self._spill()

    def find(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every stored ``(key, value)`` whose key is among ``wanted``, as two arrays."""
        wanted = np.unique(np.asarray(wanted, dtype=np.int64))
        found_keys: list[np.ndarray] = []
        found_values: list[np.ndarray] = []
        if not len(wanted):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        for keys, values in self.levels:
            start = np.searchsorted(keys, wanted, side="left")
            stop = np.searchsorted(keys, wanted, side="right")
            _collect(keys, values, wanted, start, stop, found_keys, found_values)
        for run in self.runs:
            _find_in_run(run, wanted, found_keys, found_values)
        if not found_keys:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(found_keys), np.concatenate(found_values)

    def contains(self, wanted: np.ndarray) -> np.ndarray:
        """One boolean per key of ``wanted``: whether any entry has it."""
        wanted = np.asarray(wanted, dtype=np.int64)
        found, _ = self.find(wanted)
        return np.isin(wanted, found)

    def _spill(self) -> None:
        """Write the in-memory entries as one sorted file, then merge files of similar size."""
        while len(self.levels) > 1:
            small = self.levels.pop()
            self.levels.append(merge_sorted(self.levels.pop(), small))
        keys, values = self.levels.pop()
        keys_path, values_path = self._new_paths()
        keys.tofile(keys_path)
        values.tofile(values_path)
        self.runs.append(_Run(keys_path, values_path, len(keys), keys[::BLOCK].copy()))
        while len(self.runs) > 1 and self.runs[-1].size * 4 >= self.runs[-2].size:
            small_run = self.runs.pop()
            large_run = self.runs.pop()
            self.runs.append(self._merge_runs(large_run, small_run))

    def _new_paths(self) -> tuple[Path, Path]:
        number = self._next_file
        self._next_file += 1
        return self.folder / f"run-{number}.keys", self.folder / f"run-{number}.values"

    def _merge_runs(self, large: _Run, small: _Run) -> _Run:
        """Merge two files into a new one, a chunk of each at a time (memory: a few chunks, whatever their size)."""
        keys_path, values_path = self._new_paths()
        fences: list[np.ndarray] = []
        written = 0
        with (
            _ChunkReader(large) as left, _ChunkReader(small) as right,
            keys_path.open("wb") as keys_out, values_path.open("wb") as values_out,
        ):
            while left.remaining or right.remaining:
                if not right.remaining or not left.remaining:
                    keys, values = (left if left.remaining else right).take_all_buffered()
                else:
                    # Everything up to the smaller of the two chunks' last keys can be merged now.
                    limit = min(left.keys[-1], right.keys[-1])
                    left_part = left.take_through(limit)
                    right_part = right.take_through(limit)
                    keys, values = merge_sorted(left_part, right_part)
                # The fence holds every BLOCK-th key of the output, counted from the file's start.
                first_fence = (-written) % BLOCK
                fences.append(keys[first_fence::BLOCK].copy())
                keys.tofile(keys_out)
                values.tofile(values_out)
                written += len(keys)
        large.remove()
        small.remove()
        fence = np.concatenate(fences) if fences else np.zeros(0, dtype=np.int64)
        return _Run(keys_path, values_path, written, fence)

    def close(self) -> None:
        for run in self.runs:
            run.remove()
        self.runs, self.levels = [], []


class _ChunkReader:
    """A sorted file pair read a chunk at a time, with the unread part of the current chunk buffered."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.position = 0  # entries read from the files so far
        self.keys = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0, dtype=np.int64)

    def __enter__(self) -> _ChunkReader:
        self._keys_file = self.run.keys_path.open("rb")
        self._values_file = self.run.values_path.open("rb")
        self._refill()
        return self

    def __exit__(self, *exc: object) -> None:
        self._keys_file.close()
        self._values_file.close()

    @property
    def remaining(self) -> bool:
        return bool(len(self.keys)) or self.position < self.run.size

    def _refill(self) -> None:
        if len(self.keys) or self.position >= self.run.size:
            return
        count = min(MERGE_CHUNK, self.run.size - self.position)
        self.keys = np.fromfile(self._keys_file, dtype=np.int64, count=count)
        self.values = np.fromfile(self._values_file, dtype=np.int64, count=count)
        self.position += count

    def take_through(self, limit: int) -> tuple[np.ndarray, np.ndarray]:
        cut = int(np.searchsorted(self.keys, limit, side="right"))
        taken = self.keys[:cut], self.values[:cut]
        self.keys, self.values = self.keys[cut:], self.values[cut:]
        self._refill()
        return taken

    def take_all_buffered(self) -> tuple[np.ndarray, np.ndarray]:
        taken = self.keys, self.values
        self.keys, self.values = self.keys[:0], self.values[:0]
        self._refill()
        return taken


def _collect(
    keys: np.ndarray, values: np.ndarray, wanted: np.ndarray, start: np.ndarray, stop: np.ndarray,
    found_keys: list[np.ndarray], found_values: list[np.ndarray],
) -> None:
    """Append the entries ``keys[start[i]:stop[i]]`` (key ``wanted[i]``) for every i with a match."""
    hits = np.flatnonzero(stop > start)
    if not len(hits):
        return
    counts = stop[hits] - start[hits]
    if np.all(counts == 1):
        positions = start[hits]
    else:
        positions = np.concatenate([np.arange(a, b) for a, b in zip(start[hits].tolist(), stop[hits].tolist(), strict=True)])
    found_keys.append(np.asarray(keys[positions], dtype=np.int64))
    found_values.append(np.asarray(values[positions], dtype=np.int64))


def _on_mapped(path: Path, read: Callable[[np.ndarray], T]) -> T:
    """Call ``read`` with a file of int64 as a read-only array mapped for this call only (its pages leave the
    process on return); ``read`` must return copies, not views of the array."""
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        # Random reads: without this the kernel maps neighbouring pages too (the process's resident size grows).
        mapped.madvise(mmap.MADV_RANDOM)
        array = np.frombuffer(mapped, dtype=np.int64)
        try:
            return read(array)
        finally:
            del array  # the map cannot close while an array views it


def _find_in_run(run: _Run, wanted: np.ndarray, found_keys: list[np.ndarray], found_values: list[np.ndarray]) -> None:
    """Search a file for sorted, distinct ``wanted`` keys: the fence picks a block, a bisection inside it finds the key."""
    if not run.size:
        return
    def search(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        positions = _positions(keys, run.fence, wanted)
        return positions, np.array(keys[positions], dtype=np.int64)

    positions, matched = _on_mapped(run.keys_path, search)
    if len(positions):
        found_keys.append(matched)
        found_values.append(_on_mapped(run.values_path, lambda values: np.array(values[positions], dtype=np.int64)))


def _positions(keys: np.ndarray, fence: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Positions in sorted ``keys`` of every entry whose key is among sorted, distinct ``wanted``."""
    size = len(keys)
    # The first entry with the key lies after the last fence key below it, and at most one block on.
    block = np.searchsorted(fence, wanted, side="left") - 1
    low = np.maximum(block, 0) * BLOCK
    high = np.where(block < 0, 0, np.minimum((block + 1) * BLOCK, size))
    active = np.flatnonzero(low < high)
    while len(active):
        middle = (low[active] + high[active]) >> 1
        below = keys[middle] < wanted[active]
        low[active[below]] = middle[below] + 1
        high[active[~below]] = middle[~below]
        active = active[low[active] < high[active]]
    inside = np.flatnonzero(low < size)
    hits = inside[keys[low[inside]] == wanted[inside]]
    starts = low[hits]
    stops = starts + 1
    # Repeated keys (one band key in several articles) are rare: extend those runs one entry at a time.
    longer = np.flatnonzero((stops < size) & (keys[np.minimum(stops, size - 1)] == wanted[hits]))
    for i in longer.tolist():
        end = int(stops[i])
        while end < size and keys[end] == wanted[hits[i]]:
            end += 1
        stops[i] = end
    if not len(longer):
        return starts
    return np.concatenate([np.arange(a, b) for a, b in zip(starts.tolist(), stops.tolist(), strict=True)])


def merge_sorted(large: tuple[np.ndarray, np.ndarray], small: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Merge two sorted (keys, values) runs in linear time; with equal keys, ``large``'s entries come first."""
    large_keys, large_values = large
    small_keys, small_values = small
    places = np.searchsorted(large_keys, small_keys, side="right") + np.arange(len(small_keys))
    keys = np.empty(len(large_keys) + len(small_keys), dtype=np.int64)
    values = np.empty(len(keys), dtype=np.int64)
    rest = np.ones(len(keys), dtype=bool)
    rest[places] = False
    keys[places] = small_keys
    values[places] = small_values
    keys[rest] = large_keys
    values[rest] = large_values
    return keys, values


class IdLog:
    """Article ids by number (0, 1, 2, …), appended to a file and read back by number (for the few that match)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._data = (folder / "ids.utf8").open("w+b")
        self._offsets = (folder / "ids.offsets").open("w+b")
        self._end = 0
        self._count = 0
        self._pending: list[int] = []

    def __len__(self) -> int:
        return self._count

    def append(self, ids: list[str]) -> int:
        """Store ids; return the number of the first."""
        first = self._count
        encoded = [i.encode("utf-8", "surrogatepass") for i in ids]
        ends = np.cumsum([len(e) for e in encoded], dtype=np.int64) + self._end
        self._data.write(b"".join(encoded))
        self._offsets.write(ends.tobytes())
        if len(ends):
            self._end = int(ends[-1])
        self._count += len(ids)
        return first

    def get(self, numbers: list[int]) -> list[str]:
        self._data.flush()
        self._offsets.flush()
        out: list[str] = []
        for number in numbers:
            if not 0 <= number < self._count:
                raise IndexError(number)
            start = 0 if number == 0 else int(np.frombuffer(os.pread(self._offsets.fileno(), 8, (number - 1) * 8), dtype=np.int64)[0])
            end = int(np.frombuffer(os.pread(self._offsets.fileno(), 8, number * 8), dtype=np.int64)[0])
            out.append(os.pread(self._data.fileno(), end - start, start).decode("utf-8", "surrogatepass"))
        return out

    def close(self) -> None:
        self._data.close()
        self._offsets.close()


def id_hashes(ids: list[str]) -> np.ndarray:
    """64-bit hashes of ids (BLAKE2b): equal ids, equal hashes; two of a run's ids share one with chance ≈ n² / 2⁶⁵."""
    return np.frombuffer(
        b"".join(hashlib.blake2b(i.encode("utf-8", "surrogatepass"), digest_size=8).digest() for i in ids), dtype=np.int64
    )


class ScratchFolder:
    """A temporary folder for one run's files (under ``$TMPDIR``), removed on close.

    Its name carries the process id: a run that was killed cannot remove its
    folder, so the next one removes the folders of processes that are gone.
    """

    def __init__(self, prefix: str = "sporbar-run-") -> None:
        _remove_orphans(prefix)
        self.path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class IdSet:
    """The ids a run has taken, as 64-bit hashes in a ``SortedRuns``: memory of a fixed size whatever the run's length."""

    def __init__(self, folder: Path, *, memory_entries: int | None = None) -> None:
        self._hashes = SortedRuns(folder, memory_entries=memory_entries)

    def __len__(self) -> int:
        return len(self._hashes)

    def add(self, ids: list[str]) -> None:
        if ids:
            self._hashes.add(id_hashes(ids), np.zeros(len(ids), dtype=np.int64))

    def contains(self, ids: list[str]) -> list[bool]:
        if not ids:
            return []
        return [bool(found) for found in self._hashes.contains(id_hashes(ids))]

    def close(self) -> None:
        self._hashes.close()


def _remove_orphans(prefix: str) -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*-*"):
        owner = folder.name[len(prefix):].split("-", 1)[0]
        if owner.isdigit() and not _process_exists(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
