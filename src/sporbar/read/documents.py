"""Readers for one-article files: the seed text format, plain text and HTML pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sporbar.models import RawRecord, Rejection, SourceLocation
from sporbar.read.source import printable_raw, undecodable_at, without_other_surrogates

# The seed format: " date 2017-03 <body>"; the body may begin on the same line.
SEED_DATE_LINE = re.compile(r"\A\s*date\s+(?P<date>\S+)[ \t]*\n?")
# Exporters escaped punctuation with a backslash (``lasset\,``); the backslash is not text.
EXPORT_ESCAPE = re.compile(r"\\([,.;:!?\"'«»()\-–—])")


def is_seed_format(text: str) -> bool:
    """Say whether a text starts with the seed format's date line."""
    return SEED_DATE_LINE.match(text) is not None


def repair_export_artefacts(text: str) -> str:
    """Remove backslash escapes that an export tool put before punctuation."""
    return EXPORT_ESCAPE.sub(r"\1", text)


def read_text_document(text: str, path: str, *, default_date: str | None) -> Iterator[RawRecord | Rejection]:
    """Read a seed-format file, or a plain text file when a date is given."""
    location = SourceLocation(path, 1)
    bad_byte = undecodable_at(text)
    if bad_byte is not None:
        line = text.count("\n", 0, bad_byte) + 1
        yield Rejection(SourceLocation(path, line), f"invalid UTF-8 on line {line}", printable_raw(text))
        return
    match = SEED_DATE_LINE.match(text)
    if match:
        body = repair_export_artefacts(text[match.end() :])
        if not body.strip():
            yield Rejection(location, "the file has a date line but no text", printable_raw(text))
            return
        yield RawRecord(location=location, text=body, date=match["date"], raw=text, metadata={"format": "seed"})
        return
    if default_date is None:
        yield Rejection(
            location,
            "plain text without a ' date YYYY-MM' line: pass --date to give its date",
            printable_raw(text),
        )
        return
    if not text.strip():
        yield Rejection(location, "empty text", None)
        return
    yield RawRecord(location=location, text=text, date=default_date, raw=text, metadata={"format": "text"})


def read_html(text: str, path: str, *, default_date: str | None) -> Iterator[RawRecord | Rejection]:
    """Extract the main text, title and date of a news page with trafilatura."""
    import trafilatura

    location = SourceLocation(path, 1)
    bad_byte = undecodable_at(text)
    if bad_byte is not None:
        # Undecodable bytes become U+FFFD (pages are often mislabelled); other lone surrogates too,
        # which surrogateescape alone cannot encode.
        text = without_other_surrogates(text).encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    try:
        document = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        yield Rejection(location, f"unreadable HTML: {type(exc).__name__}: {exc}", printable_raw(text))
        return
    values = document.as_dict() if document is not None and hasattr(document, "as_dict") else (document or {})
    body = values.get("text") or ""
    if not body.strip():
        yield Rejection(location, "no article text found in the HTML page", printable_raw(text))
        return
    date = values.get("date") or default_date
    if not date:
        yield Rejection(location, "no publication date found in the HTML page (pass --date)", printable_raw(text))
        return
    # trafilatura returns one line per paragraph; sporbar separates paragraphs by a blank line.
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    metadata = {
        key: values[key]
        for key in ("author", "sitename", "description", "categories", "tags", "language")
        if values.get(key)
    }
    metadata["format"] = "html"
    yield RawRecord(
        location=location,
        text="\n\n".join(paragraphs),
        date=str(date),
        title=values.get("title") or None,
        source=values.get("sitename") or values.get("hostname") or None,
        url=values.get("url") or None,
        metadata=metadata,
        raw=None,
    )
