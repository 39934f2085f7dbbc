"""Run every fuzz target for N seconds and print executions and findings.

    python fuzz/run_all.py --seconds 120 [--targets jsonl csv ...] [--jobs 1]

Each target keeps its corpus in fuzz/corpus/TARGET (so later runs start where
earlier ones stopped) and writes any crashing input to fuzz/crashes/.
Exit status 1 when a target found something.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = ["seed", "text", "jsonl", "json", "csv", "tsv", "html", "files", "query", "extractors"]
DONE = re.compile(r"Done (\d+) runs in (\d+) second")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="per target")
    parser.add_argument("--targets", nargs="*", default=TARGETS)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "fuzz.json")
    args = parser.parse_args()
    results = []
    for target in args.targets:
        corpus = HERE / "corpus" / target
        crashes = HERE / "crashes"
        corpus.mkdir(parents=True, exist_ok=True)
        crashes.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        process = subprocess.run(
            [sys.executable, str(HERE / "harness.py"), target, str(corpus), f"-max_total_time={args.seconds}",
             f"-artifact_prefix={crashes}/{target}-", "-max_len=65536", "-rss_limit_mb=4096", "-timeout=60"],
            capture_output=True, text=True,
        )
        log = process.stdout + process.stderr
        done = DONE.search(log)
        runs = int(done.group(1)) if done else None
        finding = None
        if process.returncode != 0:
            finding = next((line for line in log.splitlines() if "Error" in line or "exception" in line.lower()), "exit status " + str(process.returncode))
        seconds = time.perf_counter() - started
        results.append({"target": target, "runs": runs, "seconds": round(seconds, 1), "finding": finding})
        print(f"{target:12s} {runs if runs is not None else '?':>10} runs  {seconds:7.1f} s  {finding or 'no findings'}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    total = sum(r["runs"] or 0 for r in results)
    print(f"{total:,} inputs in all; {sum(1 for r in results if r['finding'])} targets with findings")
    return 1 if any(r["finding"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
