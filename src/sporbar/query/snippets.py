"""Snippets: the passage of an article where the query's words are densest.

Highlights are computed from the stored text with the same word matching as
the index (``search_terms.expand``), so every highlighted word is one the index
matched, and the snippet's ``offset`` points back into the stored text.
"""

from __future__ import annotations

import re

from sporbar.models import Highlight, ParsedQuery, Snippet
from sporbar.store.search_terms import WordMatch, expand, stem

SNIPPET_CHARS = 220


def _targets(query: ParsedQuery) -> list[WordMatch]:
    targets: list[WordMatch] = []
    for term in query.positive_terms():
        for word in term.words:
            if term.exact_only:
                targets.append(WordMatch(word, frozenset({word}), None))
            elif term.is_phrase:
                # Phrases match word by word as written or through the stem field.
                targets.append(WordMatch(word, frozenset({word}), stem(word)))
            else:
                targets.append(expand(word))
    return targets


def _candidate_pattern(targets: list[WordMatch]) -> re.Pattern[str] | None:
    """Words that could match: any of the forms, or words starting with a stem.

    Checking only these keeps snippets fast on long articles.
    """
    prefixes = {form for t in targets for form in t.forms} | {t.stem for t in targets if t.stem}
    if not prefixes:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)


def make_snippet(text: str, query: ParsedQuery, *, width: int = SNIPPET_CHARS) -> Snippet:
    """Return the best passage of ``text`` for ``query``, with its hits marked."""
    targets = _targets(query)
    pattern = _candidate_pattern(targets)
    hits: list[tuple[int, int, str]] = []
    if pattern is not None:
        for found in pattern.finditer(text):
            word = found.group().lower()
            if any(t.matches(word) for t in targets):
                hits.append((found.start(), found.end(), word))
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
