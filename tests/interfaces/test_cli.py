"""The CLI: real commands through Typer's runner, checked against the Python API."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import sporbar
from sporbar.interfaces.cli import app, run

from ..conftest import Archives

runner = CliRunner()


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.output


def test_cli_ingest_search_show_stats(archives: Archives, seeds_dir: Path, ndt_path: Path) -> None:
    target, index = archives.target("a")
    db = ["--db", str(target), *(["--index", str(index)] if index else [])]
    code, output = invoke("ingest", "--no-analyze", str(seeds_dir), str(ndt_path), *db)
    assert code == 0, output
    assert "read 311 · stored 311" in output
    code, output = invoke("search", "fremmedkriger", *db, "--json")
    assert code == 0
    payload = json.loads(output)
    assert payload["total"] == 1 and payload["hits"][0]["date"] == "2019-02"
    assert "[fremmedkrigere]" in invoke("search", "fremmedkriger", *db)[1] or "fremmedkrig" in output
    code, output = invoke("show", "ndt-ap001-001", *db, "--json")
    assert json.loads(output)["title"] == "Lam og piggvar på bryllupsmenyen"
    code, output = invoke("stats", *db, "--json")
    figures = json.loads(output)
    assert figures["articles"] == 311 and figures["index_documents"] == 311
    assert figures["date_precision"] == {"day": 309, "month": 2}
    assert figures["backend"] == archives.backend and figures["index_current"]
    code, output = invoke("report", *db, "--limit", "3")
    assert code == 0 and "311 articles" in output


def test_cli_a_search_index_from_elsewhere_is_refused_then_rebuilt(archives: Archives, seeds_dir: Path, tmp_path: Path) -> None:
    """One store, a second index folder (another machine's): search says so, reindex makes it this store's."""
    target, index = archives.target("two-indexes")
    first = ["--db", str(target), *(["--index", str(index)] if index else [])]
    other = ["--db", str(target), "--index", str(tmp_path / "elsewhere.index")]
    assert invoke("ingest", "--no-analyze", str(seeds_dir), *first)[0] == 0
    refused = runner.invoke(app, ["search", "koalisjon", *other])
    assert refused.exit_code == 1 and "was not built from this store" in str(refused.exception)
    code, output = invoke("reindex", *other)
    assert code == 0 and "indexed 2 articles" in output
    assert json.loads(invoke("search", "koalisjon", *other, "--json")[1])["total"] == 2
    # Now the first folder is the stale one; an ingest through it rebuilds it whole.
    assert invoke("search", "koalisjon", *first)[0] == 1
    assert invoke("ingest", "--no-analyze", str(seeds_dir), *first)[0] == 0
    assert json.loads(invoke("search", "koalisjon", *first, "--json")[1])["total"] == 2


def test_cli_stdin_and_date_option(tmp_path: Path) -> None:
    db = str(tmp_path / "b.db")
    code, output = invoke("ingest", "--no-analyze", "-", "--db", db, "--format", "text", "--date", "2021-06-01", input="Stortinget vedtok loven.")
    assert code == 0, output
    with sporbar.open(db) as kb:
        (article,) = list(kb.articles())
        assert (article.date.value, article.text) == ("2021-06-01", "Stortinget vedtok loven.")


def test_cli_errors_are_one_line_without_traceback(tmp_path: Path, capsys: object) -> None:
    code = run(["show", "finnes-ikke", "--db", str(tmp_path / "missing.db")])
    captured = capsys.readouterr()  # type: ignore[attr-defined]
    assert code == 1
    assert "Traceback" not in captured.err
    assert captured.err.strip().startswith("error: no store at")
    assert len(captured.err.strip().splitlines()) == 1
    code = run(["search", "x", "--from", "i fjor", "--db", str(tmp_path / "missing.db")])
    assert code == 1


def test_cli_export_formats_follow_the_contract(tmp_path: Path, seeds_dir: Path) -> None:
    db = str(tmp_path / "c.db")
    invoke("ingest", "--no-analyze", str(seeds_dir), "--db", db)
    code, output = invoke("export", "articles", "--db", db)
    rows = [json.loads(line) for line in output.splitlines()]
    assert [r["date"] for r in rows] == ["2017-03", "2019-02"]
    for row in rows:
        assert list(row)[:6] == ["id", "date", "title", "source", "url", "text"]
    out_csv = tmp_path / "a.csv"
    invoke("export", "articles", "--db", db, "--format", "csv", "--out", str(out_csv))
    csv_rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert [r["text"] for r in csv_rows] == [r["text"] for r in rows]
    out_parquet = tmp_path / "a.parquet"
    code, _ = invoke("export", "articles", "--db", db, "--format", "parquet", "--out", str(out_parquet))
    assert code == 0
    table = pq.read_table(out_parquet)
    assert table.column_names[:6] == ["id", "date", "title", "source", "url", "text"]
    assert table.column("text").to_pylist() == [r["text"] for r in rows]
    code, output = invoke("export", "nonsense", "--db", db)
    assert code == 1


def test_cli_reindex_rebuilds_from_store(tmp_path: Path, seeds_dir: Path) -> None:
    db = str(tmp_path / "d.db")
    invoke("ingest", "--no-analyze", str(seeds_dir), "--db", db)
    code, output = invoke("reindex", "--db", db)
    assert code == 0 and "indexed 2 articles" in output
    with sporbar.open(db) as kb:
        assert kb.index.count() == 2
        assert len(kb.search("koalisjon")) == 2


COMMANDS = [
    "analyze", "entities", "entity", "eval", "export", "ingest", "numbers", "quotes", "reindex", "report", "roles", "search",
    "serve", "show", "stats", "stories", "story", "timeline", "who",
]
EVAL_COMMANDS = ["entities", "ner", "numbers", "quotes", "roles", "stories", "times"]


def test_cli_commands_are_all_registered_and_documented() -> None:
    import typer.main

    group = typer.main.get_command(app)
    assert sorted(group.commands) == COMMANDS  # type: ignore[attr-defined]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"sporbar {name}" in readme, f"`sporbar {name}` is not documented in README.md"
        help_text = runner.invoke(app, [name, "--help"]).output
        assert "Usage:" in help_text
    evaluations = group.commands["eval"]  # type: ignore[attr-defined]
    assert sorted(evaluations.commands) == EVAL_COMMANDS
    for name in EVAL_COMMANDS:
        assert f"sporbar eval {name}" in readme, f"`sporbar eval {name}` is not documented in README.md"


def test_cli_serve_with_two_processes_answers_and_stops_on_sigterm(tmp_path: Path, seeds_dir: Path) -> None:
    """`serve --workers 2`: one socket per process on one port; every connection answered; SIGTERM stops all."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    import httpx

    db = tmp_path / "served.db"
    assert invoke("ingest", "--no-analyze", str(seeds_dir), "--db", str(db))[0] == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "sporbar.interfaces.cli", "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)
        # New connections each time, so both processes' sockets take some.
        totals = {httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "koalisjon"}, timeout=10).json()["total"] for _ in range(20)}
        assert totals == {2}
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) is not None
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
    finally:
        if server.poll() is None:
            server.kill()
