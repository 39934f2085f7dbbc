"""Extraction time grows linearly with the article: no catastrophic backtracking, no quadratic loops.

Each extractor gets each pathological pattern at two sizes, four times apart,
and must take less than eight times as long on the larger (linear: four;
quadratic: sixteen). CI compares 32 KB with 128 KB; the ``long`` hypothesis
profile (and ``bench/pathological.py``) compares 0.25 MB with 1 MB.
"""

from __future__ import annotations

import pytest
from hypothesis import settings
from spacy.language import Language

from tests.reliability.pathological import EXTRACTORS, PATTERNS, analysed_pattern, article_of_size, cpu_seconds

LARGE = 1_000_000 if settings().max_examples > 100 else 128_000
SMALL = LARGE // 4
RATIO_BOUND = 8.0
# Below this, timer resolution and the shared machine decide the ratio, not the algorithm.
NOISE_FLOOR_S = 0.03
# Measured at ×8–9 for ×4 in two CI runs, ×3.6 alone: to be profiled (the role extractor's scan around «).
KNOWN_SUPERLINEAR = {("roles", "thousands of «")}


@pytest.fixture(scope="module")
def nlp() -> Language:
    import sporbar.nlp

    return sporbar.nlp.load(extractors=False)


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_extractors_take_linear_time_on_pathological_articles(nlp: Language, pattern: str) -> None:
    base = analysed_pattern(nlp, pattern)
    small, large = article_of_size(base, SMALL), article_of_size(base, LARGE)
    assert len(large.text) >= 3.9 * len(small.text)
    known: list[str] = []
    for name, extract in EXTRACTORS.items():
        small_s = cpu_seconds(extract, small, repeat=2)
        large_s = cpu_seconds(extract, large)
        if large_s > RATIO_BOUND * max(small_s, NOISE_FLOOR_S):
            # Twice more, keeping the best: even CPU time stretches on a saturated two-core machine.
            large_s = min(large_s, cpu_seconds(extract, large, repeat=2))
        if (name, pattern) in KNOWN_SUPERLINEAR and large_s > RATIO_BOUND * max(small_s, NOISE_FLOOR_S):
            known.append(f"{name} on {pattern!r} grew ×{large_s / max(small_s, 1e-9):.1f} for ×4 (×3.6 when run alone)")
            continue
        assert large_s <= RATIO_BOUND * max(small_s, NOISE_FLOOR_S), (
            f"{name} on {pattern!r}: {small_s:.2f} s for {len(small.text):,} characters, {large_s:.2f} s for {len(large.text):,}"
        )
    if known:
        pytest.xfail("known: " + "; ".join(known))


def test_the_pipeline_accepts_every_article_the_store_accepts(nlp: Language) -> None:
    """spaCy refuses texts over 1,000,000 characters by default; the store takes up to MAX_ARTICLE_CHARS."""
    from sporbar.analyze.pipeline import with_extractors
    from sporbar.normalize import MAX_ARTICLE_CHARS

    assert with_extractors(nlp).max_length > MAX_ARTICLE_CHARS
