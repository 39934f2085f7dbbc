"""The ingest's preparing step: raw JSON Lines chunks parsed in a worker give what the reader gives."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from sporbar.ingest import PreparedArticle, prepare_records, prepare_unit
from sporbar.models import Rejection
from sporbar.read import read_paths
from sporbar.read.dispatch import JsonLinesChunk, read_chunks


def test_chunks_prepare_like_the_reader(tmp_path: Path, ndt_records: list[dict]) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in ndt_records[:30]]
    lines[3] = "{not json"
    lines[7] = json.dumps({"id": "no-date", "text": "Tekst uten dato, men lang nok til å bli vurdert av normaliseringen."})
    lines[9] = ""
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8") + b"\r\n\xff\xfe broken\n")
    expected_items = list(read_paths([str(path)]))
    expected_records = [item for item in expected_items if not isinstance(item, Rejection)]
    prepared_expected = iter(prepare_records(expected_records))
    expected = [item if isinstance(item, Rejection) else next(prepared_expected) for item in expected_items]

    got: list[PreparedArticle | Rejection] = []
    read = 0
    for chunk in read_chunks([str(path)], lines_per_chunk=7):
        assert isinstance(chunk, JsonLinesChunk)
        count, items = prepare_unit(chunk)
        read += count
        got.extend(items)
    assert read == len(expected_records)
    assert got == expected
    assert any(isinstance(item, Rejection) for item in got) and any(isinstance(item, PreparedArticle) for item in got)


def test_prepared_articles_survive_pickling(ndt_path: Path) -> None:
    # Workers send prepared articles to the writing process as one flat tuple each.
    (chunk, *_) = list(read_chunks([str(ndt_path)], lines_per_chunk=50))
    assert isinstance(chunk, JsonLinesChunk)
    _, items = prepare_unit(chunk)
    assert pickle.loads(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)) == items
    assert any(isinstance(item, PreparedArticle) and item.fingerprint is not None for item in items)


def test_worker_processes_store_what_one_process_stores(tmp_path: Path, ndt_records: list[dict]) -> None:
    # The pool path (raw line chunks parsed in worker processes) against the single-process path, on input with
    # bad lines, an exact duplicate, a near-duplicate and a record without a date, in small batches.
    import sporbar

    original = max(ndt_records, key=lambda r: len(r["text"]))
    sentences = original["text"].split("\n")
    lines = [json.dumps(r, ensure_ascii=False) for r in [original, *(r for r in ndt_records[:80] if r is not original)]]
    lines[5:5] = ["{broken", json.dumps(dict(original, id="exact-copy")), json.dumps({"id": "x", "text": "Ingen dato her."})]
    lines.append(json.dumps(dict(original, id="near-copy", text="\n".join(["(NTB) " + sentences[0], *sentences[1:]]))))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def run(name: str, workers: int) -> tuple:
        kb = sporbar.open(tmp_path / f"{name}.db")
        try:
            report = kb.ingest([str(path)], analyze=False, workers=workers, batch_size=16)
            rows = kb.store.run_sql("SELECT id, text_hash, record_hash, origin_line FROM articles ORDER BY id")
            prints = kb.store.run_sql("SELECT article_id, signature, band_keys FROM article_fingerprints ORDER BY article_id")
            links = kb.store.run_sql("SELECT article_id, other_id, similarity FROM near_duplicates ORDER BY article_id")
            return (
                report.read, report.stored, report.near_duplicates, [(r.location.line, r.reason) for r in report.rejected],
                [(d.article_id, d.duplicate_of) for d in report.duplicates], rows, prints, links,
            )
        finally:
            kb.close()

    single, pooled = run("single", 1), run("pooled", 2)
    assert pooled == single
    assert single[2] == 1 and len(single[3]) == 2 and single[4] == [("exact-copy", original["id"])]
