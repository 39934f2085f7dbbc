"""Across articles: one person, several spellings (``Abu Bakr al-Bagdhadi`` / ``Abu Bakr al-Baghdadi``).

Within an article ``resolve_mentions`` already joins short forms to the full
name. Across articles every canonical name is its own entity, which splits a
person whenever one newsroom spells the name differently. This step joins two
full person names when all of these hold:

* the same first name, and surnames that are close spellings of each other
  (similarity ≥ ``SIMILAR_SURNAME``, ignoring particles such as ``al-`` and a
  genitive ``-s``) — never a bare surname, so two people who share a surname
  in different articles stay apart;
* context: the two appear in the same story, or share another named entity that
  is rare in the archive (a common one such as ``Norge`` says nothing) — unless
  one is only the other's genitive (``Barack Obamas``), which needs none.

A genitive is renamed to its base form; otherwise the less mentioned spelling
is renamed to the more mentioned one, in mentions,
quote speakers and role holders; the mention texts keep the spelling as
written. Only names in newly analysed articles are compared, against the whole
archive, so a run costs what it adds.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Sequence

from sporbar.store.interface import Store

SIMILAR_SURNAME = 0.85
MIN_SURNAME = 5
RARE_SHARE = 0.02
_PARTICLE = re.compile(r"^(?:al|el|bin|ibn|van|von|de|da|di|le|la)-", re.IGNORECASE)


def _surname_key(name: str) -> tuple[str, str] | None:
    parts = name.split()
    if len(parts) < 2:
        return None
    surname = _PARTICLE.sub("", parts[-1]).lower()
    if surname.endswith("s") and len(surname) > MIN_SURNAME:
        surname = surname[:-1]
    return parts[0].lower(), surname


def merge_name_variants(store: Store, new_article_ids: Sequence[str]) -> int:
    """Join spelling variants of person names that the given articles brought in; return how many were renamed."""
    if not new_article_ids:
        return 0
    people = store.person_entities()  # [(entity_id, canonical, mentions)]
    new_entities = {e for ids in store.entities_of_articles(new_article_ids).values() for e in ids}
    blocks: dict[tuple[str, str], list[tuple[str, str, int, str]]] = defaultdict(list)
    for entity_id, canonical, mentions in people:
        key = _surname_key(canonical)
        if key is not None and len(key[1]) >= MIN_SURNAME:
            blocks[(key[0], key[1][:2])].append((entity_id, canonical, mentions, key[1]))
    pairs: list[tuple[tuple[str, str, int], tuple[str, str, int]]] = []
    for members in blocks.values():
        if len(members) < 2 or not any(m[0] in new_entities for m in members):
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a[0] not in new_entities and b[0] not in new_entities:
                    continue
                if difflib.SequenceMatcher(None, a[3], b[3]).ratio() >= SIMILAR_SURNAME:
                    pairs.append((a[:3], b[:3]))
    if not pairs:
        return 0
    renamed = 0
    total_articles = max(1, store.count_articles())
    done: set[str] = set()
    with store.atomic():
        for a, b in pairs:
            if a[0] in done or b[0] in done:
                continue  # renamed already in this run: its pairs are settled by the next run
            genitive = _is_genitive_of(a[1], b[1]) or _is_genitive_of(b[1], a[1])
            if not genitive and not _share_context(store, a[0], b[0], total_articles):
                continue
            # A base form beats its genitive; otherwise the better attested spelling wins,
            # then the longer, then the alphabetically first name.
            keep, drop = sorted((a, b), key=lambda e: (_is_genitive_of(e[1], (b if e is a else a)[1]), -e[2], -len(e[1]), e[1]))
            store.rename_entity(drop[0], keep[0], keep[1])
            done.add(drop[0])
            renamed += 1
    return renamed


def _is_genitive_of(name: str, base: str) -> bool:
    return name in (base + "s", base + "'")


def _share_context(store: Store, first: str, second: str, total_articles: int) -> bool:
    articles = store.articles_of_entities([first, second])
    first_articles, second_articles = articles.get(first, set()), articles.get(second, set())
    if not first_articles or not second_articles:
        return False
    stories = {store.story_of(a) for a in first_articles} - {None}
    if stories & ({store.story_of(a) for a in second_articles} - {None}):
        return True
    around = store.entities_of_articles(sorted(first_articles | second_articles))
    near_first = {e for a in first_articles for e in around.get(a, ())} - {first, second}
    near_second = {e for a in second_articles for e in around.get(a, ())} - {first, second}
    shared = near_first & near_second
    if not shared:
        return False
    # In a small archive every name looks rare: there only a shared story counts.
    rare_limit = total_articles * RARE_SHARE
    spread = store.articles_of_entities(sorted(shared))
    return any(len(spread.get(e, ())) <= rare_limit for e in shared)
