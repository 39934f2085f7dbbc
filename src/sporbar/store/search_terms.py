"""How words become search terms: the word as written, its other forms, its stem.

Ingest indexes every word twice, both inside Tantivy: lower-cased as written
(``exact``) and Snowball-stemmed (``stem``). Everything cleverer happens at
query time, so indexing never runs Python per word:

* a word the Bokmål lexicon knows matches the forms of its base form
  (``fremmedkriger`` → fremmedkrigere, fremmedkrigeren, fremmedkrigerne;
  ``gikk`` → gå, går, gått), and their genitives, all in the exact field.
  Snowball alone both over- and under-stems news vocabulary (``mener`` →
  ``men``; ``fremmedkriger`` → ``fremmedkr`` but ``fremmedkrigere`` →
  ``fremmedkriger``), so it is not used for such words;
* a word the lexicon does not know (names, new compounds: ``Brende``,
  ``stabilitetssone``) matches through its Snowball stem (``Brendes``,
  ``stabilitetssoner``).

The exact word always scores highest. Snippets use the same ``WordMatch``, so
every highlighted word is one the index matched.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import simplemma
import tantivy

# Alphanumeric runs, the same split as Tantivy's "simple" tokenizer.
WORD = re.compile(r"[^\W_]+")
# Genitive -s is productive and missing from the lexicon; short words would gain
# false friends (men → mens "while"), so only longer forms get one.
GENITIVE_MIN_LENGTH = 5
_BASE_FORMS: dict[str, str] = {}
_CACHE_LIMIT = 2_000_000


def exact_analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase()).build()


def stem_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("norwegian"))
        .build()
    )


def words(text: str) -> list[str]:
    """Return the lower-cased words of a text, in order."""
    return WORD.findall(text.lower())


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, lower-cased word)`` for every word of a text."""
    for match in WORD.finditer(text):
        yield match.start(), match.end(), match.group().lower()


def base_form(word: str) -> str:
    """Return the dictionary base form of one lower-cased word (cached: news vocabulary repeats)."""
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


@cache
def inflections() -> dict[str, str]:
    """Return ``{base form: its other forms, space-separated}`` from the shipped table."""
    data = resources.files("sporbar.lang.nb").joinpath("data/inflections.tsv.gz").read_bytes()
    table: dict[str, str] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            lemma, _, forms = line.partition("\t")
            table[lemma] = forms
    return table


_STEMMER = stem_analyzer()


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Return the Snowball stem of one lower-cased word, exactly as the index's stem field has it."""
    tokens = _STEMMER.analyze(word)
    return tokens[0] if tokens else word


@lru_cache(maxsize=100_000)
def single_token_stem(word: str) -> bool:
    """Whether the index turns ``word`` into exactly one token, as it does for every word ``words`` splits out."""
    return len(_STEMMER.analyze(word)) == 1


@dataclass(frozen=True, slots=True)
class WordMatch:
    """What one query word matches: itself, other forms of it, or (unknown words) its stem."""

    word: str
    forms: frozenset[str]
    stem: str | None

    def matches(self, candidate: str) -> bool:
        """Whether a lower-cased word of a text is a hit for this query word."""
        return candidate in self.forms or (self.stem is not None and stem(candidate) == self.stem)


@lru_cache(maxsize=10_000)
def expand(word: str) -> WordMatch:
    """Return the ``WordMatch`` of one lower-cased query word."""
    table = inflections()
    lemma = base_form(word)
    known = [forms for key in {lemma, word} if (forms := table.get(key))]
    if not known:
        return WordMatch(word, frozenset({word}), stem(word))
    forms = {word, lemma, *" ".join(known).split()}
    forms |= {f + "s" for f in list(forms) if len(f) >= GENITIVE_MIN_LENGTH and not f.endswith(("s", "x", "z"))}
    return WordMatch(word, frozenset(forms), None)


@cache
def shipped_common_stems() -> tuple[str, ...]:
    """Return the shipped list of common stems (``data/common_stems.txt``), commonest first."""
    text = resources.files("sporbar.lang.nb").joinpath("data/common_stems.txt").read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line and not line.startswith("#"))


_EXACT = exact_analyzer()
_STEM_CACHE_LIMIT = 500_000  # words (≈ 50 MB): more than a news archive uses in a while


class PhrasePairs:
    """Adjacent word pairs of common words: the tokens of an index's phrase-pair fields.

    Two words are a pair when they stand next to each other in the index's own word
    split (Tantivy's, punctuation between them allowed, as in a phrase query) and
    both their stems are in ``stems``. Each pair gives two tokens, ``word_word`` as
    written (lower-cased) and ``stem_stem``, so a two-word phrase of common words is
    one term lookup in either form instead of a comparison of positions in every
    article holding both words.
    """

    def __init__(self, stems: Iterable[str]) -> None:
        self.stems = frozenset(stems)
        # word -> its stem if common, else "": news repeats its words, so each is stemmed once.
        self._common_stem: dict[str, str] = {}

    def common_stem(self, word: str) -> str:
        """Return the stem of a lower-cased word if it is common, else ``""``."""
        known = self._common_stem.get(word)
        if known is None:
            word_stem = stem(word)
            known = word_stem if word_stem in self.stems else ""
            if len(self._common_stem) >= _STEM_CACHE_LIMIT:
                self._common_stem.clear()
            self._common_stem[word] = known
        return known

    def tokens(self, text: str) -> tuple[str, str]:
        """Return the text's pairs as written and as stems, each as space-separated tokens."""
        written = _EXACT.analyze(text)
        lookup = self._common_stem.get
        looked_up = [lookup(word) for word in written]
        if None in looked_up:  # words not met before
            looked_up = [
                self.common_stem(word) if known is None else known
                for word, known in zip(written, looked_up, strict=True)
            ]
        stems: list[str] = looked_up  # type: ignore[assignment]
        exact: list[str] = []
        stemmed: list[str] = []
        previous_word = previous_stem = ""
        for word, word_stem in zip(written, stems, strict=True):
            if word_stem and previous_stem:
                exact.append(f"{previous_word}_{word}")
                stemmed.append(f"{previous_stem}_{word_stem}")
            previous_word, previous_stem = word, word_stem
        return " ".join(exact), " ".join(stemmed)
