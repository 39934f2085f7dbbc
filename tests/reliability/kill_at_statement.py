"""Run the sporbar CLI and SIGKILL it just before its N-th SQL statement.

    python -m tests.reliability.kill_at_statement N ARGS...     # die before statement N
    python -m tests.reliability.kill_at_statement 0 ARGS...     # run through; print the count on stderr

Random kill moments find the phases that take time; this finds the ones that
do not: the instants between two statements of a migration, between a
transaction's last insert and its COMMIT, between the SQLite commit and the
index commit. Counting first (N = 0) and then killing at every statement, or
a sample of them, covers every such instant of a command.

SQLite statements are seen through the connection's trace callback. For a
PostgreSQL store (a ``postgresql://`` argument) psycopg runs on its pure-Python
libpq binding (``PSYCOPG_IMPL=python``), whose ``PGconn`` methods that send a
query are wrapped: every statement sporbar sends counts, including the
``BEGIN``/``COMMIT`` of its transactions and the start of each ``COPY``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from typing import Any

COUNT_PREFIX = "sql-statements: "
# The libpq calls that send one statement to the server (prepare only names one; put_copy_data streams rows).
PG_SENDS = ("send_query", "send_query_params", "send_query_prepared", "exec_", "exec_params", "exec_prepared")


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
    if any(arg.startswith(("postgresql://", "postgres://")) for arg in args):
        trace_postgres(lambda: on_statement(""))
    from sporbar.interfaces.cli import run

    status = run(args)
    sys.stderr.write(f"{COUNT_PREFIX}{seen['n']}\n")
    return status


def trace_postgres(on_statement: Callable[[], None]) -> None:
    """Call ``on_statement`` before every statement psycopg sends (through its Python libpq binding)."""
    os.environ["PSYCOPG_IMPL"] = "python"
    import psycopg
    from psycopg.pq import pq_ctypes

    if psycopg.pq.__impl__ != "python":
        raise RuntimeError("psycopg was imported before PSYCOPG_IMPL=python took effect")

    def traced(method: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*a: Any, **kw: Any) -> Any:
            on_statement()
            return method(*a, **kw)

        return wrapper

    for name in PG_SENDS:
        setattr(pq_ctypes.PGconn, name, traced(getattr(pq_ctypes.PGconn, name)))


if __name__ == "__main__":
    sys.exit(main())
