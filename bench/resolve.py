"""Entity resolution at archive scale (issue 5): the whole NDT corpus and resampled archives of 300, 3,000 and 30,000.

Two steps are timed for each archive:

1. ``resolve_mentions`` over every article's mention list: the per-article step the
   pipeline runs after the language model (``analyze.pipeline.analysis_from_doc``);
2. the archive-wide entity table: the mentions with their entity ids are saved
   into a fresh SQLite store through the store API (``save_analyses``, timed apart
   as set-up), then the store is asked for its entity listing: every entity id with
   its canonical name, type, mention and article counts (the aggregation behind
   ``kb.entity``/``find_entities``), and ``kb.entities()`` (most mentioned names).

Mention lists come from the language model's analysis of NDT in an analysed store
(``--db``, e.g. one made by ``sporbar ingest examples/seeds ../shared/corpora/ndt-nob-news.jsonl``),
or, without ``--db``, from the NorNE gold spans in the corpus (said so in the output).
A resampled archive draws articles with replacement and gives each a new id.

Usage:
    python bench/resolve.py --db dev.db
    python bench/resolve.py                       # NorNE spans instead of the model's mentions
    python bench/resolve.py --sizes 300 3000      # smaller run
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import sporbar  # noqa: E402
from sporbar.models import Analysis, Article, ArticleDate, Mention  # noqa: E402
from sporbar.resolve.entities import resolve_mentions  # noqa: E402

SHARED = Path(os.environ.get("SPORBAR_SHARED", ROOT.parent / "shared"))
NDT = SHARED / "corpora" / "ndt-nob-news.jsonl"
TARGET_NDT_SECONDS = 10.0
BATCH = 1000
ENTITY_TABLE_SQL = (
    "SELECT entity_id, min(canonical), min(label), count(*), count(DISTINCT article_id)"
    " FROM mentions WHERE entity_id IS NOT NULL GROUP BY entity_id"
)

Source = tuple[str, str, str, list[Mention]]  # (id, date, text, mentions without entity ids)


def ndt_sources(db: str | None) -> tuple[list[Source], str]:
    """Every NDT article's text, date and mention list: from an analysed store, or NorNE's gold spans."""
    records = [json.loads(line) for line in NDT.read_text(encoding="utf-8").splitlines()]
    if db is None:
        sources = [
            (r["id"], r["date"], r["text"], [Mention(e["start"], e["end"], e["text"], e["label"]) for e in r["entities"]])
            for r in records
        ]
        return sources, "NorNE gold spans from the corpus (no --db given)"
    sources = []
    with sporbar.open(db) as kb:
        for r in records:
            stored = kb.store.mentions_of(r["id"])
            if not stored and kb.store.article(r["id"]) is None:
                raise SystemExit(f"{r['id']} is not in {db}: ingest the NDT corpus into it first")
            sources.append((r["id"], r["date"], r["text"], [Mention(m.start, m.end, m.text, m.label, m.sentence) for m in stored]))
    return sources, f"the language model's mentions stored in {db}"


def archive(sources: list[Source], size: int | None, rng: random.Random) -> list[Source]:
    """The NDT articles themselves (``size`` None), or ``size`` of them drawn with replacement under new ids."""
    if size is None:
        return sources
    return [(f"bench-{n:06d}", *rng.choice(sources)[1:]) for n in range(size)]  # type: ignore[misc]


def time_resolution(articles: list[Source]) -> tuple[float, list[tuple[Mention, ...]]]:
    started = time.perf_counter()
    resolved = [
        tuple(replace(m, canonical=canonical, entity_id=identifier) for m, canonical, _, identifier in resolve_mentions(mentions))
        for _, _, _, mentions in articles
    ]
    return time.perf_counter() - started, resolved


def time_entity_table(articles: list[Source], resolved: list[tuple[Mention, ...]], folder: Path) -> dict[str, float | int]:
    db = folder / f"resolve-{len(articles)}.db"
    with sporbar.open(db) as kb:
        started = time.perf_counter()
        for at in range(0, len(articles), BATCH):
            chunk = list(zip(articles[at : at + BATCH], resolved[at : at + BATCH], strict=False))
            rows = []
            for (article_id, date, text, _), _mentions in chunk:
                # The hash stands for the text: resampled copies share a text but must be distinct articles.
                digest = hashlib.sha256(f"{article_id}\n{text}".encode()).hexdigest()
                rows.append(Article(id=article_id, date=ArticleDate.parse(date), text=text, text_hash=digest, record_hash=digest))
            with kb.store.atomic():
                kb.store.insert_articles(rows)
            kb.store.save_analyses(
                [Analysis(a.id, a.text_hash, "bench", (), mentions) for a, (_, mentions) in zip(rows, chunk, strict=False)]
            )
        stored = time.perf_counter() - started
        started = time.perf_counter()
        table = kb.store.run_sql(ENTITY_TABLE_SQL)
        entity_table = time.perf_counter() - started
        started = time.perf_counter()
        kb.entities(top=50)
        listing = time.perf_counter() - started
    return {"store_seconds": round(stored, 2), "entity_table_seconds": round(entity_table, 3),
            "entities": len(table), "top_names_seconds": round(listing, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an analysed store holding the NDT corpus (default: NorNE spans)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000, 30000])
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--keep", help="keep the bench stores in this folder")
    args = parser.parse_args()
    sources, origin = ndt_sources(args.db)
    rng = random.Random(args.seed)
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sporbar-resolve-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"mentions: {origin}; {platform.node()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", flush=True)
    results = []
    try:
        for size in [None, *args.sizes]:
            articles = archive(sources, size, rng)
            mentions = sum(len(a[3]) for a in articles)
            resolve_seconds, resolved = time_resolution(articles)
            table = time_entity_table(articles, resolved, folder)
            row = {"archive": "NDT (309 articles)" if size is None else f"resampled {size:,}", "articles": len(articles),
                   "mentions": mentions, "resolve_seconds": round(resolve_seconds, 3),
                   "resolve_articles_per_s": round(len(articles) / resolve_seconds), **table}
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    ndt = results[0]
    total = ndt["resolve_seconds"] + ndt["entity_table_seconds"]
    print(f"\nwhole NDT: resolution {ndt['resolve_seconds']} s + entity table {ndt['entity_table_seconds']} s = {total:.2f} s "
          f"(target < {TARGET_NDT_SECONDS:.0f} s: {'met' if total < TARGET_NDT_SECONDS else 'NOT met'})")
    resampled = results[1:]
    for name in ("resolve_seconds", "entity_table_seconds"):
        per_article = [r[name] / r["articles"] * 1e6 for r in resampled]
        ratio = max(per_article) / min(per_article) if min(per_article) else float("inf")
        sizes = ", ".join(f"{r['articles']:,}" for r in resampled)
        print(f"{name.replace('_seconds', '')}: µs per article {', '.join(f'{p:.0f}' for p in per_article)} at "
              f"{sizes} articles; largest/smallest {ratio:.2f} "
              f"({'near-linear' if ratio < 1.5 else 'NOT near-linear'})")


if __name__ == "__main__":
    main()
