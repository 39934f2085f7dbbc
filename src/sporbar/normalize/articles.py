"""Build ``Article`` records from ``RawRecord`` records."""

from __future__ import annotations

import hashlib
import json

from sporbar.errors import SporbarError
from sporbar.models import Article, ArticleDate, RawRecord
from sporbar.normalize.text import normalize_text, normalize_title

# Larger "articles" are almost always a whole export dumped into one field.
MAX_ARTICLE_CHARS = 2_000_000
MAX_ID_CHARS = 200


class RecordRejected(SporbarError):
    """A record that cannot become an article."""

    code = "S010"


def text_hash_for(text: str) -> str:
    """Return the SHA-256 of normalised text; equal texts are exact duplicates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id_for(text_hash: str) -> str:
    """Derive a stable id from the normalised text's hash, for inputs that give none."""
    return text_hash[:16]


def normalize_record(record: RawRecord) -> Article:
    """Normalise a raw record into an article, or raise ``RecordRejected``/``InvalidDate``."""
    if record.date is None:
        raise RecordRejected("no date")
    date = ArticleDate.parse(record.date)
    if len(record.text) > MAX_ARTICLE_CHARS * 2:
        raise RecordRejected(f"text is {len(record.text):,} characters; the limit is {MAX_ARTICLE_CHARS:,}")
    text = normalize_text(record.text)
    if not text:
        raise RecordRejected("text is empty after normalisation")
    if len(text) > MAX_ARTICLE_CHARS:
        raise RecordRejected(f"text is {len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,}")
    digest = text_hash_for(text)
    given_id = record.id.strip() if record.id else None
    if given_id is not None and (len(given_id) > MAX_ID_CHARS or any(c in given_id for c in "\n\r\t\x00")):
        raise RecordRejected(f"id {given_id[:40]!r}… is not usable (at most {MAX_ID_CHARS} characters, one line)")
    title = normalize_title(record.title)
    source = normalize_title(record.source)
    url = record.url.strip() if record.url else None
    metadata = dict(record.metadata)
    return Article(
        id=given_id or article_id_for(digest),
        date=date,
        text=text,
        text_hash=digest,
        title=title,
        source=source,
        url=url,
        metadata=metadata,
        origin=record.location,
        record_hash=record_hash_for(digest, date.value, title, source, url, metadata),
    )


def record_hash_for(text_hash: str, date: str, title: str | None, source: str | None, url: str | None, metadata: dict[str, object]) -> str:
    """Hash every stored field of an article, so a corrected date or title is an update, not "unchanged"."""
    payload = json.dumps([text_hash, date, title, source, url, metadata], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8", errors="surrogatepass")).hexdigest()
