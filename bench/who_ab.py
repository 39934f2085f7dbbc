"""`who` and the role page, old code against new, on one store (issue 8).

The old `who` (commit BASE's ``src/sporbar/query/who.py``: every statement of the role read with
``store.roles(role=, org=)`` and grouped in Python) and the new one (the role-holder summary of schema 12 and
index ranges per holder) run alternately on the same store under the same load, on the same calls: every
(role, org) pair, and every role without an org, of the roles in the sample articles (the sample `bench/scale.py` copied onto every
article) with a seeded random month 1998–2019, as `bench/scale.py` asks them. Every answer of the two is compared
(they must be equal); p50/p95 per round and code, and of the role page (``role_holders`` with evidence).

    python bench/who_ab.py --db bench/out/scale_sqlite_300000.db --sample-file bench/out/scale-sample-36.jsonl [--base 7d9b1e4] [--rounds 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import sporbar  # noqa: E402
from sporbar.api import _end_of, _start_of  # noqa: E402
from sporbar.query import who as new_who  # noqa: E402


def _old_module(base: str):  # type: ignore[no-untyped-def]
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{base}:src/sporbar/query/who.py"], check=True, capture_output=True, text=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / "old_who.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_who", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {"n": len(ms), "p50_ms": round(ordered[len(ms) // 2], 2), "p95_ms": round(ordered[int(len(ms) * 0.95) - 1], 2),
            "max_ms": round(ordered[-1], 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="store path or PostgreSQL URL")
    parser.add_argument("--index", default=None)
    parser.add_argument("--sample-file", type=Path, default=None, help="bench/scale.py's scale-sample-S.jsonl (default: every article)")
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--base", default="7d9b1e4", help="commit whose who.py is the old code")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    old_who = _old_module(args.base)
    kb = sporbar.open(args.db, index=args.index)
    store = kb.store
    if args.sample_file:
        sample = [json.loads(line)["id"] for line in args.sample_file.read_text(encoding="utf-8").splitlines()]
        marks = ",".join("?" * len(sample))
        rows = store.run_sql(f"SELECT role, org FROM roles WHERE article_id IN ({marks})", sample)
    else:
        rows = store.run_sql("SELECT role, org FROM roles")
    # Each role with an org, and each role without one (every holder of the role, whatever the org).
    pairs = sorted({(r, o) for r, o in rows if o}) + sorted({(r, None) for r, _ in rows})
    rng = random.Random(args.seed)
    calls = [(role, org, f"{rng.randint(1998, 2019)}-{rng.randint(1, 12):02d}") for role, org in (rng.choice(pairs) for _ in range(args.calls))]
    statements = {(r, o): len(store.roles(role=r, org=o)) for r, o in pairs}
    print(f"{len(pairs)} (role, org) pairs; statements per pair: median {sorted(statements.values())[len(pairs) // 2]:,},"
          f" max {max(statements.values()):,}; load {os.getloadavg()}", flush=True)

    def ask(module, call):  # type: ignore[no-untyped-def]
        role, org, at = call
        return module.who(store, role, org=org, at=(_start_of(at), _end_of(at)))

    # Warm-up, and every answer compared.
    for call in calls:
        old, new = ask(old_who, call), ask(new_who, call)
        assert json.dumps(old, ensure_ascii=False) == json.dumps(new, ensure_ascii=False), call
    for role, org in pairs:
        old, new = old_who.role_holders(store, role, org=org), new_who.role_holders(store, role, org=org)
        assert json.dumps(old, ensure_ascii=False) == json.dumps(new, ensure_ascii=False), (role, org)
    print(f"answers equal for {len(calls)} who calls and {len(pairs)} role pages", flush=True)
    results: dict = {"pairs": len(pairs), "statements_per_pair": statements and {"median": sorted(statements.values())[len(pairs) // 2],
                     "max": max(statements.values())}, "rounds": []}
    for number in range(args.rounds):
        round_: dict = {"load_before": os.getloadavg()}
        for name, module in (("old", old_who), ("new", new_who)):
            ms = []
            for call in calls:
                started = time.perf_counter()
                ask(module, call)
                ms.append((time.perf_counter() - started) * 1000)
            round_[f"who_{name}"] = _summary(ms)
            ms = []
            for role, org, _ in calls[:30]:
                started = time.perf_counter()
                module.role_holders(store, role, org=org)
                ms.append((time.perf_counter() - started) * 1000)
            round_[f"role_page_{name}"] = _summary(ms)
        round_["load_after"] = os.getloadavg()
        results["rounds"].append(round_)
        print(f"round {number + 1}: " + json.dumps(round_), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    kb.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
