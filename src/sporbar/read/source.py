"""Turn files (plain or gzipped) and standard input into decoded text.

Bytes that are not UTF-8 are kept as lone surrogates (``surrogateescape``), so a
reader can reject exactly the records that contain them and keep the rest.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

BINARY_SNIFF_BYTES = 8192
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_OTHER_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


def read_bytes(path: str) -> bytes:
    """Return the whole content of a file (gunzipped if it ends in .gz) or of stdin for ``-``."""
    if path == "-":
        return sys.stdin.buffer.read()
    data = Path(path).read_bytes()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data


def looks_binary(data: bytes) -> bool:
    """Say whether bytes look like a binary file rather than text (NUL bytes near the start)."""
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), keeping undecodable bytes as surrogates."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="surrogateescape")


def undecodable_at(text: str) -> int | None:
    """Return the index of the first byte that was not valid UTF-8, or None."""
    try:
        text.encode("utf-8")  # a fast C pass; only a text holding surrogates needs the search
        return None
    except UnicodeEncodeError:
        pass
    match = _UNDECODABLE.search(text)
    return match.start() if match else None


def without_other_surrogates(text: str, replacement: str = "\ufffd") -> str:
    """Replace lone surrogates that are not undecodable bytes (a JSON escape like \\ud800 makes them)."""
    return _OTHER_SURROGATE.sub(replacement, text)


def printable_raw(text: str, limit: int = 100_000) -> str:
    """Return a record's raw text safe to write as JSON (undecodable bytes as \\xNN, lone surrogates escaped)."""
    clipped = text[:limit]
    # Surrogates that are not undecodable bytes first: surrogateescape cannot encode them, so a text
    # holding both kinds once raised here instead of being rejected.
    clipped = _OTHER_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", clipped)
    if undecodable_at(clipped) is not None:
        clipped = clipped.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="backslashreplace")
    return clipped
