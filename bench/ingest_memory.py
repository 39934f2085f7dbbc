"""Memory of a store-only ingest as it goes: does it stay flat whatever the input size? (issue 8)

Runs the real CLI (``sporbar ingest FILE --no-analyze``) in a child process on the first N articles of
``bench/scale.py``'s archive, into a new store, and reads four times a second from ``/proc``:
the ingest process's resident memory split as the kernel counts it (``RssAnon``: the process's own
heap; ``RssFile``: pages of mapped files, here Tantivy's segments, which the kernel can drop at any time),
its preparing workers' resident memory, and how far the process has read the input (the archive's file
position), which turns time into articles. Peak RSS is also taken from ``wait4`` (what ``ru_maxrss``
reports, the figure the issue's 2 GB target is about).

Flat means: the anonymous memory after the first tenth of the input does not grow with the input.
The script prints it at every tenth and fits a line through the second half (bytes per article).

    python bench/ingest_memory.py --articles 300000 [--backend postgres --pg URL] [--src OTHER/src]

The archive is ``--archive`` (default: ``bench/scale.py``'s ``scale-N-2017.jsonl`` in ``--out``, built if missing);
a shorter run takes its first N lines (copied once to ``--out``). Figures go to ``--out/ingest-memory-…json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ingest_search import descendants, write_figures  # noqa: E402

MB = 1024 * 1024


def _status_kb(pid: int) -> dict[str, int]:
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                name, _, rest = line.partition(":")
                if name in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                    found[name] = int(rest.split()[0])
    except OSError:
        pass
    return found


def _read_position(pid: int, path: Path) -> int | None:
    """How far the process has read ``path``: the position of its open file, from ``/proc/PID/fdinfo``."""
    target = str(path.resolve())
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return None
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") != target:
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as info:
                for line in info:
                    if line.startswith("pos:"):
                        return int(line.split()[1])
        except OSError:
            continue
    return None


class MemorySampler(threading.Thread):
    def __init__(self, pid: int, archive: Path, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.archive, self.interval = pid, archive, interval
        self.samples: list[dict[str, float]] = []
        self.done = threading.Event()
        self.started = time.perf_counter()

    def run(self) -> None:
        position = 0
        while not self.done.wait(self.interval):
            main = _status_kb(self.pid)
            if not main:
                continue
            position = _read_position(self.pid, self.archive) or position
            workers = sum(_status_kb(child).get("VmRSS", 0) for child in descendants(self.pid))
            self.samples.append({
                "s": round(time.perf_counter() - self.started, 2),
                "read_bytes": position,
                "rss_mb": main.get("VmRSS", 0) / 1024,
                "anon_mb": main.get("RssAnon", 0) / 1024,
                "file_mb": main.get("RssFile", 0) / 1024,
                "workers_mb": workers / 1024,
            })


def _fit_bytes_per_article(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of anonymous memory (MB) against articles read, in bytes per article."""
    if len(points) < 3:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    if var == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / var
    return slope * MB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--archive", type=Path, help="a scale.py archive with at least --articles lines")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg", default=os.environ.get("SPORBAR_BENCH_PG"), help="PostgreSQL URL (a schema is made in it)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the sporbar to run (default: this checkout's)")
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--label", default="", help="added to the output file's name (an A/B run)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    archive = args.archive or out / f"scale-{args.articles}-2017.jsonl"
    if not archive.exists():
        import scale

        print(f"building {args.articles:,} articles → {archive} …", flush=True)
        pool = scale.sentence_pool(random.Random(2017))
        scale.build_archive(pool, args.articles, random.Random(2017), archive)
    lines = 0
    with archive.open("rb") as source:
        for lines, _ in enumerate(source, 1):
            if lines >= args.articles:
                break
    if lines < args.articles:
        parser.error(f"{archive} holds {lines:,} articles, fewer than --articles")
    if not archive.name.startswith(f"scale-{args.articles}-"):
        sliced = out / f"first-{args.articles}-of-{archive.name}"
        if not sliced.exists():
            with archive.open("rb") as source, sliced.open("wb") as target:
                for number, line in enumerate(source, 1):
                    target.write(line)
                    if number >= args.articles:
                        break
        archive = sliced
    name = f"ingest-memory-{args.backend}-{args.articles}{'-' + args.label if args.label else ''}"
    index = out / f"{name}.index"
    shutil.rmtree(index, ignore_errors=True)
    if args.backend == "sqlite":
        db_path = out / f"{name}.db"
        for leftover in out.glob(f"{name}.db*"):
            leftover.unlink()
        db = str(db_path)
    else:
        if not args.pg:
            parser.error("--backend postgres needs --pg URL (or $SPORBAR_BENCH_PG)")
        import psycopg

        schema = name.replace("-", "_")
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute("SET client_min_messages = warning")
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.execute(f"CREATE SCHEMA {schema}")
        db = f"{args.pg}{'&' if '?' in args.pg else '?'}options=-csearch_path%3D{schema}"
    total_bytes = archive.stat().st_size
    load_before = os.getloadavg()
    started = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()))
    child = subprocess.Popen(
        [sys.executable, "-m", "sporbar.interfaces.cli", "ingest", str(archive), "--no-analyze", "--db", db, "--index", str(index), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    sampler = MemorySampler(child.pid, archive, args.interval)
    sampler.start()
    stdout = child.stdout.read() if child.stdout else ""
    sampler.done.set()
    sampler.join()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"sporbar ingest failed with status {os.waitstatus_to_exitcode(status)}")
    report = json.loads(stdout)
    samples = sampler.samples
    per_byte = args.articles / total_bytes
    by_tenth: list[dict[str, float]] = []
    for tenth in range(1, 11):
        upto = [s for s in samples if s["read_bytes"] <= total_bytes * tenth / 10]
        if upto:
            last = upto[-1]
            by_tenth.append({
                "articles_read": round(last["read_bytes"] * per_byte),
                "anon_mb": round(last["anon_mb"]), "anon_peak_so_far_mb": round(max(s["anon_mb"] for s in upto)),
                "file_mb": round(last["file_mb"]), "workers_mb": round(last["workers_mb"]),
            })
    second_half = [(s["read_bytes"] * per_byte, s["anon_mb"]) for s in samples if s["read_bytes"] >= total_bytes / 2]
    results = {
        "benchmark": "bench/ingest_memory.py",
        "command": "python bench/ingest_memory.py " + " ".join(a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("postgresql:")),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "src": str(args.src.resolve()),
        "backend": args.backend,
        "articles": args.articles,
        "stored": report.get("stored"),
        "wall_s": round(wall, 1),
        "articles_per_s": round(args.articles / wall, 1),
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "peak_rss_mb_wait4": round(usage.ru_maxrss / 1024),
        "peak_anon_mb": round(max((s["anon_mb"] for s in samples), default=0)),
        "peak_file_mb": round(max((s["file_mb"] for s in samples), default=0)),
        "peak_workers_mb": round(max((s["workers_mb"] for s in samples), default=0)),
        "anon_growth_bytes_per_article_second_half": (
            round(slope) if (slope := _fit_bytes_per_article(second_half)) is not None else None
        ),
        "by_tenth_of_input": by_tenth,
    }
    target = out / f"{name}.json"
    write_figures(target, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
