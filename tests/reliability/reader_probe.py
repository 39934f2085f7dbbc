"""A reader process for the concurrency tests: query an archive in a loop while something else writes it.

    python -m tests.reliability.reader_probe DB SECONDS

Prints one JSON line per round (articles, search total, quotes, who holders,
or the error a user would have seen) and stops after SECONDS. A real process,
not a thread, so SQLite locks and the index's files are shared the way two
users' commands share them.
"""

from __future__ import annotations

import json
import sys
import time

import sporbar
from sporbar.errors import SporbarError


def main() -> int:
    db, seconds = sys.argv[1], float(sys.argv[2])
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        round_: dict[str, object] = {"t": time.monotonic()}
        try:
            with sporbar.open(db) as kb:
                round_["articles"] = kb.store.count_articles()
                hits, total = kb.search_with_total("regjeringen", limit=20)
                round_["search_total"] = total
                round_["hits_exist"] = all(kb.store.article(h.article_id) is not None for h in hits)
                round_["quotes"] = len(kb.quotes(speaker="Pompeo"))
                round_["who"] = sorted(h["person"] for h in kb.who("utenriksminister", org="Norge", at="2017-03")["holders"])
        except SporbarError as exc:
            round_["error"] = f"{type(exc).__name__}: {exc.message}"
        except Exception as exc:  # what would reach a user as a crash
            round_["crash"] = f"{type(exc).__name__}: {exc}"
        print(json.dumps(round_, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
