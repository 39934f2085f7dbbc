"""The index's mapped pages leave the ingesting process, and the index answers as before."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import sporbar
from sporbar.store.search_index import MappedPageRelease

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="madvise and /proc/self/maps are Linux's")


def _index_pages_in_process(folder: Path) -> int:
    """Resident kilobytes of this process's maps of files under ``folder`` (from /proc/self/smaps)."""
    prefix = str(folder.resolve()) + "/"
    total, inside = 0, False
    with open("/proc/self/smaps", encoding="utf-8", errors="replace") as smaps:
        for line in smaps:
            head = line.split()
            if head and "-" in head[0] and len(head) >= 5 and ":" not in head[0]:
                inside = len(head) >= 6 and head[5].startswith(prefix)
            elif inside and line.startswith("Rss:"):
                total += int(head[1])
    return total


def test_pages_of_the_index_leave_the_process_and_searches_still_answer(tmp_path: Path, seeds_dir: Path, ndt_path: Path) -> None:
    index = tmp_path / "index"
    with sporbar.open(tmp_path / "kb.db", index=index) as kb:
        kb.ingest([seeds_dir, ndt_path], analyze=False)
        queries = ["utenriksminister", '"for å"', "Norge -USA", "regjering*"]
        before = [[hit.article_id for hit in kb.search(q, limit=500)] for q in queries]
        assert all(before) and _index_pages_in_process(index) > 0
        release = MappedPageRelease(index)
        assert release.release() > 0
        assert _index_pages_in_process(index) == 0
        assert [[hit.article_id for hit in kb.search(q, limit=500)] for q in queries] == before
