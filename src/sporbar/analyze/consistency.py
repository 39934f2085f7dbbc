"""Document-level name consistency for the nb_sporbar pipeline.

Registered as the spaCy factory ``sporbar_doc_consistency`` (runs after ``ner``).
Within one Doc, a name that the NER tagged as PER in one place is PER everywhere:

* every other occurrence of the same token sequence becomes PER (replacing an
  entity of another type that overlaps it, or filling a gap with no entity);
* the last token of a multi-token person name (the surname: "Rex Tillerson" ->
  "Tillerson") is treated the same way, when it is capitalised;
* a genitive form (name + "s", "Trumps") of a PER name is PER too.

Before that, an attribution rule fills gaps the NER left: a capitalised word right
after a speech verb (", sa Tillerson", ", sier Kristin Enstad"), not sentence-initial,
not already in an entity and not a genitive, becomes PER (with the capitalised words
that follow it).  On the NorNE training set 92 % of such words are gold B-PER and
100 % are inside some entity.

A country's name or genitive ("Chiles", ``data/countries.txt``) tagged PER becomes
GPE_LOC (on the NorNE training set no such form is ever a person; 1,165 are GPE).

A person name also runs on through name particles (``data/name_particles.txt`` of
sporbar.lang.nb): "Abu Bakr" + "al-Baghdadi", "Osama" + "bin Laden" become one PER
span when the particle is followed by a capitalised name and not part of another entity.

Entities are also trimmed of leading/trailing whitespace tokens.
Only capitalised tokens are relabelled, so common words are never turned into names.
The component is deterministic and has no weights; it must be importable before
``spacy.load`` of the shipped pipeline (sporbar.analyze.language_model imports it).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

FACTORY = "sporbar_doc_consistency"

# read by path, not through the sporbar package: the factory is registered before sporbar is imported
_DATA = Path(__file__).resolve().parents[1] / "lang" / "nb" / "data"


def _read_lines(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


NAME_PARTICLES = _read_lines(_DATA / "name_particles.txt")
COUNTRIES = _read_lines(_DATA / "countries.txt")
# a country and its genitive ("Chiles"; "Bahamas'" for names ending in s)
_COUNTRY_FORMS = COUNTRIES | {c + "s" for c in COUNTRIES if not c.endswith("s")} | {c + "'" for c in COUNTRIES if c.endswith("s")}
_PARTICLE_ALTERNATIVES = "|".join(sorted(NAME_PARTICLES, key=len, reverse=True))
_JOINED_PARTICLE = re.compile(rf"^(?:{_PARTICLE_ALTERNATIVES})-[A-ZÆØÅÀ-Ý]\w", re.IGNORECASE)


def _is_name_token(text: str) -> bool:
    return len(text) > 1 and text[0].isupper()


class DocConsistency:
    def __init__(self, labels: Iterable[str] = ("PER",), use_surnames: bool = True,
                 use_genitive: bool = True, attribution_verbs: Iterable[str] = ()):
        self.labels = list(labels)
        self.attribution_verbs = {v.lower() for v in attribution_verbs}
        self.use_surnames = use_surnames
        self.use_genitive = use_genitive

    def _keys(self, doc: Doc) -> dict[tuple[str, ...], str]:
        keys: dict[tuple[str, ...], str] = {}
        for label in self.labels:
            for ent in doc.ents:
                if ent.label_ != label:
                    continue
                words = tuple(t.text for t in ent)
                if not all(_is_name_token(w) or not w[:1].isalpha() for w in words):
                    continue
                forms = [words]
                if self.use_surnames and len(words) > 1 and _is_name_token(words[-1]):
                    forms.append(words[-1:])
                for f in list(forms):
                    if self.use_genitive and not f[-1].endswith("s"):
                        forms.append(f[:-1] + (f[-1] + "s",))
                for f in forms:
                    keys.setdefault(f, label)
        return keys

    @staticmethod
    def _trim_space(doc: Doc) -> None:
        """Entities never start or end on a whitespace token (e.g. a paragraph break)."""
        if not doc.ents:
            return
        ents, changed = [], False
        for e in doc.ents:
            s, t = e.start, e.end
            while s < t and doc[s].is_space:
                s += 1
            while t > s and doc[t - 1].is_space:
                t -= 1
            if (s, t) != (e.start, e.end):
                changed = True
                if s < t:
                    ents.append(Span(doc, s, t, label=e.label))
            else:
                ents.append(e)
        if changed:
            doc.ents = ents

    def _attribution(self, doc: Doc) -> None:
        if not self.attribution_verbs:
            return
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        new = []
        n = len(doc)
        i = 1
        while i < n:
            tok = doc[i]
            if (doc[i - 1].lower_ in self.attribution_verbs and i not in taken
                    and not tok.is_sent_start and tok.is_alpha and _is_name_token(tok.text)
                    and not tok.text.isupper()):
                j = i + 1
                while (j < n and j not in taken and _is_name_token(doc[j].text)
                       and doc[j].is_alpha and not doc[j].is_sent_start):
                    j += 1
                if not (doc[j - 1].text.endswith("s") and j < n and doc[j].is_lower):
                    new.append(Span(doc, i, j, label="PER"))
                i = j
            else:
                i += 1
        if new:
            doc.ents = list(doc.ents) + new

    @staticmethod
    def _particle_end(doc: Doc, j: int) -> int:
        """End of a name continued at token j by particles ("al-Baghdadi", "bin Laden"); j when none."""
        n = len(doc)
        if j < n and _JOINED_PARTICLE.match(doc[j].text) and doc[j].text[:1].islower():
            return j + 1
        k = j
        while k < n and doc[k].text in NAME_PARTICLES:
            k += 1
        if k > j and k < n and _is_name_token(doc[k].text) and doc[k].is_alpha:
            return k + 1
        return j

    def _particles(self, doc: Doc) -> None:
        ents = list(doc.ents)
        dropped: set[Span] = set()
        longer: list[Span] = []
        for e in ents:
            if e.label_ != "PER" or e in dropped:
                continue
            end = self._particle_end(doc, e.end)
            if end == e.end:
                continue
            inside = [o for o in ents if o is not e and o.start < end and o.end > e.end]
            if any(o.end > end or o.start < e.end for o in inside):
                continue  # the continuation belongs to another entity: leave both alone
            dropped.update([e, *inside])
            longer.append(Span(doc, e.start, end, label="PER"))
        if longer:
            doc.ents = filter_spans([e for e in ents if e not in dropped] + longer)

    @staticmethod
    def _countries(doc: Doc) -> None:
        ents = list(doc.ents)
        if any(e.label_ == "PER" and e.text in _COUNTRY_FORMS for e in ents):
            doc.ents = [Span(doc, e.start, e.end, label="GPE_LOC") if e.label_ == "PER" and e.text in _COUNTRY_FORMS
                        else e for e in ents]

    def __call__(self, doc: Doc) -> Doc:
        self._trim_space(doc)
        self._countries(doc)
        self._attribution(doc)
        self._particles(doc)
        if not doc.ents:
            return doc
        keys = self._keys(doc)
        if not keys:
            return doc
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for k in keys:
            by_first.setdefault(k[0], []).append(k)
        for ks in by_first.values():
            ks.sort(key=len, reverse=True)
        ents = list(doc.ents)
        covered = {}
        for e in ents:
            for i in range(e.start, e.end):
                covered[i] = e
        new: list[Span] = []
        i = 0
        n = len(doc)
        while i < n:
            cands = by_first.get(doc[i].text)
            matched = None
            if cands:
                for k in cands:
                    j = i + len(k)
                    if j <= n and tuple(t.text for t in doc[i:j]) == k:
                        matched = (k, j)
                        break
            if matched is None:
                i += 1
                continue
            k, j = matched
            label = keys[k]
            overlapping = {covered[t] for t in range(i, j) if t in covered}
            # leave it alone when an entity of the same label already covers it,
            # or when it sits inside a longer entity (part of another name)
            if any(e.label_ == label for e in overlapping) or any(
                e.start < i or e.end > j for e in overlapping
            ):
                i = j
                continue
            new.append(Span(doc, i, j, label=label))
            i = j
        if new:
            drop = {e for s in new for e in ents if e.start < s.end and s.start < e.end}
            doc.ents = filter_spans([e for e in ents if e not in drop] + new)
        return doc


@Language.factory(
    FACTORY,
    default_config={"labels": ["PER"], "use_surnames": True, "use_genitive": True,
                    "attribution_verbs": ["sa", "sier"]},
)
def make_doc_consistency(nlp: Language, name: str, labels: list[str], use_surnames: bool,
                         use_genitive: bool, attribution_verbs: list[str]) -> DocConsistency:
    return DocConsistency(labels=labels, use_surnames=use_surnames, use_genitive=use_genitive,
                          attribution_verbs=attribution_verbs)
