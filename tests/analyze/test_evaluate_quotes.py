"""The quote scorer: Dice matching, speaker agreement, figures by kind."""

from __future__ import annotations

import pytest

from sporbar.analyze.evaluate_quotes import dice, gold_span, names_agree, score_quotes

TEXT = (
    "– IS er fremdeles en trussel, og det er vår generasjons oppgave å stoppe dem, sa utenriksministeren.\n\n"
    "Pompeo forsikret forsamlingen om at USA fremdeles ønsker å lede den globale innsatsen."
)


@pytest.mark.parametrize(
    ("predicted", "gold", "agree"),
    [
        ("Børge Brende", "Børge Brende", True),
        ("Brende", "Børge Brende", True),
        ("Mike Pompeo", "Pompeo", True),
        ("Trumps", "Donald Trump", True),
        ("Børge Brende", "Mike Pompeo", False),
        ("Ine Eriksen Søreide", "Ine Søreide", True),
        ("Kari Søreide", "Ine Eriksen Søreide", False),
        (None, None, True),
        ("Tillerson", None, False),
    ],
)
def test_evaluate_names_agree(predicted: str | None, gold: str | None, agree: bool) -> None:
    assert names_agree(predicted, gold) is agree


def test_evaluate_gold_span_runs_from_first_to_last_sentence() -> None:
    row = {"quote": "IS er fremdeles en trussel, og det er vår generasjons oppgave å stoppe dem", "quote_end": None}
    start, end = gold_span(TEXT, row)
    assert TEXT[start:end] == row["quote"]
    assert gold_span(TEXT, {"quote": "finnes ikke"}) is None


def test_evaluate_scores_matches_speakers_and_kinds() -> None:
    gold = [
        {"article_id": "a", "kind": "direct", "quote": "IS er fremdeles en trussel, og det er vår generasjons oppgave å stoppe dem", "speaker": "Mike Pompeo"},
        {"article_id": "a", "kind": "indirect", "quote": "USA fremdeles ønsker å lede den globale innsatsen", "speaker": "Mike Pompeo"},
    ]
    predicted = [
        # Half the words of the direct quote: Dice 2·7/(7+14) = 0.67 ≥ 0.5, a match.
        {"article_id": "a", "kind": "direct", "text": "IS er fremdeles en trussel, og det", "speaker": "Pompeo"},
        {"article_id": "a", "kind": "indirect", "text": "USA fremdeles ønsker å lede den globale innsatsen", "speaker": "Donald Trump"},
        {"article_id": "a", "kind": "direct", "text": "noe helt annet som ingen sa", "speaker": None},
    ]
    scores = score_quotes(predicted, gold, {"a": TEXT})
    assert scores["all"]["gold"] == 2 and scores["all"]["predicted"] == 3
    assert scores["all"]["recall"] == 1.0 and scores["all"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores["all"]["speaker_accuracy"] == 0.5
    assert scores["direct"]["end_to_end_f1"] == pytest.approx(2 * 0.5 * 1.0 / 1.5, abs=1e-4)
    assert scores["indirect"]["end_to_end_f1"] == 0.0
    assert [e["predicted"] for e in scores["errors"]["wrong_speaker"]] == ["Donald Trump"]


def test_evaluate_dice() -> None:
    assert dice(["a", "b"], ["a", "b"]) == 1.0
    assert dice(["a"], ["b"]) == 0.0
    assert dice([], ["a"]) == 0.0
