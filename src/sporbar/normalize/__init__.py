"""Turn raw records into normalised articles.

The normalised text is what sporbar stores, and every character offset in the
system points into it, so normalisation is deterministic and idempotent:
``normalize_text(normalize_text(t)) == normalize_text(t)``.
"""

from __future__ import annotations

from sporbar.normalize.articles import MAX_ARTICLE_CHARS, article_id_for, normalize_record
from sporbar.normalize.text import normalize_text, normalize_title

__all__ = ["MAX_ARTICLE_CHARS", "article_id_for", "normalize_record", "normalize_text", "normalize_title"]
