"""Run the sporbar CLI and SIGKILL it just before its N-th SQL statement.

    python -m tests.reliability.kill_at_statement N ARGS...     # die before statement N
    python -m tests.reliability.kill_at_statement 0 ARGS...     # run through; print the count on stderr

Random kill moments find the phases that take time; this finds the ones that
do not: the instants between two statements of a migration, between a
transaction's last insert and its COMMIT, between the SQLite commit and the
index commit. Counting first (N = 0) and then killing at every statement, or
a sample of them, covers every such instant of a command.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys

COUNT_PREFIX = "sql-statements: "


def main() -> int:
    kill_at = int(sys.argv[1])
    args = sys.argv[2:]
    import sporbar.store.sqlite as store_module

    seen = {"n": 0}
    real_connect = sqlite3.connect

    def on_statement(_sql: str) -> None:
        seen["n"] += 1
        if seen["n"] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def traced_connect(*a: object, **kw: object) -> sqlite3.Connection:
        conn = real_connect(*a, **kw)  # type: ignore[arg-type]
        conn.set_trace_callback(on_statement)
        return conn

    store_module.sqlite3.connect = traced_connect  # type: ignore[assignment]
    from sporbar.interfaces.cli import run

    status = run(args)
    sys.stderr.write(f"{COUNT_PREFIX}{seen['n']}\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
