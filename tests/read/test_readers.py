"""Readers on real files: the seed format, JSON Lines (the NDT corpus), CSV, HTML, plain text, stdin."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sporbar.models import RawRecord, Rejection
from sporbar.read import detect_format, read_paths

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def only_records(items: list) -> list[RawRecord]:
    return [i for i in items if isinstance(i, RawRecord)]


def only_rejections(items: list) -> list[Rejection]:
    return [i for i in items if isinstance(i, Rejection)]


def test_read_seed_format_keeps_date_and_repairs_export_escapes(seeds_dir: Path) -> None:
    records = only_records(list(read_paths([seeds_dir])))
    assert [r.date for r in records] == ["2017-03", "2019-02"]
    first, second = records
    assert first.text.startswith("Det er første gang siden 2014 at hele koalisjonen mot IS møtes.")
    assert "Alle må trekke sin del av lasset, sa presidenten." in second.text
    assert "\\," not in second.text
    assert first.location.path.endswith("000_ec6115b10a9998e0.txt") and first.location.line == 1


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a/b.jsonl", "jsonl"),
        ("a/b.JSONL", "jsonl"),
        ("b.ndjson", "jsonl"),
        ("b.jsonl.gz", "jsonl"),
        ("b.csv", "csv"),
        ("b.tsv", "tsv"),
        ("side.html", "html"),
        ("side.htm", "html"),
        ("tekst.txt", "text"),
    ],
)
def test_read_detect_format_by_extension(path: str, expected: str) -> None:
    assert detect_format(path) == expected


def test_read_jsonl_ndt_corpus_as_is(ndt_path: Path, ndt_records: list[dict]) -> None:
    items = list(read_paths([ndt_path]))
    records = only_records(items)
    assert not only_rejections(items)
    assert len(records) == len(ndt_records) == 309
    first = records[0]
    assert first.id == "ndt-ap001-001"
    assert first.source == "Aftenposten"
    assert first.date == "2001-08-25"
    assert first.title == "Lam og piggvar på bryllupsmenyen"
    # Fields outside the contract are kept as metadata.
    assert first.metadata["ud_split"] == ndt_records[0]["ud_split"]
    assert first.metadata["entities"][0]["text"] == "Parfait à la Mette-Marit"
    assert first.location.line == 1 and records[5].location.line == 6


def test_read_csv_with_header_and_multiline_text(tmp_path: Path, ndt_records: list[dict]) -> None:
    path = tmp_path / "artikler.csv"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["id", "date", "title", "source", "url", "text", "section"])
    writer.writeheader()
    for record in ndt_records[:3]:
        writer.writerow({k: record.get(k, "") for k in ["id", "date", "title", "source", "url", "text"]} | {"section": "nyheter"})
    writer.writerow({"id": "no-date", "text": "Teksten har ingen dato.", "date": ""})
    writer.writerow({"id": "last", "date": "2012-01-02", "text": "Siste rad."})
    path.write_text(buffer.getvalue(), encoding="utf-8")
    items = list(read_paths([path]))
    records = only_records(items)
    assert [r.id for r in records] == ["ndt-ap001-001", "ndt-ap001-002", "ndt-ap001-003", "last"]
    assert records[0].text == ndt_records[0]["text"]
    assert records[0].metadata == {"section": "nyheter"}
    (rejected,) = only_rejections(items)
    assert "missing required field 'date'" in rejected.reason
    # The rejected row starts on the line after the three multi-line records.
    lines_before = 1 + sum(r["text"].count("\n") + 1 for r in ndt_records[:3])
    assert rejected.location.line == lines_before + 1


def test_read_csv_without_required_columns_is_rejected_whole(tmp_path: Path) -> None:
    path = tmp_path / "feil.csv"
    path.write_text("tittel,innhold\nEn,To\n", encoding="utf-8")
    (rejected,) = list(read_paths([path]))
    assert isinstance(rejected, Rejection)
    assert "lacks required column(s) 'text', 'date'" in rejected.reason
    assert rejected.location.line == 1


def test_read_html_news_page_extracts_text_title_date() -> None:
    (record,) = list(read_paths([FIXTURES / "html" / "nyheter-koalisjonen.html"]))
    assert isinstance(record, RawRecord)
    assert record.title == "Koalisjonen mot IS samles i Washington"
    assert record.date == "2019-02-06"
    assert record.source == "Dagsavisen Øst"
    assert record.url.endswith("koalisjonen-mot-is-samles-i-washington-1.2345678")
    assert "– Norge vil fortsette å bidra til stabilisering i de frigjorte områdene, sier Søreide til avisen." in record.text
    assert "«Vi følger situasjonen tett», skriver departementet i en e-post." in record.text
    # Navigation, cookie banner, related links and footer are not article text.
    for boilerplate in ("Godta alle", "Bli abonnent", "Les også", "Ansvarlig redaktør", "Trump vil trekke"):
        assert boilerplate not in record.text
    # Paragraphs are separated by a blank line, as everywhere in sporbar.
    assert record.text.count("\n\n") == 3


def test_read_html_without_body_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "tom.html"
    path.write_text("<html><head><title>Tom side</title><meta charset='utf-8'></head></html>", encoding="utf-8")
    (rejected,) = list(read_paths([path], date="2020-01-01"))
    assert isinstance(rejected, Rejection)
    assert rejected.reason == "no article text found in the HTML page"


def test_read_plain_text_needs_a_date(tmp_path: Path) -> None:
    path = tmp_path / "notat.txt"
    path.write_text("Stortinget vedtok budsjettet i natt.\n\nDet ble lange forhandlinger.", encoding="utf-8")
    (rejected,) = list(read_paths([path]))
    assert isinstance(rejected, Rejection)
    assert "pass --date" in rejected.reason
    (record,) = list(read_paths([path], date="2021-12-05"))
    assert isinstance(record, RawRecord)
    assert record.date == "2021-12-05"
    assert record.text.startswith("Stortinget vedtok")


def test_read_directories_recursively_in_sorted_order(tmp_path: Path, seeds_dir: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "2.txt").write_text(" date 2020-05-17 Andre tekst.", encoding="utf-8")
    (tmp_path / "a" / "1.txt").write_text(" date 2020-05-16 Første tekst.", encoding="utf-8")
    (tmp_path / ".skjult.txt").write_text("ikke les meg", encoding="utf-8")
    records = only_records(list(read_paths([tmp_path])))
    assert [r.date for r in records] == ["2020-05-17", "2020-05-16"] or [r.date for r in records] == ["2020-05-16", "2020-05-17"]
    assert {r.text for r in records} == {"Første tekst.", "Andre tekst."}


def test_read_gzipped_jsonl(tmp_path: Path, ndt_records: list[dict]) -> None:
    import gzip

    path = tmp_path / "utvalg.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(json.dumps(r, ensure_ascii=False) for r in ndt_records[:4]).encode()))
    records = only_records(list(read_paths([path])))
    assert [r.id for r in records] == [r["id"] for r in ndt_records[:4]]
