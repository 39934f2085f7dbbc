"""The search syntax users type, parsed into a small tree.

    koalisjon IS                 both words (base forms match: koalisjonen, IS-lederen)
    "utenriksminister Brende"    a phrase
    Brende -Støre                exclude a word (or -"a phrase")
    Pompeo OR Tillerson          either word; OR binds the terms next to it
    =mener                       only the exact form, no base-form matching

Words match their base form (``koalisjon`` finds ``koalisjonen``) and the
exact form ranks first. Characters that mean nothing here are ignored, so no
input can reach SQL or the index's own query language.
"""

from __future__ import annotations

import re

from sporbar.errors import InvalidQuery
from sporbar.models import Clause, ParsedQuery, Term
from sporbar.store.search_terms import words

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32


_TOKEN = re.compile(r'(?P<neg>-)?(?P<exact>=)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


def parse_query(text: str) -> ParsedQuery:
    """Parse a query string; raise ``InvalidQuery`` only for queries that cannot mean anything."""
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidQuery(f"the query is {len(text)} characters; at most {MAX_QUERY_CHARS} are allowed")
    join_next = False
    groups: list[list[tuple[Term, bool]]] = []
    for match in _TOKEN.finditer(text):
        raw_word = match["word"]
        if raw_word == "OR" and not match["neg"]:
            join_next = bool(groups)
            continue
        content = match["phrase"] if match["phrase"] is not None else raw_word or ""
        tokens = tuple(words(content))
        if not tokens:
            continue
        term = (Term(tokens, exact_only=bool(match["exact"])), bool(match["neg"]))
        if join_next and groups and not term[1] and not groups[-1][0][1]:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    clauses = tuple(Clause(tuple(t for t, _ in group), exclude=group[0][1]) for group in groups)
    if len(clauses) > MAX_CLAUSES:
        raise InvalidQuery(f"the query has {len(clauses)} parts; at most {MAX_CLAUSES} are allowed")
    return ParsedQuery(clauses)
