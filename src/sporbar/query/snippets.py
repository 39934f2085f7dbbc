"""Snippets: the passage of an article where the query's words are densest.

Highlights are computed from the stored text with the same analysis as the
index (exact form or base form), so every highlighted word is one the index
matched, and the snippet's ``offset`` points back into the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sporbar.models import Highlight, ParsedQuery, Snippet
from sporbar.store.search_terms import base_form, word_spans

SNIPPET_CHARS = 220


def _targets(query: ParsedQuery) -> tuple[set[str], set[str]]:
    exact: set[str] = set()
    base: set[str] = set()
    for term in query.positive_terms():
        exact.update(term.words)
        if not term.exact_only:
            base.update(base_form(w) for w in term.words)
    return exact, base


def _candidate_pattern(exact: set[str], base: set[str]) -> re.Pattern[str] | None:
    """Words that could match: the exact forms, or words sharing a base form's first letters.

    Checking only these keeps snippets fast on long articles; irregular forms
    (``sa`` for ``si``) are caught by the full scan when this finds nothing.
    """
    stems = {w for w in exact} | {b[: max(2, min(len(b) - 1, 4))] for b in base}
    if not stems:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)


def _hits(text: str, exact: set[str], base: set[str], spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return [(s, e, w) for s, e, w in spans if w in exact or (base and base_form(w) in base)]


def make_snippet(text: str, query: ParsedQuery, *, width: int = SNIPPET_CHARS) -> Snippet:
    """Return the best passage of ``text`` for ``query``, with its hits marked."""
    exact, base = _targets(query)
    pattern = _candidate_pattern(exact, base)
    hits: list[tuple[int, int, str]] = []
    if pattern is not None:
        candidates = ((m.start(), m.end(), m.group().lower()) for m in pattern.finditer(text))
        hits = _hits(text, exact, base, candidates)
    if not hits and base:
        hits = _hits(text, exact, base, word_spans(text))
    if not hits:
        end = _cut_end(text, 0, width)
        return Snippet(text[:end], 0, ())
    # Slide a window over the hits; prefer windows with more distinct words, then more hits.
    best_start, best_score = hits[0][0], (-1, -1)
    right = 0
    for left in range(len(hits)):
        while right < len(hits) and hits[right][1] - hits[left][0] <= width:
            right += 1
        window = hits[left:right]
        score = (len({w for _, _, w in window}), len(window))
        if score > best_score:
            best_score, best_start = score, hits[left][0]
    start = _cut_start(text, best_start, width)
    end = _cut_end(text, start, width)
    highlights = tuple(Highlight(s - start, e - start) for s, e, _ in hits if s >= start and e <= end)
    return Snippet(text[start:end], start, highlights)


def _cut_start(text: str, hit_start: int, width: int) -> int:
    """Start a little before the first hit, at a sentence or word boundary."""
    floor = max(0, hit_start - width // 3)
    sentence = max(text.rfind(". ", floor, hit_start), text.rfind("\n", floor, hit_start))
    if sentence != -1:
        return sentence + (2 if text[sentence] == "." else 1)
    if floor == 0:
        return 0
    space = text.find(" ", floor, hit_start)
    return space + 1 if space != -1 else hit_start


def _cut_end(text: str, start: int, width: int) -> int:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        if space != -1:
            end = space
    return end
