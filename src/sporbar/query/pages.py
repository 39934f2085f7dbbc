"""Cursors for paginated listings: opaque strings that name where the next page starts.

A cursor holds the sort key of the last item served (keyset pagination), so
pages stay stable while new articles arrive: nothing is skipped or repeated
because rows were inserted before it. Search pages rank by score and so
carry their offset instead.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from sporbar.errors import InvalidQuery

MAX_PAGE_SIZE = 200


def encode_cursor(kind: str, key: list[Any]) -> str:
    """Return the cursor for continuing a listing of ``kind`` after the item with sort key ``key``."""
    raw = json.dumps([kind, key], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(kind: str, cursor: str, shape: tuple[type, ...]) -> list[Any]:
    """Return the sort key a cursor holds; raise ``InvalidQuery`` for one this listing did not issue."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found_kind, key = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise InvalidQuery(f"not a valid cursor: {cursor[:40]!r}; use the next_cursor of a previous page") from None
    if (
        found_kind != kind
        or not isinstance(key, list)
        or len(key) != len(shape)
        or not all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(key, shape, strict=True))
    ):
        raise InvalidQuery(f"this cursor belongs to another listing or query ({cursor[:40]!r})")
    return key


def page_size(limit: int) -> int:
    """Check a requested page size."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidQuery(f"limit must be between 1 and {MAX_PAGE_SIZE}, not {limit}")
    return limit
