"""Time expressions, resolved against the article's date: when did it happen?

A pure function of the article text and its date (``extract_times``). Explicit
dates (``17. mars 2017``, ``17.03.2017``), months (``i mars``), years
(``i 1993``), weekdays (``tirsdag`` → the day in the publication week, on or
before the publication day), relative days, weeks, months and years (``i går``,
``neste uke``, ``i fjor``) and periods ago or ahead (``for to år siden``,
``om tre uker``). Each result keeps the precision the text and the article date
allow: a weekday in an article dated only ``2019-02`` cannot be pinned to a day,
so it keeps the month.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass

from sporbar.lang.nb.calendar import (
    MONTHS,
    PERIOD_UNITS,
    RELATIVE_DAYS,
    RELATIVE_MONTHS,
    RELATIVE_WEEKS,
    RELATIVE_YEARS,
    SMALL_NUMBERS,
    WEEKDAYS,
)
from sporbar.models import ArticleDate, DatePrecision

EXTRACTOR = "sporbar_times"
EXTRACTOR_VERSION = "2"


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression with offsets into the text and the date it resolves to (ISO, at ``precision``)."""

    start: int
    end: int
    text: str
    value: str | None
    precision: str | None  # "day", "week", "month", "year", or None when it cannot be resolved
    kind: str  # "date", "month", "year", "weekday", "relative"


def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_MONTH = _alternation(MONTHS)
_YEAR_AFTER = r"(?:\s+(?P<year>1[0-9]\d\d|2[01]\d\d)|\s+i\s+(?P<year_in>1[0-9]\d\d|2[01]\d\d)|\s+(?P<relyear>i fjor|i år|i forfjor))?"
_EXPLICIT_DATE = re.compile(rf"\b(?P<day>[0-3]?\d)\.\s*(?P<month>{_MONTH})\.?{_YEAR_AFTER}\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:1[6-9]|2[01])\d\d)\b")
_ISO_DATE = re.compile(r"\b(?P<year>(?:1[6-9]|2[01])\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_MONTH_YEAR = re.compile(rf"\b(?:i\s+|fra\s+|til\s+|siden\s+)?(?P<month>{_MONTH}){_YEAR_AFTER}\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:i|fra|til|siden|før|etter|innen|høsten|våren|sommeren|vinteren)\s+(?P<year>1[0-9]\d\d|20\d\d)\b", re.IGNORECASE)
# A bare year standing alone ("valget i 2011." is caught above; "2013-budsjettet" is not a time).
_BARE_YEAR = re.compile(r"(?<![\d.,-])\b(?P<year>19\d\d|20[0-3]\d)\b(?![\d%-]|\s*(?:kroner|kr|prosent|millioner|milliarder))(?=\s*[.,;:)!?]|\s+(?:og|da|var|ble|har|er)\b|\s*$)")
_WEEKDAY = re.compile(rf"\b(?:på\s+|sist\s+|forrige\s+|neste\s+|kommende\s+)?(?P<weekday>{_alternation(WEEKDAYS)})(?:ens|en|s)?\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:skal|vil|kommer til å|blir|neste|kommende|til uken|i morgen)\b", re.IGNORECASE)
_RELATIVE = re.compile(
    rf"\b(?P<phrase>{_alternation({**RELATIVE_DAYS, **RELATIVE_YEARS, **RELATIVE_WEEKS, **RELATIVE_MONTHS})})\b", re.IGNORECASE
)
_PERIOD = re.compile(
    rf"\b(?P<dir>for|om)\s+(?:(?:bare|drøye|drøyt|snart|nesten|over|rundt|ca\.|cirka|omtrent|knapt)\s+)?(?P<count>\d+|{_alternation(SMALL_NUMBERS)})\s+(?P<unit>{_alternation(PERIOD_UNITS)})(?P<ago>\s+siden)?\b",
    re.IGNORECASE,
)
# Month names that are also ordinary words need a date-like context to count.
_AMBIGUOUS_MONTHS = frozenset({"mars", "mai", "des", "nov", "jan", "feb", "apr", "aug", "sep", "sept", "okt"})


def extract_times(text: str, article_date: ArticleDate) -> list[TimeExpression]:
    """Return the time expressions of a text, in order, resolved against the article's date."""
    found: list[TimeExpression] = []
    # The spans taken so far never overlap, so kept in order their ends are in order too: only the last
    # span starting before a new one's end can overlap it (asking every span was quadratic).
    taken_starts: list[int] = []
    taken_ends: list[int] = []

    def add(start: int, end: int, value: str | None, precision: str | None, kind: str) -> None:
        position = bisect_left(taken_starts, end)
        if position > 0 and taken_ends[position - 1] > start:
            return
        taken_starts.insert(position, start)
        taken_ends.insert(position, end)
        found.append(TimeExpression(start, end, text[start:end], value, precision, kind))

    for match in _EXPLICIT_DATE.finditer(text):
        month = MONTHS[match["month"].lower()]
        year = _stated_year(match, article_date) or _year_for_month(article_date, month)
        day = _valid_day(year, month, int(match["day"]))
        if day is not None:
            add(match.start(), match.end(), day.isoformat(), "day", "date")
    for pattern in (_NUMERIC_DATE, _ISO_DATE):
        for match in pattern.finditer(text):
            day = _valid_day(int(match["year"]), int(match["month"]), int(match["day"]))
            if day is not None:
                add(match.start(), match.end(), day.isoformat(), "day", "date")
    for match in _PERIOD.finditer(text):
        count_word = match["count"].lower()
        count = int(count_word) if count_word.isdigit() else SMALL_NUMBERS[count_word]
        unit = PERIOD_UNITS[match["unit"].lower()]
        sign = -1 if match["dir"].lower() == "for" and match["ago"] else 1 if match["dir"].lower() == "om" else 0
        if sign == 0:
            continue  # "for to år" without "siden" is a duration, not a point in time
        value, precision = _shift(article_date, unit, sign * count)
        add(match.start(), match.end(), value, precision, "relative")
    for match in _RELATIVE.finditer(text):
        phrase = match["phrase"].lower()
        if phrase in RELATIVE_DAYS:
            value, precision = _shift(article_date, "day", RELATIVE_DAYS[phrase])
        elif phrase in RELATIVE_YEARS:
            value, precision = _shift(article_date, "year", RELATIVE_YEARS[phrase])
        elif phrase in RELATIVE_WEEKS:
            value, precision = _shift(article_date, "week", RELATIVE_WEEKS[phrase])
        else:
            value, precision = _shift(article_date, "month", RELATIVE_MONTHS[phrase])
        add(match.start(), match.end(), value, precision, "relative")
    for match in _WEEKDAY.finditer(text):
        phrase = match.group(0).lower()
        if not phrase.startswith(("neste", "kommende", "sist", "forrige")) and _FUTURE.search(_sentence_around(text, match.start())):
            phrase = "neste " + phrase  # "Torsdag skal de møtes": the coming day, not the last one
        value, precision = _weekday(article_date, WEEKDAYS[match["weekday"].lower()], phrase)
        add(match.start(), match.end(), value, precision, "weekday")
    for match in _MONTH_YEAR.finditer(text):
        name = match["month"].lower()
        stated = match["year"] or match["year_in"] or match["relyear"]
        if name in _AMBIGUOUS_MONTHS and not stated and not match.group(0).lower().startswith(("i ", "fra ", "til ", "siden ")):
            continue
        if not match.group(0)[:1].islower() and not stated and name in _AMBIGUOUS_MONTHS:
            continue
        month = MONTHS[name]
        year = _stated_year(match, article_date) or _year_for_month(article_date, month)
        add(match.start(), match.end(), f"{year:04d}-{month:02d}", "month", "month")
    for match in _YEAR.finditer(text):
        add(match.start("year"), match.end("year"), match["year"], "year", "year")
    for match in _BARE_YEAR.finditer(text):
        add(match.start("year"), match.end("year"), match["year"], "year", "year")
    return sorted(found, key=lambda t: t.start)


def _stated_year(match: re.Match[str], article_date: ArticleDate) -> int | None:
    """The year a date or month states after it: ``i 2007``, ``2007``, ``i fjor``, ``i år``."""
    if match["year"]:
        return int(match["year"])
    if match["year_in"]:
        return int(match["year_in"])
    relative = (match["relyear"] or "").lower()
    if relative:
        return article_date.start.year + RELATIVE_YEARS[relative]
    return None


# How far to look for a sentence's ends: a "sentence" longer than this is not one, and searching a
# text without full stops from every match to its start was quadratic.
_SENTENCE_REACH = 400


def _sentence_around(text: str, offset: int) -> str:
    low, high = max(0, offset - _SENTENCE_REACH), min(len(text), offset + _SENTENCE_REACH)
    start = max(text.rfind(". ", low, offset), text.rfind("\n", low, offset)) + 1 or low
    ends = [i for i in (text.find(". ", offset, high), text.find("\n", offset, high)) if i != -1]
    return text[start : min(ends) if ends else high]


def _valid_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year_for_month(article_date: ArticleDate, month: int) -> int:
    """A month without a year is the last such month on or before publication (news reports the past)."""
    published = article_date.start
    if article_date.precision is DatePrecision.YEAR:
        return published.year
    return published.year if month <= published.month else published.year - 1


def _weekday(article_date: ArticleDate, weekday: int, phrase: str) -> tuple[str | None, str | None]:
    """``tirsdag`` → the day in the publication week, on or before the publication day ("neste" looks ahead)."""
    if article_date.precision not in (DatePrecision.DAY, DatePrecision.DATETIME):
        # Without the publication day the week is unknown: only the month (or year) is sure.
        return _at_precision(article_date)
    published = article_date.start
    if phrase.startswith("neste"):
        delta = (weekday - published.weekday()) % 7 or 7
        return (published + dt.timedelta(days=delta)).isoformat(), "day"
    delta = (published.weekday() - weekday) % 7
    if phrase.startswith(("sist", "forrige")) and delta == 0:
        delta = 7
    return (published - dt.timedelta(days=delta)).isoformat(), "day"


def _at_precision(article_date: ArticleDate) -> tuple[str | None, str | None]:
    if article_date.precision is DatePrecision.MONTH:
        return article_date.value[:7], "month"
    if article_date.precision is DatePrecision.YEAR:
        return article_date.value[:4], "year"
    return article_date.start.isoformat(), "day"


def _shift(article_date: ArticleDate, unit: str, amount: int) -> tuple[str | None, str | None]:
    """Move the publication date by ``amount`` units, keeping no more precision than the article date has."""
    published = article_date.start
    day_precise = article_date.precision in (DatePrecision.DAY, DatePrecision.DATETIME)
    if unit == "year":
        return f"{published.year + amount:04d}", "year"
    if unit == "month":
        if article_date.precision is DatePrecision.YEAR:
            return None, None
        month_index = published.year * 12 + published.month - 1 + amount
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}", "month"
    if not day_precise:
        if unit == "day" and amount == 0 or unit == "week" and amount == 0:
            return _at_precision(article_date)
        return None, None
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=amount)
        return monday.isoformat(), "week"
    target = published + dt.timedelta(days=amount)
    last = _calendar.monthrange(target.year, target.month)[1]
    return dt.date(target.year, target.month, min(target.day, last)).isoformat(), "day"
