"""`spacy pretrain` for the NER's own tok2vec, with the floret vectors loaded.

spaCy's pretraining builds the pipeline from the config without running
``[initialize]``, so the static-vectors table the NER's tok2vec embeds is empty
and the layer cannot even infer its shapes.  This wrapper loads
``[paths.vectors]`` right after the pipeline is created and then runs spaCy's own
pretraining loop unchanged (objective, batching and checkpoints come from the
``[pretraining]`` block of the config).

    python training/scripts/pretrain.py training/configs/ner.cfg OUT_DIR \
        [--gpu-id 0] [--override section.key=value ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import ner_tok2vec_ref  # noqa: F401  (the NER's encoder is what gets pretrained)
from spacy.training import pretrain as spacy_pretrain
from spacy.training.initialize import load_vectors_into_model
from spacy.cli._util import parse_config_overrides
from spacy.util import load_config

_build_pipeline = spacy_pretrain.load_model_from_config


def _pipeline_with_vectors(config, *args, **kwargs):  # type: ignore[no-untyped-def]
    nlp = _build_pipeline(config, *args, **kwargs)
    load_vectors_into_model(nlp, config["paths"]["vectors"])
    return nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--gpu-id", type=int, default=-1)
    parser.add_argument("--override", action="append", default=[], help="section.key=value (JSON values)")
    args = parser.parse_args()
    overrides = parse_config_overrides(_cli_pairs(args.override))
    raw_config = load_config(args.config, overrides=overrides, interpolate=False)
    config = raw_config.interpolate()
    if args.gpu_id >= 0:
        from thinc.api import require_gpu

        require_gpu(args.gpu_id)
    spacy_pretrain.load_model_from_config = _pipeline_with_vectors
    args.output.mkdir(parents=True, exist_ok=True)
    raw_config.to_disk(args.output / "config.cfg")
    spacy_pretrain.pretrain(config, args.output, use_gpu=args.gpu_id, silent=False)


def _cli_pairs(items: list[str]) -> list[str]:
    pairs: list[str] = []
    for item in items:
        key, _, value = item.partition("=")
        pairs += [f"--{key}", value]
    return pairs


if __name__ == "__main__":
    main()
