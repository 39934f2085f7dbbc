"""Frozen records that the stages of sporbar hand to each other.

Every stage (read → normalize → analyze → resolve → store → query) takes and
returns these dataclasses, so a stage never needs to know how another one is
implemented.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sporbar.errors import InvalidDate


class DatePrecision(StrEnum):
    """How much of a date the source actually stated."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    DATETIME = "datetime"


_ISO_DATE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<tz>Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
_NORWEGIAN_NUMERIC_DATE = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$")
MIN_YEAR = 1600
MAX_YEAR = 2200


@dataclass(frozen=True, slots=True)
class ArticleDate:
    """A publication date that remembers how precise its source was.

    ``2017-03`` stays a month: ``start`` is 1 March and ``end`` is 31 March, so
    date filters can ask whether an article *may* fall in a range.
    """

    value: str
    precision: DatePrecision

    @classmethod
    def parse(cls, raw: str) -> ArticleDate:
        """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, an ISO datetime or ``DD.MM.YYYY``."""
        text = str(raw).strip()
        match = _NORWEGIAN_NUMERIC_DATE.match(text)
        if match:
            text = f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}"
        match = _ISO_DATE.match(text)
        if not match:
            raise InvalidDate(raw)
        year = int(match["y"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidDate(raw, f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
        if match["m"] is None:
            return cls(f"{year:04d}", DatePrecision.YEAR)
        month = int(match["m"])
        if not 1 <= month <= 12:
            raise InvalidDate(raw, f"month {month} does not exist")
        if match["d"] is None:
            return cls(f"{year:04d}-{month:02d}", DatePrecision.MONTH)
        day = int(match["d"])
        try:
            dt.date(year, month, day)
        except ValueError as exc:
            raise InvalidDate(raw, str(exc)) from None
        if match["time"] is None:
            return cls(f"{year:04d}-{month:02d}-{day:02d}", DatePrecision.DAY)
        try:
            moment = dt.datetime.fromisoformat(text.replace(" ", "T").replace("Z", "+00:00"))
        except ValueError as exc:
            raise InvalidDate(raw, str(exc)) from None
        return cls(moment.isoformat(), DatePrecision.DATETIME)

    @property
    def start(self) -> dt.date:
        """First day the date can mean."""
        parts = self.value[:10].split("-")
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return dt.date(year, month, day)

    @property
    def end(self) -> dt.date:
        """Last day the date can mean."""
        start = self.start
        if self.precision is DatePrecision.YEAR:
            return dt.date(start.year, 12, 31)
        if self.precision is DatePrecision.MONTH:
            return dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
        return start

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a record came from, for error reports and provenance."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass(frozen=True, slots=True)
class RawRecord:
    """A record as a reader found it, before normalisation."""

    location: SourceLocation
    text: str
    date: str | None
    id: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    raw: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record that could not be used, with the reason; ``raw`` keeps it so nothing is lost."""

    location: SourceLocation
    reason: str
    raw: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.location.path,
            "line": self.location.line,
            "reason": self.reason,
            "raw": self.raw,
        }


@dataclass(frozen=True, slots=True)
class Article:
    """A normalised article. ``text`` is the reference for every character offset."""

    id: str
    date: ArticleDate
    text: str
    text_hash: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    origin: SourceLocation | None = None
    record_hash: str = ""  # over text, date, title, source, url and metadata: any change is an update

    def to_export(self) -> dict[str, Any]:
        """Return the article in the export contract's field order."""
        return {
            "id": self.id,
            "date": self.date.value,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "text": self.text,
            "date_precision": self.date.precision.value,
            "metadata": self.metadata,
        }


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An input article skipped because its normalised text is already stored."""

    location: SourceLocation | None
    article_id: str
    duplicate_of: str


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did."""

    read: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    near_duplicates: int = 0
    analysed: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    seconds: float = 0.0
    rejects_file: str | None = None

    @property
    def ok(self) -> bool:
        return not self.rejected

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": [
                {
                    "file": d.location.path if d.location else None,
                    "line": d.location.line if d.location else None,
                    "article_id": d.article_id,
                    "duplicate_of": d.duplicate_of,
                }
                for d in self.duplicates
            ],
            "near_duplicates": self.near_duplicates,
            "analysed": self.analysed,
            "rejected": [r.to_dict() | {"raw": None} for r in self.rejected],
            "seconds": round(self.seconds, 3),
            "rejects_file": self.rejects_file,
        }


@dataclass(frozen=True, slots=True)
class Highlight:
    """A highlighted stretch of a snippet, as offsets into the snippet string."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Snippet:
    """A passage of an article around the search hits.

    ``offset`` is where the snippet starts in the article's stored text, so a
    hit can always be traced back to its place in the article.
    """

    text: str
    offset: int
    highlights: tuple[Highlight, ...]

    def marked(self, before: str = "[", after: str = "]") -> str:
        """Return the snippet with every hit wrapped in ``before``/``after``."""
        out: list[str] = []
        cursor = 0
        for hl in self.highlights:
            out.append(self.text[cursor : hl.start])
            out.append(before + self.text[hl.start : hl.end] + after)
            cursor = hl.end
        out.append(self.text[cursor:])
        return "".join(out)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result."""

    article_id: str
    score: float
    date: str
    title: str | None
    source: str | None
    url: str | None
    snippet: Snippet

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "score": round(self.score, 4),
            "date": self.date,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "snippet": self.snippet.text,
            "snippet_offset": self.snippet.offset,
            "highlights": [[h.start, h.end] for h in self.snippet.highlights],
            "snippet_marked": self.snippet.marked("**", "**"),
        }


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """Two stored articles whose texts are almost the same (wire copies)."""

    article_id: str
    other_id: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str
    label: str
    sentence: int | None = None
    canonical: str | None = None
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """Something someone said, with offsets into the article's stored text.

    ``start``/``end`` cover the reported content only (no dash, quotation
    marks or attribution). ``speaker`` is the canonical name (the fullest the
    article gives); ``speaker_mention`` the words the attribution used
    (``han``, ``utenriksministeren``), at ``speaker_start``/``speaker_end``.
    """

    kind: str  # "direct" | "indirect"
    start: int
    end: int
    text: str
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_label: str | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    addressee: str | None = None
    speaker_entity_id: str | None = None
    date: str | None = None  # when it was said, if the text says ("sa presidenten onsdag"); else the article's date


@dataclass(frozen=True, slots=True)
class TimeFact:
    """A time expression and the date it resolves to against the article's date (ISO at ``precision``)."""

    start: int
    end: int
    text: str
    value: str | None
    precision: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class Role:
    """An office, position or occupation the article states for a named person.

    ``start``/``end`` is the evidence span (e.g. ``USAs utenriksminister Mike Pompeo``).
    """

    person: str
    person_start: int
    person_end: int
    role: str  # base form, lower case: "utenriksminister"
    person_entity_id: str | None
    org: str | None
    party: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class NumberFact:
    """A number the article states, with what it counts and how exact it claims to be."""

    start: int
    end: int
    text: str
    value: float | None
    unit: str | None
    about: str | None
    qualifier: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the language model found in one article, with offsets into its stored text.

    ``doc`` is the serialised spaCy Doc, kept so extractors can run again
    without parsing again; ``model`` names the pipeline and its version.
    """

    article_id: str
    text_hash: str
    model: str
    sentences: tuple[tuple[int, int], ...]
    mentions: tuple[Mention, ...]
    doc: bytes | None = None
    quotes: tuple[Quote, ...] = ()
    roles: tuple[Role, ...] = ()
    numbers: tuple[NumberFact, ...] = ()
    times: tuple[TimeFact, ...] = ()


@dataclass(frozen=True, slots=True)
class EntityCount:
    """How often a name was mentioned, and in how many articles."""

    text: str
    label: str
    mentions: int
    articles: int


# -- search queries, as parsed by sporbar.query.syntax --------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase; ``words`` are lower-cased, more than one means a phrase."""

    words: tuple[str, ...]
    exact_only: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True, slots=True)
class Clause:
    """Alternatives (joined by OR) that must match, or must not when ``exclude``."""

    alternatives: tuple[Term, ...]
    exclude: bool = False


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]

    @property
    def is_empty(self) -> bool:
        return not any(not c.exclude for c in self.clauses)

    def positive_terms(self) -> list[Term]:
        return [t for c in self.clauses if not c.exclude for t in c.alternatives]


# -- paginated listings -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing; ``next_cursor`` fetches the page after it (``None`` on the last page)."""

    items: list[Any]
    next_cursor: str | None
    total: int | None = None
