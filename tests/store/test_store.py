"""The store, in both backends: migrations, idempotent re-ingest, duplicates, crash recovery, single writer."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sporbar
from sporbar.api import KnowledgeBase
from sporbar.errors import SchemaTooNew, StoreError, StoreLocked
from sporbar.store.migrations import MIGRATIONS

from ..conftest import Archives


def test_store_schema_is_migrated_and_recorded(kb: KnowledgeBase) -> None:
    versions = kb.store.run_sql("SELECT version, name FROM schema_migrations ORDER BY version")
    assert [v for v, _ in versions] == [m.version for m in MIGRATIONS]
    assert kb.store.schema_version == MIGRATIONS[-1].version
    # Names compare beyond ASCII in both backends ("Økokrim", "Østlendingen").
    assert kb.store.run_sql("SELECT casefold(?)", ("ØKOKRIM Østlendingen",)) == [("økokrim østlendingen",)]
    if kb.store.backend == "sqlite":
        assert kb.store.run_sql("PRAGMA journal_mode") == [("wal",)]
        assert kb.store.run_sql("PRAGMA foreign_keys") == [(1,)]
    else:
        double = kb.store.run_sql(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = 'numbers' AND column_name = 'value'"
        )
        assert double == [("double precision",)]  # SQLite's REAL is 8 bytes: so is this


def test_store_refuses_a_newer_schema(archives: Archives) -> None:
    target, index = archives.target("ny")
    with sporbar.open(target, index=index) as archive:
        archive.store.run_sql("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')")
    with pytest.raises(SchemaTooNew):
        sporbar.open(target, index=index)


def test_store_rejects_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        sporbar.open(bogus)


def test_store_postgres_that_cannot_be_reached_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL at postgresql://nobody@"):
        sporbar.open(f"postgresql://nobody@/nowhere?host={tmp_path}&port=1", index=tmp_path / "i")


def test_store_reingest_changes_nothing(kb: KnowledgeBase, seeds_dir: Path, ndt_path: Path) -> None:
    first = kb.ingest([seeds_dir, ndt_path], analyze=False)
    assert (first.stored, first.unchanged) == (311, 0)
    before = kb.store.run_sql("SELECT id, text_hash, revision FROM articles ORDER BY id")
    second = kb.ingest([seeds_dir, ndt_path], analyze=False)
    assert (second.stored, second.updated, second.unchanged, len(second.duplicates)) == (0, 0, 311, 0)
    after = kb.store.run_sql("SELECT id, text_hash, revision FROM articles ORDER BY id")
    assert before == after
    assert kb.index.count() == 311


def test_store_exact_duplicate_skipped_and_reported(kb: KnowledgeBase, tmp_path: Path, ndt_records: list[dict]) -> None:
    original = ndt_records[10]
    copy = dict(original, id="wire-copy", source="NTB")
    path = tmp_path / "dup.jsonl"
    path.write_text(json.dumps(original) + "\n" + json.dumps(copy) + "\n", encoding="utf-8")
    report = kb.ingest([path], analyze=False)
    assert report.stored == 1
    (dup,) = report.duplicates
    assert (dup.article_id, dup.duplicate_of, dup.location.line) == ("wire-copy", original["id"], 2)


def test_store_near_duplicates_linked_both_ways(kb: KnowledgeBase, tmp_path: Path, ndt_records: list[dict]) -> None:
    original = max(ndt_records, key=lambda r: len(r["text"]))
    sentences = original["text"].split("\n")
    edited = sentences[:-1] + [sentences[-1].replace(".", ", opplyser NTB.")]
    edited[0] = "(NTB) " + edited[0]
    copy = dict(original, id="ntb-copy", text="\n".join(edited))
    unrelated = ndt_records[0]
    path = tmp_path / "near.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (original, unrelated, copy)) + "\n", encoding="utf-8")
    report = kb.ingest([path], analyze=False)
    assert report.stored == 3 and report.near_duplicates == 1
    (link,) = kb.near_duplicates("ntb-copy")
    assert link.other_id == original["id"] and link.similarity >= 0.7
    assert [n.other_id for n in kb.near_duplicates(original["id"])] == ["ntb-copy"]
    assert kb.near_duplicates(unrelated["id"]) == []


def test_store_run_lookups_kept_in_files_find_what_memory_finds(
    tmp_path: Path, ndt_records: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long run keeps its band keys and taken ids in scratch files: with a memory budget of a few articles
    # (every batch spills and merges), the run must report and link exactly what the all-in-memory run does,
    # in a first run and in a second run that loads the stored keys, and leave no scratch folder behind.
    import tempfile

    from sporbar.normalize import sorted_runs

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    long_ones = sorted(ndt_records, key=lambda r: -len(r["text"]))[:3]
    copies = [
        dict(r, id=f"ntb-copy-{n}", text="\n".join(["(NTB) " + r["text"].split("\n")[0], *r["text"].split("\n")[1:]]))
        for n, r in enumerate(long_ones)
    ]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    originals = list({r["id"]: r for r in ndt_records[:150] + long_ones}.values())
    records = originals + copies[:2] + [ndt_records[3], dict(ndt_records[4], id="exact-copy")]
    first.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    second.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [copies[2], ndt_records[7], ndt_records[7]]) + "\n", encoding="utf-8")

    def run(name: str) -> list[tuple]:
        kb = sporbar.open(tmp_path / f"{name}.db", index=tmp_path / f"{name}.index")
        try:
            out = []
            for path in (first, second, first):  # new; a near copy of a stored article and a repeat; unchanged
                report = kb.ingest([path], analyze=False, batch_size=8)
                out.append((report.stored, report.unchanged, report.near_duplicates,
                            sorted((d.article_id, d.duplicate_of) for d in report.duplicates)))
            out.append(kb.store.run_sql("SELECT article_id, other_id, similarity FROM near_duplicates ORDER BY 1, 2"))
            return out
        finally:
            kb.close()

    in_memory = run("memory")
    monkeypatch.setattr(sorted_runs, "MEMORY_ENTRIES", 40)
    monkeypatch.setattr(sorted_runs, "MERGE_CHUNK", 100)
    in_files = run("files")
    assert in_files == in_memory
    assert in_memory[0][2] == 2 and in_memory[1][2] == 1
    assert in_memory[0][3] == sorted([(ndt_records[3]["id"], ndt_records[3]["id"]), ("exact-copy", ndt_records[4]["id"])])
    assert in_memory[1][:2] == (1, 1) and in_memory[1][3] == [(ndt_records[7]["id"], ndt_records[7]["id"])]
    assert {(a, b) for a, b, _ in in_memory[3]} == {
        tuple(sorted((c["id"], r["id"]))) for c, r in zip(copies, long_ones, strict=True)
    }
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("sporbar-")]


@pytest.mark.parametrize("keys_stored", [True, False], ids=["band keys stored", "schema 11 rows: keys from signature"])
def test_store_near_duplicate_of_an_earlier_run(kb: KnowledgeBase, tmp_path: Path, ndt_records: list[dict], keys_stored: bool) -> None:
    # The band lookup lives in memory for one run: a later run must find the copy through the stored band keys,
    # or, for fingerprints stored before schema 13 (no keys), through keys computed from their signatures.
    original = max(ndt_records, key=lambda r: len(r["text"]))
    sentences = original["text"].split("\n")
    copy = dict(original, id="ntb-copy", text="\n".join(["(NTB) " + sentences[0], *sentences[1:]]))
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(json.dumps(r) for r in ndt_records[:5] + [original]) + "\n", encoding="utf-8")
    second.write_text(json.dumps(copy) + "\n", encoding="utf-8")
    assert kb.ingest([first], analyze=False).near_duplicates == 0
    if not keys_stored:
        kb.store.run_sql("UPDATE article_fingerprints SET band_keys = NULL")
    report = kb.ingest([second], analyze=False)
    assert report.stored == 1 and report.near_duplicates == 1
    # Keys computed from signatures are stored, so later runs read them.
    assert kb.store.run_sql("SELECT count(*) FROM article_fingerprints WHERE band_keys IS NULL") == [(0,)]
    assert [n.other_id for n in kb.near_duplicates("ntb-copy")] == [original["id"]]
    # Idempotent: the same input again links nothing new and stores nothing.
    again = kb.ingest([first, second], analyze=False)
    assert (again.stored, again.near_duplicates, again.unchanged) == (0, 0, 7)


def test_store_changed_article_is_updated_not_duplicated(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    path.write_text(json.dumps({"id": "sak-1", "date": "2019-02-13", "text": "Første versjon om koalisjonen."}) + "\n")
    kb.ingest([path], analyze=False)
    path.write_text(json.dumps({"id": "sak-1", "date": "2019-02-13", "text": "Rettet versjon om fremmedkrigere."}) + "\n")
    report = kb.ingest([path], analyze=False)
    assert (report.stored, report.updated) == (0, 1)
    assert kb.article("sak-1").text == "Rettet versjon om fremmedkrigere."
    assert [h.article_id for h in kb.search("fremmedkriger")] == ["sak-1"]
    assert kb.search("koalisjon") == []


def test_store_interrupted_index_write_is_completed_on_rerun(kb: KnowledgeBase, ndt_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sporbar.store.search_index import SearchIndex

    calls = {"n": 0}
    real_upsert = SearchIndex.upsert

    def failing_upsert(self: SearchIndex, articles: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("simulated crash between the store and the index")
        real_upsert(self, articles, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "upsert", failing_upsert)
    with pytest.raises(RuntimeError):
        kb.ingest([ndt_path], analyze=False, batch_size=100)
    monkeypatch.setattr(SearchIndex, "upsert", real_upsert)
    stored_after_crash = kb.store.count_articles()
    assert stored_after_crash == 200  # two whole batches landed in SQLite
    # The index commits every few seconds, so neither batch is recorded as indexed yet.
    assert kb.store.count_unindexed() == 200
    report = kb.ingest([ndt_path], analyze=False, batch_size=100)
    assert report.stored == 109 and report.unchanged == 200
    assert kb.store.count_articles() == kb.index.count() == 309
    assert kb.store.count_unindexed() == 0


def _stored_count(target: str | Path) -> int:
    """Articles stored so far, seen from another connection while a writer runs."""
    if isinstance(target, str):
        import psycopg

        try:
            with psycopg.connect(target, autocommit=True) as conn:
                return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]
        except psycopg.errors.UndefinedTable:
            return 0
    if not target.exists():
        return 0
    try:
        conn = sqlite3.connect(target, timeout=1)
        n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        conn.close()
        return int(n)
    except sqlite3.OperationalError:
        return 0


def test_store_sigkill_mid_ingest_then_rerun_completes(archives: Archives, ndt_path: Path) -> None:
    target, index = archives.target("kill")
    index_args = ["--index", str(index)] if index else []
    command = [sys.executable, "-m", "sporbar.interfaces.cli", "ingest", "--no-analyze", str(ndt_path), "--db", str(target),
               "--batch-size", "10", *index_args]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _stored_count(target) < 50:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sporbar.open(target, index=index) as archive:
        partial = archive.store.count_articles()
        assert 0 < partial < 309, "the kill should land mid-run"
        if archive.store.backend == "sqlite":
            assert archive.store.run_sql("PRAGMA integrity_check") == [("ok",)]
        report = archive.ingest([ndt_path], analyze=False)
        assert report.stored == 309 - partial and report.unchanged == partial
        ids = [row[0] for row in archive.store.run_sql("SELECT id FROM articles")]
        assert len(ids) == len(set(ids)) == 309
        assert archive.index.count() == 309
        assert len(archive.search("", limit=1000)) == 309


def test_store_second_writer_is_refused(kb: KnowledgeBase, tmp_path: Path, seeds_dir: Path) -> None:
    other = sporbar.open(kb.path, index=kb.index_path)
    try:
        other.store.acquire_writer()
        with pytest.raises(StoreLocked):
            kb.ingest([seeds_dir], analyze=False)
    finally:
        other.close()
    assert kb.ingest([seeds_dir], analyze=False).stored == 2


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_store_text_moving_between_ids_in_one_batch_is_not_lost(kb: KnowledgeBase, tmp_path: Path) -> None:
    text_a = "Koalisjonen mot IS møtes i Washington for første gang siden 2017."
    text_b = "Utenriksministeren reiser til Washington for å møte koalisjonen."
    kb.ingest([_jsonl(tmp_path / "1.jsonl", [{"id": "X", "date": "2019-02", "text": text_a}])], analyze=False)
    report = kb.ingest(
        [_jsonl(tmp_path / "2.jsonl", [{"id": "X", "date": "2019-02", "text": text_b}, {"id": "Y", "date": "2019-02", "text": text_a}])],
        analyze=False,
    )
    assert (report.stored, report.updated, report.duplicates) == (1, 1, [])
    assert (kb.article("X").text, kb.article("Y").text) == (text_b, text_a)


def test_store_identical_records_without_id_are_reported_as_duplicates(kb: KnowledgeBase, tmp_path: Path) -> None:
    record = {"date": "2019-02-13", "text": "Samme melding fra NTB, sendt to ganger."}
    report = kb.ingest([_jsonl(tmp_path / "d.jsonl", [record, record])], analyze=False)
    assert report.stored == 1 and report.updated == 0
    (duplicate,) = report.duplicates
    assert duplicate.location.line == 2
    again = kb.ingest([tmp_path / "d.jsonl"], analyze=False)
    assert again.unchanged == 1 and len(again.duplicates) == 1  # the second line repeats the first


def test_store_corrected_date_or_title_is_an_update(kb: KnowledgeBase, tmp_path: Path) -> None:
    record = {"id": "sak", "date": "2019-02-13", "title": "Skrivefeil", "text": "Koalisjonen møttes i Washington."}
    kb.ingest([_jsonl(tmp_path / "v1.jsonl", [record])], analyze=False)
    report = kb.ingest([_jsonl(tmp_path / "v2.jsonl", [dict(record, date="2019-02-06", title="Rettet tittel")])], analyze=False)
    assert (report.updated, report.unchanged) == (1, 0)
    article = kb.article("sak")
    assert (article.date.value, article.title) == ("2019-02-06", "Rettet tittel")
    assert [h.article_id for h in kb.search("rettet", since="2019-02-06", until="2019-02-06")] == ["sak"]


def test_store_story_that_grows_keeps_its_articles(seeded_kb: KnowledgeBase) -> None:
    # Saving a story row again must update it in place: replacing it (delete, insert) cascades to story_articles.
    first, second = sorted(seeded_kb.store.all_ids())
    store = seeded_kb.store
    store.save_story_state([(1, "koalisjon", "2017-03-01", "2017-03-31", 1, "{}")], [("koalisjon", 1)], [(first, 1, 1.0)], {}, 1)
    store.save_story_state([(1, "koalisjon", "2017-03-01", "2019-02-28", 2, "{}")], [("koalisjon", 1)], [(second, 1, 0.5)], {}, 2)
    assert sorted(a["article_id"] for a in store.story_articles(1)) == [first, second]
    assert [(s["story_id"], s["last_date"], s["articles"]) for s in store.stories()] == [(1, "2019-02-28", 2)]


def test_store_pages_of_articles_to_analyse_are_the_whole_list_in_order(kb: KnowledgeBase, seeds_dir: Path, ndt_path: Path) -> None:
    # analyse_pending reads the articles to analyse a page at a time: the pages, joined, must be the one list
    # (date order, then id), with no article twice or missing, also where many articles share a date.
    kb.ingest([seeds_dir, ndt_path], analyze=False)
    model = "test-model"
    whole = kb.store.ids_needing_analysis(model)
    assert len(whole) == kb.store.count_needing_analysis(model) == 311
    for size in (1, 7, 310, 1000):
        pages, after = [], None
        while page := kb.store.ids_needing_analysis_after(model, after, size):
            assert len(page) <= size
            pages.extend(article_id for _, article_id in page)
            after = page[-1]
        assert pages == whole
