"""Exports in the contract's formats: JSON Lines, CSV and Parquet.

Field names per kind are a contract with outside tools: new fields may be
added at the end, none renamed or dropped.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from sporbar.errors import SporbarError, UnknownExportKind
from sporbar.store.interface import Store

EXPORT_FORMATS = ("jsonl", "csv", "parquet")
ARTICLE_FIELDS = ("id", "date", "title", "source", "url", "text", "date_precision", "metadata")


def _article_rows(store: Store) -> Iterator[dict[str, Any]]:
    for article in store.iter_articles():
        yield article.to_export()


ENTITY_FIELDS = ("article_id", "start", "end", "text", "label", "entity_id", "canonical", "sentence")


def _entity_rows(store: Store) -> Iterator[dict[str, Any]]:
    return store.iter_mentions()


QUOTE_FIELDS = (
    "article_id", "kind", "text", "start", "end", "speaker", "speaker_entity_id", "speaker_mention", "cue",
    "addressee", "date", "speaker_label", "speaker_start", "speaker_end", "cue_start", "cue_end", "extractor",
)


def _quote_rows(store: Store) -> Iterator[dict[str, Any]]:
    return iter(store.quotes())


ROLE_FIELDS = (
    "article_id", "date", "person", "person_entity_id", "role", "org", "party", "start", "end",
    "date_start", "date_end", "person_start", "person_end", "extractor",
)
NUMBER_FIELDS = ("article_id", "start", "end", "text", "value", "unit", "about", "qualifier", "kind", "date", "extractor")


def _role_rows(store: Store) -> Iterator[dict[str, Any]]:
    return iter(store.roles())


def _number_rows(store: Store) -> Iterator[dict[str, Any]]:
    return iter(store.numbers())


STORY_FIELDS = ("story_id", "article_id", "title", "similarity")


def _story_rows(store: Store) -> Iterator[dict[str, Any]]:
    return store.story_export_rows()


EXPORT_KINDS: dict[str, tuple[tuple[str, ...], Callable[[Store], Iterator[dict[str, Any]]]]] = {
    "articles": (ARTICLE_FIELDS, _article_rows),
    "entities": (ENTITY_FIELDS, _entity_rows),
    "quotes": (QUOTE_FIELDS, _quote_rows),
    "roles": (ROLE_FIELDS, _role_rows),
    "numbers": (NUMBER_FIELDS, _number_rows),
    "stories": (STORY_FIELDS, _story_rows),
}


def rows_for(store: Store, kind: str) -> Iterator[dict[str, Any]]:
    """Yield the records of one kind as dictionaries."""
    if kind not in EXPORT_KINDS:
        raise UnknownExportKind(f"unknown export kind {kind!r}; available: {', '.join(EXPORT_KINDS)}")
    return EXPORT_KINDS[kind][1](store)


def export_records(store: Store, kind: str, *, format: str, out: str | os.PathLike[str] | IO[str]) -> int:
    """Write every record of ``kind`` to ``out``; return how many were written."""
    if format not in EXPORT_FORMATS:
        raise SporbarError(f"unknown export format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    fields, _ = EXPORT_KINDS.get(kind, ((), None))
    rows = rows_for(store, kind)
    if format == "parquet":
        if not isinstance(out, (str, os.PathLike)):
            raise SporbarError("parquet is binary: give a file with --out")
        return _write_parquet(rows, fields, Path(out))
    if isinstance(out, (str, os.PathLike)):
        with Path(out).open("w", encoding="utf-8", newline="") as stream:
            return _write_text(rows, fields, format, stream)
    return _write_text(rows, fields, format, out)


def _flat(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def _write_text(rows: Iterator[dict[str, Any]], fields: tuple[str, ...], format: str, stream: IO[str]) -> int:
    count = 0
    if format == "jsonl":
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(stream, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _flat(v) for k, v in row.items()})
        count += 1
    return count


def _write_parquet(rows: Iterator[dict[str, Any]], fields: tuple[str, ...], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    batch: list[dict[str, Any]] = []
    writer: pq.ParquetWriter | None = None
    count = 0
    integer_fields = {"story_id", "start", "end", "sentence", "speaker_start", "speaker_end", "cue_start", "cue_end", "person_start", "person_end"}
    float_fields = {"value", "similarity"}
    schema = pa.schema(
        [
            (name, pa.int64() if name in integer_fields else pa.float64() if name in float_fields else pa.string())
            for name in fields
        ]
    )

    def flush() -> None:
        nonlocal writer
        if not batch:
            return
        table = pa.Table.from_pylist(
            [{k: _flat(row.get(k)) for k in fields} for row in batch],
            schema=schema,
        )
        if writer is None:
            writer = pq.ParquetWriter(path, schema)
        writer.write_table(table)
        batch.clear()

    for row in rows:
        batch.append(row)
        count += 1
        if len(batch) >= 5000:
            flush()
    flush()
    if writer is None:
        pq.write_table(pa.Table.from_pylist([], schema=schema), path)
    else:
        writer.close()
    return count
