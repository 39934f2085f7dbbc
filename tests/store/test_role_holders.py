"""The role-holder summary (``role_holders``) and `who` against a recomputation from the role statements.

`who` and the role pages read the summary and a holder's statements through index ranges instead of grouping
every statement of a role per request, so their answers must equal what the old grouping of all the statements
gave, after every kind of change: ingest with analysis, an update of an article's text and date, a re-analysis, a
renamed entity (re-resolution), on both backends, on the seeds and the NDT news corpus.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import sporbar.query.who as who_module
from sporbar.api import KnowledgeBase
from sporbar.query.who import who
from sporbar.resolve import resolve_archive

# -- the old answer: every statement of the role grouped in Python (the code before schema 12) -------------------


def _old_rows(kb: KnowledgeBase, role: str, org: str | None) -> list[dict[str, Any]]:
    clauses, params = ["role = ?"], [role.lower()]
    if org:
        clauses.append("casefold(org) = ?")
        params.append(org.casefold())
    names = ["article_id", "date", "person", "role", "org", "party", "start", "end", "date_start", "date_end"]
    rows = kb.store.run_sql(
        f'SELECT article_id, date, person, role, org, party, start, "end", date_start, date_end FROM roles'
        f" WHERE {' AND '.join(clauses)} ORDER BY date_start, article_id, start, id",
        params,
    )
    return [dict(zip(names, row, strict=True)) for row in rows]


def _old_holders(kb: KnowledgeBase, role: str, org: str | None) -> list[dict[str, Any]]:
    people: dict[str, dict[str, Any]] = {}
    evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _old_rows(kb, role, org):
        key = " ".join(row["person"].lower().split())
        entry = people.setdefault(
            key,
            {"person": row["person"], "role": row["role"], "org": row["org"], "party": row["party"],
             "first_seen": row["date_start"], "last_seen": row["date_end"], "first_date": row["date"], "last_date": row["date"]},
        )
        if len(row["person"]) > len(entry["person"]):
            entry["person"] = row["person"]
        if row["date_start"] < entry["first_seen"]:
            entry["first_seen"], entry["first_date"] = row["date_start"], row["date"]
        if row["date_end"] > entry["last_seen"]:
            entry["last_seen"], entry["last_date"] = row["date_end"], row["date"]
        entry["party"] = entry["party"] or row["party"]
        evidence[key].append(row)
    holders = []
    for key, entry in people.items():
        entry["_rows"] = evidence[key]
        holders.append(entry)
    holders.sort(key=lambda h: (h["first_seen"], h["person"]))
    return holders


def _old_nearest(rows: list[dict[str, Any]], at: tuple[dt.date, dt.date] | None, limit: int) -> list[dict[str, Any]]:
    if len(rows) <= limit:
        return rows
    if at is None:
        return rows[: limit // 2] + rows[-(limit // 2) :]
    start, end = at[0].isoformat(), at[1].isoformat()

    def distance(row: dict[str, Any]) -> int:
        if row["date_end"] < start:
            return (at[0] - dt.date.fromisoformat(row["date_end"])).days
        if row["date_start"] > end:
            return (dt.date.fromisoformat(row["date_start"]) - at[1]).days
        return 0

    nearest = sorted(range(len(rows)), key=lambda i: (distance(rows[i]), i))[:limit]
    return [rows[i] for i in sorted(nearest)]


def _evidence(store: Any, row: dict[str, Any], article: Any) -> dict[str, Any]:
    sentence = store.sentence_span(row["article_id"], row["start"], row["end"])
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


def _old_attach(kb: KnowledgeBase, holders: list[dict[str, Any]], at: tuple[dt.date, dt.date] | None, limit: int) -> None:
    for holder in holders:
        rows = holder.pop("_rows", [])
        holder["statements"] = len(rows)
        chosen = _old_nearest(rows, at, limit)
        articles = kb.store.articles_by_id(sorted({r["article_id"] for r in chosen}))
        holder["evidence"] = [_evidence(kb.store, r, articles.get(r["article_id"])) for r in chosen]


def _old_who(kb: KnowledgeBase, role: str, org: str | None, at: tuple[dt.date, dt.date] | None, limit: int) -> dict[str, Any]:
    holders = _old_holders(kb, role, org)
    answer: dict[str, Any] = {"role": role.lower(), "org": org, "at": None, "holders": [], "inferred": False}
    if at is None:
        _old_attach(kb, holders, None, limit)
        answer["holders"] = holders
        return answer
    start, end = at
    answer["at"] = {"from": start.isoformat(), "to": end.isoformat()}
    attested = [h for h in holders if h["first_seen"] <= end.isoformat() and h["last_seen"] >= start.isoformat()]
    if attested:
        _old_attach(kb, attested, at, limit)
        answer["holders"] = attested
        return answer
    before = [h for h in holders if h["last_seen"] < start.isoformat()]
    after = [h for h in holders if h["first_seen"] > end.isoformat()]
    if before:
        holder = dict(max(before, key=lambda h: h["last_seen"]))
        holder["next_holder"] = min(after, key=lambda h: h["first_seen"])["person"] if after else None
        _old_attach(kb, [holder], at, limit)
        answer["holders"] = [holder]
        answer["inferred"] = True
    return answer


# -- the comparison ---------------------------------------------------------------------------------------------


def _questions(kb: KnowledgeBase) -> list[tuple[str, str | None]]:
    pairs = kb.store.run_sql("SELECT DISTINCT role, org FROM roles")
    questions = {(role, org) for role, org in pairs if org} | {(role, None) for role, _ in pairs}
    # An org asked in another case than it is written finds it too.
    questions |= {(role.upper(), org.upper()) for role, org in pairs if org}
    return sorted(questions, key=lambda q: (q[0], q[1] or ""))


def _windows(kb: KnowledgeBase, role: str) -> list[tuple[dt.date, dt.date] | None]:
    dates = sorted({row[0] for row in kb.store.run_sql("SELECT date_start FROM roles WHERE role = ?", (role.lower(),))})
    windows: list[tuple[dt.date, dt.date] | None] = [None]
    for pick in {dates[0], dates[len(dates) // 3], dates[len(dates) // 2], dates[-1]}:
        day = dt.date.fromisoformat(pick)
        windows.append((day, day))
        windows.append((day.replace(day=1), day.replace(day=1) + dt.timedelta(days=27)))
        windows.append((day.replace(month=1, day=1), day.replace(month=12, day=31)))
    windows += [(dt.date(1900, 1, 1), dt.date(1900, 12, 31)), (dt.date(2090, 1, 1), dt.date(2090, 1, 31))]
    return windows


def _assert_same_answers(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, *, limits: tuple[int, ...] = (20, 3)) -> int:
    compared = 0
    for limit in limits:
        monkeypatch.setattr(who_module, "EVIDENCE_LIMIT", limit)
        for role, org in _questions(kb):
            for at in _windows(kb, role):
                new, old = who(kb.store, role, org=org, at=at), _old_who(kb, role, org, at, limit)
                assert new == old, (role, org, at, limit)
                assert json.dumps(new, ensure_ascii=False) == json.dumps(old, ensure_ascii=False)
                compared += 1
            holders = who_module.role_holders(kb.store, role, org=org)
            old_holders = _old_holders(kb, role, org)
            _old_attach(kb, old_holders, None, limit)
            assert holders == old_holders, (role, org, limit)
    return compared


def _summary(kb: KnowledgeBase) -> list[tuple[Any, ...]]:
    rows = kb.store.run_sql("SELECT * FROM role_holders")
    return sorted((tuple(v for v in row[1:]) for row in rows), key=repr)


def test_who_follows_the_role_statements(
    kb: KnowledgeBase, seeds_dir: Path, ndt_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = kb.ingest([seeds_dir, ndt_path])
    assert report.analysed == 311 and report.ok
    assert kb.store.run_sql("SELECT count(*) FROM roles WHERE person_key IS NULL")[0][0] == 0
    assert _assert_same_answers(kb, monkeypatch) > 500
    # Some holders have more statements than the evidence limit of 3, so the nearest-evidence path is compared.
    assert kb.store.run_sql("SELECT max(statements) FROM role_holders")[0][0] > 3

    # Updated articles (new text, another year): their statements go, and come back by re-analysis.
    records = [json.loads(line) for line in ndt_path.read_text(encoding="utf-8").splitlines()[:12]]
    changed = [dict(r, date=f"{int(r['date'][:4]) - 7}{r['date'][4:]}", text=r["text"] + "\n\nStatsminister Erna Solberg kom også.")
               for r in records]
    path = tmp_path / "changed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in changed), encoding="utf-8")
    assert kb.ingest([path], analyze=False).updated == 12
    _assert_same_answers(kb, monkeypatch, limits=(3,))
    assert kb.analyze() == 12
    _assert_same_answers(kb, monkeypatch, limits=(3,))

    # A re-analysis of articles already analysed (their analysis record gone, as after a model change).
    ids = [row[0] for row in kb.store.run_sql("SELECT DISTINCT article_id FROM roles ORDER BY article_id LIMIT 15")]
    kb.store.run_sql(f"DELETE FROM analyses WHERE article_id IN ({','.join('?' * len(ids))})", ids)
    assert kb.analyze() == 15
    _assert_same_answers(kb, monkeypatch, limits=(3,))

    # Re-resolution: a role holder folded into another entity (its statements get that entity's canonical name).
    holders = kb.store.run_sql(
        "SELECT person_entity_id FROM roles WHERE person_entity_id IS NOT NULL GROUP BY person_entity_id ORDER BY count(*) DESC,"
        " person_entity_id LIMIT 2"
    )
    (first,), (other,) = holders
    with kb.store.atomic():
        kb.store.rename_entity(other, first, kb.entity_by_id(first)["canonical"])
    _assert_same_answers(kb, monkeypatch)
    resolve_archive(kb.store)
    _assert_same_answers(kb, monkeypatch, limits=(3,))

    # A full rebuild gives the same rows as the summary kept in step.
    before = _summary(kb)
    kb.store.rebuild_role_holders()
    assert _summary(kb) == before


def test_holder_reads_are_bounded(kb: KnowledgeBase, seeds_dir: Path) -> None:
    kb.ingest([seeds_dir])
    (holder,) = [h for h in kb.store.role_holder_summaries("utenriksminister", org="norge") if "Brende" in h["person"]]
    role, orgs, key = holder["role"], holder["orgs"], holder["person_key"]
    every = kb.store.holder_roles(role, orgs, key, head=10_000)
    assert len(every) == holder["statements"] >= 2
    assert kb.store.holder_roles(role, orgs, key, head=1) == every[:1]
    assert kb.store.holder_roles(role, orgs, key, tail=1) == every[-1:]
    assert kb.store.holder_roles(role, orgs, key) == []
    stretches = [(r["article_id"], r["start"], r["end"]) for r in every] + [("no such article", 0, 5)]
    assert kb.store.sentence_spans(stretches) == [kb.store.sentence_span(*s) for s in stretches]
