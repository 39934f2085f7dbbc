"""How a phrase's search cost follows the date window (issues 2, 8).

For a few phrases of common words, times ``SearchIndex.search`` alone (no store
read, no snippets; top 10, no total) with no dates and with windows of 1, 12 and
60 months starting 2005-01, each the fastest of ``--repeat`` runs, on a store and
index an earlier ``bench/scale.py`` or ``bench/ingest_search.py`` run left.

Usage:
    python bench/phrase_windows.py --db /tmp/s1m/scale_sqlite_1000000.db --index /tmp/s1m/scale_sqlite_1000000.index
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import sporbar  # noqa: E402
from sporbar.models import ParsedQuery  # noqa: E402
from sporbar.query.syntax import parse_query  # noqa: E402
from sporbar.store.search_index import SearchIndex  # noqa: E402

PHRASES = ('"og det"', '"i en"', '"det var"', '"for å"', '"som mener"')
WINDOWS = {
    "no dates": (None, None),
    "1 month": (dt.date(2005, 1, 1), dt.date(2005, 1, 31)),
    "12 months": (dt.date(2005, 1, 1), dt.date(2005, 12, 31)),
    "60 months": (dt.date(2005, 1, 1), dt.date(2009, 12, 31)),
}


def fastest_ms(index: SearchIndex, query: ParsedQuery, since: dt.date | None, until: dt.date | None, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        index.search(query, since=since, until=until, limit=10, count=False)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--index", default=None, help="the index folder (default: beside the store)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    kb = sporbar.open(args.db, index=args.index)
    index = kb.index
    print(f"{index.count():,} articles; ms, fastest of {args.repeat}")
    print("phrase".ljust(14) + "".join(name.rjust(12) for name in WINDOWS))
    for phrase in PHRASES:
        query = parse_query(phrase)
        cells = []
        for since, until in WINDOWS.values():
            ms = fastest_ms(index, query, since, until, args.repeat)
            cells.append(f"{ms:12.1f}")
        print(phrase.ljust(14) + "".join(cells))
    kb.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
