"""Numbers: figures in the text, what they count, and how exact the text says they are.

A pure function of an analysed Doc (``extract_numbers``), also registered as the
spaCy component ``sporbar_numbers`` that sets ``doc._.numbers``. Offsets are
character offsets into ``doc.text``, the article's stored text, end exclusive.

What a figure is, and how this module tells the kinds apart:

* Figures are found in the text, not in tokens, so ``8 000`` (two tokens) and
  ``3–0`` (one token) read the same whatever the tokenizer does: digits with
  Norwegian separators (``8000``, ``8 000``, ``8.000``, decimal ``2,5``), a scale
  word (``2,5 millioner``), number words (``tre``, ``tjuefem``, ``to hundre og
  femti``, ``halvannen million``). Each recogniser runs over the whole text in
  one pass, and the earlier ones (dates, times, ages, scores) claim their
  characters first, so every figure is read once and the work is linear in the
  text. Figures of more than 15 digits are identifiers, not numbers, and are left
  out, and so is every figure in a stretch of 64 or more characters of digits,
  spaces and separators without a letter: a table or noise, not prose.
* ``kind`` is ``date`` (``17. mars 2017``, ``17.03.2017``), ``time``
  (``kl. 14.30``), ``age`` (``Mushteri (24)``, ``24-åringen``, ``23 år gammel``),
  ``score`` (``vant 3–0``: a dash between small numbers with a sports word
  nearby; otherwise it is a range), ``year`` (a four-digit number after ``i``,
  ``siden``, ``fra`` …, or one that counts nothing), ``ordinal`` (``20. gang``,
  ``første``), ``percent``, ``money``, ``measure`` (units and durations) or ``count``.
* ``value`` is the number as a float (``8 000`` → 8000.0, ``2,5 millioner`` →
  2500000.0, ``75 %`` → 75.0); a range gives its lower bound (``qualifier`` is
  then ``range``), a clock time its hours (``14.30`` → 14.5); dates and scores
  have no single value (None): issue 6's time expressions resolve dates.
* ``unit`` is ``percent``/``percentage_point``, an ISO 4217 code for money,
  a unit name for measures and durations (``km``, ``year``), ``year`` for ages,
  ``count`` for counts, and None for years, dates, times, ordinals and scores.
* ``qualifier`` is the normalised approximation or bound written before the
  figure (``mer enn`` → ``over``, ``omlag``/``cirka`` → ``approx``, ``minst`` →
  ``at_least``, ``opptil`` → ``up_to``, ``nesten`` → ``nearly``), and the span
  covers it, the currency mark before and the scale word and unit after.
* ``about`` is the counted thing, **as the text writes it** (its surface form,
  not the lemma, which the shipped model gets wrong for many plurals): the noun
  the figure modifies in the dependency parse (``68`` → ``medlemmene``), checked
  against the words that follow, so an odd parse or an untagged Doc falls back to
  the first noun after the figure (over adjectives: ``800 fremmedkrigere``); for
  a percentage the noun after ``av`` (``75 % av ressursene``); for an age in
  brackets the name before it. A figure that stands alone (``cirka 30 er igjen``)
  counts what an earlier, larger count in the same sentence counted
  (``Av de omlag 100 norske borgerne …``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from sporbar.lang.nb.number_words import (
    AGE_ADJECTIVES,
    AGE_NOUN_SUFFIXES,
    AMBIGUOUS_NUMBER_WORDS,
    AMBIGUOUS_ORDINAL_WORDS,
    APPROX_QUALIFIERS,
    ARTICLE_NUMBER_WORDS,
    CLOCK_WORDS,
    CURRENCY_PREFIXES,
    CURRENCY_UNITS,
    ENGLISH_FUNCTION_WORDS,
    MEASURE_UNITS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_NOUNS,
    ORDINAL_WORDS,
    PERCENT_WORDS,
    QUALIFIERS,
    SCALE_WORDS,
    SCORE_WORDS,
    VAGUE_QUANTIFIERS,
    YEAR_CONTEXT,
)
from sporbar.models import NumberFact

EXTRACTOR = "sporbar_numbers"
EXTRACTOR_VERSION = "1"
KINDS = ("count", "percent", "money", "year", "date", "time", "ordinal", "age", "score", "measure")
MAX_DIGITS = 15  # longer digit runs are phone, account or ISBN numbers
MAX_NUMBER_WORDS = 8  # "en million to hundre og femti tusen" is seven
MIN_SOUP = 64  # characters of digits and separators, without a letter, that are a table or noise, not prose
ABOUT_WINDOW = 5  # tokens between a figure and the noun it counts, at most
SCORE_WINDOW = 60  # characters before a dash pair searched for a sports word

# Words after which "tre", "fire", "seks" are a noun or a verb ("et tre", "å fire"), not numbers.
_NOUN_DETERMINERS = frozenset({"dette", "ditt", "eget", "et", "ett", "hvert", "mitt", "sitt", "vårt", "å"})
# Parts of speech (NDT tags) that may stand between a figure and the noun it counts.
_BETWEEN_TAGS = frozenset({"adj", "adv", "det"})
_NOMINAL_DEPS = frozenset({"SUBJ", "DOBJ", "IOBJ", "PUTFYLL", "SPRED", "OPRED", "KOORD", "APP", "FSUBJ", "FOBJ"})

_SPACE = "[ \u00a0\u202f]"
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_NAME = "|".join(sorted((m for m in MONTHS if m not in MONTH_ABBREVIATIONS), key=len, reverse=True))
_MONTH_ABBREVIATION = "|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True))


def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_DATE = re.compile(
    rf"(?<![\w.,])(?:"
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<isomonth>\d{{4}}-(?:0[1-9]|1[0-2]))(?![-–]\d)"
    rf"|(?P<dotted>\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}}))"
    rf"|(?P<day>\d{{1,2}})\.{_SPACE}*(?:(?P<month>{_MONTH_NAME})\b|(?P<abbreviation>{_MONTH_ABBREVIATION})\b\.?)"
    rf"(?:{_SPACE}+(?P<year>\d{{4}}))?"
    rf"|(?P<month2>{_MONTH_ALT}){_SPACE}+(?P<year2>\d{{4}})"
    rf")(?![\d])"
)
_CLOCK_ALT = "|".join(re.escape(w).replace(r"\.", r"\.?") for w in sorted(CLOCK_WORDS, key=len, reverse=True))
_TIME = re.compile(
    rf"(?:\b(?:{_CLOCK_ALT}){_SPACE}*|(?<![\w.,]))(?P<hour>\d{{1,2}})(?:[.:](?P<minute>\d{{2}}))?(?![\d]|[.,]\d)"
)
_DECADE = re.compile(r"(?<![\w.,])(?P<year>\d{4})-(?:tallet|tallets|årene)\b")
_AGE_BRACKETS = re.compile(rf"(?<=\w){_SPACE}?\({_SPACE}?(?P<age>\d{{1,3}}(?:{_SPACE}år)?){_SPACE}?\)")
_AGE_NOUN = re.compile(rf"(?<![\w.,])(?P<age>\d{{1,3}})-(?:{_alternation(AGE_NOUN_SUFFIXES)})\b")
_DASH_PAIR = re.compile(
    rf"(?<![\w.,\-–])(?P<low>\d{{1,4}}){_SPACE}?[-–]{_SPACE}?(?P<high>\d{{1,4}})(?![\d]|[.,]\d|{_SPACE}?[-–]{_SPACE}?\d)"
)
_SCORE_AFTER = re.compile(rf"(?:-|{_SPACE})(?:seier|seieren|ledelse|ledelsen|tap|tapet)\b", re.IGNORECASE)
_DIGIT_ORDINAL = re.compile(rf"(?<![\w.,])(?P<n>\d{{1,3}})\.(?={_SPACE}+(?P<next>[a-zæøå]+))")
_CURRENCY_PREFIX_ALT = _alternation(CURRENCY_PREFIXES)
_FIGURE = re.compile(
    rf"(?:(?<![\w.])(?P<cur>{_CURRENCY_PREFIX_ALT}){_SPACE}?)?"
    rf"(?<![\w.,/])(?<![^\W\d_]-)"
    rf"(?P<num>\d{{1,3}}(?:(?:{_SPACE}|\.)\d{{3}})+(?:,\d+)?|\d+(?:[,.]\d+)?)"
    rf"(?![\d]|/\d)",
    re.IGNORECASE,
)
_WORD_TOKEN = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+)?(?![\w-])")
_SCALE_AFTER = re.compile(rf"{_SPACE}+(?P<scale>{_alternation(SCALE_WORDS)})(?!\w)", re.IGNORECASE)
_SYMBOL_UNITS = {k: v for k, v in {**PERCENT_WORDS, **CURRENCY_UNITS}.items() if not k[0].isalpha()}
_SYMBOL_AFTER = re.compile(rf"{_SPACE}?(?P<unit>{_alternation(_SYMBOL_UNITS)})")
_WORD_UNITS = {k: v for k, v in {**PERCENT_WORDS, **CURRENCY_UNITS, **MEASURE_UNITS}.items() if k[0].isalpha()}
_WORD_AFTER = re.compile(rf"{_SPACE}+(?P<unit>{_alternation(_WORD_UNITS)})(?!\w)", re.IGNORECASE)
_AGE_AFTER = re.compile(rf"{_SPACE}+(?:{_alternation(AGE_ADJECTIVES)})\b", re.IGNORECASE)
_QUALIFIER_BEFORE = re.compile(rf"(?:^|(?<=[\s(«\"]))(?P<q>{_alternation(QUALIFIERS)}){_SPACE}+$", re.IGNORECASE)
_YEAR_BEFORE = re.compile(rf"(?<![\d.,])(?:1\d{{3}}|20\d{{2}}){_SPACE}*(?:og|eller|til|[-–/]){_SPACE}*$")
_SOUP_CHARS = r"\d\s.,:;/%+\-–−"
_SOUP = re.compile(rf"(?<![{_SOUP_CHARS}])[{_SOUP_CHARS}]{{{MIN_SOUP},}}")
_NON_DIGIT = re.compile(r"\D")
_SHORT_NUMBER = re.compile(r"\d{1,2}(?!\d)")
_FOUR_DIGITS = re.compile(r"\d{4}")
_GROUPED = re.compile(rf"\d{{1,3}}(?:(?:{_SPACE}|\.)\d{{3}})+(?:,\d+)?")
_ACRONYM_BEFORE = re.compile(r"(?<![\w.])[A-ZÆØÅ]{1,2} $")
_QUALIFIER_LAST_WORDS = frozenset(q.split()[-1] for q in QUALIFIERS)
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:«»\"–—-])\s*$")
_WORDS = re.compile(r"[^\W\d_]+")


# The extractor's record is the stored fact itself.
Number = NumberFact


@dataclass(slots=True)
class _Figure:
    """A figure found by a recogniser, before the counted thing is looked up."""

    start: int  # the span's start: the qualifier or currency mark if there is one
    end: int
    core_start: int  # the digits or number words themselves
    core_end: int
    value: float | None
    kind: str
    unit: str | None = None
    qualifier: str | None = None
    about: str | None = None
    find_about: bool = False
    nominal: bool = False  # a count that counts no noun of its own ("cirka 30 er igjen")


def extract_numbers(doc: Doc) -> list[Number]:
    """Return every figure in an analysed article, in text order."""
    return _Extraction(doc).run()


class _Extraction:
    """One pass of the recognisers over one Doc; characters claimed by one are not read again."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.taken = bytearray(len(self.text))
        self.figures: list[_Figure] = []
        self.token_starts: list[int] = doc.to_array("IDX").tolist() if len(doc) else []
        self.ents = doc.ents  # Doc.ents walks the whole Doc: read it once
        self.ent_ends = [e.end_char for e in self.ents]
        self.tagged = doc.has_annotation("TAG")
        self.named = doc.has_annotation("ENT_IOB")
        self.parsed = doc.has_annotation("DEP")
        if doc.has_annotation("SENT_START"):
            self.sentence_starts = [s.start_char for s in doc.sents]
        else:
            self.sentence_starts = [0] + [m.end() for m in re.finditer(r"\n", self.text)]

    def run(self) -> list[Number]:
        if not len(self.doc):
            return []
        for soup in _SOUP.finditer(self.text):
            self.taken[soup.start() : soup.end()] = b"\x01" * (soup.end() - soup.start())
        for recogniser in (
            self._dates,
            self._times,
            self._decades,
            self._ages,
            self._dash_pairs,
            self._digit_ordinals,
            self._digit_figures,
            self._word_figures,
            self._word_ordinals,
        ):
            recogniser()
        self.figures.sort(key=lambda f: f.start)
        self._resolve_about()
        return [
            Number(f.start, f.end, self.text[f.start : f.end], f.value, f.unit, f.about, f.qualifier, f.kind)
            for f in self.figures
        ]

    # -- bookkeeping -------------------------------------------------------------------

    def _free(self, start: int, end: int) -> bool:
        return start < end and not any(self.taken[start:end])

    def _claim(self, figure: _Figure) -> bool:
        if not self._free(figure.start, figure.end):
            return False
        self.taken[figure.start : figure.end] = b"\x01" * (figure.end - figure.start)
        self.figures.append(figure)
        return True

    def _sentence_start(self, offset: int) -> int:
        return self.sentence_starts[max(0, bisect_right(self.sentence_starts, offset) - 1)]

    def _index(self, offset: int) -> int:
        return max(0, bisect_right(self.token_starts, offset) - 1)

    def _token(self, offset: int) -> Token:
        return self.doc[self._index(offset)]

    def _in_name(self, offset: int) -> bool:
        """Whether a figure continues a name the entity recogniser found ("TV 2")."""
        if self.named:
            token = self._token(offset)
            if token.ent_iob_ == "I" and token.ent_type_ not in ("", "DRV"):
                return True
        # Without the recogniser's help: a short number right after an acronym ("TV 2", "P 3").
        if offset < 2 or self.text[offset - 1] != " " or not self.text[offset - 2].isupper():
            return False
        before = _ACRONYM_BEFORE.search(self.text, max(0, offset - 6), offset)
        return before is not None and _SHORT_NUMBER.match(self.text, offset) is not None

    def _last_word(self, offset: int) -> tuple[int, int] | None:
        """The word before ``offset`` with only punctuation or space between (its start and end), if any."""
        text, index, limit = self.text, offset, max(0, offset - 30)
        while index > limit and not (text[index - 1].isalnum() or text[index - 1] == "_"):
            index -= 1
        end = index
        while index > limit and text[index - 1].isalpha():
            index -= 1
        if index == end or (index > 0 and (text[index - 1].isdigit() or text[index - 1] == "_")):
            return None
        return index, end

    def _word_before(self, offset: int) -> str:
        word = self._last_word(offset)
        return self.text[word[0] : word[1]].lower() if word else ""

    def _opens_sentence(self, offset: int) -> bool:
        return _SENTENCE_OPENING.search(self.text, max(0, offset - 4), offset) is not None

    # -- recognisers -------------------------------------------------------------------

    def _dates(self) -> None:
        for m in _DATE.finditer(self.text):
            if m.group("dotted"):
                day, month = (int(p) for p in m.group("dotted").split(".")[:2])
                if not (1 <= day <= 31 and 1 <= month <= 12):
                    continue
            elif m.group("iso"):
                month = int(m.group("iso")[5:7])
                if not 1 <= month <= 12:
                    continue
            elif m.group("day") and not 1 <= int(m.group("day")) <= 31:
                continue
            self._claim(_Figure(m.start(), m.end(), m.start(), m.end(), None, "date"))

    def _times(self) -> None:
        for m in _TIME.finditer(self.text):
            clock = m.start() < m.start("hour")
            hour, minute = int(m.group("hour")), int(m.group("minute") or 0)
            if not (hour <= 24 and minute <= 59):
                continue
            if not clock:
                # "14:30", or "fra 14.30 til 16.00": a time without "kl." needs minutes and a colon or a time word.
                if m.group("minute") is None:
                    continue
                separator = self.text[m.start("minute") - 1]
                leading_zero = m.group("hour").startswith("0")
                if (
                    separator == "."
                    and not leading_zero
                    and self._word_before(m.start()) not in ("fra", "til", "mellom")
                ):
                    continue
            self._claim(_Figure(m.start(), m.end(), m.start("hour"), m.end(), hour + minute / 60, "time"))

    def _decades(self) -> None:
        for m in _DECADE.finditer(self.text):
            self._claim(_Figure(m.start(), m.end(), m.start(), m.end(), float(m.group("year")), "year"))

    def _ages(self) -> None:
        for m in _AGE_BRACKETS.finditer(self.text):
            before = self._last_word(m.start())
            if before is None or not self.text[before[0]].isupper() or before[1] != m.start():
                continue
            if self._token(before[0]).ent_type_ not in ("", "PER"):
                continue  # "Nord-Carolina (12)": electoral votes, not an age  # "(24)" after a name is an age; after anything else it is not
            age = int(m.group("age").split()[0])
            start, end = m.start("age"), m.end("age")
            figure = _Figure(start, end, start, start + len(str(age)), float(age), "age", unit="year")
            figure.about = self._name_before(m.start())
            self._claim(figure)
        for m in _AGE_NOUN.finditer(self.text):
            self._claim(_Figure(m.start(), m.end(), m.start(), m.end("age"), float(m.group("age")), "age", unit="year"))

    def _dash_pairs(self) -> None:
        for m in _DASH_PAIR.finditer(self.text):
            low, high = m.group("low"), m.group("high")
            if len(low) <= 2 and len(high) <= 2 and self._score_context(m.start(), m.end()):
                self._claim(_Figure(m.start(), m.end(), m.start(), m.end(), None, "score"))
            elif len(low) == 4 and 1000 <= int(low) <= 2100:
                figure = _Figure(m.start(), m.end(), m.start(), m.end(), float(low), "year", qualifier="range")
                self._claim(figure)
            else:
                self._quantity(m.start(), m.end(), float(low), qualifier="range")

    def _score_context(self, start: int, end: int) -> bool:
        if _SCORE_AFTER.match(self.text, end):
            return True
        # "20-30 personer": a range that counts something is no score.
        following = _WORDS.match(self.text, end + 1) if self.text[end : end + 1] == " " else None
        if following is not None and self.tagged and self._token(following.start()).tag_ == "subst":
            return False
        # A sports word in the same clause: "Rosenborg vant 2-1", not "…vant 2-1, mens 20-30 …".
        window_start = max(self._sentence_start(start), start - SCORE_WINDOW)
        window = self.text[window_start:start]
        window = re.split(r"[,;:]", window)[-1].lower()
        return any(word in SCORE_WORDS for word in _WORDS.findall(window))

    def _digit_ordinals(self) -> None:
        for m in _DIGIT_ORDINAL.finditer(self.text):
            if m.group("next") in MONTHS:
                continue
            figure = _Figure(m.start(), m.end(), m.start(), m.end(), float(m.group("n")), "ordinal", find_about=True)
            self._claim(figure)

    def _digit_figures(self) -> None:
        for m in _FIGURE.finditer(self.text):
            if self.taken[m.start("num")]:
                continue  # a date's, a time's or an age's digits
            number = m.group("num")
            if len(number) > MAX_DIGITS and len(_NON_DIGIT.sub("", number)) > MAX_DIGITS:
                continue
            if self.text[m.end() : m.end() + 1].isalpha():
                continue  # "3D", "5G": a code, not a figure
            if not m.group("cur") and self._in_name(m.start("num")):
                continue  # "TV 2", "Formel 1": part of a name
            value = _digit_value(number)
            currency = CURRENCY_UNITS.get(m.group("cur").lower()) if m.group("cur") else None
            self._quantity(m.start(), m.end(), value, currency=currency, core_start=m.start("num"))

    def _word_figures(self) -> None:
        run: list[re.Match[str]] = []
        self._ordinal_words: list[re.Match[str]] = []
        for m in _WORD_TOKEN.finditer(self.text):
            word = m.group().lower()
            if word in ORDINAL_WORDS:
                self._ordinal_words.append(m)
            if word not in NUMBER_WORDS:
                continue
            if run and len(run) < MAX_NUMBER_WORDS and self._joins(run[-1], m):
                run.append(m)
                continue
            self._word_run(run)
            run = [m]
        self._word_run(run)

    def _joins(self, previous: re.Match[str], current: re.Match[str]) -> bool:
        gap = self.text[previous.end() : current.start()]
        previous_word, word = previous.group().lower(), current.group().lower()
        if re.fullmatch(f"{_SPACE}+", gap):
            return word in SCALE_WORDS or previous_word in SCALE_WORDS and word not in SCALE_WORDS
        if re.fullmatch(f"{_SPACE}+og{_SPACE}+", gap):
            return previous_word in ("hundre", "tusen") and word not in SCALE_WORDS
        return False

    def _word_run(self, run: list[re.Match[str]]) -> None:
        # Drop words that are not numbers here: articles not before a scale word, homographs.
        while run and not self._is_number_word(run[0], run[1] if len(run) > 1 else None):
            run = run[1:]
        if not run or len(run) == 1 and run[0].group().lower() in ("millioner", "milliarder"):
            return  # "millioner av kroner" is no exact figure
        if run[0].group().lower() in SCALE_WORDS and self._word_before(run[0].start()) in VAGUE_QUANTIFIERS:
            return  # "flere tusen"
        total, current = 0.0, 0.0
        for m in run:
            word = m.group().lower()
            if word in ("hundre", "dusin"):
                current = (current or 1) * SCALE_WORDS[word]
            elif word in SCALE_WORDS:
                total += (current or 1) * SCALE_WORDS[word]
                current = 0
            else:
                current += NUMBER_WORDS[word]
        self._quantity(run[0].start(), run[-1].end(), total + current, words=True)

    def _is_number_word(self, m: re.Match[str], following: re.Match[str] | None) -> bool:
        word = m.group().lower()
        if word in ARTICLE_NUMBER_WORDS:
            return following is not None and following.group().lower() in SCALE_WORDS
        token = self._token(m.start())
        if m.group()[:1].isupper() and not self._opens_sentence(m.start()):
            return False  # "Tre Kronor", "Fire" in a name
        if word == "to" and self._english_around(m):
            return False  # «screaming yourself to sleep»
        if word in AMBIGUOUS_NUMBER_WORDS:
            if token.tag_ == "verb" or (token.i > 0 and self.doc[token.i - 1].lower_ in _NOUN_DETERMINERS):
                return False  # "å fire", "et tre"
        return True

    def _english_around(self, m: re.Match[str]) -> bool:
        window = self.text[max(0, m.start() - 40) : m.end() + 40].lower()
        return sum(word in ENGLISH_FUNCTION_WORDS for word in _WORDS.findall(window)) >= 2

    def _word_ordinals(self) -> None:
        for m in self._ordinal_words:
            word = m.group().lower()
            if m.group()[:1].isupper() and not self._opens_sentence(m.start()):
                continue
            if word in AMBIGUOUS_ORDINAL_WORDS:
                following = _WORDS.match(self.text, m.end() + 1)
                if (
                    self.text[m.end() : m.end() + 1] != " "
                    or not following
                    or following.group().lower() not in ORDINAL_NOUNS
                ):
                    continue  # "de andre" is "the others"
            figure = _Figure(
                m.start(), m.end(), m.start(), m.end(), float(ORDINAL_WORDS[word]), "ordinal", find_about=True
            )
            self._claim(figure)

    # -- a quantity: scale, unit, qualifier, and whether it is a year ------------------

    def _quantity(
        self,
        start: int,
        end: int,
        value: float | None,
        *,
        currency: str | None = None,
        core_start: int | None = None,
        qualifier: str | None = None,
        words: bool = False,
    ) -> None:
        core_start = start if core_start is None else core_start
        core_end = end
        text = self.text
        scaled = False
        scale = _SCALE_AFTER.match(text, end) if not words else None
        if scale:
            end = scale.end()
            value = None if value is None else value * SCALE_WORDS[scale.group("scale").lower()]
            scaled = True
        kind, unit = "count", "count"
        if currency is not None:
            kind, unit = "money", currency
        else:
            after = _SYMBOL_AFTER.match(text, end) or _WORD_AFTER.match(text, end)
            if after:
                word = after.group("unit").lower()
                if word in PERCENT_WORDS:
                    kind, unit = "percent", PERCENT_WORDS[word]
                elif word in CURRENCY_UNITS:
                    kind, unit = "money", CURRENCY_UNITS[word]
                else:
                    kind, unit = "measure", MEASURE_UNITS[word]
                # "kr." closing a sentence: the full stop is the sentence's, not the unit's.
                end = after.end() - (1 if after.group("unit").endswith(".") and _sentence_end(text, after.end()) else 0)
                if unit == "year":
                    age = _AGE_AFTER.match(text, end)
                    if age:
                        kind, end = "age", age.end()
        if kind == "count" and not words and text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha():
            if not (value is not None and 1000 <= value <= 2100 and _FOUR_DIGITS.fullmatch(text, core_start, core_end)):
                return  # "20-årsjubileum": part of a compound word
            kind = "year"
        found_qualifier = self._qualifier_before(start)
        qualifier_start = start
        if found_qualifier is not None:
            qualifier_start, found = found_qualifier
            qualifier = qualifier or found
        figure = _Figure(start, end, core_start, core_end, value, kind, unit=unit, qualifier=qualifier)
        if kind == "count" and not scaled and self._is_year(figure):
            if qualifier is not None and qualifier not in APPROX_QUALIFIERS and qualifier != "range":
                pass  # "over 2000" is a count
            else:
                figure.kind, figure.unit = "year", None
        if figure.kind in ("count", "percent"):
            figure.find_about = True
        if figure.kind == "year" and figure.qualifier not in APPROX_QUALIFIERS | {"range"}:
            figure.qualifier = None
        elif figure.qualifier is not None and found_qualifier is not None:
            figure.start = qualifier_start
        if not self._claim(figure) and figure.start != start:
            figure.start = start  # the qualifier's words are someone else's: keep the figure alone
            self._claim(figure)

    def _qualifier_before(self, start: int) -> tuple[int, str] | None:
        if start == 0 or not self.text[start - 1].isspace() or self._word_before(start) not in _QUALIFIER_LAST_WORDS:
            return None
        match = _QUALIFIER_BEFORE.search(self.text, max(0, start - 24), start)
        if match is None:
            return None
        return match.start("q"), QUALIFIERS[match.group("q").lower()]

    def _is_year(self, figure: _Figure) -> bool:
        core = self.text[figure.core_start : figure.core_end]
        if _FOUR_DIGITS.fullmatch(core) is None or not 1000 <= int(core) <= 2100:
            return False
        before = self._word_before(figure.start)
        if before in YEAR_CONTEXT or before in MONTHS:
            return True
        if _YEAR_BEFORE.search(self.text, max(0, figure.start - 16), figure.start):
            return True
        if self._counted_token(figure) is not None:
            return False  # "2000 mennesker"
        return 1900 <= int(core) <= 2099

    # -- what is counted ---------------------------------------------------------------

    def _resolve_about(self) -> None:
        last_count: dict[int, _Figure] = {}  # sentence start -> the last count with a counted thing
        for figure in self.figures:
            if not figure.find_about:
                continue
            if figure.kind == "percent":
                token = self._after_av(figure)
            else:
                token = self._counted_token(figure)
            if token is not None:
                figure.about = token.text
            sentence = self._sentence_start(figure.start)
            if figure.kind != "count":
                continue
            if figure.about is not None:
                last_count[sentence] = figure
                continue
            earlier = last_count.get(sentence)
            if (
                earlier is not None
                and earlier.value is not None
                and figure.value is not None
                and figure.value <= earlier.value
                and self._stands_alone(figure)
            ):
                figure.about = earlier.about

    def _counted_token(self, figure: _Figure) -> Token | None:
        """The noun a figure counts: its head in the parse if that head follows it closely, else the next noun."""
        doc = self.doc
        first = self._index(figure.core_start)
        last = self._index(max(figure.core_start, figure.end - 1))
        if self.parsed:
            for token in doc[first : last + 1]:
                head = token.head
                if last < head.i <= last + ABOUT_WINDOW and self._counts(head):
                    between = doc[last + 1 : head.i]
                    if all(t.tag_ in _BETWEEN_TAGS or t.like_num for t in between):
                        return head
        return self._next_noun(last + 1)

    def _next_noun(self, index: int) -> Token | None:
        doc = self.doc
        if index >= len(doc):
            return None
        if not self.tagged:
            token = doc[index]
            return (
                token
                if token.is_alpha and token.is_lower and not token.is_stop and token.lower_ not in MONTHS
                else None
            )
        candidate: Token | None = None
        for token in doc[index : min(len(doc), index + ABOUT_WINDOW)]:
            if token.tag_ == "subst" and self._counts(token):
                return token
            if token.tag_ == "adj":
                candidate = token  # "800 fremmedkrigere": a noun the tagger took for an adjective
                continue
            if token.tag_ == "det" and not token.like_num:
                continue
            break
        else:
            return None
        if candidate is not None and candidate.dep_ != "ATR" and self._counts(candidate):
            return candidate
        return None

    def _counts(self, token: Token) -> bool:
        """Whether a word can be the thing a figure counts (a common noun, or a noun-like adjective)."""
        word = token.lower_
        if not token.is_alpha or word in MONTHS or word in _WORD_UNITS or word in SCALE_WORDS:
            return False
        if token.tag_ == "adj":
            return token.dep_ in _NOMINAL_DEPS or not self.parsed
        return token.tag_ in ("subst", "")

    def _after_av(self, figure: _Figure) -> Token | None:
        """``75 % av ressursene``: the noun after ``av``."""
        last = self._token(max(figure.start, figure.end - 1))
        index = last.i + 1
        if index < len(self.doc) and self.doc[index].lower_ == "av":
            return self._next_noun(index + 1)
        return None

    def _stands_alone(self, figure: _Figure) -> bool:
        """A count that modifies no noun: the next word is a verb, a preposition or punctuation."""
        last = self._token(max(figure.start, figure.end - 1))
        if last.i + 1 >= len(self.doc):
            return True
        following = self.doc[last.i + 1]
        if self.tagged:
            return following.tag_ not in ("subst", "adj", "det")
        return not following.is_alpha or following.is_stop

    def _name_before(self, offset: int) -> str | None:
        """The name an age in brackets follows: a named entity ending there, else the capitalised words."""
        ents = self.ents
        position = bisect_right(self.ent_ends, offset) - 1
        if position >= 0 and not self.text[ents[position].end_char : offset].strip():
            return str(ents[position].text)
        token = self._token(offset - 1)
        while token.i > 0 and token.is_space:
            token = self.doc[token.i - 1]
        words: list[Token] = []
        while token.text[:1].isupper() and token.is_alpha and len(words) < 4:
            words.insert(0, token)
            if token.i == 0:
                break
            token = self.doc[token.i - 1]
        return " ".join(t.text for t in words) or None


def _digit_value(figure: str) -> float:
    """``8 000`` → 8000, ``8.000`` → 8000, ``2,5`` → 2.5, ``1.5`` → 1.5."""
    if _GROUPED.fullmatch(figure):
        integer, _, decimals = figure.partition(",")
        integer = _NON_DIGIT.sub("", integer)
        return float(f"{integer}.{decimals}" if decimals else integer)
    return float(figure.replace(",", "."))


def _sentence_end(text: str, offset: int) -> bool:
    rest = text[offset : offset + 3]
    return not rest.strip() or bool(re.match(r"\s+[A-ZÆØÅ«–-]", rest))


# -- the spaCy component ---------------------------------------------------------------------


def _ensure_extension() -> None:
    if not Doc.has_extension("numbers"):
        Doc.set_extension("numbers", default=None)


@Language.factory(
    EXTRACTOR,
    assigns=["doc._.numbers"],
    requires=["doc.sents", "token.dep", "token.tag"],
    default_config={},
)
def make_number_extractor(nlp: Language, name: str) -> NumberExtractor:
    return NumberExtractor()


class NumberExtractor:
    """The spaCy component: ``doc._.numbers = extract_numbers(doc)``."""

    def __init__(self) -> None:
        _ensure_extension()

    def __call__(self, doc: Doc) -> Doc:
        doc._.numbers = extract_numbers(doc)
        return doc


__all__ = ["EXTRACTOR", "EXTRACTOR_VERSION", "KINDS", "Number", "NumberExtractor", "extract_numbers"]
