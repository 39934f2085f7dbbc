"""Read articles from the formats newsrooms and archives have.

``read_paths`` walks files and directories (``-`` is standard input), picks a
reader by extension or by the ``format`` argument, and yields a ``RawRecord``
for every usable record and a ``Rejection`` for everything else, so the caller
can keep the good records and report the bad ones with file, line and reason.
"""

from __future__ import annotations

from sporbar.read.dispatch import FORMATS, ReadProgress, detect_format, read_paths

__all__ = ["FORMATS", "ReadProgress", "detect_format", "read_paths"]
