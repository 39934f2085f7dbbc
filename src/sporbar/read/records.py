"""Readers for structured inputs: JSON Lines, JSON and CSV.

Required fields are ``text`` and ``date``; ``id``, ``title``, ``source`` and
``url`` are optional; every other field is kept as metadata.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from sporbar.models import RawRecord, Rejection, SourceLocation
from sporbar.read.source import printable_raw, undecodable_at

KNOWN_FIELDS = ("id", "text", "date", "title", "source", "url")
REQUIRED_FIELDS = ("text", "date")
# csv refuses fields over 128 KiB by default; long articles are legitimate.
csv.field_size_limit(1 << 30)


def record_from_mapping(
    values: dict[str, Any], location: SourceLocation, raw: str, *, default_date: str | None
) -> RawRecord | Rejection:
    """Build a ``RawRecord`` from one object, or say why it cannot be one."""
    try:
        _check_encodable(values)
    except UnicodeEncodeError as exc:
        # A JSON escape such as \ud800 decodes to a lone surrogate, which no UTF-8 store can hold.
        return Rejection(location, f"invalid Unicode (lone surrogate U+{ord(exc.object[exc.start]):04X}) in the record", printable_raw(raw))
    except (TypeError, ValueError, RecursionError):
        return Rejection(location, "the record cannot be stored as JSON", printable_raw(raw))
    text = values.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        reason = "missing required field 'text'" if text is None else "field 'text' is empty"
        return Rejection(location, reason, printable_raw(raw))
    if not isinstance(text, str):
        return Rejection(location, f"field 'text' must be a string, not {type(text).__name__}", printable_raw(raw))
    date = values.get("date")
    if date is None or date == "":
        if default_date is None:
            return Rejection(location, "missing required field 'date' (or pass --date)", printable_raw(raw))
        date = default_date
    if not isinstance(date, (str, int)):
        return Rejection(location, f"field 'date' must be a string, not {type(date).__name__}", printable_raw(raw))
    optional: dict[str, str | None] = {}
    for name in ("id", "title", "source", "url"):
        value = values.get(name)
        if value is None or value == "":
            optional[name] = None
        elif isinstance(value, (str, int)):
            optional[name] = str(value)
        else:
            return Rejection(location, f"field {name!r} must be a string, not {type(value).__name__}", printable_raw(raw))
    metadata = {k: v for k, v in values.items() if k not in KNOWN_FIELDS}
    return RawRecord(
        location=location,
        text=text,
        date=str(date),
        id=optional["id"],
        title=optional["title"],
        source=optional["source"],
        url=optional["url"],
        metadata=metadata,
        raw=raw,
    )


def _check_encodable(value: Any) -> None:
    """Raise ``UnicodeEncodeError`` for a lone surrogate anywhere in a parsed record.

    Encoding each string is a fast C loop; serialising the whole record to
    JSON to find out cost more than parsing it.
    """
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_encodable(key)
            _check_encodable(item)
    elif isinstance(value, list):
        for item in value:
            _check_encodable(item)
    elif not (value is None or isinstance(value, (bool, int, float))):
        raise TypeError(f"not a JSON value: {type(value).__name__}")


def read_jsonl(
    text: str | Iterable[str], path: str, *, default_date: str | None, first_line: int = 1
) -> Iterator[RawRecord | Rejection]:
    """Read one JSON object per line; a bad line is rejected, its neighbours kept.

    ``text`` may be the whole file or an iterator over its lines, so large files stream;
    ``first_line`` is the number of its first line in the file (a later part of a file).
    """
    # Only "\n" ends a JSON Lines record: U+2028 and friends may appear inside strings.
    lines = (line.rstrip("\r") for line in text.split("\n")) if isinstance(text, str) else text
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        location = SourceLocation(path, number)
        bad_byte = undecodable_at(line)
        if bad_byte is not None:
            yield Rejection(location, f"invalid UTF-8 at column {bad_byte + 1}", printable_raw(line))
            continue
        try:
            values = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(location, f"invalid JSON: {exc.msg} at column {exc.colno}", printable_raw(line))
            continue
        except RecursionError:
            yield Rejection(location, "invalid JSON: nested too deeply", printable_raw(line))
            continue
        if not isinstance(values, dict):
            yield Rejection(location, f"expected a JSON object, got {type(values).__name__}", printable_raw(line))
            continue
        yield record_from_mapping(values, location, line, default_date=default_date)


def read_json(text: str, path: str, *, default_date: str | None) -> Iterator[RawRecord | Rejection]:
    """Read a JSON document: one object, or an array of objects."""
    stripped = text.lstrip()
    if not stripped.startswith("["):
        if stripped.startswith("{") and "\n{" in stripped:
            # A .json file that is really JSON Lines.
            yield from read_jsonl(text, path, default_date=default_date)
            return
    bad_byte = undecodable_at(text)
    if bad_byte is not None:
        yield Rejection(SourceLocation(path, text.count("\n", 0, bad_byte) + 1), "invalid UTF-8", printable_raw(text))
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Rejection(SourceLocation(path, exc.lineno), f"invalid JSON: {exc.msg} at column {exc.colno}", printable_raw(text))
        return
    except RecursionError:
        yield Rejection(SourceLocation(path), "invalid JSON: nested too deeply", None)
        return
    items = document if isinstance(document, list) else [document]
    for index, values in enumerate(items, start=1):
        location = SourceLocation(path, index)
        raw = json.dumps(values, ensure_ascii=False)
        if not isinstance(values, dict):
            yield Rejection(location, f"item {index}: expected a JSON object, got {type(values).__name__}", printable_raw(raw))
            continue
        yield record_from_mapping(values, location, raw, default_date=default_date)


def read_csv(text: str, path: str, *, default_date: str | None, delimiter: str = ",") -> Iterator[RawRecord | Rejection]:
    """Read CSV (or TSV) with a header row naming the same fields as JSON Lines."""
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield Rejection(SourceLocation(path, 1), "CSV file has no header row", None)
        return
    except csv.Error as exc:
        yield Rejection(SourceLocation(path, 1), f"unreadable CSV header: {exc}", None)
        return
    header = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED_FIELDS if name not in header and not (name == "date" and default_date)]
    if missing:
        yield Rejection(
            SourceLocation(path, 1),
            f"CSV header lacks required column(s) {', '.join(repr(m) for m in missing)}; found {header}",
            printable_raw(",".join(header)),
        )
        return
    previous_end = reader.line_num
    while True:
        start_line = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Rejection(SourceLocation(path, start_line), f"unreadable CSV row: {exc}", None)
            return
        previous_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        location = SourceLocation(path, start_line)
        raw = delimiter.join(row)
        bad_byte = undecodable_at(raw)
        if bad_byte is not None:
            yield Rejection(location, "invalid UTF-8 in row", printable_raw(raw))
            continue
        if len(row) != len(header):
            yield Rejection(location, f"row has {len(row)} fields, the header has {len(header)}", printable_raw(raw))
            continue
        yield record_from_mapping(dict(zip(header, row, strict=True)), location, raw, default_date=default_date)
