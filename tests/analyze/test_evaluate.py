"""sporbar.analyze.evaluate: span scoring and the NorNE gold reader."""
from __future__ import annotations

import pytest
import spacy

from sporbar.analyze import evaluate


def test_score_spans_9_and_8_labels():
    pred = [(0, 5, "PER"), (10, 14, "GPE_LOC"), (20, 25, "ORG")]
    gold = [(0, 5, "PER"), (10, 14, "GPE_ORG"), (30, 35, "PROD")]
    b = evaluate._ner_block([(pred, gold)])
    m9, m8 = b["labels9"]["micro"], b["labels8"]["micro"]
    assert (m9["tp"], m9["fp"], m9["fn"]) == (1, 2, 2)
    assert (m8["tp"], m8["fp"], m8["fn"]) == (2, 1, 1)  # GPE_LOC ~ GPE_ORG in the 8-type set
    assert b["labels8"]["per_label"]["GPE"]["f"] == 100.0
    assert set(evaluate.LABELS9) <= set(b["labels9"]["per_label"])
    assert m8["f"] == pytest.approx(66.67, abs=0.01)


@pytest.mark.skipif(not (evaluate.shared_dir() / "norne").exists(), reason="no ../shared/norne")
def test_gold_reader_drops_heading_markers_and_groups_sentences():
    nlp = spacy.blank("nb")
    docs = evaluate.norne_gold_docs(nlp.vocab, "dev")
    assert 200 < len(docs) < 300
    assert all(len(list(d.sents)) <= 10 for d in docs)
    assert not any(t.text == "|" for d in docs for t in d)
    assert sum(len(d.ents) for d in docs) > 1500
    # spacing rules: no space before a comma, none after an opening parenthesis
    text = " ".join(d.text for d in docs)
    assert " ," not in text and "( " not in text
