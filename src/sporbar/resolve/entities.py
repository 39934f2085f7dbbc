"""Entities: mentions grouped into one entity per real-world thing, within and across articles.

Within an article a surname or first name joins the fullest name the article
gives (``Brende`` → ``Børge Brende``, ``Gahr Støre`` → ``Jonas Gahr Støre``); when
two people share a surname, the bare surname is the one mentioned most. A
misspelt single name joins a close surname (``Bagdhadi`` → ``Baghdadi``, by
similarity), a full name spelt another way joins the usual spelling
(``Flaathen``/``Flåthen``, ``Johan``/``Johann``: accents, ``aa``/``å`` and doubled
letters only), and genitives join their base (``USAs`` → ``USA``, ``Carl I.
Hagens`` → ``Carl I. Hagen``, ``Hamas'`` → ``Hamas``), as do party abbreviations
written with dots (``Fr.p.s``, ``Kr.F.``). Across articles, mentions join by canonical name
and coarse type, with well-known abbreviations and variants from the alias
file ``lang/nb/data/aliases.jsonl`` (``ISIS`` → ``IS``, ``Ap`` →
``Arbeiderpartiet``). Two different people who share a surname in different
articles never merge on the surname alone: a bare surname stays its own entity.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import unicodedata
from collections import Counter
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
    people = [m.text.strip() for m in mentions if m.label == "PER"]
    singles = {p for p in people if len(p.split()) == 1}
    written = Counter(_full_name(p, people, singles) for p in people if len(p.split()) > 1)
    # "Gahr Støre" is "Jonas Gahr Støre" when the article gives both.
    fuller = {
        name: max(longer, key=lambda n: (written[n], len(n)))
        for name in written
        if (longer := [n for n in written if n.endswith(" " + name)])
    }
    counts = Counter({n: 0 for n in written if n not in fuller})
    for name, times in written.items():
        counts[fuller.get(name, name)] += times
    variants = {**fuller, **_spelling_variants(counts, people)}
    first_seen = {name: i for i, name in reversed(list(enumerate(counts)))}
    # The most mentioned full name owns its surname and first name; on a tie, the one mentioned first.
    full_names = sorted(counts, key=lambda n: (-counts[n], first_seen[n]))
    surnames: dict[str, str] = {}
    for name in reversed([n for n in full_names if n not in variants]):
        last = name.split()[-1]
        surnames[last] = name
        prefix, _, rest = last.partition("-")
        if rest and prefix.islower():
            surnames[rest] = name  # "al-Baghdadi" is also "Baghdadi"
    firsts: dict[str, set[str]] = {}
    for name in full_names:
        if name not in variants:
            firsts.setdefault(name.split()[0], set()).add(name)
    known = {m.text.strip() for m in mentions}
    resolved = []
    for mention in mentions:
        entity_type = TYPE_OF_LABEL.get(mention.label, mention.label)
        canonical = mention.text.strip()
        alias = _alias(canonical)
        # A known name of several words ("Islamske Stats", "De forente stater") is never a person,
        # whatever the NER tagged it as.
        if alias is not None and (
            alias[1] == entity_type or entity_type in ("ORG", "GPE") or (entity_type == "PER" and " " in canonical)
        ):
            canonical, entity_type = alias
        elif entity_type == "PER":
            if len(canonical.split()) > 1:
                canonical = _full_name(canonical, people, singles)
                canonical = variants.get(canonical, canonical)
            canonical = _person(canonical, surnames, firsts, frozenset(singles))
        else:
            stem = _genitive_stem(canonical)
            if stem is not None and stem in known:
                canonical = stem  # "Stortingets" or "Hamas'" when "Stortinget" or "Hamas" is mentioned too
        resolved.append((mention, canonical, entity_type, entity_id(canonical, entity_type)))
    return resolved


def _genitive_stem(name: str) -> str | None:
    """``Stortingets`` → ``Stortinget``, ``FN's`` → ``FN``, ``Hamas'`` → ``Hamas``; None when no genitive ending."""
    for ending in ("'s", "’s", "'", "’", "s"):
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            return name[: -len(ending)]
    return None


def _alias(name: str) -> tuple[str, str] | None:
    """The alias file's entry for a name, also in the genitive and written with dots (``Fr.p.s``, ``Kr.F.``)."""
    table = aliases()
    stem = _genitive_stem(name)
    for candidate in (name, stem, name.replace(".", ""), stem.replace(".", "") if stem else None):
        if candidate and (found := table.get(candidate.lower())) is not None:
            return found
    return None


def _full_name(name: str, people: Sequence[str], singles: set[str]) -> str:
    """A full name in the genitive (``Carl I. Hagens``) as its base when the article also names the base form."""
    stem = _genitive_stem(name)
    if stem is None or not stem.split()[-1][:1].isupper():
        return name
    last = stem.split()[-1]
    if stem in people or last in singles or any(p != name and p.split()[-1] == last for p in people if len(p.split()) > 1):
        return stem
    return name


def _spelling_variants(counts: Counter[str], people: Sequence[str]) -> dict[str, str]:
    """Full names that differ from a more mentioned one in one word spelt another way (``Johan``/``Johann``) join it."""
    order = {name: i for i, name in reversed(list(enumerate(people)))}
    ranked = sorted(counts, key=lambda n: (-counts[n], order.get(n, len(order))))
    variants: dict[str, str] = {}
    for i, name in enumerate(ranked):
        words = name.split()
        for main in ranked[:i]:
            if main in variants:
                continue
            other = main.split()
            differing = [(a, b) for a, b in zip(words, other, strict=False) if a != b]
            if len(other) == len(words) and len(differing) == 1 and _similar(*differing[0]):
                variants[name] = main
                break
    return variants


def _similar(a: str, b: str) -> bool:
    """One word spelt two ways: the same once accents, ``aa``/``å``, ``ø``/``o`` and doubled letters are folded.

    Similarity ratios cannot tell ``Flaathen``/``Flåthen`` (one man) from ``Hansen``/``Jansen`` (two), so
    only spelling conventions join.
    """
    return _folded(a) == _folded(b)


def _folded(word: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", word.lower().replace("ø", "o").replace("æ", "ae"))
                    if not unicodedata.combining(c))
    return re.sub(r"(.)\1+", r"\1", plain)


def _person(name: str, surnames: dict[str, str], firsts: dict[str, set[str]], singles: frozenset[str] = frozenset()) -> str:
    parts = name.split()
    if len(parts) > 1:
        longer = surnames.get(parts[-1])
        return longer if longer and len(longer) > len(name) and longer.endswith(name) else name
    single = parts[0]
    if single in surnames:
        return surnames[single]
    stem = _genitive_stem(single)
    if stem is not None and stem in surnames:
        return surnames[stem]  # genitive: "Trumps", "Hermès'"
    if stem is not None and stem in singles:
        return _person(stem, surnames, firsts)  # "Sonjas" where the article also says "Sonja"
    if len(firsts.get(single, ())) == 1:
        return next(iter(firsts[single]))
    close = difflib.get_close_matches(single.rstrip("s"), list(surnames), n=1, cutoff=SIMILAR_NAME)
    if close:
        return surnames[close[0]]  # "Bagdhadi" → "Baghdadi"
    return single
