"""The Norwegian news pipeline, as one call: ``sporbar.nlp.load()``.

    import sporbar.nlp
    nlp = sporbar.nlp.load()
    doc = nlp("– IS er fremdeles en trussel, sa utenriksministeren.")
    doc.ents, doc._.quotes, doc._.roles, doc._.numbers

The pipeline is trained here and shipped in the package (see ``training/``); with
``extractors=False`` only the trained components are returned.
"""

from __future__ import annotations

from spacy.language import Language

from sporbar.analyze.language_model import MODEL_NAME, MODEL_VERSION
from sporbar.analyze.language_model import load as load_model
from sporbar.analyze.pipeline import with_extractors

__all__ = ["MODEL_NAME", "MODEL_VERSION", "load"]


def load(*, extractors: bool = True) -> Language:
    """Return the shipped pipeline (cached), with sporbar's extractors unless ``extractors=False``."""
    nlp = load_model()
    return with_extractors(nlp) if extractors else nlp
