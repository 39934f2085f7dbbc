"""The shipped Norwegian pipeline (issue 3): loads offline, finds the seed articles' people."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sporbar.analyze import language_model
from sporbar.analyze.language_model import MODEL_NAME, MODEL_VERSION, load

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SPORBAR_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"

PERSONS = {
    "000": ["Donald Trump", "Tillerson", "Børge Brende", "Abu Bakr al-Baghdadi"],
    "002": ["Mike Pompeo", "Ine Eriksen Søreide", "Kristin Enstad", "Tor Mikkel Wara",
            "Donald Trump"],
}


def seed_text(prefix: str) -> str:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    raw = path.read_text(encoding="utf8")
    body = re.sub(r"^\s*date \d{4}-\d{2}\s", "", raw)
    return body.replace("\\,", ",")


@pytest.fixture(scope="module")
def nlp():
    return load()


@pytest.fixture(scope="module")
def seed_docs(nlp):
    if not SEEDS.exists():
        pytest.skip(f"seed articles not found at {SEEDS}")
    return {p: nlp(seed_text(p)) for p in PERSONS}


def test_constants_and_model_dir():
    assert MODEL_NAME == "nb_sporbar"
    assert re.fullmatch(r"\d+\.\d+\.\d+", MODEL_VERSION)
    path = language_model.model_path()
    assert (path / "config.cfg").exists() and (path / "meta.json").exists()
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    assert total <= 80 * 1024 * 1024


def test_loads_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the language model tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    language_model._cache.clear()
    nlp = load()
    wanted = ["tok2vec", "tagger", "morphologizer", "trainable_lemmatizer", "parser", "ner",
              "sporbar_doc_consistency"]
    assert [n for n in nlp.pipe_names if n in wanted] == wanted
    assert set(nlp.get_pipe("ner").labels) >= set(language_model.ENTITY_LABELS) - {"MISC"}
    assert load() is nlp  # cached


def test_loads_fast_in_a_fresh_process():
    # the model load itself (spaCy and sporbar already imported, as in any sporbar command)
    code = ("import time; from sporbar.analyze.language_model import load; "
            "t = time.perf_counter(); load(); print(time.perf_counter() - t)")
    env = dict(os.environ, PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120, check=True)
    assert float(out.stdout.strip().splitlines()[-1]) < 5.0


@pytest.mark.parametrize("prefix,name", [(p, n) for p, ns in PERSONS.items() for n in ns])
def test_seed_person_found_as_per(seed_docs, prefix, name):
    doc = seed_docs[prefix]
    ents = [(e.text, e.label_) for e in doc.ents]
    assert (name, "PER") in ents, f"{name!r} not PER in seed {prefix}: {ents}"
    # every exact occurrence of the full name is one PER span
    for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc.text):
        span = doc.char_span(m.start(), m.end())
        assert span is not None, f"{name!r} at {m.start()} is not on token boundaries"
        assert any(e.start_char == m.start() and e.end_char == m.end() and e.label_ == "PER"
                   for e in doc.ents), f"{name!r} at {m.start()} not an exact PER span"


def test_sentences(seed_docs):
    doc = seed_docs["002"]
    sents = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sents[0].startswith("Tirsdag snakket USAs utenriksminister")
    assert any(s.endswith("Norges utenriksminister Ine Eriksen Søreide var til stede.") for s in sents)
    # a dialogue dash stays with its sentence
    assert "– IS er fremdeles en trussel, og det er vår generasjons oppgave å stoppe dem, "\
        "sa utenriksministeren." in sents
    assert "Alle må bidra." in sents
    # no sentence runs across a paragraph break
    assert not any("\n\n" in s for s in sents)
    assert 20 <= len(sents) <= 40
    # paragraph breaks stay with the sentence before them: no whitespace-only sentences
    assert all(s.text.strip() for s in doc.sents)


@pytest.mark.xfail(reason="known miss: sentence-final abbreviation 'D.C.' is not split "
                   "from the next sentence", strict=False)
def test_sentence_after_abbreviation(seed_docs):
    sents = [s.text.strip() for s in seed_docs["002"].sents]
    assert "Møtet foregikk i Washington D.C." in sents


@pytest.mark.parametrize("word,lemma", [
    ("snakket", "snakke"), ("sier", "si"), ("myndighetene", "myndighet"),
    pytest.param("fremmedkrigere", "fremmedkriger", marks=pytest.mark.xfail(
        reason="known miss: unseen compound, the edit-tree lemmatizer keeps the form",
        strict=False)),
    ("landene", "land"), ("sa", "si"), ("utenriksministeren", "utenriksminister"),
    ("borgere", "borger"), ("Møtet", "møte"),
])
def test_lemmas(seed_docs, word, lemma):
    doc = seed_docs["002"]
    toks = [t for t in doc if t.text == word]
    assert toks, word
    assert all(t.lemma_ == lemma for t in toks), [(t.text, t.lemma_) for t in toks]


def test_tags_and_parse(seed_docs):
    doc = seed_docs["002"]
    tok = next(t for t in doc if t.text == "Pompeo")
    assert tok.tag_ == "subst"
    assert any(t.dep_ == "SUBJ" for t in doc)
    assert all(t.head.i >= 0 for t in doc)


def test_document_consistency_component(nlp):
    from spacy.tokens import Span

    from sporbar.analyze.consistency import DocConsistency

    doc = nlp.make_doc("Kari Nordmann kom. Nordmann sa nei. Nordmanns bil sto der.")
    doc.ents = [Span(doc, 0, 2, label="PER"), Span(doc, 4, 5, label="ORG")]
    doc = DocConsistency()(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Kari Nordmann", "PER"), ("Nordmann", "PER"), ("Nordmanns", "PER")]


def test_country_tagged_as_person_becomes_a_place(nlp):
    from spacy.tokens import Span

    from sporbar.analyze.consistency import DocConsistency

    doc = nlp.make_doc("Chiles regjering møtte Peru og Kari Norge i Oslo.")
    # a country or its genitive tagged PER becomes a place; a person's name that holds one stays
    doc.ents = [Span(doc, 0, 1, label="PER"), Span(doc, 3, 4, label="PER"), Span(doc, 5, 7, label="PER")]
    doc = DocConsistency()(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Chiles", "GPE_LOC"), ("Peru", "GPE_LOC"), ("Kari Norge", "PER")]


@pytest.mark.parametrize("text,tagged,person,other", [
    ("Lederen Abu Bakr al-Baghdadi er savnet.", 2, "Abu Bakr al-Baghdadi", None),
    ("Han møtte Osama bin Laden i 1996.", 1, "Osama bin Laden", None),
    # two names side by side, or a lower-case word after a name, join nothing
    ("Kari Nordmann og Ola Nordmann kom.", 2, "Kari Nordmann", "Ola Nordmann"),
    ("Kari Nordmann de siste årene.", 2, "Kari Nordmann", None),
])
def test_person_names_run_on_through_particles(nlp, text, tagged, person, other):
    """The NER tagged the first `tagged` tokens of the name; the particle rule completes it."""
    from spacy.tokens import Span

    from sporbar.analyze.consistency import DocConsistency

    doc = nlp.make_doc(text)
    first = next(i for i, t in enumerate(doc) if t.text == person.split()[0])
    ents = [Span(doc, first, first + tagged, label="PER")]
    if other:
        second = next(i for i, t in enumerate(doc) if i > first + 1 and t.text == other.split()[0])
        ents.append(Span(doc, second, second + 2, label="PER"))
    doc.ents = ents
    doc = DocConsistency(attribution_verbs=())(doc)
    assert [e.text for e in doc.ents] == [person] + ([other] if other else [])
    assert all(e.label_ == "PER" for e in doc.ents)


def test_party_name_before_full_stop_ends_the_sentence(nlp):
    # spaCy's nb exceptions keep "Frp." / "Ap." / "Sp." whole; in news they end a sentence
    doc = nlp("Han er nestleder i Frp. Det sa han i går. Hun kommer fra Ap. Hun sa nei.")
    assert [s.text for s in doc.sents] == [
        "Han er nestleder i Frp.", "Det sa han i går.", "Hun kommer fra Ap.", "Hun sa nei."]
    assert "Frp." not in [t.text for t in doc]


def test_cached_floret_vectors_equal_spacys(nlp, seed_docs):
    """The pipeline's vector cache returns exactly spaCy's floret vectors, also
    after the cache has filled up and been emptied."""
    import numpy
    from spacy.vectors import Vectors

    from sporbar.analyze.fast_vectors import CachedFloretVectors

    shipped = nlp.vocab.vectors
    assert isinstance(shipped, CachedFloretVectors)
    small = CachedFloretVectors.wrap(shipped)
    small.capacity = 50
    for doc in seed_docs.values():
        for sent in doc.sents:
            keys = [t.orth for t in sent]
            assert numpy.array_equal(small.get_batch(keys), Vectors.get_batch(shipped, keys))
    assert 0 < len(small._rows) <= 50


def test_line_breaks_start_sentences(nlp):
    doc = nlp("Utenriksministeren kom i går\n\n– IS er svekket, sa han.\nGro Holm\n\nTillerson svarte.")
    sents = [s.text.strip() for s in doc.sents]
    assert "– IS er svekket, sa han." in sents
    assert "Gro Holm" in sents
    assert sents[-1] == "Tillerson svarte."
    assert not any("\n" in s for s in sents)
