"""Bad input is reported with file, line and reason; valid records around it are kept."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sporbar.api import KnowledgeBase
from sporbar.interfaces.cli import app


def good(i: int) -> str:
    return json.dumps(
        {"id": f"ok-{i}", "date": "2019-02-13", "text": f"Artikkel nummer {i} handler om koalisjonen mot IS i Syria."},
        ensure_ascii=False,
    )


def test_bad_lines_in_jsonl_are_rejected_and_neighbours_kept(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "blandet.jsonl"
    lines = [
        good(1).encode(),
        b'{"id": "latin1", "date": "2019-02-13", "text": "Bl\xe5b\xe6r og sm\xf8r"}',  # invalid UTF-8
        good(2).encode(),
        b'{"id": "truncated", "date": "2019-02-13", "text": "Avbrutt',  # truncated JSON
        json.dumps({"id": "no-text", "date": "2019-02-13", "title": "Uten tekst"}).encode(),
        json.dumps({"id": "bad-date", "date": "i fjor", "text": "Dato som ikke er en dato."}).encode(),
        json.dumps({"id": "bad-month", "date": "2019-13-01", "text": "Måned 13 finnes ikke."}).encode(),
        json.dumps(["not", "an", "object"]).encode(),
        good(3).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    report = kb.ingest([path], analyze=False, rejects_path=tmp_path / "rejects.jsonl")
    assert report.stored == 3
    reasons = {r.location.line: r.reason for r in report.rejected}
    assert set(reasons) == {2, 4, 5, 6, 7, 8}
    assert reasons[2].startswith("invalid UTF-8")
    assert reasons[4].startswith("invalid JSON")
    assert reasons[5] == "missing required field 'text'"
    assert "not a date: 'i fjor'" in reasons[6]
    assert "month 13 does not exist" in reasons[7]
    assert reasons[8] == "expected a JSON object, got list"
    assert all(r.location.path == str(path) for r in report.rejected)
    assert {a.id for a in kb.articles()} == {"ok-1", "ok-2", "ok-3"}
    # The rejects file keeps each rejected record's raw text, so nothing is lost.
    written = [json.loads(line) for line in (tmp_path / "rejects.jsonl").read_text().splitlines()]
    assert [w["line"] for w in written] == [2, 4, 5, 6, 7, 8]
    assert written[1]["raw"].startswith('{"id": "truncated"')
    assert "Bl\\xe5b\\xe6r" in written[0]["raw"]


def test_bad_files_each_reported_with_reason(kb: KnowledgeBase, tmp_path: Path, seeds_dir: Path) -> None:
    empty = tmp_path / "tom.jsonl"
    empty.write_bytes(b"")
    binary = tmp_path / "bilde.jsonl"
    binary.write_bytes(bytes(range(256)) * 10)
    missing = tmp_path / "finnes-ikke.jsonl"
    unknown = tmp_path / "regneark.xlsx"
    unknown.write_bytes(b"PK\x03\x04 not really")
    report = kb.ingest([empty, binary, missing, unknown, seeds_dir], analyze=False)
    reasons = {Path(r.location.path).name: r.reason for r in report.rejected}
    assert reasons == {
        "tom.jsonl": "empty file",
        "bilde.jsonl": "binary file (contains NUL bytes), not text",
        "finnes-ikke.jsonl": "no such file or directory",
        "regneark.xlsx": "unknown format for extension '.xlsx'; pass --format (seed, text, jsonl, json, csv, tsv, html)",
    }
    assert report.stored == 2  # the seeds beside them


def test_fifty_megabyte_file_with_an_enormous_record(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "stor.jsonl"
    huge_text = "Koalisjonen møtes igjen. " * 2_100_000  # about 52 MB in one line
    with path.open("w", encoding="utf-8") as out:
        out.write(good(1) + "\n")
        out.write(json.dumps({"id": "huge", "date": "2019-02-13", "text": huge_text}) + "\n")
        out.write(good(2) + "\n")
    assert path.stat().st_size > 50_000_000
    report = kb.ingest([path], analyze=False)
    assert report.stored == 2
    (rejected,) = report.rejected
    assert rejected.location.line == 2
    assert "characters; the limit is 2,000,000" in rejected.reason


def test_cli_exit_status_reflects_rejections(tmp_path: Path, seeds_dir: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "cli.db"
    clean = runner.invoke(app, ["ingest", "--no-analyze", str(seeds_dir), "--db", str(db)])
    assert clean.exit_code == 0, clean.output
    broken = tmp_path / "brutt.jsonl"
    broken.write_text(good(1) + "\n{not json\n", encoding="utf-8")
    dirty = runner.invoke(app, ["ingest", "--no-analyze", str(broken), "--db", str(db)])
    assert dirty.exit_code == 1
    assert f"{broken}:2: invalid JSON" in dirty.output
    assert (tmp_path / "cli.db.rejects.jsonl").exists()
