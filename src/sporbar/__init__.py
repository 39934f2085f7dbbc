"""sporbar: a traceable, time-aware knowledge base from dated Norwegian news."""

from __future__ import annotations

from sporbar.api import KnowledgeBase, open
from sporbar.errors import SporbarError

__version__ = "0.1.0"
__all__ = ["KnowledgeBase", "SporbarError", "__version__", "open"]
