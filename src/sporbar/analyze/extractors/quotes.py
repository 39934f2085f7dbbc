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

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sporbar.lang.nb.punctuation import DIALOGUE_DASHES
from sporbar.lang.nb.speakers import (
    ADDRESSEE_PREPOSITIONS,
    ATTRIBUTION_STOP_WORDS,
    ORGANISATION_ROLE_NOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    ROLE_NOUNS_DEFINITE,
)
from sporbar.lang.nb.speech_verbs import NOT_SPEECH, REQUEST_VERBS, SPEECH_VERB_LEMMAS, SPEECH_VERBS
from sporbar.models import Quote

EXTRACTOR = "sporbar_quotes"
EXTRACTOR_VERSION = "1"
SPEAKER_LABELS = ("PER", "ORG", "GPE_ORG")
MIN_QUOTED_WORDS = 4
GENERIC_SUBJECTS = frozenset({"man", "mange", "noen", "det", "flere", "alle", "folk", "ingen", "enkelte", "andre"})

_DASHES = "".join(sorted(DIALOGUE_DASHES)).replace("-", r"\-")
_DASH_OPENING = re.compile(rf"^[{_DASHES}]\s+")
_SINGLE_CUES = sorted((v for v in SPEECH_VERBS if " " not in v and v not in REQUEST_VERBS), key=len, reverse=True)
_CUE_WORD = "|".join(_SINGLE_CUES)
# "…, sier utenriksminister Børge Brende til TV 2." — the attribution after a quote.
_POST_ATTRIBUTION = re.compile(
    rf"(?P<sep>[,?!…]|\.\.\.)[»\"”]?\s+(?P<cue>{_CUE_WORD})\s+(?P<rest>[^.!?]*?)\s*[.!]?[»\"”]?\s*$"
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
_AFTER_QUOTE_CUE = re.compile(rf"^\s*,?\s*(?P<cue>{_CUE_WORD})\s+(?P<rest>[^.!?]*?)\s*[.!]?\s*$")
_BEFORE_QUOTE_CUE = re.compile(rf"(?P<cue>\b(?:{_CUE_WORD}))\b(?P<rest>[^.!?:]*?)(?:\s+at)?\s*:?\s*$", re.IGNORECASE)
_IFOLGE = re.compile(r"\b[Ii] ?følge\s+")
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


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


def extract_quotes(doc: Doc) -> list[Quote]:
    """Return every quote in an analysed article, in text order."""
    text = doc.text
    units = list(_units(text))
    resolver = _SpeakerResolver(doc)
    direct = _dash_quotes(doc, units, resolver)
    covered = [(q.start, q.end) for q in direct]
    marked = [q for q in _quotation_mark_quotes(doc, units, resolver) if not _overlaps(q, covered)]
    direct_all = sorted(direct + marked, key=lambda q: q.start)
    covered = [(q.start, q.end) for q in direct_all]
    reported = [q for q in _reported_speech(doc, resolver, covered)]
    return sorted(direct_all + reported, key=lambda q: (q.start, q.end))


def _overlaps(quote: Quote, spans: list[tuple[int, int]]) -> bool:
    return any(quote.start < end and start < quote.end for start, end in spans)


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
    text = doc.text
    quotes: list[Quote] = []
    last_speaker: Quote | None = None
    last_quote_unit = -10
    index = 0
    while index < len(units):
        unit = units[index]
        line = unit.text(text)
        match = _DASH_OPENING.match(line)
        if not match:
            index += 1
            continue
        content_start = unit.start + match.end()
        # One-sentence-a-line text: the quote may run on to the line that carries the attribution.
        end_index = index
        attribution = _post_attribution(doc, units[index], resolver)
        if attribution is None:
            for ahead in range(index + 1, min(index + 5, len(units))):
                candidate = units[ahead]
                if candidate.paragraph_start or _DASH_OPENING.match(candidate.text(text)):
                    break
                found = _post_attribution(doc, candidate, resolver)
                if found is not None:
                    attribution, end_index = found, ahead
                    break
        last_unit = units[end_index]
        if attribution is not None:
            content_end = attribution[1]
            quote = _make_quote(doc, "direct", content_start, content_end, attribution[0], resolver)
            if quote is not None:
                quotes.append(quote)
                last_speaker, last_quote_unit = quote, end_index
            index = end_index + 1
            continue
        content_end = _trim_end(text, content_start, last_unit.end)
        if content_end <= content_start:
            index += 1
            continue
        before = _pre_attribution(doc, units, index, resolver)
        if before is not None:
            quote = _make_quote(doc, "direct", content_start, content_end, before, resolver)
            if quote is not None:
                quotes.append(quote)
                last_speaker, last_quote_unit = quote, index
        elif _looks_like_speech(text[content_start:content_end]) and (
            last_speaker is not None and index - last_quote_unit <= 3 or _is_heading(unit, units, index, text)
        ):
            speaker = last_speaker if last_speaker is not None and index - last_quote_unit <= 3 else None
            quotes.append(
                Quote(
                    kind="direct",
                    start=content_start,
                    end=content_end,
                    text=text[content_start:content_end],
                    speaker=speaker.speaker if speaker else None,
                    speaker_label=speaker.speaker_label if speaker else None,
                )
            )
            if speaker is not None:
                last_quote_unit = index
        index += 1
    return quotes


def _is_heading(unit: _Unit, units: list[_Unit], index: int, text: str) -> bool:
    """A dash sub-heading: a short line standing alone, not followed by another dash line."""
    line = unit.text(text)
    following = units[index + 1].text(text) if index + 1 < len(units) else ""
    return len(_WORD.findall(line)) <= 14 and not _DASH_OPENING.match(following) and not line.endswith(":")


def _looks_like_speech(content: str) -> bool:
    """Tell a quoted utterance from a dash list item ("– 2 dl melk", "– Oslo: 3 poeng")."""
    words = _WORD.findall(content)
    if len(words) < 3:
        return False
    if content.rstrip()[-1:] in ".!?…»\"”":
        return True
    return len(words) >= 6 and any(w[:1].islower() for w in words[1:])


def _trim_end(text: str, start: int, end: int) -> int:
    """End a quote's content before a closing comma or full stop (``?`` and ``!`` stay)."""
    while end > start and text[end - 1] in " ,.:;":
        end -= 1
    return end


def _post_attribution(doc: Doc, unit: _Unit, resolver: _SpeakerResolver) -> tuple[_Attribution, int] | None:
    """Find ``…, sier X.`` at the end of a unit; return the attribution and where the content ends."""
    line = unit.text(doc.text)
    match = _POST_PARTICLE.search(line) or _POST_ATTRIBUTION.search(line)
    if match is None:
        return None
    cue = match["cue"]
    if "particle" in match.groupdict() and match.groupdict().get("particle"):
        cue = f"{cue} {match['particle']}"
    rest_start = unit.start + match.start("rest")
    rest_end = unit.start + match.end("rest")
    speaker, addressee = _split_speaker_phrase(doc.text, rest_start, rest_end)
    if speaker is None:
        return None
    sep_end = unit.start + match.start("sep") + (0 if match["sep"] in ",." else len(match["sep"]))
    attribution = _Attribution(cue, unit.start + match.start("cue"), speaker[0], speaker[1], addressee)
    return attribution, _trim_end(doc.text, unit.start, sep_end)


def _split_speaker_phrase(text: str, start: int, end: int) -> tuple[tuple[int, int] | None, str | None]:
    """Split ``utenriksminister Børge Brende til TV 2 onsdag`` into speaker span and addressee."""
    phrase = text[start:end]
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
        if word in ATTRIBUTION_STOP_WORDS and word_start > start:
            speaker_end = word_start
            break
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
    line = previous.text(doc.text)
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
    text = doc.text
    while start < end and text[start] in " «\"“":
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
        speaker, label = resolver.resolve(attribution.speaker_start, attribution.speaker_end)
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
    text = doc.text
    quotes: list[Quote] = []
    seen: list[tuple[int, int]] = []
    for opened, closed in sorted(_quoted_spans(text)):
        if any(a <= opened and closed <= b for a, b in seen):
            continue  # nested inside a quote already taken
        content_start, content_end = opened + 1, closed
        content = text[content_start:content_end]
        words = _WORD.findall(content)
        if len(words) < MIN_QUOTED_WORDS:
            continue  # a scare quote or a title
        line_end = text.find("\n", closed)
        line_end = len(text) if line_end == -1 else line_end
        line_start = text.rfind("\n", 0, opened) + 1
        after = text[closed + 1 : line_end]
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
        seen.append((opened, closed))
    return quotes


# -- reported speech -------------------------------------------------------------------


def _reported_speech(doc: Doc, resolver: _SpeakerResolver, direct: list[tuple[int, int]]) -> list[Quote]:
    quotes: list[Quote] = []
    for sentence in doc.sents:
        if any(a <= sentence.start_char < b for a, b in direct):
            continue
        quotes.extend(_reported_in_sentence(doc, sentence, resolver, direct))
    return quotes


def _reported_in_sentence(
    doc: Doc, sentence: Span, resolver: _SpeakerResolver, direct: list[tuple[int, int]]
) -> Iterator[Quote]:
    tokens = list(sentence)
    text = doc.text
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
        if any(a <= token.idx < b for a, b in direct):
            continue
        clause = _content_clause(tokens, i + cue_tokens, request=cue in REQUEST_VERBS)
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
        if request and word in ("om", "for") and j + 1 < len(tokens) and tokens[j + 1].lower_ in ("å", "at"):
            after = j + 2 if tokens[j + 1].lower_ == "at" else j + 1
            if after < len(tokens):
                return int(tokens[after].idx)
        if word in SPEECH_VERBS and j > start:
            return None
    return None


def _addressee_between(tokens: list[Token], start: int, content_start: int) -> str | None:
    for j in range(start, len(tokens)):
        if tokens[j].idx >= content_start:
            break
        if tokens[j].lower_ in ADDRESSEE_PREPOSITIONS and j + 1 < len(tokens) and tokens[j + 1].idx < content_start:
            words = [t.text for t in tokens[j + 1 :] if t.idx < content_start and t.lower_ not in ("at", "om")]
            return " ".join(words).strip(" ,") or None
    return None


def _ifolge_quote(doc: Doc, sentence: Span, tokens: list[Token], i: int, resolver: _SpeakerResolver) -> Quote | None:
    """``ifølge X`` / ``i følge X``: the rest of the sentence is what X says."""
    name_start_token = i + (2 if tokens[i].lower_ == "i" else 1)
    if name_start_token >= len(tokens):
        return None
    phrase_start = tokens[name_start_token].idx
    span = resolver.first_speaker_in(phrase_start, min(sentence.end_char, phrase_start + 80))
    if span is None:
        return None
    text = doc.text
    # The content is the sentence without the "ifølge X" phrase when it opens the sentence.
    if tokens[i].idx == sentence.start_char:
        after = span[1]
        while after < sentence.end_char and text[after] in " ,":
            after += 1
        content_start = after
    else:
        content_start = sentence.start_char
    content_end = _trim_end(text, content_start, sentence.end_char)
    if content_end - content_start < 3:
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


class _SpeakerResolver:
    """Resolve speaker mentions (names, pronouns, role nouns) to the fullest name the article gives."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.entities = [e for e in doc.ents if e.label_ in SPEAKER_LABELS]
        self.people = [e for e in self.entities if e.label_ == "PER"]

    # finding a speaker span -------------------------------------------------

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
            return before[-1].start_char, before[-1].end_char
        return self.first_speaker_in(cue_start, limit)

    def subject_of(self, tokens: list[Token], cue_index: int) -> tuple[int, int] | None:
        """The subject of the speech verb: from the parse, else the nearest name or pronoun around it."""
        cue = tokens[cue_index]
        heads = [cue]
        if cue.head is not cue:
            heads.append(cue.head)
        for head in heads:
            for child in head.children:
                if child.dep_.upper() in ("SUBJ", "NSUBJ") and child.i != cue.i:
                    return self._expand(child)
        # Word order: "Pompeo forsikret …" (subject first) or "…, sa X at …" (inverted).
        sentence_start = tokens[0].idx
        before = [e for e in self.entities if sentence_start <= e.start_char and e.end_char <= cue.idx]
        if before and cue_index - self._token_index(tokens, before[-1].end_char) <= 3:
            return before[-1].start_char, before[-1].end_char
        for j in range(cue_index + 1, min(cue_index + 8, len(tokens))):
            token = tokens[j]
            for entity in self.entities:
                if entity.start_char == token.idx:
                    return entity.start_char, entity.end_char
            if token.lower_ in PERSON_PRONOUNS or token.lower_ in PLURAL_PRONOUNS or token.lower_ in ROLE_NOUNS_DEFINITE:
                return token.idx, token.idx + len(token.text)
        for j in range(cue_index - 1, max(cue_index - 4, -1), -1):
            token = tokens[j]
            if token.lower_ in PERSON_PRONOUNS or token.lower_ in PLURAL_PRONOUNS or token.lower_ in ROLE_NOUNS_DEFINITE:
                return token.idx, token.idx + len(token.text)
        return None

    @staticmethod
    def _token_index(tokens: list[Token], char: int) -> int:
        for j, token in enumerate(tokens):
            if token.idx >= char:
                return j
        return len(tokens)

    def _expand(self, token: object) -> tuple[int, int]:
        """A subject token grown to the name (entity) or role noun phrase it belongs to."""
        for entity in self.entities:
            if entity.start_char <= token.idx < entity.end_char:  # type: ignore[attr-defined]
                return entity.start_char, entity.end_char
        return token.idx, token.idx + len(token.text)  # type: ignore[attr-defined]

    # resolving a span to a canonical name -------------------------------------

    def resolve(self, start: int, end: int) -> tuple[str | None, str | None]:
        """Return ``(canonical name, label)`` for a speaker mention between two offsets."""
        inside = [e for e in self.entities if start <= e.start_char and e.end_char <= end]
        if inside:
            people = [e for e in inside if e.label_ == "PER"]
            chosen = people[-1] if people else inside[-1]
            return self.canonical(chosen), ("PER" if chosen.label_ == "PER" else "ORG")
        words = self.doc.text[start:end].split()
        if not words:
            return None, None
        head = words[-1].lower().strip(",.")
        first = words[0].lower().strip(",.")
        if first in PERSON_PRONOUNS or head in PERSON_PRONOUNS:
            person = self.last_person_before(start)
            return (self.canonical(person), "PER") if person is not None else (None, None)
        role_word = head if head in ROLE_NOUNS_DEFINITE else first if first in ROLE_NOUNS_DEFINITE else None
        if role_word is not None:
            return self.role_holder(role_word, start)
        capitalised = [w for w in words if w[:1].isupper()]
        if capitalised:
            name = " ".join(capitalised).strip(",.")
            return self.fullest_name(name), "PER"
        return None, None

    def canonical(self, entity: Span) -> str:
        if entity.label_ == "PER":
            return self.fullest_name(entity.text)
        return _strip_genitive_org(entity.text, self.entities)

    def fullest_name(self, name: str) -> str:
        """``Brende`` → ``Børge Brende``: the longest person name in the article ending with the same surname."""
        surname = name.split()[-1]
        surnames = {p.text.split()[-1] for p in self.people if p.text.split()}
        if surname.endswith("s") and surname not in surnames and surname[:-1] in surnames:
            surname = surname[:-1]  # genitive: "Trumps" → "Trump"
            name = name[:-1]
        best = name
        for person in self.people:
            parts = person.text.split()
            if parts and parts[-1] == surname and len(person.text) > len(best):
                best = person.text
        return best

    def last_person_before(self, offset: int) -> Span | None:
        previous = [p for p in self.people if p.end_char <= offset]
        return previous[-1] if previous else None

    def role_holder(self, role_word: str, offset: int) -> tuple[str | None, str | None]:
        """The person (or organisation) the article last named with this role before ``offset``."""
        base = ROLE_NOUNS_DEFINITE[role_word]
        text = self.doc.text
        if role_word in ORGANISATION_ROLE_NOUNS:
            orgs = [e for e in self.entities if e.label_ != "PER" and e.end_char <= offset and role_word[:-2] in e.text.lower()]
            if orgs:
                return orgs[-1].text, "ORG"
            # An unnamed organisation: "det amerikanske utenriksdepartementet".
            pattern = re.compile(rf"\b((?:[a-zæøå]+e\s+)?\w*{re.escape(role_word)})\b", re.IGNORECASE)
            matches = [m for m in pattern.finditer(text, 0, offset) if m.start() < offset]
            earlier = [m for m in matches if not text[m.start() : m.end()].lower() == role_word]
            if earlier:
                return earlier[-1].group(1), "ORG"
            return None, None
        holders: list[Span] = []
        for person in self.people:
            window = text[max(0, person.start_char - 40) : person.start_char].lower()
            after = text[person.end_char : person.end_char + 40].lower()
            if re.search(rf"\b\w*{re.escape(base)}\w*\s*$", window) or re.match(rf"^,\s*\w*{re.escape(base)}", after):
                holders.append(person)
        before = [h for h in holders if h.end_char <= offset]
        chosen = before[-1] if before else (holders[0] if holders else None)
        if chosen is None:
            return None, None
        return self.canonical(chosen), "PER"


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
    requires=["doc.ents", "doc.sents", "token.dep"],
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
