"""Near-duplicate fingerprints on real NDT articles."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from sporbar.normalize.dedupe import NEAR_DUPLICATE_THRESHOLD, fingerprint, shingle_hashes


def _long_articles(ndt_records: list[dict], count: int) -> list[str]:
    return [r["text"] for r in ndt_records if len(r["text"]) > 3000][:count]


def test_fingerprint_ignores_spacing_punctuation_and_case(ndt_records: list[dict]) -> None:
    text = _long_articles(ndt_records, 1)[0]
    reflowed = re.sub(r"\s+", "  ", text).replace(".", " .").replace(",", ";").upper()
    original, copy = fingerprint(text), fingerprint(reflowed)
    assert original is not None and copy is not None
    assert original.similarity(copy.signature) == 1.0
    assert original.band_keys == copy.band_keys


def test_edited_copy_is_near_and_other_articles_are_not(ndt_records: list[dict]) -> None:
    first, *others = _long_articles(ndt_records, 40)
    sentences = first.split("\n")
    # A wire copy with its second sentence rewritten and a line added at the end.
    edited = "\n".join([sentences[0], "Dette er en helt ny setning fra desken.", *sentences[2:], "(NTB)"])
    original, copy = fingerprint(first), fingerprint(edited)
    assert original is not None and copy is not None
    assert original.similarity(copy.signature) >= NEAR_DUPLICATE_THRESHOLD
    assert set(original.band_keys) & set(copy.band_keys)
    for other in others:
        other_print = fingerprint(other)
        assert other_print is not None
        assert original.similarity(other_print.signature) < 0.3


def test_shingles_are_position_independent() -> None:
    # The same 40 letters at two places in a text give the same shingle hashes.
    phrase = "utenriksministerbørgebrendesierfremmedkrigere"
    alone = set(shingle_hashes(phrase).tolist())
    embedded = set(shingle_hashes("Innledning her. " + phrase + " og så videre").tolist())
    assert alone and alone <= embedded


def test_short_texts_have_no_fingerprint() -> None:
    assert fingerprint("Kort melding.") is None
    assert len(shingle_hashes("kort")) == 0
    assert shingle_hashes("").dtype == np.uint64


def test_batch_fingerprints_equal_datasketch_minhash(ndt_records: list[dict]) -> None:
    # The vectorised signatures must stay datasketch's: stored fingerprints of earlier runs are compared with new ones.
    from datasketch import MinHash

    from sporbar.normalize.dedupe import MINHASH_SEED, NUM_PERM, band_keys, fingerprints

    texts = [r["text"] for r in ndt_records[:60]]
    texts += ["", "kort", "a" * 31, "b" * 200, "ÆRLIG TALT, ØKOKRIM I ÅSGÅRDSTRAND. " * 30, "ΣΟΦΙΑ Σ. İstanbul \u212a " * 20]
    batch = fingerprints(texts)
    for text, got in zip(texts, batch, strict=True):
        hashes = shingle_hashes(text)
        assert got == fingerprint(text)
        if len(hashes) == 0 or len(text) < 120:
            assert got is None
            continue
        reference = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=lambda value: value)
        reference.update_batch(hashes.tolist())
        assert got is not None
        assert np.array_equal(got.signature, reference.hashvalues.astype(np.uint64))
        assert got.band_keys == band_keys(reference.hashvalues.astype(np.uint64))


@pytest.mark.parametrize("memory_entries", [None, 500], ids=["in-memory", "mostly-in-files"])
def test_band_index_finds_what_a_dictionary_finds(
    memory_entries: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sporbar.normalize import sorted_runs
    from sporbar.normalize.dedupe import BANDS, BandIndex

    # Small files and merge chunks: keys repeated across files and chunk boundaries, many merges.
    monkeypatch.setattr(sorted_runs, "MERGE_CHUNK", 300)
    rng = np.random.default_rng(7)
    index, reference = BandIndex(tmp_path, memory_entries=memory_entries), {}
    pool = rng.integers(-(2**63), 2**63 - 1, 3000, dtype=np.int64)  # keys repeat across articles
    for batch in range(40):
        ids = [f"a{batch}-{i}" for i in range(int(rng.integers(1, 60)))]
        keys = rng.choice(pool, size=(len(ids), BANDS))
        index.add(ids, keys)
        for article_id, row in zip(ids, keys.tolist(), strict=True):
            for key in dict.fromkeys(row):
                reference.setdefault(key, []).append(article_id)
        asked = np.concatenate([rng.choice(pool, 200), rng.integers(0, 2**40, 50, dtype=np.int64)])
        found = index.matches(asked)
        expected = {int(k): reference[int(k)] for k in asked.tolist() if int(k) in reference}
        assert {k: sorted(set(v)) for k, v in found.items()} == {k: sorted(set(v)) for k, v in expected.items()}
    assert len(index._keys.levels) < 10 and len(index._keys.runs) < 10
    if memory_entries:
        assert index._keys.runs, "nothing went to a file"
    index.close()
    assert not list((tmp_path / "bands").iterdir())
