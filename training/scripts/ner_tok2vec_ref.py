"""Point spaCy's pretraining at the NER's own encoder (``--code`` for ``spacy train``).

The transition-based NER wraps its tok2vec as ``chain(tok2vec, list2array, Linear)``
and registers that chain as its ``tok2vec`` reference.  The pretraining objective
expects per-document arrays (the encoder's output), not the flattened projection, so
``[pretraining] component = "ner", layer = "tok2vec"`` must resolve to the chain's first
layer — for writing the weights (``spacy pretrain``) and for loading them again
(``[initialize] init_tok2vec`` in ``spacy train``).
"""

from __future__ import annotations

from spacy.training import initialize, pretrain

_spacy_tok2vec_ref = pretrain.get_tok2vec_ref


def encoder_ref(nlp, pretrain_config):  # type: ignore[no-untyped-def]
    layer = _spacy_tok2vec_ref(nlp, pretrain_config)
    wrapped = len(layer.layers) == 3 and layer.layers[1].name == "list2array"
    if pretrain_config["layer"] == "tok2vec" and wrapped:
        return layer.layers[0]
    return layer


pretrain.get_tok2vec_ref = encoder_ref
initialize.get_tok2vec_ref = encoder_ref
