"""Store-only ingest into PostgreSQL: rate, and CPU per article of sporbar's processes and of the server (issue 8).

On the 2-core machine the rate depends on how busy the machine is; CPU per article says what the code costs.
The ingest (``sporbar ingest FILE --no-analyze``, the real CLI) runs in a child process; its CPU and its
worker processes' are read from ``/proc`` four times a second (per thread group: the main thread, Tantivy's
indexing and merging threads, the preparing workers). The server's CPU is that of the postmaster and all its
processes, exited ones included (``cutime``), before and after: the server must run on this machine and
``/proc`` must be readable (run as root or as the server's user). Where the server has ``pg_stat_statements``
loaded, the statements that took most server time are printed too.

    python bench/pg_ingest.py --pg postgresql://…  [--articles 20000] [--src OTHER_CHECKOUT/src]

The archive is ``bench/scale.py``'s (same sentences, same seed: ``scale-N-2017.jsonl`` in ``--out``, built
once). ``--src`` runs another checkout's sporbar (an A/B on the same archive and server). Figures go to
``bench/out/pg-ingest-N.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ingest_search import descendants, write_figures  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int, tid: int | None = None) -> list[str] | None:
    path = f"/proc/{pid}/task/{tid}/stat" if tid is not None else f"/proc/{pid}/stat"
    try:
        return Path(path).read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def server_cpu(postmaster: int) -> float:
    """CPU seconds of a PostgreSQL server: the postmaster, its live processes and those that exited."""
    fields = _stat(postmaster)
    if fields is None:
        return float("nan")
    total = sum(float(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    for child in Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split():
        child_fields = _stat(int(child))
        if child_fields is not None:
            total += float(child_fields[11]) + float(child_fields[12])
    return total / TICKS


class TreeMeter(threading.Thread):
    """The last CPU reading of every thread of a process tree, by kind (main, Tantivy, workers)."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.last: dict[tuple[int, int], tuple[str, float]] = {}
        self.done = threading.Event()

    def _pids(self) -> list[int]:
        return [self.root, *descendants(self.root)]

    def poll(self) -> None:
        for pid in self._pids():
            try:
                tids = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
            except OSError:
                continue
            for tid in tids:
                fields = _stat(pid, tid)
                if fields is None:
                    continue
                try:
                    name = Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
                except OSError:
                    continue
                if pid != self.root:
                    kind = "workers"
                elif tid == pid:
                    kind = "main thread"
                elif "merge" in name:
                    kind = "tantivy merging"
                elif "tantivy" in name or "thrd" in name:
                    kind = "tantivy indexing"
                else:
                    kind = "other threads"
                self.last[(pid, tid)] = (kind, (float(fields[11]) + float(fields[12])) / TICKS)

    def run(self) -> None:
        while not self.done.wait(0.25):
            self.poll()

    def totals(self) -> dict[str, float]:
        out: Counter[str] = Counter()
        for kind, seconds in self.last.values():
            out[kind] += seconds
        return {k: round(v, 2) for k, v in out.most_common()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default=os.environ.get("SPORBAR_BENCH_PG"), help="PostgreSQL URL (a database to make a schema in)")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the sporbar to run (default: this checkout's)")
    args = parser.parse_args(argv)
    if not args.pg:
        parser.error("--pg URL (or $SPORBAR_BENCH_PG) is needed")
    import psycopg
    import scale

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    archive = out / f"scale-{args.articles}-{args.seed}.jsonl"
    if not archive.exists():
        print(f"building {args.articles:,} articles → {archive} …", flush=True)
        pool = scale.sentence_pool(random.Random(args.seed))
        scale.build_archive(pool, args.articles, random.Random(args.seed), archive)
    schema = f"bench_ingest_{args.articles}"
    index = out / f"{schema}.index"
    subprocess.run(["rm", "-rf", str(index)], check=True)
    with psycopg.connect(args.pg, autocommit=True) as conn:
        conn.execute("SET client_min_messages = warning")
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        postmaster = int((_stat(backend) or ["", "0"])[1])
        statements = conn.execute("SELECT to_regclass('public.pg_stat_statements') IS NOT NULL").fetchone()[0]  # type: ignore[index]
        if statements:
            conn.execute("SELECT pg_stat_statements_reset()")
    db = f"{args.pg}{'&' if '?' in args.pg else '?'}options=-csearch_path%3D{schema}"
    load_before = os.getloadavg()
    server_before = server_cpu(postmaster)
    started = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()))
    child = subprocess.Popen(
        [sys.executable, "-m", "sporbar.interfaces.cli", "ingest", str(archive), "--no-analyze", "--db", db, "--index", str(index), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    meter = TreeMeter(child.pid)
    meter.start()
    stdout = child.stdout.read() if child.stdout else ""
    meter.done.set()
    meter.join()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    server = server_cpu(postmaster) - server_before
    load_after = os.getloadavg()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"sporbar ingest failed with status {os.waitstatus_to_exitcode(status)}")
    report = json.loads(stdout)
    n = report["stored"]
    sporbar_cpu = meter.totals()
    total = sum(sporbar_cpu.values()) + server
    results = {
        "benchmark": "bench/pg_ingest.py",
        "command": "python bench/pg_ingest.py " + " ".join(a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("postgres")),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "src": str(args.src.resolve()),
        "articles": n,
        "wall_s": round(wall, 1),
        "articles_per_s": round(n / wall, 1),
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "cpu_s": {**sporbar_cpu, "postgres server": round(server, 2)},
        "cpu_us_per_article": {
            "sporbar (all processes and threads)": round(1e6 * sum(sporbar_cpu.values()) / n),
            "postgres server": round(1e6 * server / n),
            "all": round(1e6 * total / n),
        },
        "two_core_bound_articles_per_s": round(2 * n / total),
        "ingest_peak_rss_bytes": usage.ru_maxrss * 1024,
    }
    if statements:
        with psycopg.connect(args.pg, autocommit=True) as conn:
            results["top_statements"] = [
                {"calls": calls, "ms": round(ms), "rows": rows, "query": query}
                for calls, ms, rows, query in conn.execute(
                    "SELECT calls, total_exec_time, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 100)"
                    " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 6"
                )
            ]
    target = out / f"pg-ingest-{args.articles}.json"
    write_figures(target, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
