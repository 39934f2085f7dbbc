"""How words become search terms: the exact form and the base form.

Snowball's Norwegian stemmer both over- and under-stems news vocabulary
(``mener`` → ``men``, but ``fremmedkriger`` → ``fremmedkr`` while
``fremmedkrigere`` → ``fremmedkriger``, so one cannot find the other). sporbar
therefore indexes every word twice: lower-cased as written, and as its
dictionary base form from simplemma's Bokmål lexicon, which also splits
unknown compounds (``stabilitetssoner`` → ``stabilitetssone``). Queries are
analysed by the same functions, so the index and the query always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import simplemma

# Alphanumeric runs, the same split as Tantivy's "simple" tokenizer.
WORD = re.compile(r"[^\W_]+")
_BASE_FORMS: dict[str, str] = {}
_CACHE_LIMIT = 2_000_000


def words(text: str) -> list[str]:
    """Return the lower-cased words of a text, in order."""
    return WORD.findall(text.lower())


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, lower-cased word)`` for every word of a text."""
    for match in WORD.finditer(text):
        yield match.start(), match.end(), match.group().lower()


def base_form(word: str) -> str:
    """Return the base form of one lower-cased word (cached: news vocabulary repeats)."""
    form = _BASE_FORMS.get(word)
    if form is None:
        if word.isdigit() or len(word) < 3:
            form = word
        else:
            form = simplemma.lemmatize(word, lang="nb").lower()
            # A "lemma" with spaces or other characters would break token positions.
            if not WORD.fullmatch(form):
                form = word
        if len(_BASE_FORMS) < _CACHE_LIMIT:
            _BASE_FORMS[word] = form
    return form


def base_forms_text(text: str) -> str:
    """Return a text's words as base forms joined by spaces, ready for a whitespace tokenizer."""
    return base_forms_of(words(text))


def base_forms_of(lowered_words: list[str]) -> str:
    """Return already tokenised, lower-cased words as base forms joined by spaces."""
    cache = _BASE_FORMS
    for word in set(lowered_words).difference(cache):
        base_form(word)
    if len(cache) >= _CACHE_LIMIT:
        return " ".join([cache.get(w) or base_form(w) for w in lowered_words])
    return " ".join(map(cache.__getitem__, lowered_words))
