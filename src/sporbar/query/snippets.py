"""Snippets: the passage of an article where the query's words are densest.

Highlights are computed from the stored text with the same word matching as
the index (``search_terms.expand``), so every highlighted word is one the index
matched, and the snippet's ``offset`` points back into the stored text.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from sporbar.models import Highlight, ParsedQuery, Snippet
from sporbar.store.search_terms import WORD, WordMatch, expand, stem, word_spans

SNIPPET_CHARS = 220


def _word_targets(query: ParsedQuery) -> list[WordMatch]:
    """What each single query word (not in a phrase) matches."""
    targets: list[WordMatch] = []
    for term in query.positive_terms():
        if term.is_phrase:
            continue
        word = term.words[0]
        targets.append(WordMatch(word, frozenset({word}), None) if term.exact_only else expand(word))
    return targets


# Word characters as ``WORD`` has them (Tantivy's simple tokenizer): a phrase's words may have anything else between.
_REST_OF_WORD = r"[^\W_]*"
_BETWEEN_WORDS = r"[\W_]+"


@dataclass(frozen=True, slots=True)
class _PhrasePlan:
    """One phrase: its words' matches, and a pattern that finds the places where it may occur.

    The index matches a phrase word as written or through its Snowball stem, and Norwegian Snowball only cuts
    endings, so every word the phrase can match starts with the stem (or the word, as written only). The pattern
    looks for those beginnings, word after word with only non-word characters between, as the index's token
    positions have them; each candidate is then checked word by word.
    """

    words: tuple[WordMatch, ...]
    pattern: re.Pattern[str]


def _phrase_plan(words: tuple[str, ...], exact_only: bool) -> _PhrasePlan:
    matches = tuple(
        WordMatch(w, frozenset({w}), None) if exact_only else WordMatch(w, frozenset({w}), stem(w)) for w in words
    )
    starts = [os.path.commonprefix([m.word, m.stem]) if m.stem else m.word for m in matches]
    # Starting with a literal lets the regex engine skip to each place that string occurs.
    return _PhrasePlan(matches, re.compile(_BETWEEN_WORDS.join(f"({re.escape(s)}{_REST_OF_WORD})" for s in starts)))


@lru_cache(maxsize=1024)
def _plan(query: ParsedQuery) -> tuple[list[WordMatch], tuple[str, ...], tuple[_PhrasePlan, ...]]:
    """The single words' targets, the strings to look for, and the phrases' plans.

    Strings to look for: every form and stem, less those another one starts. A word that starts with ``gjorde``
    also starts with ``gjord``: looking for the shorter string finds the same places, and each place is checked
    against the targets anyway. A common word's forms share a few prefixes (25 forms of ``gjøre`` need 4
    searches), so this halves the time spent in ``str.find``.
    """
    targets = _word_targets(query)
    needles = sorted({form for t in targets for form in t.forms} | {t.stem for t in targets if t.stem}, key=len)
    shortest: list[str] = []
    for needle in needles:
        if needle and not any(needle.startswith(prefix) for prefix in shortest):
            shortest.append(needle)
    phrases = tuple(_phrase_plan(t.words, t.exact_only) for t in query.positive_terms() if t.is_phrase)
    return targets, tuple(shortest), phrases


def _word_hits(lowered: str, targets: list[WordMatch], needles: tuple[str, ...]) -> dict[int, tuple[int, int, str]]:
    """Every word of the (lower-cased) text that one of the single-word targets matches, by start.

    Each needle (see ``_plan``) is looked for with ``str.find`` (C speed, no Python per
    word of the article), then checked to start a word and to match in full.
    """
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
    return found


def _phrase_hits(lowered: str, phrase: _PhrasePlan) -> dict[int, tuple[int, int, str]]:
    """Every word of every place where the phrase occurs, by start (a phrase's words are highlighted only there)."""
    found: dict[int, tuple[int, int, str]] = {}
    count = len(phrase.words)
    candidate = phrase.pattern.search(lowered)
    while candidate is not None:
        at = candidate.start()
        if (at == 0 or not lowered[at - 1].isalnum()) and all(
            target.matches(candidate.group(i + 1)) for i, target in enumerate(phrase.words)
        ):
            for i in range(1, count + 1):
                found[candidate.start(i)] = (candidate.start(i), candidate.end(i), candidate.group(i))
        # Candidates may overlap ("og og det" holds "og det"): go on from the next word, not the candidate's end.
        candidate = phrase.pattern.search(lowered, candidate.end(1) + 1 if count > 1 else candidate.end())
    return found


def _hits(
    text: str, targets: list[WordMatch], needles: tuple[str, ...], phrases: tuple[_PhrasePlan, ...]
) -> list[tuple[int, int, str]]:
    """Return ``(start, end, word)`` of every word in ``text`` that the query matched, in order."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lower-cased: offsets would drift
        return _hits_word_by_word(text, targets, phrases)
    found = _word_hits(lowered, targets, needles)
    for phrase in phrases:
        found.update(_phrase_hits(lowered, phrase))
    return [found[at] for at in sorted(found)]


def _hits_word_by_word(
    text: str, targets: list[WordMatch], phrases: tuple[_PhrasePlan, ...]
) -> list[tuple[int, int, str]]:
    spans = list(word_spans(text))
    found = {s: (s, e, w) for s, e, w in spans if any(t.matches(w) for t in targets)}
    for phrase in phrases:
        count = len(phrase.words)
        for i in range(len(spans) - count + 1):
            window = spans[i : i + count]
            if all(target.matches(w) for target, (_, _, w) in zip(phrase.words, window, strict=True)):
                found.update({s: (s, e, w) for s, e, w in window})
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
