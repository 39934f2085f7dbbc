"""``sporbar_entity_cleanup``: entities never cross a line or paragraph break.

A statistical NER can run a name over a line break (``Gro Holm\\n\\nTillerson``
where a photo credit ends one paragraph and a name opens the next). Every
entity is cut at its first break; the part before the break is kept when it is
still a name, and the part after it becomes its own entity with the same label.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

CLEANUP = "sporbar_entity_cleanup"
BOUNDARIES = "sporbar_line_boundaries"
_SENTENCE_END = frozenset(".!?:»\"”…")


@Language.component(CLEANUP, assigns=["doc.ents"], requires=["doc.ents"])
def cleanup_entities(doc: Doc) -> Doc:
    """Split entities at line breaks, then tag the speakers of attributions the recogniser missed."""
    _split_at_line_breaks(doc)
    _attributed_names(doc)
    return doc


def _attributed_names(doc: Doc) -> None:
    """``…, sa Tillerson til delegatene``: a capitalised name right after a speech verb that ends a quote is a person.

    Attributions are the most regular place a name occurs in news; the statistical
    recogniser still misses a bare surname there now and then.
    """
    import simplemma

    from sporbar.lang.nb.speakers import PERSON_PRONOUNS, ROLE_NOUNS_DEFINITE
    from sporbar.lang.nb.speech_verbs import SPEECH_VERBS

    taken = {t.i for ent in doc.ents for t in ent}
    added: list[Span] = []
    for token in doc[1:-1]:
        if token.lower_ not in SPEECH_VERBS or doc[token.i - 1].text not in (",", "?", "!", "»", "”", '"'):
            continue
        start = token.i + 1
        end = start
        while end < len(doc) and end - start < 3 and doc[end].text[:1].isupper() and doc[end].is_alpha and end not in taken:
            end += 1
        if end == start:
            continue
        first = doc[start].lower_
        if first in PERSON_PRONOUNS or first in ROLE_NOUNS_DEFINITE or simplemma.is_known(first, lang="nb"):
            continue
        added.append(Span(doc, start, end, label="PER"))
    if added:
        doc.ents = filter_spans(list(doc.ents) + added)


def _split_at_line_breaks(doc: Doc) -> None:
    if not any("\n" in ent.text for ent in doc.ents):
        return
    cleaned: list[Span] = []
    for ent in doc.ents:
        if "\n" not in ent.text:
            cleaned.append(ent)
            continue
        start = ent.start
        for token in ent:
            if "\n" in token.text_with_ws and token.is_space or "\n" in token.whitespace_:
                end = token.i if token.is_space else token.i + 1
                if end > start and not all(t.is_space for t in doc[start:end]):
                    cleaned.append(Span(doc, start, end, label=ent.label_))
                start = token.i + 1
        if start < ent.end and not all(t.is_space for t in doc[start : ent.end]):
            cleaned.append(Span(doc, start, ent.end, label=ent.label_))
    doc.ents = cleaned


@Language.component(BOUNDARIES, assigns=["token.is_sent_start"])
def line_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every paragraph break, and after a line break that ends a sentence.

    Runs before the parser, which keeps boundaries set here. A single line break
    mid-sentence (hard-wrapped text) is left to the parser: a line only ends a
    sentence when it closes with sentence punctuation or the next one opens
    with a capital or a dialogue dash.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if token.is_space:
            continue
        breaks = previous.whitespace_.count("\n") + (previous.text.count("\n") if previous.is_space else 0)
        last_word = doc[previous.i - 1] if previous.is_space and previous.i > 0 else previous
        if breaks == 0:
            # Inside a line a sentence only starts after sentence punctuation: "i følge utenriksminister | Brende"
            # is never two sentences, whatever the parser would guess.
            if last_word.text[-1:] not in _SENTENCE_END and not last_word.is_space:
                token.is_sent_start = False
            continue
        if breaks >= 2 or last_word.text[-1:] in _SENTENCE_END or token.text[:1].isupper() or token.text in ("-", "–", "—"):
            token.is_sent_start = True
    return doc
