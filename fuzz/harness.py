"""Coverage-guided fuzzing (atheris, libFuzzer) of every reader, the query parser and the extractors.

    python fuzz/harness.py TARGET [libFuzzer options]      # e.g. jsonl -max_total_time=60
    python fuzz/run_all.py --seconds 120                   # every target in turn, with a summary

Targets: seed, text, jsonl, json, csv, tsv, html (the readers, each followed by
normalisation), files (any bytes under any file name, through ``read_paths``),
query (the search syntax), extractors (text → normalise → the Norwegian
pipeline with every extractor). A finding is any exception other than
``SporbarError``, or a broken promise: a rejection without its input or a
reason, a record that cannot be stored, an offset outside the text.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

with atheris.instrument_imports(include=["sporbar"]):
    from sporbar.errors import SporbarError
    from sporbar.models import RawRecord, Rejection, SourceLocation
    from sporbar.normalize import normalize_record
    from sporbar.query.syntax import parse_query
    from sporbar.read import FORMATS, read_paths

PATH = "/fuzz/input"


def check_items(items: list[RawRecord | Rejection], path: str) -> None:
    for item in items:
        if item.location.path != path:
            raise AssertionError(f"item does not name its input: {item!r}")
        if isinstance(item, Rejection):
            if not item.reason.strip():
                raise AssertionError(f"rejection without a reason: {item!r}")
            if item.raw is not None:
                item.raw.encode("utf-8")
            continue
        try:
            article = normalize_record(item)
        except SporbarError:
            continue
        article.text.encode("utf-8")
        for value in (article.id, article.title, article.source, article.url):
            if value is not None:
                value.encode("utf-8")
        if not article.text or article.date.start > article.date.end:
            raise AssertionError(f"unusable article got through: {article!r}")


def reader_target(fmt: str) -> Callable[[bytes], None]:
    reader = FORMATS[fmt]

    def run(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        default_date = "2019-02-13" if provider.ConsumeBool() else None
        text = provider.ConsumeUnicode(len(data))
        try:
            items = list(reader(text, PATH, default_date=default_date))
        except SporbarError:
            return
        check_items(items, PATH)

    return run


_FILES_DIR = tempfile.mkdtemp(prefix="sporbar-fuzz-")
_SUFFIXES = [".jsonl", ".json", ".csv", ".tsv", ".txt", ".html", ".jsonl.gz", ".txt.gz", ".xml", ""]


def files_target(data: bytes) -> None:
    """Raw bytes under a file name: encodings, BOMs, NUL bytes, broken gzip, unknown extensions."""
    if not data:
        return
    suffix = _SUFFIXES[data[0] % len(_SUFFIXES)]
    path = os.path.join(_FILES_DIR, "input" + suffix)
    with open(path, "wb") as handle:
        handle.write(data[1:])
    try:
        items = list(read_paths([path], date="2019-02-13" if data[0] & 0x80 else None))
    except SporbarError:
        return
    check_items(items, path)


def query_target(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicode(len(data))
    try:
        parsed = parse_query(text)
    except SporbarError:
        return
    for clause in parsed.clauses:
        for term in clause.alternatives:
            if not term.words or any(not w or any(c.isspace() for c in w) for w in term.words):
                raise AssertionError(f"bad term from {text!r}: {term!r}")


_PIPELINE = None


def extractors_target(data: bytes) -> None:
    global _PIPELINE
    from sporbar.analyze.pipeline import analyse_articles

    if _PIPELINE is None:
        import sporbar.nlp

        _PIPELINE = sporbar.nlp.load()
    provider = atheris.FuzzedDataProvider(data)
    date = ["2019-02-13", "2019-02", "2019", "1600-01-01", "2200-12-31"][provider.ConsumeIntInRange(0, 4)]
    text = provider.ConsumeUnicode(len(data))
    try:
        article = normalize_record(RawRecord(SourceLocation(PATH, 1), text, date))
    except SporbarError:
        return
    (analysis,) = list(analyse_articles(_PIPELINE, [article], keep_doc=False))
    n = len(article.text)
    for start, end in analysis.sentences:
        if not 0 <= start < end <= n:
            raise AssertionError(f"sentence {start}-{end} outside a text of {n}")
    for fact in (*analysis.mentions, *analysis.numbers, *analysis.times):
        if not (0 <= fact.start < fact.end <= n and article.text[fact.start : fact.end] == fact.text):
            raise AssertionError(f"fact outside or not matching its text: {fact!r}")
    for quote in analysis.quotes:
        if not 0 <= quote.start < quote.end <= n:
            raise AssertionError(f"quote outside the text: {quote!r}")
    for role in analysis.roles:
        if not (0 <= role.start < role.end <= n and 0 <= role.person_start < role.person_end <= n):
            raise AssertionError(f"role outside the text: {role!r}")


TARGETS: dict[str, Callable[[bytes], None]] = {
    **{fmt: reader_target(fmt) for fmt in FORMATS},
    "files": files_target,
    "query": query_target,
    "extractors": extractors_target,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: harness.py TARGET [libFuzzer options]; targets: {', '.join(TARGETS)}")
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
