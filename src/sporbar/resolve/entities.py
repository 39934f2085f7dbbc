"""Entities: mentions grouped into one entity per real-world thing, within and across articles.

Within an article a surname or first name joins the fullest name the article
gives (``Brende`` → ``Børge Brende``), a misspelt single name joins a close
surname (``Bagdhadi`` → ``Baghdadi``, by similarity), and genitives join their
base (``USAs`` → ``USA``). Across articles, mentions join by canonical name
and coarse type, with well-known abbreviations and variants from the alias
file ``lang/nb/data/aliases.jsonl`` (``ISIS`` → ``IS``, ``Ap`` →
``Arbeiderpartiet``). Two different people who share a surname in different
articles never merge on the surname alone: a bare surname stays its own entity.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Sequence
from functools import cache
from importlib import resources

from sporbar.models import Mention

TYPE_OF_LABEL = {"PER": "PER", "ORG": "ORG", "GPE_ORG": "GPE", "GPE_LOC": "GPE", "LOC": "LOC", "PROD": "PROD",
                 "EVT": "EVT", "DRV": "DRV", "MISC": "MISC"}
SIMILAR_NAME = 0.84


@cache
def aliases() -> dict[str, tuple[str, str]]:
    """Map every alias (lower case) to ``(canonical, type)``."""
    table: dict[str, tuple[str, str]] = {}
    data = resources.files("sporbar.lang.nb").joinpath("data/aliases.jsonl").read_text(encoding="utf-8")
    for line in data.splitlines():
        if line.strip():
            row = json.loads(line)
            for name in [row["canonical"], *row["aliases"]]:
                table[name.lower()] = (row["canonical"], row["type"])
    return table


def entity_id(canonical: str, entity_type: str) -> str:
    """A stable id for (canonical name, type): the same everywhere, in every store."""
    key = f"{entity_type}:{' '.join(canonical.lower().split())}"
    return "e" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def resolve_mentions(mentions: Sequence[Mention]) -> list[tuple[Mention, str, str, str]]:
    """Return ``(mention, canonical, type, entity_id)`` for each mention of one article."""
    people = [m.text for m in mentions if m.label == "PER"]
    full_names = sorted({p for p in people if len(p.split()) > 1}, key=len, reverse=True)
    surnames: dict[str, str] = {}
    for name in reversed(full_names):
        last = name.split()[-1]
        surnames[last] = name
        prefix, _, rest = last.partition("-")
        if rest and prefix.islower():
            surnames[rest] = name  # "al-Baghdadi" is also "Baghdadi"
    firsts: dict[str, set[str]] = {}
    for name in full_names:
        firsts.setdefault(name.split()[0], set()).add(name)
    known = {m.text for m in mentions}
    resolved = []
    for mention in mentions:
        entity_type = TYPE_OF_LABEL.get(mention.label, mention.label)
        canonical = mention.text.strip()
        alias = aliases().get(canonical.lower())
        if alias is not None and (alias[1] == entity_type or entity_type in ("ORG", "GPE")):
            canonical, entity_type = alias
        elif entity_type == "PER":
            canonical = _person(canonical, surnames, firsts)
        elif canonical.endswith("s") and canonical[:-1] in known:
            canonical = canonical[:-1]  # "Stortingets" when "Stortinget" is mentioned too
        resolved.append((mention, canonical, entity_type, entity_id(canonical, entity_type)))
    return resolved


def _person(name: str, surnames: dict[str, str], firsts: dict[str, set[str]]) -> str:
    parts = name.split()
    if len(parts) > 1:
        longer = surnames.get(parts[-1])
        return longer if longer and len(longer) > len(name) and longer.endswith(name) else name
    single = parts[0]
    if single in surnames:
        return surnames[single]
    if single.endswith("s") and single[:-1] in surnames:
        return surnames[single[:-1]]  # genitive: "Trumps"
    if len(firsts.get(single, ())) == 1:
        return next(iter(firsts[single]))
    close = difflib.get_close_matches(single.rstrip("s"), list(surnames), n=1, cutoff=SIMILAR_NAME)
    if close:
        return surnames[close[0]]  # "Bagdhadi" → "Baghdadi"
    return single
