"""Scale: a synthetic archive of N articles in SQLite or PostgreSQL (issue 8).

The archive is resampled from real Norwegian sentences — the NDT news corpus
and NoReC review text (../shared/corpora) — ~400 words per article, random
dates 1998–2019 (day precision), sources from NDT. For one backend per run:

1. store-only ingest of all N articles through the real CLI in a child process
   (``sporbar ingest --no-analyze``): articles/s, store and index size, the
   child's peak memory (ru_maxrss);
2. the language stage on a sample of S articles of the same archive, with 1 and
   with 2 local worker processes: articles/s and the speed-up; and a full-pipeline
   ingest of the sample (store + index + language model + stories) in a child
   process, whose rate is EXTRAPOLATED to N articles (said so in the output);
3. fact tables at archive scale: the sample's real analyses are copied onto every
   article of the archive (offsets are then not meaningful for the copies; the
   point is table sizes and a real distribution of names and roles — each name is
   N/S times as frequent as in the sample, so entity pages are pessimistic);
4. queries: search (common term, rare term, two terms, phrase; each with a random
   12–60-month window; top 10 with snippets), ``who ROLE --org ORG --at DATE`` and
   the entity page (``kb.entity(NAME)``), p50/p95 after warm-up.

Usage:
    python bench/scale.py --backend sqlite                      # 100,000 articles
    python bench/scale.py --backend postgres --pg postgresql://…  # (or $SPORBAR_BENCH_PG)
    python bench/scale.py --backend sqlite --articles 1000000     # the 1M archive (hours, ~10 GB)
    python bench/scale.py --articles 2000 --sample 40             # smoke test
Figures go to bench/out/scale-BACKEND-N.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ingest_search import WORD, SourceCorpus, build_queries, descendants_cpu_seconds, summarise  # noqa: E402

import sporbar  # noqa: E402

SHARED = Path(os.environ.get("SPORBAR_SHARED", ROOT.parent / "shared"))
NDT = SHARED / "corpora" / "ndt-nob-news.jsonl"
NOREC = SHARED / "corpora" / "norec-text.txt.gz"
NOREC_SENTENCES = 150_000
WORDS_PER_ARTICLE = 400
FIRST_DAY, LAST_DAY = dt.date(1998, 1, 1), dt.date(2019, 12, 31)
QUERIES = 100
WARMUP = 20
TARGETS = {"search_p95_ms": {"sqlite": 20.0, "postgres": 100.0}, "who_entity_p95_ms": 50.0, "peak_rss_gb": 2.0, "speedup": 1.7}


# -- the archive -------------------------------------------------------------------


def sentence_pool(rng: random.Random) -> SourceCorpus:
    """NDT sentences and a random sample of NoReC sentences, as ``ingest_search.SourceCorpus`` holds them."""
    pool = SourceCorpus(NDT)
    norec: list[str] = []
    seen = 0
    with gzip.open(NOREC, "rt", encoding="utf-8") as handle:
        for line in handle:
            sentence = " ".join(line.split())
            if len(sentence.split()) < 3:
                continue
            seen += 1
            # Reservoir sampling: a uniform sample of the whole file in bounded memory.
            if len(norec) < NOREC_SENTENCES:
                norec.append(sentence)
            elif (j := rng.randrange(seen)) < NOREC_SENTENCES:
                norec[j] = sentence
    for sentence in norec:
        words = WORD.findall(sentence.lower())
        i = len(pool.sentences)
        pool.sentences.append(sentence)
        pool.words.append(words)
        pool.lengths.append(len(sentence.split()))
        if 3 <= pool.lengths[-1] <= 10:
            pool.short.append(i)
        pool.token_counts.update(words)
        for word in words:
            pool.sentences_of.setdefault(word, set()).add(i)
    return pool


def build_archive(pool: SourceCorpus, n: int, rng: random.Random, out: Path) -> list[int]:
    """Write n articles as JSON Lines; return how many articles use each sentence.

    An archive already written for this size and seed is kept: the same articles are drawn again (they
    give ``used_in``) without encoding and writing 2.7 GB once more.
    """
    days = (LAST_DAY - FIRST_DAY).days
    used_in = [0] * len(pool.sentences)
    done = out.with_name(out.name + ".complete")
    write = not (out.exists() and done.exists())
    with out.open("w", encoding="utf-8") if write else contextlib.nullcontext() as handle:
        for number in range(1, n + 1):
            picked: list[int] = []
            count = 0
            while count < WORDS_PER_ARTICLE:
                i = rng.randrange(len(pool.sentences))
                picked.append(i)
                count += pool.lengths[i]
            for i in set(picked):
                used_in[i] += 1
            paragraphs = []
            at = 0
            while at < len(picked):
                size = rng.randint(1, 4)
                paragraphs.append(" ".join(pool.sentences[i] for i in picked[at : at + size]))
                at += size
            record = {
                "id": f"scale-{number:07d}",
                "date": (FIRST_DAY + dt.timedelta(days=rng.randint(0, days))).isoformat(),
                "title": pool.sentences[rng.choice(pool.short)].rstrip(".:"),
                "source": rng.choice(pool.sources),
                "text": "\n\n".join(paragraphs),
            }
            if handle is not None:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    if write:
        done.touch()
    return used_in


# -- helpers -----------------------------------------------------------------------


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


def run_cli(args: list[str]) -> tuple[dict, float, int]:
    """Run ``sporbar ARGS --json`` in a child process: (report, wall seconds, that child's peak RSS in bytes)."""
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull, subprocess.Popen(  # noqa: SIM117
        [sys.executable, "-m", "sporbar.interfaces.cli", *args, "--json"], stdout=subprocess.PIPE, stderr=devnull, text=True
    ) as child:
        stdout = child.stdout.read() if child.stdout else ""
        # wait4 reaps the child and returns its own resource use (its peak RSS, not the largest child's so far).
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode not in (0, 1):
        sys.exit(f"sporbar {' '.join(args)} failed with status {child.returncode}")
    return json.loads(stdout), wall, usage.ru_maxrss * 1024




def timed(calls: list, fn) -> list[float]:  # type: ignore[no-untyped-def]
    ms = []
    for call in calls:
        started = time.perf_counter()
        fn(call)
        ms.append((time.perf_counter() - started) * 1000)
    return ms


def _stored_analysis(kb: sporbar.KnowledgeBase, article_id: str):  # type: ignore[no-untyped-def]
    """What the queries need of a sample article's analysis, read back from the store."""
    from types import SimpleNamespace

    roles = [SimpleNamespace(role=r["role"], org=r["org"]) for r in kb.store.roles(article_id=article_id)]
    return SimpleNamespace(roles=roles, mentions=kb.mentions(article_id))



# The fact tables a copy fills, with the columns it copies (``a`` is the target article, ``s`` the sample article
# and ``f`` the sample's fact row): dates are the target's, as ``save_analyses`` would have written them.
_COPIED = {
    "sentences": {"idx": "f.idx", "start": "f.start", "end": 'f."end"'},
    "mentions": {c: f"f.{c}" for c in ("start", "text", "label", "sentence_idx", "entity_id", "canonical")} | {"end": 'f."end"'},
    "quotes": {c: f"f.{c}" for c in ("kind", "start", "text", "speaker", "speaker_entity_id", "speaker_label", "speaker_mention",
                                     "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "addressee", "extractor")}
    | {"end": 'f."end"', "date": "CASE WHEN f.date = s.date THEN a.date ELSE f.date END"},
    "roles": {c: f"f.{c}" for c in ("person", "person_entity_id", "person_start", "person_end", "role", "org", "party", "start",
                                    "extractor")}
    | {"end": 'f."end"', "date": "a.date", "date_start": "a.date_start", "date_end": "a.date_end"},
    "numbers": {c: f"f.{c}" for c in ("start", "text", "value", "unit", "about", "qualifier", "kind", "extractor")}
    | {"end": 'f."end"', "date": "a.date"},
    "times": {c: f"f.{c}" for c in ("start", "text", "value", "precision", "kind", "extractor")} | {"end": 'f."end"'},
    "analyses": {"text_hash": "a.text_hash", "model": "f.model", "analysed_at": "f.analysed_at", "doc": "NULL"},
}


def copy_facts(kb: sporbar.KnowledgeBase, analyses: list, limit: int | None = None) -> int:  # type: ignore[type-arg]
    """Give every article of the archive (or ``limit`` of them) the facts of one sample article; return how many have facts.

    The sample's own analyses are saved as ingest saves them; every other article, numbered in date order, gets
    sample article ``number % S``'s rows through one ``INSERT … SELECT`` per table and sample article (a
    transaction each), so no row passes through Python. The store's derived entity summary, where the store has
    one, is rebuilt afterwards.
    """
    store = kb.store
    store.save_analyses(analyses)
    sample_ids = [a.article_id for a in analyses]
    marks = ",".join("?" * len(sample_ids))
    store.run_sql("DROP TABLE IF EXISTS bench_copy_map")
    store.run_sql("CREATE TABLE bench_copy_map (article_id TEXT PRIMARY KEY, k INTEGER NOT NULL)")
    # With a limit, the articles that get facts are the first by id: ids are content hashes, so a random pick.
    chosen = f"SELECT id, date_start FROM articles WHERE id NOT IN ({marks})" + (
        f" ORDER BY id LIMIT {int(limit) - len(sample_ids)}" if limit is not None else ""
    )
    with store.atomic():
        store.run_sql(
            "INSERT INTO bench_copy_map (article_id, k) SELECT id, (row_number() OVER (ORDER BY date_start, id) - 1) % ?"
            f" FROM ({chosen}) picked",
            (len(sample_ids), *sample_ids),
        )
    store.run_sql("CREATE INDEX bench_copy_map_k ON bench_copy_map (k, article_id)")
    copied_columns = dict(_COPIED)
    try:  # a store from before quotes kept their article's date_start (schema 11) has no such column
        store.run_sql("SELECT date_start FROM quotes LIMIT 0")
        copied_columns["quotes"] = _COPIED["quotes"] | {"date_start": "a.date_start"}
    except Exception:  # noqa: BLE001, S110
        pass
    try:  # role statements carry their person key from schema 12 (the role-holder summary groups by it)
        store.run_sql("SELECT person_key FROM roles LIMIT 0")
        copied_columns["roles"] = _COPIED["roles"] | {"person_key": "f.person_key"}
    except Exception:  # noqa: BLE001, S110
        pass
    started = time.perf_counter()
    for k, sample_id in enumerate(sample_ids):
        with store.atomic():
            for table, columns in copied_columns.items():
                names = ", ".join(f'"{c}"' if c == "end" else c for c in columns)
                store.run_sql(
                    f"INSERT INTO {table} (article_id, {names}) SELECT c.article_id, {', '.join(columns.values())}"
                    f" FROM bench_copy_map c JOIN articles a ON a.id = c.article_id JOIN articles s ON s.id = ?"
                    f" JOIN {table} f ON f.article_id = s.id WHERE c.k = ? ORDER BY c.article_id",
                    (sample_id, k),
                )
        if k % 10 == 9:
            done = (k + 1) / len(sample_ids)
            print(f"  copied {done:.0%} in {time.perf_counter() - started:,.0f} s", flush=True)
    copied = int(store.run_sql("SELECT count(*) FROM bench_copy_map")[0][0]) + len(sample_ids)
    store.run_sql("DROP TABLE bench_copy_map")
    if hasattr(store, "rebuild_entity_summaries"):
        summary_started = time.perf_counter()
        store.rebuild_entity_summaries()
        print(f"  entity summary rebuilt in {time.perf_counter() - summary_started:,.1f} s", flush=True)
    if hasattr(store, "rebuild_role_holders"):
        summary_started = time.perf_counter()
        store.rebuild_role_holders()
        print(f"  role-holder summary rebuilt in {time.perf_counter() - summary_started:,.1f} s", flush=True)
    if store.backend == "postgres":
        store.run_sql("ANALYZE")  # what autovacuum would do shortly after a bulk load
    return copied


class Target:
    """A fresh store location of one backend (a file, or a schema of the PostgreSQL database)."""

    def __init__(self, backend: str, out: Path, name: str, pg_url: str | None, *, fresh: bool = True) -> None:
        self.backend = backend
        self.index = out / f"{name}.index"
        if fresh:
            shutil.rmtree(self.index, ignore_errors=True)
        if backend == "sqlite":
            self.db = str(out / f"{name}.db")
            for suffix in ("", "-wal", "-shm") if fresh else ():
                Path(self.db + suffix).unlink(missing_ok=True)
            return
        import psycopg

        assert pg_url, "--pg URL (or $SPORBAR_BENCH_PG) is needed for --backend postgres"
        schema = name.replace("-", "_")
        if fresh:
            with psycopg.connect(pg_url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                conn.execute(f"CREATE SCHEMA {schema}")
        self.db = f"{pg_url}{'&' if '?' in pg_url else '?'}options=-csearch_path%3D{schema}"

    def args(self) -> list[str]:
        return ["--db", self.db, "--index", str(self.index)]

    def open(self) -> sporbar.KnowledgeBase:
        return sporbar.open(self.db, index=self.index)


def time_language_stage(big: Target, sample_file: Path, s: int, rounds: int = 1) -> tuple[dict, list]:  # type: ignore[type-arg]
    """Seconds of the language stage on the sample's stored articles with 1 and 2 local workers, and the analyses.

    With ``rounds`` > 1 both pools stay up and are timed alternately (1 then 2 workers, then 2 then 1, …): the host's
    speed drifts by tens of per cent within minutes, and a single pair of runs measured the drift as often as the
    scaling. The speed-up is then the ratio of the summed seconds.
    """
    from sporbar.analyze.distributed import LocalAnalyser

    with big.open() as kb:
        ids = [json.loads(line)["id"] for line in sample_file.read_text(encoding="utf-8").splitlines()]
        found = kb.store.articles_by_id(ids)
        sample_articles = [found[i] for i in ids]
    words = sum(len(a.text.split()) for a in sample_articles)
    language: dict = {"sample_articles": s, "sample_words": words, "load_average_before": os.getloadavg()[0],
                      "how": "sporbar's local worker pool (the one `ingest --workers N` uses), started and model loaded before timing"}
    analyses: list = []  # type: ignore[type-arg]
    analysers = {workers: LocalAnalyser(workers) for workers in (1, 2)}
    for analyser in analysers.values():
        analyser.warm()
    totals = {1: [0.0, 0.0, 0.0], 2: [0.0, 0.0, 0.0]}  # seconds, worker CPU, driver CPU
    per_round: list[float] = []
    try:
        for round_number in range(rounds):
            seconds_this_round = {}
            for workers in ((1, 2) if round_number % 2 == 0 else (2, 1)):
                worker_cpu = descendants_cpu_seconds(os.getpid())
                driver_cpu = time.process_time()
                started = time.perf_counter()
                analyses = list(analysers[workers].analyse(sample_articles))
                seconds = time.perf_counter() - started
                seconds_this_round[workers] = seconds
                totals[workers][0] += seconds
                totals[workers][1] += descendants_cpu_seconds(os.getpid()) - worker_cpu
                totals[workers][2] += time.process_time() - driver_cpu
            per_round.append(round(seconds_this_round[1] / seconds_this_round[2], 2))
            if rounds > 1:
                print(f"  round {round_number + 1}: 1 worker {seconds_this_round[1]:.2f} s, 2 workers {seconds_this_round[2]:.2f} s,"
                      f" ×{per_round[-1]}", flush=True)
    finally:
        for analyser in analysers.values():
            analyser.close()
    for workers in (1, 2):
        seconds, worker_cpu, driver_cpu = totals[workers]
        # CPU seconds say whether the workers slow each other down (shared caches, memory) or wait for the driver.
        language[f"workers_{workers}"] = {"seconds": round(seconds, 2), "articles_per_s": round(rounds * s / seconds, 2),
                                          "words_per_s": round(rounds * words / seconds), "worker_cpu_s": round(worker_cpu, 2),
                                          "driver_cpu_s": round(driver_cpu, 2)}
        print(f"  language stage, {workers} worker(s): {language[f'workers_{workers}']}", flush=True)
    language["rounds"] = rounds
    language["speedup_by_round"] = per_round
    language["speedup_1_to_2"] = round(language["workers_1"]["seconds"] / language["workers_2"]["seconds"], 2)
    return language, analyses


# -- main ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg", default=os.environ.get("SPORBAR_BENCH_PG"), help="PostgreSQL URL (a database to make schemas in)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=120, help="articles for the language stage (default 120)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--facts-on", type=int, default=None, metavar="N",
        help="copy the sample's facts onto N articles (a random pick) instead of all: a shorter run, less pessimistic entity pages",
    )
    parser.add_argument(
        "--language-only", action="store_true",
        help="time only the language stage (1 and 2 workers) on the sample of the store an earlier run left",
    )
    parser.add_argument(
        "--rounds", type=int, default=1,
        help="time the language stage this many times, 1 and 2 workers alternately; the speed-up is the ratio of the sums",
    )
    parser.add_argument(
        "--queries-only", action="store_true",
        help="time the queries again on the store an earlier run left (after a change to the query layer)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    n, s = args.articles, args.sample
    rng = random.Random(args.seed)
    results: dict = {
        "benchmark": "bench/scale.py",
        "command": "python bench/scale.py " + " ".join(a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("postgresql:")),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "load_average_at_start": os.getloadavg()},
        "backend": args.backend,
        "articles": n,
        "sample": s,
    }

    # 1. the archive (built once per size and seed, then reused)
    archive = out / f"scale-{n}-{args.seed}.jsonl"
    print(f"sentence pool: NDT + {NOREC_SENTENCES:,} NoReC sentences …", flush=True)
    pool = sentence_pool(rng)
    print(f"building {n:,} articles → {archive} …", flush=True)
    used_in = build_archive(pool, n, random.Random(args.seed), archive)
    sample_file = out / f"scale-sample-{s}.jsonl"
    with archive.open(encoding="utf-8") as handle, sample_file.open("w", encoding="utf-8") as sample_out:
        for _, line in zip(range(s), handle, strict=False):
            sample_out.write(line)
    results["archive"] = {"file": str(archive), "bytes": archive.stat().st_size, "sentences_in_pool": len(pool.sentences)}

    big = Target(args.backend, out, f"scale_{args.backend}_{n}", args.pg, fresh=not (args.queries_only or args.language_only))
    if args.language_only:
        language, _ = time_language_stage(big, sample_file, s, args.rounds)
        results["language_stage"] = language
        (out / f"scale-{args.backend}-{n}-language.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
        return 0
    if args.queries_only:
        previous = json.loads((out / f"scale-{args.backend}-{n}.json").read_text(encoding="utf-8"))
        for key in ("store_only_ingest", "language_stage", "full_pipeline_sample", "facts"):
            results[key] = previous[key]
        results["queries_retimed"] = "queries timed again on the store of the earlier run (--queries-only)"
        language = results["language_stage"]
        with big.open() as kb:
            sample_ids = [json.loads(line)["id"] for line in sample_file.read_text(encoding="utf-8").splitlines()]
            analyses = [_stored_analysis(kb, i) for i in sample_ids]
    else:
        # 2. store-only ingest of the whole archive
        print(f"store-only ingest of {n:,} articles into {args.backend} …", flush=True)
        report, wall, peak = run_cli(["ingest", str(archive), "--no-analyze", *big.args()])
        with big.open() as kb:
            stats = kb.stats()
        results["store_only_ingest"] = {
            "stored": report["stored"], "wall_s": round(wall, 1), "articles_per_s": round(report["stored"] / wall, 1),
            "store_bytes": stats["size_bytes"], "index_bytes": stats["index_size_bytes"], "peak_rss_bytes": peak,
        }
        print(f"  {results['store_only_ingest']}", flush=True)

        # 3. the language stage on the sample: 1 and 2 workers, and a full-pipeline ingest of the sample
        language, analyses = time_language_stage(big, sample_file, s, args.rounds)
        results["language_stage"] = language
        small = Target(args.backend, out, f"scale_{args.backend}_sample", args.pg)
        report, wall, peak = run_cli(["ingest", str(sample_file), "--workers", "1", *small.args()])
        rate = report["stored"] / wall
        results["full_pipeline_sample"] = {
            "articles": report["stored"], "analysed": report["analysed"], "wall_s": round(wall, 1), "peak_rss_bytes": peak,
            "articles_per_s": round(rate, 2),
            "extrapolated_hours_for_archive_1_worker": round(n / rate / 3600, 1),
            "note": "EXTRAPOLATED from the sample: the full archive was not run through the language model",
        }
        print(f"  full pipeline on the sample: {results['full_pipeline_sample']}", flush=True)

        # 4. facts at archive scale: the sample's analyses copied onto every article, set-based in SQL
        print("copying the sample's analyses onto every article …", flush=True)
        started = time.perf_counter()
        with big.open() as kb:
            copied = copy_facts(kb, analyses, args.facts_on)
            facts = {k: kb.store.run_sql(f"SELECT count(*) FROM {k}")[0][0] for k in ("sentences", "mentions", "quotes", "roles", "numbers")}
            results["facts"] = {"articles_with_facts": copied, "seconds": round(time.perf_counter() - started, 1), "rows": facts,
                                "store_bytes_with_facts": kb.store.size_bytes(), "how": "INSERT … SELECT per sample article"}
            print(f"  {results['facts']}", flush=True)

    with big.open() as kb:
        # 5. queries
        query_rng = random.Random(args.seed + 1)
        classes, _ = build_queries(pool, used_in, query_rng)
        search: dict = {}
        every: list[float] = []
        warm = [q for qs in classes.values() for q in qs[:5]]
        timed(warm, lambda q: kb.search(q["q"], since=q["since"], until=q["until"]))
        for name, qs in classes.items():
            ms = timed(qs[:QUERIES], lambda q: kb.search(q["q"], since=q["since"], until=q["until"]))
            every.extend(ms)
            search[name] = summarise(ms)
        search["all dated"] = summarise(every)
        results["search"] = search
        roles = sorted({(r.role, r.org) for a in analyses for r in a.roles if r.org})
        who_calls = [(role, org, f"{query_rng.randint(1998, 2019)}-{query_rng.randint(1, 12):02d}") for role, org in
                     (query_rng.choice(roles) for _ in range(QUERIES + WARMUP))]
        timed(who_calls[:WARMUP], lambda c: kb.who(c[0], org=c[1], at=c[2]))
        results["who"] = summarise(timed(who_calls[WARMUP:], lambda c: kb.who(c[0], org=c[1], at=c[2])))
        results["who"]["distinct_role_org_pairs"] = len(roles)
        # The role page (web /roles/ROLE, `kb.role_holders`): every holder of the role (of the org) with evidence.
        timed(who_calls[:WARMUP], lambda c: kb.role_holders(c[0], org=c[1]))
        results["role_page"] = summarise(timed(who_calls[WARMUP:], lambda c: kb.role_holders(c[0], org=c[1])))
        names = Counter(m.canonical for a in analyses for m in a.mentions if m.label in ("PER", "ORG") and m.canonical)
        picks = [query_rng.choice(sorted(names)) for _ in range(QUERIES + WARMUP)]
        timed(picks[:WARMUP], kb.entity)
        results["entity_page"] = summarise(timed(picks[WARMUP:], kb.entity))
        results["entity_page"]["distinct_names"] = len(names)
        # The web entity page and GET /api/entities/ID: the profile with role records and related people, and the
        # first page of the entity's quotes (the web page's other query).
        ids = [kb.entity(name)["entity_id"] for name in picks]

        def web_page(entity_id: str) -> None:
            kb.entity_by_id(entity_id)
            kb.quote_page(speaker_entity_id=entity_id, limit=50)

        timed(ids[:WARMUP], web_page)
        results["entity_web_page"] = summarise(timed(ids[WARMUP:], web_page))
        counts = [kb.entity(name)["articles"] for name in picks[WARMUP:]]
        results["entity_page"]["articles_of_entity"] = {"median": sorted(counts)[len(counts) // 2], "max": max(counts)}

    # 6. report
    target_search = TARGETS["search_p95_ms"][args.backend]
    checks = {
        "search p95 (all dated)": (results["search"]["all dated"]["p95_ms"], f"≤ {target_search:g} ms"),
        "who p95": (results["who"]["p95_ms"], f"≤ {TARGETS['who_entity_p95_ms']:g} ms"),
        "entity page p95": (results["entity_page"]["p95_ms"], f"≤ {TARGETS['who_entity_p95_ms']:g} ms"),
        "entity web page/API p95": (results["entity_web_page"]["p95_ms"], f"≤ {TARGETS['who_entity_p95_ms']:g} ms"),
        "ingest peak RSS": (round(results["store_only_ingest"]["peak_rss_bytes"] / 1e9, 2), f"≤ {TARGETS['peak_rss_gb']:g} GB"),
        "language speed-up 1→2": (results["language_stage"]["speedup_1_to_2"], f"≥ {TARGETS['speedup']:g}"),
    }
    results["targets"] = {k: {"measured": v, "target": t} for k, (v, t) in checks.items()}
    results["machine"]["load_average_at_end"] = os.getloadavg()
    path = out / f"scale-{args.backend}-{n}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    ingest = results["store_only_ingest"]
    print()
    print(f"sporbar scale benchmark — {args.backend}, {n:,} synthetic articles (NDT + NoReC sentences), sample {s}")
    print(f"  store-only ingest        {ingest['articles_per_s']:>10,.0f} articles/s   ({ingest['wall_s']:,.0f} s)")
    print(f"  store / index            {ingest['store_bytes'] / 1e6:>10,.0f} MB / {ingest['index_bytes'] / 1e6:,.0f} MB"
          f"   (store with copied facts {results['facts']['store_bytes_with_facts'] / 1e6:,.0f} MB)")
    print(f"  ingest peak RSS          {ingest['peak_rss_bytes'] / 1e6:>10,.0f} MB")
    full = results["full_pipeline_sample"]
    print(f"  full pipeline (sample)   {full['articles_per_s']:>10,.2f} articles/s → {full['extrapolated_hours_for_archive_1_worker']:,} h"
          f" for the archive with 1 worker (EXTRAPOLATED)")
    print(f"  language stage 1 / 2 w.  {language['workers_1']['articles_per_s']:>10,.2f} / {language['workers_2']['articles_per_s']:,.2f}"
          f" articles/s   speed-up {language['speedup_1_to_2']}")
    for name, row in results["search"].items():
        print(f"  search {name:<18}{row['p50_ms']:>8.1f} / {row['p95_ms']:.1f} ms (p50 / p95)")
    print(f"  who                      {results['who']['p50_ms']:>8.1f} / {results['who']['p95_ms']:.1f} ms")
    print(f"  entity page              {results['entity_page']['p50_ms']:>8.1f} / {results['entity_page']['p95_ms']:.1f} ms")
    print(f"  entity web page / API    {results['entity_web_page']['p50_ms']:>8.1f} / {results['entity_web_page']['p95_ms']:.1f} ms")
    for name, (value, target) in checks.items():
        print(f"  target: {name:<24} {value!s:>8}  {target}")
    print(f"figures written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
