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

from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "sporbar_line_breaks"
DASHES = {"–", "—", "-", "―"}


class LineBreaks:
    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        for i in range(n - 1):
            tok = doc[i]
            if tok.is_space and "\n" in tok.text:
                if i > 0:
                    tok.is_sent_start = False  # the break stays with the sentence before it
                nxt = doc[i + 1]
                if nxt.is_space:
                    continue
                nxt.is_sent_start = True
                if nxt.text in DASHES and i + 2 < n and not doc[i + 2].is_space:
                    doc[i + 2].is_sent_start = False
        return doc


@Language.factory(FACTORY, default_config={})
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks()
