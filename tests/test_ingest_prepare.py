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
