"""Pathological articles: one pattern repeated until the article is as long as asked.

Each pattern is analysed once by the real language model; long articles are
built by joining copies of that analysed Doc (``Doc.from_docs`` keeps tags,
dependencies, sentences and entities), so timing a megabyte through an
extractor does not first take minutes of parsing.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from sporbar.analyze.extractors.numbers import extract_numbers
from sporbar.analyze.extractors.quotes import extract_quotes
from sporbar.analyze.extractors.roles import extract_roles
from sporbar.analyze.extractors.times import extract_times
from sporbar.models import ArticleDate

PATTERNS: dict[str, str] = {
    "thousands of «": "«" * 2000,
    "dialogue dashes": "– " * 1000,
    "one long hyphen": "-" * 2000,
    "quote never closed": "«Dette er et sitat uten slutt, og det fortsetter " * 40,
    "no full stop": "og han sa at utenriksminister Børge Brende mener at " * 40,
    "numbers": "1 000 000 og tre millioner og 2,5 prosent av 17. mars 2017 " * 30,
    "party brackets": "statsminister Erna Solberg (H) " * 60,
    "short quotes": "«Ja», sa han. " * 100,
    "dash paragraphs": "– Nei.\n\n" * 200,
    "names": "Ola Nordmann, Kari Nordmann og Per Hansen sier at " * 40,
}

_DATE = ArticleDate.parse("2019-02-13")
EXTRACTORS: dict[str, Callable[[Doc], object]] = {
    "quotes": extract_quotes,
    "roles": extract_roles,
    "numbers": extract_numbers,
    "times": lambda doc: extract_times(doc.text, _DATE),
}


def analysed_pattern(nlp: Language, pattern: str) -> Doc:
    return nlp(PATTERNS[pattern])


def article_of_size(base: Doc, chars: int) -> Doc:
    """Copies of an analysed Doc joined into one of about ``chars`` characters."""
    return Doc.from_docs([base] * max(1, round(chars / len(base.text))))


def cpu_seconds(extract: Callable[[Doc], object], doc: Doc, repeat: int = 1) -> float:
    """The least CPU time of ``repeat`` runs (CPU, not wall, time: the machine is shared)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.process_time()
        extract(doc)
        best = min(best, time.process_time() - started)
    return best
