"""Build ``data/common_stems.txt``: the commonest Snowball stems of Norwegian news text.

A phrase of two very common words ("for å", "av en", "for store") matches in
most articles, and the index can only confirm it by comparing the two words'
positions in every article that holds both. An index built with phrase pairs
(``sporbar reindex --phrase-pairs``) also holds every adjacent pair of words
whose stems are both in this list, so such a phrase becomes one term lookup.
A phrase with a rarer word is cheap without pairs: its rarer word's short
posting list bounds the articles whose positions are compared.

The list is the ``COMMON_STEMS`` most frequent stems (the index's own word
split and stemmer) of the first ``WORDS`` words of the NoReC text; an index
keeps a copy of the list it was built with, so rebuilding this file never
makes an existing index inconsistent.

    python -m sporbar.lang.nb.build_common_stems [../shared/corpora/norec-text.txt.gz]
"""

from __future__ import annotations

import gzip
import sys
from collections import Counter
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "common_stems.txt"
DEFAULT_CORPUS = Path(__file__).resolve().parents[4].parent / "shared" / "corpora" / "norec-text.txt.gz"
COMMON_STEMS = 300
WORDS = 5_000_000


def build(corpus: Path = DEFAULT_CORPUS, out: Path = DATA_FILE) -> int:
    """Write the list and return how many words were counted."""
    from sporbar.store.search_terms import stem_analyzer

    analyzer = stem_analyzer()
    counts: Counter[str] = Counter()
    seen = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            stems = analyzer.analyze(line)
            counts.update(stems)
            seen += len(stems)
            if seen >= WORDS:
                break
    ranked = [stem for stem, _ in counts.most_common(COMMON_STEMS)]
    header = (
        f"# the {COMMON_STEMS} commonest Snowball stems of the first {seen:,} words of NoReC's text, commonest first;\n"
        "# built by sporbar.lang.nb.build_common_stems (phrase pairs: see sporbar.store.search_terms)\n"
    )
    out.write_text(header + "\n".join(ranked) + "\n", encoding="utf-8")
    return seen


if __name__ == "__main__":
    words = build(Path(sys.argv[1])) if len(sys.argv) > 1 else build()
    print(f"{DATA_FILE}: {COMMON_STEMS} stems from {words:,} words")
