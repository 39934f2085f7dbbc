"""The CLI: real commands through Typer's runner, checked against the Python API."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

import sporbar
from sporbar.interfaces.cli import app, run

runner = CliRunner()


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.output


def test_cli_ingest_search_show_stats(tmp_path: Path, seeds_dir: Path, ndt_path: Path) -> None:
    db = str(tmp_path / "a.db")
    code, output = invoke("ingest", "--no-analyze", str(seeds_dir), str(ndt_path), "--db", db)
    assert code == 0, output
    assert "read 311 · stored 311" in output
    code, output = invoke("search", "fremmedkriger", "--db", db, "--json")
    assert code == 0
    payload = json.loads(output)
    assert payload["total"] == 1 and payload["hits"][0]["date"] == "2019-02"
    assert "[fremmedkrigere]" in invoke("search", "fremmedkriger", "--db", db)[1] or "fremmedkrig" in output
    code, output = invoke("show", "ndt-ap001-001", "--db", db, "--json")
    assert json.loads(output)["title"] == "Lam og piggvar på bryllupsmenyen"
    code, output = invoke("stats", "--db", db, "--json")
    figures = json.loads(output)
    assert figures["articles"] == 311 and figures["index_documents"] == 311
    assert figures["date_precision"] == {"day": 309, "month": 2}
    code, output = invoke("report", "--db", db, "--limit", "3")
    assert code == 0 and "311 articles" in output


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


def test_cli_commands_are_all_registered_and_documented() -> None:
    import typer.main

    group = typer.main.get_command(app)
    assert sorted(group.commands) == COMMANDS  # type: ignore[attr-defined]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"sporbar {name}" in readme, f"`sporbar {name}` is not documented in README.md"
        help_text = runner.invoke(app, [name, "--help"]).output
        assert "Usage:" in help_text
