"""Quotes: who said what — direct quotes (dialogue dash, «», “”, "") and reported speech.

A pure function of an analysed Doc (``extract_quotes``), also registered as the
spaCy component ``sporbar_quotes`` that sets ``doc._.quotes``. Offsets are
character offsets into ``doc.text``, which is the article's stored text.

How Norwegian news marks quotes, and what this module does about it:

* A paragraph (or, in corpora with one sentence a line, a line) opened by a
  dialogue dash is a quote. Its attribution follows the quoted sentences
  (``– …, sier X.``), precedes them on the line before (``X sier:``), or is
  missing, when the quote continues the previous speaker. In one-sentence-a-line
  text a dash quote runs on to the line that carries the attribution.
* Text in «», “” or "" is a quote when a speech verb attributes it
  (``«…», skriver departementet``) or when it is a whole sentence of its own;
  a few words in quotation marks are scare quotes or titles, not quotes.
* Reported speech is a speech verb with a content clause (``sier at``,
  ``forsikret forsamlingen om at``, ``ba … om å``) or ``ifølge X``.

The speaker is resolved to the fullest name the article gives: a surname to the
full name, a pronoun to the last person named, a role noun (``utenriksministeren``)
to the last person the article gave that role.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sporbar.lang.nb.calendar import WEEKDAYS
from sporbar.lang.nb.punctuation import DIALOGUE_DASHES, QUOTE_PAIRS
from sporbar.lang.nb.speakers import (
    ADDRESSEE_PREPOSITIONS,
    ATTRIBUTION_STOP_WORDS,
    ORGANISATION_ROLE_NOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    ROLE_NOUNS_DEFINITE,
)
from sporbar.lang.nb.speech_verbs import (
    AT_OPTIONAL,
    NOT_SPEECH,
    REQUEST_VERBS,
    SPEECH_VERB_LEMMAS,
    SPEECH_VERBS,
)
from sporbar.models import Quote

EXTRACTOR = "sporbar_quotes"
EXTRACTOR_VERSION = "3"
SPEAKER_LABELS = ("PER", "ORG", "GPE_ORG")
MIN_QUOTED_WORDS = 4
CLAUSE_WINDOW_TOKENS = 60
ATTRIBUTION_WINDOW = 300  # characters: attribution clauses are short, and bounding them bounds the regex work
FIRST_PERSON_SPEAKERS = frozenset({"jeg", "vi", "du", "dere", "man", "meg", "oss"})
INDEFINITE_SPEAKERS = frozenset({"en", "ei", "et", "flere", "noen", "mange", "ingen", "enkelte", "andre"})
GENERIC_SUBJECTS = frozenset({"man", "mange", "noen", "det", "flere", "alle", "folk", "ingen", "enkelte", "andre"})

_DASHES = "".join(sorted(DIALOGUE_DASHES)).replace("-", r"\-")
_DASH_OPENING = re.compile(rf"^[{_DASHES}]\s+")
_SINGLE_CUES = sorted((v for v in SPEECH_VERBS if " " not in v and v not in REQUEST_VERBS), key=len, reverse=True)
_CUE_WORD = "|".join(_SINGLE_CUES)
# "…, sier utenriksminister Børge Brende til TV 2." — the attribution after a quote.
_POST_ATTRIBUTION = re.compile(
    rf"(?P<sep>[,?!…]|\.\.\.)[»\"”]?\s+(?P<cue>{_CUE_WORD})\s+(?P<rest>(?:[^.!?]|\.(?=\S))*?)\s*[.!]?[»\"”]?\s*$"
)
# Particle verbs split around their speaker: "slår Brende fast", "legger han til".
_POST_PARTICLE = re.compile(
    r"(?P<sep>[,?!…])[»\"”]?\s+(?P<cue>slår|slo|legger|la)\s+(?P<rest>[^.!?]*?)\s+(?P<particle>fast|til)\s*[.!]?\s*$"
)
# "Brende sier:" / "Atabajev har serveringen klar:" — the attribution before a quote.
_PRE_ATTRIBUTION = re.compile(r":\s*$")
_GUILLEMET_OPEN, _GUILLEMET_CLOSE = "«", "»"
_CURLY = re.compile(r"“([^“”]+)”")
_STRAIGHT = re.compile(r'"([^"\n]+)"')
_AFTER_QUOTE_CUE = re.compile(rf"^\s*,?\s*(?P<cue>{_CUE_WORD})\s+(?P<rest>(?:[^.!?«»\"“”\n]|\.(?=\S))*?)\s*(?:[.!?]|$|(?=[«\"“]))")
_BEFORE_QUOTE_CUE = re.compile(rf"(?P<cue>\b(?:{_CUE_WORD}))\b(?P<rest>[^.!?:]*?)(?:\s+at)?\s*:?\s*$", re.IGNORECASE)
_IFOLGE = re.compile(r"\b[Ii] ?følge\s+")
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_PLACE_PARTICLE = re.compile(r"\s(?:av|fra|i|til)\s")  # "Albert av Monaco" is Albert, not a longer name
_NAME_WORD = re.compile(r"^[A-ZÆØÅÉ][\w'-]*$")
_FIRST_PERSON = re.compile(r"\b(?:jeg|vi|meg|oss|min|mitt|mine|vår|vårt|våre|du|deg|dere|din|ditt|dine)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Unit:
    """A paragraph, or one line in one-sentence-a-line text."""

    start: int
    end: int
    paragraph_start: bool  # a blank line (or the text's start) comes before it

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]


@dataclass(slots=True)
class _Attribution:
    cue: str
    cue_start: int
    speaker_start: int | None
    speaker_end: int | None
    addressee: str | None


def _text_of(doc: Doc) -> str:
    """``doc.text`` joins every token on each access: read it once per Doc (quadratic otherwise)."""
    cached = doc.user_data.get("sporbar_text")
    if cached is None:
        cached = doc.text  # a Doc's text never changes, so the copy stays right
        doc.user_data["sporbar_text"] = cached
    return str(cached)


def extract_quotes(doc: Doc) -> list[Quote]:
    """Return every quote in an analysed article, in text order."""
    text = _text_of(doc)
    units = list(_units(text))
    resolver = _SpeakerResolver(doc)
    direct = _dash_quotes(doc, units, resolver)
    covered = [(q.start, q.end) for q in direct]
    dash_spans = _Spans(covered)
    marked = [q for q in _quotation_mark_quotes(doc, units, resolver) if not _overlaps(q, dash_spans)]
    direct_all = sorted(direct + marked, key=lambda q: q.start)
    covered = [(q.start, q.end) for q in direct_all]
    attributions = [_attribution_span(_text_of(doc), q) for q in direct_all if q.cue_start is not None]
    reported = _reported_speech(doc, resolver, covered, attributions)
    return sorted(direct_all + reported, key=lambda q: (q.start, q.end))


def _attribution_span(text: str, quote: Quote) -> tuple[int, int]:
    """From a direct quote's cue to the end of its attribution clause (the line, or the sentence)."""
    start = quote.cue_start if quote.cue_start is not None else quote.end
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    stop = min((i for i in (text.find(". ", start, line_end), text.find(".", start, line_end)) if i != -1), default=line_end)
    return start, stop + 1


class _Spans:
    """Character spans that answer overlap, containment and point questions in logarithmic time.

    A long article holds thousands of quotes and sentences; asking every span
    for every sentence made extraction quadratic in the article's length.
    """

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        # The furthest end among the spans that start at or before each position.
        self._reach = list(accumulate((end for _, end in ordered), max))

    def _furthest_end(self, count: int) -> int | None:
        return self._reach[count - 1] if count > 0 else None

    def overlaps(self, start: int, end: int) -> bool:
        reach = self._furthest_end(bisect_left(self._starts, end))
        return reach is not None and reach > start

    def contains(self, start: int, end: int) -> bool:
        reach = self._furthest_end(bisect_right(self._starts, start))
        return reach is not None and reach >= end

    def holds(self, offset: int) -> bool:
        reach = self._furthest_end(bisect_right(self._starts, offset))
        return reach is not None and reach > offset


def _overlaps(quote: Quote, spans: _Spans) -> bool:
    return spans.overlaps(quote.start, quote.end)


def _units(text: str) -> Iterator[_Unit]:
    offset = 0
    previous_blank = True
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            yield _Unit(offset + lead, offset + lead + len(stripped), previous_blank)
            previous_blank = False
        else:
            previous_blank = True
        offset += len(line) + 1


# -- dash quotes -----------------------------------------------------------------


def _dash_quotes(doc: Doc, units: list[_Unit], resolver: _SpeakerResolver) -> list[Quote]:
    text = _text_of(doc)
    openings = [_DASH_OPENING.match(u.text(text)) for u in units]
    dashed = [m is not None for m in openings]
    in_list = _list_items(units, dashed, text)
    found: list[tuple[Quote, bool]] = []  # (quote, attributed)
    index = 0
    while index < len(units):
        opening = openings[index]
        if opening is None or in_list[index]:
            index += 1
            continue
        unit = units[index]
        content_start = unit.start + opening.end()
        end_index = index
        attribution = _post_attribution(doc, unit, resolver)
        if attribution is None:
            # One-sentence-a-line text: the quote may run on to the line that carries the attribution.
            for ahead in range(index + 1, min(index + 6, len(units))):
                if units[ahead].paragraph_start or dashed[ahead]:
                    break
                attribution = _post_attribution(doc, units[ahead], resolver)
                if attribution is not None:
                    end_index = ahead
                    break
        if attribution is not None:
            quote = _make_quote(doc, "direct", content_start, attribution[1], attribution[0], resolver)
            if quote is not None:
                found.append((quote, True))
            index = end_index + 1
            continue
        before = _pre_attribution(doc, units, index, resolver)
        content_end = _trim_end(text, content_start, unit.end)
        if before is None and text[content_start:content_end].rstrip().endswith("?"):
            index += 1  # the journalist's question in an interview
            continue
        # An unattributed quote runs on over following lines that still speak in the first person.
        while end_index + 1 < len(units) and not dashed[end_index + 1] and not units[end_index + 1].paragraph_start:
            following = units[end_index + 1].text(text)
            if not _FIRST_PERSON.search(following) or following.rstrip().endswith(("?", ":")):
                break
            end_index += 1
        # Without an attribution after it the quote keeps its closing full stop.
        content_end = units[end_index].end
        while content_end > content_start and text[content_end - 1] in " ,":
            content_end -= 1
        if content_end <= content_start or not _WORD.search(text[content_start:content_end]):
            index += 1
            continue
        if before is not None:
            quote = _make_quote(doc, "direct", content_start, content_end, before, resolver)
            if quote is not None:
                found.append((quote, True))
        else:
            found.append((Quote("direct", content_start, content_end, text[content_start:content_end]), False))
        index = end_index + 1
    return _continue_speakers(found, resolver)


def _continue_speakers(found: list[tuple[Quote, bool]], resolver: _SpeakerResolver) -> list[Quote]:
    """Give unattributed dash quotes a speaker.

    A person the narrative names between the last quote and this one (``Talsmann
    Svein-Erik Bakke forsvarte oppførselen.``) speaks next; otherwise the speaker
    of the quote before continues (or, for an opening sub-heading, the one after).
    """
    quotes: list[Quote] = []
    last: Quote | None = None
    previous_end = 0
    # The next attributed quote after each position, found in one backward pass.
    next_attributed: list[Quote | None] = [None] * len(found)
    following: Quote | None = None
    for position in range(len(found) - 1, -1, -1):
        next_attributed[position] = following
        if found[position][1]:
            following = found[position][0]
    for position, (quote, attributed) in enumerate(found):
        if attributed:
            last = quote
            quotes.append(quote)
            previous_end = quote.end
            continue
        introduced = resolver.narrative_person_between(previous_end, quote.start)
        if introduced is not None:
            quote = Quote(quote.kind, quote.start, quote.end, quote.text, speaker=introduced, speaker_label="PER")
            last = quote
        else:
            source = last if last is not None else next_attributed[position]
            if source is not None and source.speaker is not None:
                quote = Quote(quote.kind, quote.start, quote.end, quote.text, speaker=source.speaker, speaker_label=source.speaker_label)
        quotes.append(quote)
        previous_end = quote.end
    return quotes


def _list_items(units: list[_Unit], dashed: list[bool], text: str) -> list[bool]:
    """Mark dash lines that form a list ("– 2 dl melk") rather than quotes."""
    marks = [False] * len(units)
    index = 0
    while index < len(units):
        if not dashed[index]:
            index += 1
            continue
        run_end = index
        while run_end + 1 < len(units) and dashed[run_end + 1]:
            run_end += 1
        items = [units[i].text(text) for i in range(index, run_end + 1)]
        introduced = index > 0 and units[index - 1].text(text).rstrip().endswith(":")
        short = all(len(_WORD.findall(item)) <= 6 and item.rstrip()[-1:] not in ".!?»\"”" for item in items)
        if short and (len(items) >= 2 or introduced):
            for i in range(index, run_end + 1):
                marks[i] = True
        index = run_end + 1
    return marks


def _trim_end(text: str, start: int, end: int) -> int:
    """End a quote's content before a closing comma or full stop (``?`` and ``!`` stay) and any line break."""
    while end > start and (text[end - 1] in " ,.:;" or text[end - 1].isspace()):
        end -= 1
    return end


def _post_attribution(doc: Doc, unit: _Unit, resolver: _SpeakerResolver) -> tuple[_Attribution, int] | None:
    """Find ``…, sier X.`` at the end of a unit; return the attribution and where the content ends."""
    # An attribution is a short clause at the end: searching only the tail keeps this linear on huge lines.
    tail_start = max(unit.start, unit.end - ATTRIBUTION_WINDOW)
    unit = _Unit(tail_start, unit.end, unit.paragraph_start)
    line = unit.text(_text_of(doc))
    match = _POST_PARTICLE.search(line) or _POST_ATTRIBUTION.search(line)
    if match is None:
        return None
    cue = match["cue"]
    if "particle" in match.groupdict() and match.groupdict().get("particle"):
        cue = f"{cue} {match['particle']}"
    rest_start = unit.start + match.start("rest")
    rest_end = unit.start + match.end("rest")
    speaker, addressee = _split_speaker_phrase(_text_of(doc), rest_start, rest_end)
    if speaker is None or _has_verb(doc, speaker[0], speaker[1]):
        return None  # "…, sier han vil fortsette": a content clause, not an attribution
    sep_end = unit.start + match.start("sep") + (0 if match["sep"] in ",." else len(match["sep"]))
    attribution = _Attribution(cue, unit.start + match.start("cue"), speaker[0], speaker[1], addressee)
    return attribution, _trim_end(_text_of(doc), unit.start, sep_end)


def _split_speaker_phrase(text: str, start: int, end: int) -> tuple[tuple[int, int] | None, str | None]:
    """Split ``utenriksminister Børge Brende til TV 2 onsdag`` into speaker span and addressee.

    ``informasjonskonsulent i Energigjenvinningsetaten, Rikke Dahl Monsen`` keeps
    the name after the comma; a clause after a comma (``, som er …``, ``, og slår
    …``) is narrative; a phrase that starts with ``jeg``/``vi`` or holds ``at``
    is a clause inside the quote, not an attribution.
    """
    clause = re.search(r",\s+(?=[a-zæøå])", text[start:end])
    if clause:
        end = start + clause.start()
    phrase = text[start:end]
    lowered = phrase.lower().split()
    if not lowered or lowered[0] in FIRST_PERSON_SPEAKERS or "at" in lowered:
        return None, None
    named = re.search(r",\s+((?:[A-ZÆØÅ][\w.-]*(?:\s+|$))+)", phrase)
    addressee = None
    speaker_end = end
    for match in re.finditer(r"\s+(\S+)", " " + phrase):
        word = match.group(1).lower().strip(",")
        word_start = start + match.start(1) - 1
        if word in ADDRESSEE_PREPOSITIONS:
            speaker_end = word_start
            tail = text[word_start + len(match.group(1)) : end].strip()
            addressee = _cut_at_stop_word(tail) or None
            break
        if word in ATTRIBUTION_STOP_WORDS and word_start > start and not (named and start + named.start() > word_start):
            speaker_end = word_start
            break
    if named and start + named.start(1) < speaker_end:
        # "sjef i NRK, Per Arne Kalbakk": the name after the comma is the speaker.
        name_start = start + named.start(1)
        return (name_start, min(speaker_end, start + named.start(1) + len(named.group(1).rstrip()))), addressee
    while speaker_end > start and text[speaker_end - 1] in " ,":
        speaker_end -= 1
    if speaker_end <= start:
        return None, addressee
    words = _WORD.findall(text[start:speaker_end])
    if not words or len(words) > 12:
        return None, addressee
    return (start, speaker_end), addressee


def _cut_at_stop_word(tail: str) -> str:
    words = tail.split()
    kept: list[str] = []
    for word in words:
        if word.lower().strip(",") in ATTRIBUTION_STOP_WORDS and kept:
            break
        kept.append(word)
    return " ".join(kept).strip(" ,.")


def _pre_attribution(doc: Doc, units: list[_Unit], index: int, resolver: _SpeakerResolver) -> _Attribution | None:
    """``X sier:`` on the line before a dash quote."""
    if index == 0:
        return None
    previous = units[index - 1]
    line = previous.text(_text_of(doc))
    if not _PRE_ATTRIBUTION.search(line) or _DASH_OPENING.match(line):
        return None
    span = resolver.first_speaker_in(previous.start, previous.end)
    if span is None:
        return None
    cue_match = re.search(rf"\b({_CUE_WORD})\b", line)
    cue = cue_match.group(1) if cue_match else None
    return _Attribution(cue or "", previous.start + (cue_match.start() if cue_match else 0), span[0], span[1], None)


def _make_quote(
    doc: Doc, kind: str, start: int, end: int, attribution: _Attribution, resolver: _SpeakerResolver
) -> Quote | None:
    text = _text_of(doc)
    while start < end and (text[start] in " «\"“" or text[start].isspace()):
        start += 1
    while end > start and text[end - 1] in " »\"”,":
        end -= 1
    if end <= start:
        return None
    speaker = None
    label = None
    mention = None
    if attribution.speaker_start is not None and attribution.speaker_end is not None:
        mention = text[attribution.speaker_start : attribution.speaker_end]
        speaker, label = resolver.resolve(attribution.speaker_start, attribution.speaker_end, anchor=start)
    return Quote(
        kind=kind,
        start=start,
        end=end,
        text=text[start:end],
        speaker=speaker,
        speaker_mention=mention,
        speaker_start=attribution.speaker_start,
        speaker_end=attribution.speaker_end,
        speaker_label=label,
        cue=attribution.cue or None,
        cue_start=attribution.cue_start if attribution.cue else None,
        cue_end=attribution.cue_start + len(attribution.cue.split()[0]) if attribution.cue else None,
        addressee=attribution.addressee,
    )


# -- quotation marks ---------------------------------------------------------------


def _quoted_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(open, close)`` offsets of outermost «…» (nesting-aware, across paragraphs), “…” and "…"."""
    depth = 0
    opened = -1
    for position, char in enumerate(text):
        if char == _GUILLEMET_OPEN:
            # A paragraph that continues a quote opens with « again without the last one closing.
            continues = depth > 0 and position > 0 and text[position - 1] == "\n"
            if depth == 0:
                opened = position
            if not continues:
                depth += 1
        elif char == _GUILLEMET_CLOSE and depth > 0:
            depth -= 1
            if depth == 0:
                yield opened, position
    for pattern in (_CURLY, _STRAIGHT):
        for match in pattern.finditer(text):
            yield match.start(), match.end() - 1


def _quotation_mark_quotes(doc: Doc, units: list[_Unit], resolver: _SpeakerResolver) -> list[Quote]:
    text = _text_of(doc)
    quotes: list[Quote] = []
    # Spans come in order of their opening mark, so a span lies inside one already taken exactly when
    # it closes before the furthest close taken so far.
    furthest_taken = -1
    for opened, closed in sorted(_quoted_spans(text)):
        if closed <= furthest_taken:
            continue  # nested inside a quote already taken
        content_start, content_end = opened + 1, closed
        content = text[content_start:content_end]
        words = _WORD.findall(content)
        if len(words) < MIN_QUOTED_WORDS:
            continue  # a scare quote or a title
        line_end = text.find("\n", closed)
        line_end = len(text) if line_end == -1 else line_end
        line_start = text.rfind("\n", 0, opened) + 1
        after = text[closed + 1 : min(line_end, closed + 1 + ATTRIBUTION_WINDOW)]
        line_start = max(line_start, opened - ATTRIBUTION_WINDOW)
        before = text[line_start:opened]
        attribution = None
        after_match = _AFTER_QUOTE_CUE.match(after)
        if after_match:
            rest_start = closed + 1 + after_match.start("rest")
            rest_end = closed + 1 + after_match.end("rest")
            span, addressee = _split_speaker_phrase(text, rest_start, rest_end)
            if span is not None:
                attribution = _Attribution(after_match["cue"], closed + 1 + after_match.start("cue"), span[0], span[1], addressee)
        if attribution is None:
            before_match = _BEFORE_QUOTE_CUE.search(before)
            if before_match and before_match["cue"].lower() not in NOT_SPEECH:
                cue_start = line_start + before_match.start("cue")
                span = resolver.subject_near(cue_start, line_start, opened)
                if span is not None:
                    attribution = _Attribution(before_match["cue"], cue_start, span[0], span[1], None)
        whole_sentence = content.rstrip(" ,")[-1:] in ".!?…" and content[:1].isupper()
        if attribution is None and not (whole_sentence and len(words) >= 6 and not before.strip()):
            continue
        end = content_end
        while end > content_start and text[end - 1] in " ,":
            end -= 1
        if attribution is None:
            quotes.append(Quote("direct", content_start, end, text[content_start:end]))
        else:
            quote = _make_quote(doc, "direct", content_start, end, attribution, resolver)
            if quote is not None:
                quotes.append(quote)
        furthest_taken = max(furthest_taken, closed)
    return quotes


# -- reported speech -------------------------------------------------------------------


def _reported_speech(
    doc: Doc, resolver: _SpeakerResolver, direct: list[tuple[int, int]], direct_attributions: list[tuple[int, int]]
) -> list[Quote]:
    quotes: list[Quote] = []
    # A direct quote's own attribution ("…, sier Kristin Enstad til TV 2.") is not reported speech again.
    inside_direct = _Spans(direct)
    taken = _Spans(direct + direct_attributions)
    for sentence in doc.sents:
        if inside_direct.contains(sentence.start_char, sentence.end_char):
            continue
        overlaps = taken.overlaps(sentence.start_char, sentence.end_char)
        if not overlaps and not _DASH_OPENING.match(sentence.text.lstrip()):
            attributed = _attributed_sentence(doc, sentence, resolver)
            if attributed is not None:
                quotes.append(attributed)
                continue
        quotes.extend(_reported_in_sentence(doc, sentence, resolver, taken))
    unique: dict[tuple[int, int], Quote] = {}
    for quote in quotes:
        unique.setdefault((quote.start, quote.end), quote)
    return list(unique.values())


def _attributed_sentence(doc: Doc, sentence: Span, resolver: _SpeakerResolver) -> Quote | None:
    """``Kunst trenger marked, skriver Nils August Andresen.``: a sentence reported without quotation marks."""
    start = sentence.start_char
    while start < sentence.end_char and _text_of(doc)[start].isspace():
        start += 1
    unit = _Unit(start, sentence.end_char, False)
    found = _post_attribution(doc, unit, resolver)
    if found is None:
        return None
    attribution, content_end = found
    if len(_WORD.findall(_text_of(doc)[start:content_end])) < 4:
        return None
    quote = _make_quote(doc, "indirect", start, content_end, attribution, resolver)
    return quote


def _reported_in_sentence(
    doc: Doc, sentence: Span, resolver: _SpeakerResolver, direct: _Spans
) -> Iterator[Quote]:
    tokens = list(sentence)
    text = _text_of(doc)
    taken_until = -1
    for i, token in enumerate(tokens):
        if token.idx < taken_until:
            continue
        lower = token.lower_
        cue, cue_tokens = _cue_at(tokens, i)
        if cue is None:
            if lower in ("ifølge",) or (lower == "i" and i + 1 < len(tokens) and tokens[i + 1].lower_ == "følge"):
                quote = _ifolge_quote(doc, sentence, tokens, i, resolver)
                if quote is not None:
                    yield quote
                    taken_until = quote.end
            continue
        if direct.holds(token.idx):
            continue
        clause = _content_clause(tokens, i + cue_tokens, request=cue in REQUEST_VERBS)
        if clause is None and cue in AT_OPTIONAL:
            clause = _clause_without_at(tokens, i + cue_tokens, resolver)
        if clause is None:
            continue
        content_start = clause
        content_end = _trim_end(text, content_start, sentence.end_char)
        if content_end - content_start < 3:
            continue
        subject = resolver.subject_of(tokens, i)
        if subject is None:
            continue
        speaker, label = resolver.resolve(subject[0], subject[1])
        mention = text[subject[0] : subject[1]]
        if mention.lower() in GENERIC_SUBJECTS:
            continue
        addressee = _addressee_between(tokens, i + cue_tokens, content_start)
        yield Quote(
            kind="indirect",
            start=content_start,
            end=content_end,
            text=text[content_start:content_end],
            speaker=speaker,
            speaker_mention=mention,
            speaker_start=subject[0],
            speaker_end=subject[1],
            speaker_label=label,
            cue=" ".join(t.text for t in tokens[i : i + cue_tokens]),
            cue_start=token.idx,
            cue_end=token.idx + len(token.text),
            addressee=addressee,
        )
        taken_until = content_end


def _cue_at(tokens: list[Token], i: int) -> tuple[str | None, int]:
    """Return the speech verb starting at token ``i`` (and how many tokens it spans)."""
    lower = tokens[i].lower_
    for length in (3, 2):
        if i + length <= len(tokens):
            phrase = " ".join(t.lower_ for t in tokens[i : i + length])
            if phrase in SPEECH_VERBS:
                return phrase, length
    if lower in SPEECH_VERBS and lower not in NOT_SPEECH:
        return lower, 1
    return None, 0


_CLAUSE_WINDOW = 9


def _content_clause(tokens: list[Token], start: int, *, request: bool) -> int | None:
    """Find the start of the content clause after a cue: after ``at``, ``om at``, or ``om å``/``for å`` for requests."""
    for j in range(start, min(start + _CLAUSE_WINDOW, len(tokens))):
        word = tokens[j].lower_
        if tokens[j].is_punct and tokens[j].text not in ("-", "–"):
            if tokens[j].text == "," and j + 1 < len(tokens) and tokens[j + 1].lower_ == "at":
                continue
            return None
        if word == "at" and j + 1 < len(tokens):
            return int(tokens[j + 1].idx)
        if request and word in ("om", "for", "til") and j + 1 < len(tokens) and tokens[j + 1].lower_ in ("å", "at"):
            after = j + 2 if tokens[j + 1].lower_ == "at" else j + 1
            if after < len(tokens):
                return int(tokens[after].idx)
        if word in SPEECH_VERBS and j > start:
            return None
    return None


_NOT_CLAUSE_START = frozenset(
    {"til", "om", "for", "seg", "på", "i", "med", "av", "ikke", "også", "nei", "ja", "fra", "ifra", "noe", "dette",
     "sånn", "slik", "det", "at", "som", "hva", "så", "alltid", "aldri", "bare", "likevel", "imidlertid", "dessuten"}
)


def _clause_without_at(tokens: list[Token], start: int, resolver: _SpeakerResolver) -> int | None:
    """``Hove mener Sydneshaugen har bedre standard``: a content clause that drops ``at``."""
    # A bounded window: looking at the whole rest of the sentence for every cue was quadratic.
    words = [t for t in tokens[start : start + CLAUSE_WINDOW_TOKENS] if not t.is_space]
    position = 0
    # Inverted order puts the subject first: "mener han Norge er favoritter".
    entity = resolver.entity_starting_at(words[0].idx) if words else None
    if words and (words[0].lower_ in PERSON_PRONOUNS or (entity is not None and entity.label_ == "PER")):
        skip_to = entity.end_char if entity is not None else words[0].idx + len(words[0].text)
        after = next((t for t in words if t.idx >= skip_to), None)
        if entity is None or after is None or not _is_verb(after):
            while position < len(words) and words[position].idx < skip_to:
                position += 1
    if position >= len(words):
        return None
    first = words[position]
    if first.is_punct or first.lower_ in _NOT_CLAUSE_START:
        # "det" opens clauses too ("mener det er rart"), but only when a verb follows at once.
        if not (first.lower_ == "det" and position + 1 < len(words) and _is_verb(words[position + 1])):
            return None
    rest = [t for t in words[position:] if not t.is_punct]
    if len(rest) < 4 or not any(_is_verb(t) for t in rest[1:]):
        return None
    return int(first.idx)


def _has_verb(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(_is_verb(t) and not t.text[:1].isupper() for t in span)


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or token.tag_ == "verb"


def _addressee_between(tokens: list[Token], start: int, content_start: int) -> str | None:
    for j in range(start, len(tokens)):
        if tokens[j].idx >= content_start:
            break
        if tokens[j].lower_ in ADDRESSEE_PREPOSITIONS and j + 1 < len(tokens) and tokens[j + 1].idx < content_start:
            words = [t.text for t in tokens[j + 1 :] if t.idx < content_start and t.lower_ not in ("at", "om")]
            return " ".join(words).strip(" ,") or None
    return None


def _ifolge_quote(doc: Doc, sentence: Span, tokens: list[Token], i: int, resolver: _SpeakerResolver) -> Quote | None:
    """``ifølge X`` / ``i følge X``: the rest of the sentence (or its ``at`` clause) is what X says."""
    name_start_token = i + (2 if tokens[i].lower_ == "i" else 1)
    if name_start_token >= len(tokens):
        return None
    phrase_start = tokens[name_start_token].idx
    window_end = tokens[min(name_start_token + 4, len(tokens) - 1)].idx + len(tokens[min(name_start_token + 4, len(tokens) - 1)].text)
    span = resolver.first_speaker_in(phrase_start, min(sentence.end_char, window_end))
    if span is None:
        return None
    span = resolver.apposition_after(span[1]) or span
    text = _text_of(doc)
    at_clause = next((t for t in tokens if t.idx > span[1] and t.lower_ == "at"), None)
    sentence_start = next((t.idx for t in tokens if not t.is_space), sentence.start_char)
    if at_clause is not None and at_clause.i + 1 < tokens[-1].i + 1:
        content_start = at_clause.idx + len(at_clause.text) + 1
    elif tokens[i].idx == sentence_start or text[sentence_start : tokens[i].idx].strip().lower() in ("men", "og"):
        # The content is the sentence without the "ifølge X" phrase when it opens the sentence.
        after = span[1]
        while after < sentence.end_char and text[after] in " ,":
            after += 1
        content_start = after
    else:
        content_start = sentence_start
    content_end = _trim_end(text, content_start, sentence.end_char)
    if len(_WORD.findall(text[content_start:content_end])) < 3:
        return None
    speaker, label = resolver.resolve(span[0], span[1])
    cue = "i følge" if tokens[i].lower_ == "i" else tokens[i].text
    return Quote(
        kind="indirect",
        start=content_start,
        end=content_end,
        text=text[content_start:content_end],
        speaker=speaker,
        speaker_mention=text[span[0] : span[1]],
        speaker_start=span[0],
        speaker_end=span[1],
        speaker_label=label,
        cue=cue,
        cue_start=tokens[i].idx,
        cue_end=tokens[i].idx + len(cue),
    )


# -- speakers ----------------------------------------------------------------------------


_DEFINITE_NOUN = re.compile(r"^[a-zæøå0-9][\w-]*(?:en|et|a|ne|ren)$")


def _is_role_compound(word: str) -> bool:
    """``EU-ekspert``, ``Portsmouth-spilleren``, ``Fritt Ord-styreleder``: a name-prefixed role, not a name."""
    tail = word.rsplit("-", 1)[-1] if "-" in word else ""
    return bool(tail) and tail[:1].islower() and len(tail) > 3


_COMMON_NOUN_ENDINGS = ("sjef", "leder", "direktør", "minister", "professor", "ekspert", "forsker", "president",
                        "sier", "ør", "ist", "ent", "ant", "løper", "spiller", "trener", "rådgiver", "mann", "kvinne",
                        "en", "et", "ren", "ier", "er")


def _looks_like_common_noun(word: str) -> bool:
    """A capitalised first word that is a role or definite noun (``Kringkastingssjef``, ``Forsvareren``), not a name."""
    return word in ROLE_NOUNS_DEFINITE or _is_generic_role(word) or (len(word) > 6 and word.endswith(_COMMON_NOUN_ENDINGS))


def _is_generic_role(word: str) -> bool:
    """A lower-case definite noun that can stand for a person: ``spissen``, ``21-åringen``, ``skolebyråden``."""
    return bool(_DEFINITE_NOUN.match(word)) and word not in PLURAL_PRONOUNS and len(word) > 4


def _role_base(word: str) -> str:
    base = ROLE_NOUNS_DEFINITE.get(word)
    if base:
        return base
    for suffix in ("ene", "en", "et", "a", "n"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)].rsplit("-", 1)[-1]
    return word.rsplit("-", 1)[-1]


SIMILAR_SURNAME = 0.84
MIN_SIMILAR_SURNAME = 5


def _is_genitive_person(entity: Span) -> bool:
    """``Hannahs alder``: a person name ending in -s right before a noun or a quoted title."""
    if entity.label_ != "PER" or not entity.text.endswith("s"):
        return False
    doc = entity.doc
    following = doc[entity.end] if entity.end < len(doc) else None
    if following is None:
        return False
    if following.text in QUOTE_PAIRS:
        return True
    return following.tag_ in ("subst", "adj") and following.text.islower() and following.lower_ not in WEEKDAYS


class _SpeakerResolver:
    """Resolve speaker mentions (names, pronouns, role nouns) to the fullest name the article gives."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = _text_of(doc)
        # A person in the genitive owns something ("Hannahs alder", "Bob Marleys «Redemption Song»"):
        # never a speaker, and no second spelling of a full name ("Geir Hansens").
        self.entities = [e for e in doc.ents if e.label_ in SPEAKER_LABELS and not _is_genitive_person(e)]
        self.people = [e for e in self.entities if e.label_ == "PER"]
        self._by_start = {e.start_char: e for e in self.entities}
        self.quoted = list(_quoted_regions(_text_of(doc)))
        self._quoted_spans = _Spans(self.quoted)
        # Indexes of the people by surname and first name, so naming a speaker costs the same in a
        # long article as in a short one (a scan of every person per quote was quadratic).
        self._longest_by_surname: dict[str, str] = {}
        self._fuller_by_first: dict[str, set[str]] = {}
        for person in self.people:
            parts = person.text.split()
            if not parts:
                continue
            known = self._longest_by_surname.get(parts[-1])
            if known is None or len(person.text) > len(known):
                self._longest_by_surname[parts[-1]] = person.text
            if len(parts) > 1 and not _PLACE_PARTICLE.search(person.text):
                self._fuller_by_first.setdefault(parts[0], set()).add(person.text)
        self._fullest: dict[str, str] = {}
        # Names inside quotes are rarely what a later "han" or "utenriksministeren" refers to.
        self.narrative_people = [p for p in self.people if not self._in_quote(p.start_char)]
        # Entities do not overlap and come in text order: their starts and ends are both sorted.
        self._narrative_starts = [p.start_char for p in self.narrative_people]
        self._narrative_ends = [p.end_char for p in self.narrative_people]
        self._people_ends = [p.end_char for p in self.people]

    def _in_quote(self, offset: int) -> bool:
        return self._quoted_spans.holds(offset)

    # finding a speaker span -------------------------------------------------

    def entity_starting_at(self, offset: int) -> Span | None:
        return self._by_start.get(offset)

    def first_speaker_in(self, start: int, end: int) -> tuple[int, int] | None:
        """The first name (entity) between two offsets, else a pronoun or role noun there."""
        for entity in self.entities:
            if start <= entity.start_char and entity.end_char <= end:
                return entity.start_char, entity.end_char
        for token in self.doc.char_span(start, end, alignment_mode="expand") or []:
            if token.lower_ in PERSON_PRONOUNS or token.lower_ in ROLE_NOUNS_DEFINITE:
                return token.idx, token.idx + len(token.text)
        return None

    def subject_near(self, cue_start: int, line_start: int, limit: int) -> tuple[int, int] | None:
        """The speaker of a cue that precedes a quote: a name before the cue, else one after it."""
        before = [e for e in self.entities if line_start <= e.start_char and e.end_char <= cue_start]
        if before:
            people = [e for e in before if e.label_ == "PER"]
            chosen = people[0] if people else before[-1]
            return chosen.start_char, chosen.end_char
        return self.first_speaker_in(cue_start, limit)

    def subject_of(self, tokens: list[Token], cue_index: int) -> tuple[int, int] | None:
        """The subject of the speech verb: from the parse, else by Norwegian word order around it."""
        cue = tokens[cue_index]
        # Subjects sit near their verb: a bounded window keeps long sentences linear.
        offset = max(0, cue_index - CLAUSE_WINDOW_TOKENS)
        window = tokens[offset : cue_index + CLAUSE_WINDOW_TOKENS]
        words = [t for t in window if not t.is_space]
        position = next((j for j, t in enumerate(words) if t.i == cue.i), 0)
        if position > 0 and words[position - 1].text == ",":
            # "Stikk i strid med …, sa USAs utenriksminister Mike Pompeo at …": the subject follows the verb.
            after = self._subject_after(words, position)
            if after is not None:
                return after
        sentence_start = words[0].idx if words else cue.idx
        named = self.apposition_before(sentence_start, cue.idx)
        if named is not None:
            return named
        heads = [cue] + ([cue.head] if cue.head is not cue and cue.head.pos_ != "SPACE" else [])
        for head in heads:
            for child in head.children:
                if child.dep_.upper() in ("SUBJ", "NSUBJ") and child.i != cue.i and not child.is_space:
                    if child.lower_ in ("det", "som", "at", "der", "her") or child.is_punct:
                        continue
                    between = self.text[min(child.idx, cue.idx) : max(child.idx, cue.idx)]
                    if "\n" in between:
                        continue  # a caption or the line before, not this sentence's subject
                    return self._expand(child)
        sentence_start = words[0].idx if words else cue.idx
        # Subject first: "Tonje Gjevjon, styreleder i Boa, mener at …" / "Pompeo forsikret …".
        opening = [e for e in self.entities if e.start_char == sentence_start and e.end_char <= cue.idx]
        if opening:
            return opening[0].start_char, opening[0].end_char
        if position > 0 and _speaker_word(words[0].lower_) and words[0].idx < cue.idx:
            return words[0].idx, words[0].idx + len(words[0].text)
        before = [e for e in self.entities if sentence_start <= e.start_char and e.end_char <= cue.idx]
        close_people = [
            e for e in before if e.label_ == "PER" and sum(1 for t in words if e.end_char <= t.idx < cue.idx) <= 6
        ]
        if close_people:
            return close_people[-1].start_char, close_people[-1].end_char
        if before:
            distance = sum(1 for t in words if before[-1].end_char <= t.idx < cue.idx)
            if distance <= 2:
                return before[-1].start_char, before[-1].end_char
        # Inverted word order: "…, sa USAs utenriksminister Mike Pompeo at …", "mener han at".
        for j in range(position + 1, min(position + 8, len(words))):
            token = words[j]
            if token.lower_ in ("at", "om", "til") or token.is_punct:
                break  # "sier til Klassekampen at": what follows "til" is the addressee
            for entity in self.entities:
                if entity.start_char <= token.idx < entity.end_char:
                    return entity.start_char, entity.end_char
            if _speaker_word(token.lower_):
                return token.idx, token.idx + len(token.text)
        for j in range(position - 1, max(position - 3, -1), -1):
            if _speaker_word(words[j].lower_):
                return words[j].idx, words[j].idx + len(words[j].text)
        return None

    def apposition_before(self, start: int, cue_start: int) -> tuple[int, int] | None:
        """``Lederen for komiteen, Tony Calland, sier``: the name set off by commas right before the verb."""
        for entity in self.people:
            if start < entity.start_char and entity.end_char <= cue_start:
                if self.text[entity.end_char : cue_start].strip() == "," and self.text[start : entity.start_char].rstrip().endswith(","):
                    return entity.start_char, entity.end_char
        return None

    def apposition_after(self, end: int) -> tuple[int, int] | None:
        """``ifølge leder ved Antirasistisk Senter, Kari Helene Partapuoli, …``: the name right after a role."""
        gap = re.match(r",\s*", self.text[end : end + 4])
        if gap is None:
            return None
        entity = self._by_start.get(end + gap.end())
        if entity is not None and entity.label_ == "PER" and self.text[entity.end_char : entity.end_char + 1] in (",", "."):
            return entity.start_char, entity.end_char
        return None

    def _subject_after(self, words: list[Token], position: int) -> tuple[int, int] | None:
        """The subject right after an inverted speech verb: a name, pronoun or definite noun before ``at``.

        In ``sa USAs utenriksminister Mike Pompeo at`` the person, not the owner ``USAs``, is the subject.
        """
        first: tuple[int, int] | None = None
        for j in range(position + 1, min(position + 8, len(words))):
            token = words[j]
            if token.lower_ in ("at", "om", "til") or token.is_punct:
                break
            entity = next((e for e in self.entities if e.start_char <= token.idx < e.end_char), None)
            if entity is not None:
                if entity.label_ == "PER":
                    return entity.start_char, entity.end_char
                first = first or (entity.start_char, entity.end_char)
                continue
            if first is None and (_speaker_word(token.lower_) or token.lower_ in PLURAL_PRONOUNS or _is_generic_role(token.lower_)):
                return self._expand(token)
        return first

    def _expand(self, token: Token) -> tuple[int, int]:
        """A subject token grown to the name it belongs to: its entity, or the capitalised words after a role."""
        for entity in self.entities:
            if entity.start_char <= token.idx < entity.end_char:
                return entity.start_char, entity.end_char
        end = token.idx + len(token.text)
        following = token.doc[token.i + 1 : token.i + 5]
        for next_token in following:
            if _NAME_WORD.match(next_token.text) or (next_token.text == "-" and end == next_token.idx):
                end = next_token.idx + len(next_token.text)
                for entity in self.entities:
                    if entity.start_char <= next_token.idx < entity.end_char:
                        end = max(end, entity.end_char)
            else:
                break
        return token.idx, end

    # resolving a span to a canonical name -------------------------------------

    def resolve(self, start: int, end: int, *, anchor: int | None = None) -> tuple[str | None, str | None]:
        """Return ``(canonical name, label)`` for a speaker mention between two offsets.

        Pronouns and role nouns refer back from ``anchor`` (the quote's start
        when it precedes the attribution), skipping names inside quotes.
        """
        anchor = min(start, anchor) if anchor is not None else start
        words = [w.strip(",.()") for w in self.text[start:end].split()]
        words = [w for w in words if w]
        if not words:
            return None, None
        lowered = [w.lower() for w in words]
        if lowered[0] in INDEFINITE_SPEAKERS and not any(w[:1].isupper() for w in words[1:]):
            return None, None  # "en av innbyggerne": someone the article does not name
        inside = [e for e in self.entities if start <= e.start_char and e.end_char <= end]
        people = [e for e in inside if e.label_ == "PER" and not _is_role_compound(e.text)]
        if people:
            return self.canonical(people[-1]), "PER"
        if lowered[0] in PERSON_PRONOUNS or lowered[-1] in PERSON_PRONOUNS:
            return self._person_before(anchor)
        if lowered[-1] in PLURAL_PRONOUNS:
            return None, None
        sentence_initial = start == 0 or self.text[max(0, start - 2) : start].strip() in ("", ".", "\n", "-", "–")
        trailing = [w for w in _last_capitalised_run(words) if not _is_role_compound(w)]
        if sentence_initial and trailing and trailing[0] == words[0] and _looks_like_common_noun(lowered[0]):
            trailing = trailing[1:]  # "Kringkastingssjef Hans-Tore Bjerkaas": the first word is the role
        if trailing and words[-1] == trailing[-1] and not any(e.text.endswith(trailing[-1]) and e.label_ != "PER" for e in inside):
            # A name the entity recogniser missed: "Venstres førstekandidat Jon Gunnes".
            return self.fullest_name(" ".join(trailing)), "PER"
        if inside and not all(_is_role_compound(e.text) for e in inside):
            return self.canonical(inside[-1]), "ORG"
        role_word = next((w for w in reversed(lowered) if w in ROLE_NOUNS_DEFINITE), None)
        if role_word is not None:
            return self.role_holder(role_word, anchor)
        if lowered[-1].endswith("ene") and len(lowered) <= 2:
            # A plural institution ("myndighetene", "norske myndigheter"): the group itself speaks.
            return lowered[-1][:-3] + "er", "ORG"
        if _is_generic_role(lowered[-1]) or _is_role_compound(words[-1]) or _looks_like_common_noun(lowered[-1]):
            return self.role_holder(lowered[-1], anchor)
        return None, None

    def narrative_person_between(self, start: int, end: int) -> str | None:
        """The last person named outside quotes between two offsets, as a canonical name."""
        position = bisect_left(self._narrative_starts, end) - 1
        while position >= 0 and self._narrative_starts[position] >= start:
            if self._narrative_ends[position] <= end:
                return self.canonical(self.narrative_people[position])
            position -= 1
        return None

    def _person_before(self, offset: int) -> tuple[str | None, str | None]:
        narrative = bisect_right(self._narrative_ends, offset)
        if narrative:
            return self.canonical(self.narrative_people[narrative - 1]), "PER"
        anyone = bisect_right(self._people_ends, offset)
        if anyone:
            return self.canonical(self.people[anyone - 1]), "PER"
        return None, None

    def canonical(self, entity: Span) -> str:
        if entity.label_ == "PER":
            return self.fullest_name(entity.text)
        return _strip_genitive_org(entity.text, self.entities)

    def fullest_name(self, name: str) -> str:
        """``Brende`` → ``Børge Brende``: the longest person name in the article ending with the same surname."""
        found = self._fullest.get(name)
        if found is None:
            found = self._fullest[name] = self._find_fullest_name(name)
        return found

    def _find_fullest_name(self, name: str) -> str:
        surname = name.split()[-1]
        surnames = self._longest_by_surname
        if surname.endswith("s") and surname not in surnames and surname[:-1] in surnames:
            surname = surname[:-1]  # genitive: "Trumps" → "Trump"
            name = name[:-1]
        full_surnames = {p.text.split()[-1] for p in self.people if len(p.text.split()) > 1}
        if surname not in full_surnames and len(surname) >= MIN_SIMILAR_SURNAME:
            # A misspelt surname: "Jocobsen" for "Jacobsen".
            close = difflib.get_close_matches(surname, sorted(full_surnames), n=1, cutoff=SIMILAR_SURNAME)
            if close:
                surname = close[0]
        best = name
        longest = surnames.get(surname)
        if longest is not None and len(longest) > len(best):
            best = longest
        if best == name and len(name.split()) == 1:
            # "Hannah" → "Hannah Jones", when the article names one such person.
            fuller = set(self._fuller_by_first.get(name, ()))
            if not fuller:
                # The entity recogniser may have missed the full name: look for it in the text.
                pattern = rf"\b{re.escape(name)}((?:\s+[A-ZÆØÅ][\w-]+){{1,2}})\b"
                fuller = {name + m.group(1) for m in re.finditer(pattern, self.text)}
                fuller = {f for f in fuller if not any(_looks_like_common_noun(w.lower()) for w in f.split()[1:])}
            if len(fuller) == 1:
                best = fuller.pop()
        return best

    def role_holder(self, role_word: str, offset: int) -> tuple[str | None, str | None]:
        """The person (or organisation) the article last named with this role before ``offset``."""
        base = _role_base(role_word)
        text = self.text
        if role_word in ORGANISATION_ROLE_NOUNS:
            stem = role_word[:-2] if role_word.endswith(("et", "en")) else role_word
            orgs = [e for e in self.entities if e.label_ != "PER" and e.end_char <= offset and stem in e.text.lower()]
            if orgs:
                return _strip_genitive_org(orgs[-1].text, self.entities), "ORG"
            # An unnamed organisation: "det amerikanske utenriksdepartementet".
            pattern = re.compile(rf"\b((?:[a-zæøå]+e\s+)?\w*{re.escape(role_word)})\b", re.IGNORECASE)
            earlier = [m for m in pattern.finditer(text, 0, offset) if m.group(1).lower() != role_word]
            if earlier:
                return earlier[-1].group(1), "ORG"
            return None, None
        stated = [
            r for r in (self.doc._.roles or [] if self.doc.has_extension("roles") else [])
            if r.role == base and r.person_end <= offset and not getattr(r, "refers_back", False)
        ]
        if stated:
            # The role extractor read "USAs utenriksminister Mike Pompeo" and its kin.
            return self.fullest_name(stated[-1].person), "PER"
        holders: list[Span] = []
        for person in self.people:
            window = text[max(0, person.start_char - 60) : person.start_char].lower()
            after = text[person.end_char : person.end_char + 60].lower()
            if re.search(rf"\b[\w-]*{re.escape(base)}\w*(?:\s+\S+){{0,4}}[\s,]*$", window) or re.match(
                rf"^\s*(?:\([^)]*\))?\s*,\s*(?:\S+\s+){{0,3}}[\w-]*{re.escape(base)}", after
            ):
                holders.append(person)
        before = [h for h in holders if h.end_char <= offset]
        if before:
            return self.canonical(before[-1]), "PER"
        # No one named with that role before: the role noun points at the person in focus.
        return self._person_before(offset)


def _speaker_word(word: str) -> bool:
    return word in PERSON_PRONOUNS or word in ROLE_NOUNS_DEFINITE


def _last_capitalised_run(words: list[str]) -> list[str]:
    run: list[str] = []
    for word in reversed(words):
        if word[:1].isupper():
            run.insert(0, word)
        elif run:
            break
    return run


def _quoted_regions(text: str) -> Iterator[tuple[int, int]]:
    """Spans that are quoted speech (dash lines, «…»), cheaply, before quotes are extracted."""
    offset = 0
    for line in text.split("\n"):
        if _DASH_OPENING.match(line.strip()):
            yield offset, offset + len(line)
        offset += len(line) + 1
    yield from _quoted_spans(text)


def _strip_genitive_org(name: str, entities: list[Span]) -> str:
    if name.endswith("s") and any(e.text == name[:-1] for e in entities):
        return name[:-1]
    return name


# -- the spaCy component ---------------------------------------------------------------------


def _ensure_extension() -> None:
    if not Doc.has_extension("quotes"):
        Doc.set_extension("quotes", default=None)


@Language.factory(
    EXTRACTOR,
    assigns=["doc._.quotes"],
    requires=["doc.ents", "doc.sents", "token.dep", "doc._.roles"],
    default_config={},
)
def make_quote_extractor(nlp: Language, name: str) -> QuoteExtractor:
    return QuoteExtractor()


class QuoteExtractor:
    """The spaCy component: ``doc._.quotes = extract_quotes(doc)``."""

    def __init__(self) -> None:
        _ensure_extension()

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = extract_quotes(doc)
        return doc


__all__ = ["EXTRACTOR", "EXTRACTOR_VERSION", "QuoteExtractor", "extract_quotes", "SPEECH_VERB_LEMMAS"]


class SpeakerNames:
    """The article's person names, for turning a surname or first name into the fullest name it gives."""

    def __init__(self, doc: Doc) -> None:
        self._resolver = _SpeakerResolver(doc)

    def fullest_name(self, name: str) -> str:
        return self._resolver.fullest_name(name)
