"""Lemma lookup for the nb_sporbar pipeline: a table learnt from the NDT training set.

Registered as the spaCy factory ``sporbar_lemma_lookup`` (runs after the trainable
lemmatizer and the tagger).  For a token whose (lower-cased form, predicted NDT part of
speech) was seen in training with one dominant lemma (>= min_share of its occurrences,
at least min_count times), that lemma replaces the trainable lemmatizer's guess; all
other tokens keep the edit-tree lemmatizer's output.  The table is stored in the
pipeline directory (``sporbar_lemma_lookup/table.json``).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "sporbar_lemma_lookup"


class LemmaLookup:
    def __init__(self, name: str = FACTORY):
        self.name = name
        self.table: dict[str, str] = {}

    @staticmethod
    def key(form: str, tag: str) -> str:
        return f"{form.lower()}\t{tag}"

    def set_table(self, counts: Iterable[tuple[str, str, dict[str, int]]],
                  min_share: float = 0.9, min_count: int = 1) -> None:
        """counts: (form, tag, {lemma: n}) triples."""
        table = {}
        for form, tag, lemmas in counts:
            total = sum(lemmas.values())
            lemma, n = max(lemmas.items(), key=lambda x: (x[1], x[0]))
            if n >= min_count and n / total >= min_share:
                table[self.key(form, tag)] = lemma
        self.table = table

    def __call__(self, doc: Doc) -> Doc:
        table = self.table
        if not table:
            return doc
        for tok in doc:
            lemma = table.get(f"{tok.lower_}\t{tok.tag_}")
            if lemma is not None:
                tok.lemma_ = lemma
        return doc

    def to_disk(self, path, *, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "table.json", self.table, indent=0)

    def from_disk(self, path, *, exclude=tuple()):
        self.table = srsly.read_json(Path(path) / "table.json")
        return self


@Language.factory(FACTORY, default_config={})
def make_lemma_lookup(nlp: Language, name: str) -> LemmaLookup:
    return LemmaLookup(name)
