"""Snippets: the passage of an article where the query's words are densest.

Highlights are computed from the stored text with the same word matching as
the index (``search_terms.expand``), so every highlighted word is one the index
matched, and the snippet's ``offset`` points back into the stored text.
"""

from __future__ import annotations

from functools import lru_cache

from sporbar.models import Highlight, ParsedQuery, Snippet
from sporbar.store.search_terms import WORD, WordMatch, expand, stem, word_spans

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


@lru_cache(maxsize=1024)
def _plan(query: ParsedQuery) -> tuple[list[WordMatch], tuple[str, ...]]:
    """The query's targets and the strings to look for: every form and stem, less those another one starts.

    A word that starts with ``gjorde`` also starts with ``gjord``: looking for the shorter string finds the
    same places, and each place is checked against the targets anyway. A common word's forms share a few
    prefixes (25 forms of ``gjøre`` need 4 searches), so this halves the time spent in ``str.find``.
    """
    targets = _targets(query)
    needles = sorted({form for t in targets for form in t.forms} | {t.stem for t in targets if t.stem}, key=len)
    shortest: list[str] = []
    for needle in needles:
        if needle and not any(needle.startswith(prefix) for prefix in shortest):
            shortest.append(needle)
    return targets, tuple(shortest)


def _hits(text: str, targets: list[WordMatch], needles: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Return ``(start, end, word)`` of every word in ``text`` that one of the targets matches.

    Each needle (see ``_plan``) is looked for with ``str.find`` (C speed, no Python per
    word of the article), then checked to start a word and to match in full.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lower-cased: offsets would drift
        return [(s, e, w) for s, e, w in word_spans(text) if any(t.matches(w) for t in targets)]
    found: dict[int, tuple[int, int, str]] = {}
    verdicts: dict[str, bool] = {}  # words repeat within an article: decide each once
    for needle in needles:
        at = lowered.find(needle)
        while at != -1:
            if at == 0 or not lowered[at - 1].isalnum():  # the needle starts a word
                word = WORD.match(lowered, at)
                if word is not None:
                    end, form = word.end(), word.group()
                    hit = verdicts.get(form)
                    if hit is None:
                        hit = verdicts[form] = any(t.matches(form) for t in targets)
                    if hit:
                        found[at] = (at, end, form)
                    at = lowered.find(needle, end)  # no word starts inside this one
                    continue
            at = lowered.find(needle, at + 1)
    return [found[at] for at in sorted(found)]


def make_snippet(text: str, query: ParsedQuery, *, width: int = SNIPPET_CHARS) -> Snippet:
    """Return the best passage of ``text`` for ``query``, with its hits marked."""
    hits = _hits(text, *_plan(query))
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
