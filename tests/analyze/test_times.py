"""Time expressions resolved against the article date, and quotes dated by the day they were said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sporbar.analyze.extractors.times import extract_times
from sporbar.api import KnowledgeBase
from sporbar.models import ArticleDate

CASES = [
    # (text, article date, expression, value, precision, kind)
    ("Møtet ble holdt 17. mars 2017 i Washington.", "2019-02-14", "17. mars 2017", "2017-03-17", "day", "date"),
    ("Dommen falt 17.03.2017.", "2019-02-14", "17.03.2017", "2017-03-17", "day", "date"),
    ("Avtalen ble signert 3. desember.", "2019-02-14", "3. desember", "2018-12-03", "day", "date"),
    ("Tirsdag snakket utenriksministeren.", "2019-02-14", "Tirsdag", "2019-02-12", "day", "weekday"),
    ("Han kommer hjem neste fredag.", "2019-02-14", "neste fredag", "2019-02-15", "day", "weekday"),
    ("Tirsdag snakket utenriksministeren.", "2019-02", "Tirsdag", "2019-02", "month", "weekday"),
    ("Han ble arrestert i går.", "2012-06-01", "i går", "2012-05-31", "day", "relative"),
    ("I fjor kom det færre.", "2012-06-01", "I fjor", "2011", "year", "relative"),
    ("Det skjedde for to år siden.", "2012-06-01", "for to år siden", "2010", "year", "relative"),
    ("Saken kommer opp om tre uker.", "2012-06-01", "om tre uker", "2012-06-18", "week", "relative"),
    ("Massakren skjedde i 1995.", "2017-03", "1995", "1995", "year", "year"),
    ("Prisene steg i september.", "2012-06-01", "i september", "2011-09", "month", "month"),
]


@pytest.mark.parametrize(("text", "date", "expression", "value", "precision", "kind"), CASES)
def test_times_resolved_against_the_article_date(text: str, date: str, expression: str, value: str, precision: str, kind: str) -> None:
    found = {t.text: t for t in extract_times(text, ArticleDate.parse(date))}
    assert expression in found, found
    t = found[expression]
    assert (t.value, t.precision, t.kind) == (value, precision, kind)
    assert text[t.start : t.end] == expression


@pytest.mark.parametrize("text", ["Han spiste mais og drakk mars-sjokolade.", "Det tok for to år å bygge."])
def test_times_ignore_words_that_only_look_like_times(text: str) -> None:
    assert [t.text for t in extract_times(text, ArticleDate.parse("2019-02-14"))] == []


def test_times_date_the_quote_by_the_day_it_was_said(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    text = "Presidenten talte til koalisjonen.\n\n– Kampen mot terrorisme er noe vi må gjøre sammen, sa presidenten onsdag."
    path.write_text(json.dumps({"id": "tale", "date": "2019-02-14", "text": text}, ensure_ascii=False) + "\n")
    kb.ingest([path])
    (quote,) = kb.quotes(article_id="tale")
    assert quote["date"] == "2019-02-13"
    times = kb.store.times(article_id="tale")
    assert [(t["text"], t["value"]) for t in times] == [("onsdag", "2019-02-13")]
