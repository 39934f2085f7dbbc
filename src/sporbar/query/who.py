"""Who held an office when: role holders at a date, from dated evidence.

Each role record is dated by its article (at the article's precision). For
each person holding a (role, org) the first and last dates seen bound the
attested tenure. Asked about a date, the answer is every person attested then;
when nobody is, the person last seen in the role before that date, marked as
inferred, with the nearest evidence before and after it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sporbar.store.interface import Store

EVIDENCE_LIMIT = 20


def role_holders(store: Store, role: str, *, org: str | None = None, with_evidence: bool = True) -> list[dict[str, Any]]:
    """Every person seen in a role (optionally of one org), with first and last dates and evidence, oldest first.

    The holders come from the store's role-holder summary (one row per holder and org spelling), not from the
    role statements. Without ``with_evidence`` each holder keeps what ``attach_evidence`` needs under
    ``"_holder"`` instead, for evidence later (only for the holders an answer needs: the texts are the
    expensive part).
    """
    holders = []
    for summary in store.role_holder_summaries(role, org=org):
        holders.append(
            {"person": summary["person"], "role": summary["role"], "org": summary["org"], "party": summary["party"],
             "first_seen": summary["first_seen"], "last_seen": summary["last_seen"], "first_date": summary["first_date"],
             "last_date": summary["last_date"],
             "_holder": (summary["role"], summary["orgs"], summary["person_key"], summary["statements"])}
        )
    holders.sort(key=lambda h: (h["first_seen"], h["person"]))
    if with_evidence:
        attach_evidence(store, holders)
    return holders


def attach_evidence(store: Store, holders: list[dict[str, Any]], at: tuple[dt.date, dt.date] | None = None) -> None:
    """Give each holder its evidence: statements and their sentences (articles fetched together).

    A holder seen in thousands of articles gets the ``EVIDENCE_LIMIT`` statements
    nearest the date asked about (without a date: the first and the last ones),
    in date order; ``statements`` counts them all. Only those statements (and the
    candidates for the nearest) are read, through index ranges.
    """
    chosen: dict[int, list[dict[str, Any]]] = {}
    for number, holder in enumerate(holders):
        found = holder.pop("_holder", None)
        if found is None:
            holder["statements"], chosen[number] = 0, []
            continue
        role, orgs, key, statements = found
        holder["statements"] = statements
        if statements <= EVIDENCE_LIMIT:
            chosen[number] = store.holder_roles(role, orgs, key, head=EVIDENCE_LIMIT)
        elif at is None:
            half = EVIDENCE_LIMIT // 2
            rows = store.holder_roles(role, orgs, key, head=half, tail=half)
            chosen[number] = rows[:half] + rows[-half:]
        else:
            chosen[number] = _nearest(store.holder_roles(role, orgs, key, around=at, near=EVIDENCE_LIMIT), at)
    ids = sorted({row["article_id"] for rows in chosen.values() for row in rows})
    articles = store.articles_by_id(ids)
    every = [row for number in range(len(holders)) for row in chosen[number]]
    sentences = iter(store.sentence_spans([(row["article_id"], row["start"], row["end"]) for row in every]))
    for number, holder in enumerate(holders):
        holder["evidence"] = [_evidence(row, articles.get(row["article_id"]), next(sentences)) for row in chosen[number]]


def _nearest(rows: list[dict[str, Any]], at: tuple[dt.date, dt.date] | None) -> list[dict[str, Any]]:
    """The ``EVIDENCE_LIMIT`` rows nearest ``at`` (ties: the earlier in statement order), in statement order."""
    if len(rows) <= EVIDENCE_LIMIT:
        return rows
    if at is None:
        half = EVIDENCE_LIMIT // 2
        return rows[:half] + rows[-half:]
    start, end = at[0].isoformat(), at[1].isoformat()

    def distance(row: dict[str, Any]) -> int:
        if row["date_end"] < start:
            return (at[0] - dt.date.fromisoformat(row["date_end"])).days
        if row["date_start"] > end:
            return (dt.date.fromisoformat(row["date_start"]) - at[1]).days
        return 0

    nearest = sorted(range(len(rows)), key=lambda i: (distance(rows[i]), i))[:EVIDENCE_LIMIT]
    return [rows[i] for i in sorted(nearest)]


def _evidence(row: dict[str, Any], article: Any, sentence: tuple[int, int] | None) -> dict[str, Any]:
    text = article.text if article else ""
    start, end = sentence if sentence else (row["start"], row["end"])
    return {
        "article_id": row["article_id"],
        "date": row["date"],
        "start": row["start"],
        "end": row["end"],
        "text": text[row["start"] : row["end"]],
        "sentence": text[start:end],
        "sentence_start": start,
    }


def who(store: Store, role: str, *, org: str | None = None, at: tuple[dt.date, dt.date] | None = None) -> dict[str, Any]:
    """Answer "who was ROLE (of ORG) at DATE?" with holders and their evidence."""
    holders = role_holders(store, role, org=org, with_evidence=False)
    answer: dict[str, Any] = {"role": role.lower(), "org": org, "at": None, "holders": [], "inferred": False}
    if at is None:
        attach_evidence(store, holders)
        answer["holders"] = holders
        return answer
    start, end = at
    answer["at"] = {"from": start.isoformat(), "to": end.isoformat()}
    attested = [h for h in holders if h["first_seen"] <= end.isoformat() and h["last_seen"] >= start.isoformat()]
    if attested:
        attach_evidence(store, attested, at)
        answer["holders"] = attested
        return answer
    before = [h for h in holders if h["last_seen"] < start.isoformat()]
    after = [h for h in holders if h["first_seen"] > end.isoformat()]
    if before:
        holder = dict(max(before, key=lambda h: h["last_seen"]))
        holder["next_holder"] = min(after, key=lambda h: h["first_seen"])["person"] if after else None
        attach_evidence(store, [holder], at)
        answer["holders"] = [holder]
        answer["inferred"] = True
    return answer
