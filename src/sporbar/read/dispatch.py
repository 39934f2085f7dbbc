"""Choose a reader for each input and walk directories."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sporbar.errors import UnknownFormat
from sporbar.models import RawRecord, Rejection, SourceLocation
from sporbar.read.documents import is_seed_format, read_html, read_text_document
from sporbar.read.records import read_csv, read_json, read_jsonl
from sporbar.read.source import BINARY_SNIFF_BYTES, decode, looks_binary, read_bytes

Reader = Callable[..., Iterator[RawRecord | Rejection]]

FORMATS: dict[str, Reader] = {
    "seed": read_text_document,
    "text": read_text_document,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "tsv": lambda text, path, *, default_date: read_csv(text, path, default_date=default_date, delimiter="\t"),
    "html": read_html,
}
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".html": "html",
    ".htm": "html",
}


@dataclass(slots=True)
class ReadProgress:
    """Bytes of input read so far, for progress bars."""

    total_bytes: int = 0
    bytes_done: int = 0


def detect_format(path: str, head: str | None = None) -> str:
    """Return the format name for a path (by extension) or for stdin (by its first characters)."""
    name = path[:-3] if path.endswith(".gz") else path
    suffix = Path(name).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if head is not None:
        start = head.lstrip()[:200]
        if start.startswith("{"):
            return "jsonl"
        if start.startswith("["):
            return "json"
        if start[:1] == "<":
            return "html"
        if is_seed_format(head):
            return "seed"
        return "text"
    raise UnknownFormat(f"{path}: unknown format for extension {suffix or '(none)'!r}; pass --format ({', '.join(FORMATS)})")


def expand_paths(paths: Iterable[str]) -> Iterator[tuple[str, Rejection | None]]:
    """Yield every file under the given paths (directories recursively, in sorted order)."""
    for path in paths:
        if path == "-":
            yield path, None
            continue
        target = Path(path)
        if target.is_dir():
            for root, dirs, files in os.walk(target):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield str(Path(root) / name), None
        elif target.is_file():
            yield str(target), None
        elif target.exists():
            yield path, Rejection(SourceLocation(path), "not a regular file")
        else:
            yield path, Rejection(SourceLocation(path), "no such file or directory")


def read_paths(
    paths: Iterable[str],
    *,
    format: str | None = None,
    date: str | None = None,
    progress: ReadProgress | None = None,
) -> Iterator[RawRecord | Rejection]:
    """Yield records and rejections from every input, in order.

    ``format`` forces one reader for every file; ``date`` is used for records
    that state none (plain text, HTML pages without a date, JSON without one).
    """
    for item in _read_inputs(paths, format=format, date=date, progress=progress, lines_per_chunk=None):
        assert not isinstance(item, JsonLinesChunk)
        yield item


@dataclass(frozen=True, slots=True)
class JsonLinesChunk:
    """Consecutive lines of a JSON Lines file, as bytes: parsed where they are prepared (a worker process).

    Reading a large export then costs the reading process a line split per record;
    decoding, JSON parsing and building records run in parallel with it.
    """

    path: str
    first_line: int
    lines: list[bytes]
    default_date: str | None

    def records(self) -> Iterator[RawRecord | Rejection]:
        """The chunk's records and rejections, exactly as ``read_paths`` reads those lines."""
        return read_jsonl(self._decoded(), self.path, default_date=self.default_date, first_line=self.first_line)

    def _decoded(self) -> Iterator[str]:
        for number, raw in enumerate(self.lines, start=self.first_line):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            yield raw.rstrip(b"\r\n").decode("utf-8", errors="surrogateescape")


def read_chunks(
    paths: Iterable[str],
    *,
    format: str | None = None,
    date: str | None = None,
    progress: ReadProgress | None = None,
    lines_per_chunk: int = 1000,
) -> Iterator[RawRecord | Rejection | JsonLinesChunk]:
    """``read_paths``, but a JSON Lines file comes as chunks of raw lines that ``JsonLinesChunk.records`` reads."""
    return _read_inputs(paths, format=format, date=date, progress=progress, lines_per_chunk=lines_per_chunk)


def _read_inputs(
    paths: Iterable[str],
    *,
    format: str | None,
    date: str | None,
    progress: ReadProgress | None,
    lines_per_chunk: int | None,
) -> Iterator[RawRecord | Rejection | JsonLinesChunk]:
    if format is not None and format not in FORMATS:
        raise UnknownFormat(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    files = list(expand_paths(paths))
    if progress is not None:
        progress.total_bytes = sum(_size(path) for path, problem in files if problem is None)
    for path, problem in files:
        if problem is not None:
            yield problem
            continue
        yield from _read_one(path, format=format, date=date, lines_per_chunk=lines_per_chunk)
        if progress is not None:
            progress.bytes_done += _size(path)


def _line_chunks(path: str, date: str | None, size: int) -> Iterator[JsonLinesChunk]:
    with open(path, "rb") as stream:
        first = 1
        while True:
            lines = list(itertools.islice(stream, size))
            if not lines:
                return
            yield JsonLinesChunk(path, first, lines, date)
            first += len(lines)


def _size(path: str) -> int:
    try:
        return 0 if path == "-" else os.path.getsize(path)
    except OSError:
        return 0


def _stream_lines(path: str) -> Iterator[str]:
    """Yield a file's lines decoded (undecodable bytes kept as surrogates), without reading it whole."""
    with open(path, "rb") as stream:
        first = True
        for raw in stream:
            if first and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            first = False
            yield raw.rstrip(b"\r\n").decode("utf-8", errors="surrogateescape")


def _read_one(
    path: str, *, format: str | None, date: str | None, lines_per_chunk: int | None = None
) -> Iterator[RawRecord | Rejection | JsonLinesChunk]:
    location = SourceLocation(path)
    if path != "-" and not path.endswith(".gz") and (format or detect_format(path, "")) == "jsonl":
        # JSON Lines stream line by line: a large export never has to fit in memory.
        try:
            with open(path, "rb") as stream:
                head = stream.read(BINARY_SNIFF_BYTES)
        except OSError as exc:
            yield Rejection(location, f"cannot read file: {exc.strerror or exc}")
            return
        if not head.strip():
            yield Rejection(location, "empty file")
            return
        if looks_binary(head):
            yield Rejection(location, "binary file (contains NUL bytes), not text")
            return
        if lines_per_chunk is not None:
            yield from _line_chunks(path, date, lines_per_chunk)
            return
        yield from read_jsonl(_stream_lines(path), path, default_date=date)
        return
    try:
        data = read_bytes(path)
    except Exception as exc:  # a corrupt .gz raises zlib.error; any unreadable file is one rejection, not a crash
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        yield Rejection(location, f"cannot read file: {detail}")
        return
    if not data.strip():
        yield Rejection(location, "empty file")
        return
    if looks_binary(data):
        yield Rejection(location, "binary file (contains NUL bytes), not text")
        return
    text = decode(data)
    try:
        chosen = format or detect_format(path, text[:1000] if path == "-" else None)
    except UnknownFormat as exc:
        yield Rejection(location, exc.message.split(": ", 1)[-1])
        return
    reader = FORMATS[chosen]
    yield from reader(text, path, default_date=date)
