"""Line-break sentence boundaries for the nb_sporbar pipeline.

Registered as the spaCy factory ``sporbar_line_breaks`` (runs before the parser).
The NDT training text has no line breaks, so the parser alone may join a headline
or a paragraph to the next one, and the NER may then run a name across the break
("Gro Holm\\n\\nTillerson").  This component marks the first token after any
whitespace token containing a newline as a sentence start (the parser and the
NER both respect preset boundaries), and keeps a dialogue dash that opens a
line ("– IS er ...") in the same sentence as the words after it.
"""
from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "sporbar_line_breaks"
DASHES = {"–", "—", "-", "―"}


class LineBreaks:
    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n < 2:
            return doc
        # sentence starts are set through one array: Token.is_sent_start's setter
        # rescans the whole doc on every call
        starts = doc.to_array(SENT_START).astype(numpy.int64)
        changed = False
        # only whitespace tokens can hold a line break: visit those, not every token
        for i in numpy.flatnonzero(doc.to_array(IS_SPACE)[: n - 1]).tolist():
            if "\n" not in doc[i].text:
                continue
            changed = True
            if i > 0:
                starts[i] = -1  # the break stays with the sentence before it
            if doc[i + 1].is_space:
                continue
            starts[i + 1] = 1
            if doc[i + 1].text in DASHES and i + 2 < n and not doc[i + 2].is_space:
                starts[i + 2] = -1
        if changed:
            doc.from_array([SENT_START], starts.view(numpy.uint64))
        return doc


@Language.factory(FACTORY, default_config={})
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks()
