"""The Norwegian Bokmål pipeline shipped inside sporbar (issue 3).

``load()`` returns the trained spaCy pipeline ``nb_sporbar`` from package data
(``sporbar/analyze/model/nb_sporbar``): no network, no download, cached per process.

Components: tok2vec (shared) -> tagger (NDT part of speech in ``token.tag_``) ->
morphologizer (NDT morphology as Feat=Val in ``token.morph``) -> trainable_lemmatizer ->
sporbar_lemma_lookup (lemma table from the NDT training set for seen words) ->
sporbar_line_breaks (a line break always ends a sentence) ->
parser (NDT relations in ``token.dep_``; sentence boundaries) -> ner (own tok2vec;
NorNE labels PER ORG LOC GPE_LOC GPE_ORG PROD EVT DRV MISC) -> sporbar_doc_consistency
(a name tagged PER once in a document is PER everywhere in it).

Trained by ``make model`` from ../shared (see training/RESULTS.md).
"""
from __future__ import annotations

import os
import threading
from importlib import resources
from pathlib import Path
from typing import Optional

import spacy
from spacy.language import Language
from thinc.api import get_current_ops, set_current_ops

from . import consistency, lemma_lookup, paragraphs  # noqa: F401  (register the custom factories)
from .fast_ops import NumpyBlasOps
from .fast_vectors import CachedFloretVectors

MODEL_NAME = "nb_sporbar"
MODEL_VERSION = "0.2.0"
ENTITY_LABELS = ("PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC")

_lock = threading.Lock()
_cache: dict = {}


def model_path() -> Path:
    """Filesystem path of the shipped pipeline directory (package data)."""
    ref = resources.files(__package__) / "model" / MODEL_NAME
    # the package is installed as plain files (not zipped): the reference is a real path
    return Path(str(ref))


def load(*, exclude: Optional[tuple] = None) -> Language:
    """Load (once per process) and return the shipped Norwegian pipeline.

    ``exclude`` optionally names components not to load (e.g. ("parser",));
    each distinct value is cached separately.
    """
    key = tuple(exclude or ())
    nlp = _cache.get(key)
    if nlp is not None:
        return nlp
    with _lock:
        nlp = _cache.get(key)
        if nlp is None:
            path = model_path()
            if not (path / "config.cfg").exists():
                raise FileNotFoundError(
                    f"sporbar language model not found at {path}; rebuild it with `make model`"
                )
            previous = get_current_ops()
            if os.environ.get("SPORBAR_THINC_BLIS") != "1":
                # models keep the Ops current at their creation: numpy/OpenBLAS gemm,
                # ~2x faster end to end here than thinc's blis (see fast_ops.py)
                set_current_ops(NumpyBlasOps())
            try:
                nlp = spacy.load(path, exclude=list(key))
            finally:
                set_current_ops(previous)
            if nlp.vocab.vectors.mode == "floret":
                nlp.vocab.vectors = CachedFloretVectors.wrap(nlp.vocab.vectors)
            _cache[key] = nlp
    return nlp
