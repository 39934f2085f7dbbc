"""Normalisation: NFC, mojibake repair, whitespace and paragraphs; dashes and quotes kept."""

from __future__ import annotations

import pytest

from sporbar.models import ArticleDate, DatePrecision, RawRecord, SourceLocation
from sporbar.normalize import normalize_record, normalize_text

CASES = [
    # (raw, normalised)
    ("Bl\u00e5b\u00e6r", "Blåbær"),
    ("Bla\u030ab\u00e6r", "Blåbær"),  # decomposed å → NFC
    ("BlÃ¥bÃ¦r og smÃ¸r", "Blåbær og smør"),  # UTF-8 read as Latin-1
    ("Det er fÃ¸rste gang", "Det er første gang"),
    ("– IS er fremdeles en trussel, sa utenriksministeren.", "– IS er fremdeles en trussel, sa utenriksministeren."),
    ("«Vi følger situasjonen», skriver departementet.", "«Vi følger situasjonen», skriver departementet."),
    ("“Vi følger situasjonen”, skriver departementet.", "“Vi følger situasjonen”, skriver departementet."),
    ('- Vi vil bidra, sier han. "Nå"', '- Vi vil bidra, sier han. "Nå"'),
    ("8\u00a0000 muslimske   bosnjaker\t drept", "8 000 muslimske bosnjaker drept"),
    ("fremmed\u00adkrigere", "fremmedkrigere"),
    ("Første avsnitt.\r\n\r\n\r\n\r\nAndre avsnitt.", "Første avsnitt.\n\nAndre avsnitt."),
    ("  Linje en.  \n  Linje to.  ", "Linje en.\nLinje to."),
    ("Null\x00tegn og \x07bjelle", "Nulltegn og bjelle"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize_text_cases(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(("raw", "_"), CASES)
def test_normalize_text_is_idempotent(raw: str, _: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once


@pytest.mark.parametrize(
    ("raw", "value", "precision", "start", "end"),
    [
        ("2017-03", "2017-03", DatePrecision.MONTH, "2017-03-01", "2017-03-31"),
        ("2016-02", "2016-02", DatePrecision.MONTH, "2016-02-01", "2016-02-29"),
        ("2019", "2019", DatePrecision.YEAR, "2019-01-01", "2019-12-31"),
        ("2019-02-13", "2019-02-13", DatePrecision.DAY, "2019-02-13", "2019-02-13"),
        ("13.02.2019", "2019-02-13", DatePrecision.DAY, "2019-02-13", "2019-02-13"),
        ("2019-02-13T14:32:00+01:00", "2019-02-13T14:32:00+01:00", DatePrecision.DATETIME, "2019-02-13", "2019-02-13"),
    ],
)
def test_normalize_dates_keep_precision(raw: str, value: str, precision: DatePrecision, start: str, end: str) -> None:
    date = ArticleDate.parse(raw)
    assert (date.value, date.precision) == (value, precision)
    assert (date.start.isoformat(), date.end.isoformat()) == (start, end)


def test_normalize_record_derives_stable_id_from_text() -> None:
    location = SourceLocation("x.txt", 1)
    a = normalize_record(RawRecord(location, "Første avsnitt.\n\n\nAndre.", "2017-03"))
    b = normalize_record(RawRecord(location, "Første avsnitt.\r\n\r\nAndre.  ", "2017-03"))
    assert a.id == b.id and len(a.id) == 16
    given = normalize_record(RawRecord(location, "Første avsnitt.", "2017-03", id="vg-123"))
    assert given.id == "vg-123"
