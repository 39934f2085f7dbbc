"""Build ``data/inflections.tsv.gz``: every Bokmål base form with its inflected forms.

Search matches a query word against the forms of its base form at query time
(``fremmedkriger`` → fremmedkrigere, fremmedkrigeren, fremmedkrigerne), so
ingest indexes words only as written and stays in Rust. The table is
simplemma's Bokmål lexicon turned around (base form → forms), lower-cased,
keeping only words that are single runs of letters and digits (the index's own
word split) and base forms that have at least one other form.

    python -m sporbar.lang.nb.build_inflections   # rewrites the data file
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "inflections.tsv.gz"
_WORD = re.compile(r"[^\W_]+")


def build(out: Path = DATA_FILE) -> int:
    """Write the table and return how many base forms it holds."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    lexicon = DefaultDictionaryFactory().get_dictionary("nb")
    forms_of: dict[str, set[str]] = {}
    for form, lemma in lexicon.items():
        form, lemma = form.lower(), lemma.lower()
        if _WORD.fullmatch(form) and _WORD.fullmatch(lemma):
            forms_of.setdefault(lemma, set()).add(form)
    lines = [f"{lemma}\t{' '.join(sorted(forms - {lemma}))}" for lemma, forms in sorted(forms_of.items()) if forms - {lemma}]
    header = "# base form<TAB>other forms, space-separated; built from simplemma's Bokmål lexicon by build_inflections.py\n"
    # mtime=0: the same lexicon gives the same bytes.
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write((header + "\n".join(lines) + "\n").encode("utf-8"))
    return len(lines)


if __name__ == "__main__":
    print(f"{build()} base forms written to {DATA_FILE}")
