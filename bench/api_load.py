"""Load on the HTTP API (issue 7): concurrent clients against `sporbar serve` on 127.0.0.1.

With the seeds and the NDT news corpus loaded (ingested and analysed into
bench/out/api_load.db on first use, or --db ARCHIVE), starts `sporbar serve` on a
free localhost port, then runs C concurrent clients (httpx, asyncio) for S seconds,
each sending a fixed, seeded mix of requests built from the archive itself:

    40 % search      /api/search?q=…  (entity names and common words, some with a date range)
    20 % entity      /api/entities/{id}
    20 % quotes      /api/quotes?speaker=… (some with words)
    20 % who         /api/who?role=…&org=…&at=…

Prints throughput, p50/p95/p99 latency (overall and per kind) and the error
count (any status other than 200, or a failed connection) against the target
(p95 ≤ 50 ms, 0 errors), and writes them to OUT/api_load.json. The load is
bounded in time and only ever sent to 127.0.0.1.

With --with-ingest, a `sporbar ingest --no-analyze` of new synthetic articles
writes to the same store while the load runs (readers must see no errors).

Usage:
    python bench/api_load.py                       # 20 clients, 30 s
    python bench/api_load.py --clients 5 --seconds 5
    python bench/api_load.py --with-ingest
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import httpx

failures: list[str] = []

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SPORBAR_SHARED", ROOT.parent / "shared"))
NDT = SHARED / "corpora" / "ndt-nob-news.jsonl"
SEEDS = ROOT / "examples" / "seeds"
TARGET_P95_MS = 50.0
SPORBAR = [sys.executable, "-m", "sporbar.interfaces.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_archive(db: Path) -> None:
    if db.exists():
        return
    db.parent.mkdir(parents=True, exist_ok=True)
    print(f"building {db}: ingesting and analysing the seeds and {NDT.name} (a couple of minutes) …", flush=True)
    subprocess.run([*SPORBAR, "ingest", str(SEEDS), str(NDT), "--db", str(db)], check=True)


def wait_until_up(base: str, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer within a minute")


def request_mix(base: str, seed: int) -> list[tuple[str, str, dict[str, Any]]]:
    """Requests built from what the archive holds: (kind, path, params)."""
    rng = random.Random(seed)
    people = httpx.get(f"{base}/api/entities", params={"label": "PER", "limit": 200}).json()["items"]
    orgs = httpx.get(f"{base}/api/entities", params={"label": "ORG", "limit": 100}).json()["items"]
    roles = httpx.get(f"{base}/api/roles", params={"limit": 200}).json()["items"]
    offices = sorted({(r["role"], r["org"]) for r in roles if r["org"]})
    words = ["regjeringen", "koalisjon", "statsminister", "fremmedkrigere", "valget", "Norge", "krig", "skatt", "kommunen",
             "politiet", "mener", "Oslo", "budsjett", "streik", "olje", "skole", "sykehus", "EU", "USA", "klima"]
    years = list(range(1998, 2020))
    mix: list[tuple[str, str, dict[str, Any]]] = []
    for _ in range(2000):
        pick = rng.random()
        if pick < 0.4:
            query = rng.choice([rng.choice(words), rng.choice(people)["canonical"].split()[-1], f'"{rng.choice(people)["canonical"]}"',
                                f"{rng.choice(words)} {rng.choice(words)}"])
            params: dict[str, Any] = {"q": query}
            if rng.random() < 0.5:
                start = rng.choice(years)
                params |= {"from": str(start), "to": str(min(start + rng.randint(1, 5), 2019))}
            mix.append(("search", "/api/search", params))
        elif pick < 0.6:
            entity = rng.choice(people + orgs)
            mix.append(("entity", f"/api/entities/{entity['entity_id']}", {}))
        elif pick < 0.8:
            params = {"speaker": rng.choice(people)["canonical"].split()[-1], "limit": 20}
            if rng.random() < 0.3:
                params["q"] = rng.choice(words)
            mix.append(("quotes", "/api/quotes", params))
        else:
            role, org = rng.choice(offices)
            mix.append(("who", "/api/who", {"role": role, "org": org, "at": str(rng.choice(years))}))
    return mix


async def client_loop(session: aiohttp.ClientSession, base: str, mix: list[tuple[str, str, dict[str, Any]]], start: int,
                      stop_at: float, results: list[tuple[str, float, bool]]) -> None:
    position = start
    while time.perf_counter() < stop_at:
        kind, path, params = mix[position % len(mix)]
        position += 7
        began = time.perf_counter()
        try:
            async with session.get(base + path, params=params) as response:
                body = await response.read()
                ok = response.status == 200
                if not ok:
                    failures.append(f"{response.status} {path} {params}: {body[:200]!r}")
        except (TimeoutError, aiohttp.ClientError) as exc:
            ok = False
            failures.append(f"{type(exc).__name__} {path} {params}: {exc}")
        results.append((kind, (time.perf_counter() - began) * 1000, ok))


async def run_load(base: str, mix: list[tuple[str, str, dict[str, Any]]], clients: int, seconds: float) -> tuple[list[tuple[str, float, bool]], float]:
    # aiohttp, not httpx: httpx spent ~6 ms of CPU per request here, more than the server, so it measured itself.
    results: list[tuple[str, float, bool]] = []
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        began = time.perf_counter()
        stop_at = began + seconds
        await asyncio.gather(*(client_loop(session, base, mix, i * 97, stop_at, results) for i in range(clients)))
        elapsed = time.perf_counter() - began
    return results, elapsed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def synthetic_ingest_file(path: Path, count: int, seed: int) -> Path:
    rng = random.Random(seed)
    sentences = [line for record in map(json.loads, NDT.read_text(encoding="utf-8").splitlines())
                 for line in record["text"].splitlines() if len(line) > 40]
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            text = "\n".join(rng.choice(sentences) for _ in range(25))
            out.write(json.dumps({"id": f"load-{seed}-{i}", "date": f"20{rng.randint(10, 19)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                                  "title": f"Lasttest {i}", "text": text}, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "api_load.db")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--workers", type=int, default=1, help="server processes (sporbar serve --workers)")
    parser.add_argument("--with-ingest", action="store_true", help="write new articles to the store while the load runs")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 0 < args.seconds <= 600:
        raise SystemExit("--clients must be 1–200 and --seconds at most 600")
    ensure_archive(args.db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*SPORBAR, "serve", "--db", str(args.db), "--host", "127.0.0.1", "--port", str(port),
                               "--workers", str(args.workers)],
                              stderr=subprocess.DEVNULL)
    writer = None
    try:
        wait_until_up(base, server)
        mix = request_mix(base, args.seed)
        asyncio.run(run_load(base, mix[-300:], args.clients, 3.0))  # warm-up: server threads, connections, caches
        if args.with_ingest:
            batch = synthetic_ingest_file(args.out / "api_load_ingest.jsonl", 3000, args.seed)
            writer = subprocess.Popen([*SPORBAR, "ingest", str(batch), "--no-analyze", "--db", str(args.db)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        failures.clear()
        results, elapsed = asyncio.run(run_load(base, mix, args.clients, args.seconds))
        ingest_status = writer.wait() if writer else None
    finally:
        if writer and writer.poll() is None:
            writer.terminate()
        server.terminate()
        server.wait(timeout=10)
    latencies = [ms for _, ms, _ in results]
    errors = sum(1 for *_, ok in results if not ok)
    figures: dict[str, Any] = {
        "clients": args.clients, "workers": args.workers, "seconds": round(elapsed, 1), "requests": len(results), "errors": errors,
        "throughput_rps": round(len(results) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1), "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1), "mean_ms": round(statistics.fmean(latencies), 1),
        "with_ingest": args.with_ingest, "ingest_exit_status": ingest_status, "per_kind": {},
    }
    for kind in ("search", "entity", "quotes", "who"):
        values = [ms for k, ms, _ in results if k == kind]
        if values:
            figures["per_kind"][kind] = {"requests": len(values), "p50_ms": round(percentile(values, 0.5), 1),
                                         "p95_ms": round(percentile(values, 0.95), 1), "p99_ms": round(percentile(values, 0.99), 1)}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "api_load.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"{args.clients} clients, {args.workers} server process(es), {elapsed:.1f} s, {len(results):,} requests, {figures['throughput_rps']} requests/s,"
          f" errors {errors}" + (f", concurrent ingest exit status {ingest_status}" if args.with_ingest else ""))
    for failure in failures[:10]:
        print("  error:", failure)
    print(f"{'':8} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    print(f"{'all':8} {len(results):>9,} {figures['p50_ms']:>8} {figures['p95_ms']:>8} {figures['p99_ms']:>8}")
    for kind, row in figures["per_kind"].items():
        print(f"{kind:8} {row['requests']:>9,} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8}")
    verdict = "met" if figures["p95_ms"] <= TARGET_P95_MS and errors == 0 else "NOT met"
    print(f"target: p95 ≤ {TARGET_P95_MS:.0f} ms with 0 errors — {verdict}")


if __name__ == "__main__":
    main()
