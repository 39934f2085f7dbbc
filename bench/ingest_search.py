"""Ingest rate, store/index size and search latency at scale (issue 2).

Builds a synthetic corpus of N articles (default 100,000) by resampling real
sentences from the NDT news corpus (../shared/corpora/ndt-nob-news.jsonl) with
random dates (uniform 1998-01-01..2019-12-31, day precision) and random
sources taken from the corpus, ~400 words per article. Then, through the
public API only (no language model: the API does not run one yet):

1. ingest: ``sporbar.open(db).ingest([corpus.jsonl])`` into a fresh store,
   timed: articles/s, store size (.db + -wal), index size (``db + ".index"``)
   and the process's peak memory (ru_maxrss);
2. search: four fixed, seeded query sets of 200 queries each (single common
   terms, rare terms, two common terms, two-word phrases), each query with a
   random 12–60-month date window inside 1998–2019, top 10 with snippets,
   after 20 warm-up queries: p50, p95 and mean per class and for all; the
   common terms also without the date filter, for reference.

Prints a table with the issue's targets (≥ 2,000 articles/s; search p95 ≤ 5 ms
at 100,000 articles) and writes the figures to OUT/ingest_search.json.

Usage:
    python bench/ingest_search.py                      # 100,000 articles
    python bench/ingest_search.py --articles 5000      # quick smoke test
    python bench/ingest_search.py --articles N --out DIR --corpus PATH --seed S
    python bench/ingest_search.py --articles N --ingest-only   # ingest figures only (rate, CPU per article), no searches
    python bench/ingest_search.py --articles N --out DIR --search-only [--repeat R]
        # time the searches again on the store and index an earlier run left in DIR
        # (same N and seed: the same queries); writes OUT/ingest_search-search-only.json;
        # --repeat R: each query's fastest of R runs (its own cost, without a busy machine's waits)
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import sporbar  # noqa: E402

DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpora" / "ndt-nob-news.jsonl"
TARGET_ARTICLES_PER_S = 2000.0
TARGET_SEARCH_P95_MS = 5.0
TARGET_AT_ARTICLES = 100_000
WORDS_PER_ARTICLE = 400
QUERIES_PER_CLASS = 200
WARMUP_QUERIES = 20
FIRST_DAY = dt.date(1998, 1, 1)
LAST_DAY = dt.date(2019, 12, 31)
FIRST_YEAR, LAST_YEAR = 1998, 2019

# The same word split as sporbar's index (Tantivy's "simple" tokenizer).
WORD = re.compile(r"[^\W_]+")
# Frequent Norwegian function words of five letters or more: not "content words".
STOP_WORDS = frozenset(
    """
    etter under andre alle eller mellom blant disse dette denne hadde kunne skulle ville
    måtte hvordan hvorfor fordi mange mener sier sa også ikke bare siden helt mens
    enn noen noe ingen inne ingenting både allerede derfor likevel ganske gjennom
    omkring rundt uten over foran bakom hvilke hvilken annen annet selv sine sitt
    slik samme første kommer skal blir ble vært være hadde har ha ditt mitt våre deres
    hennes hans dere vårt mine dine disse nettopp igjen altså kanskje rett stadig
    aldri alltid ofte etterpå tidligere senere fortsatt lenger blitt gjort finnes
    """.split()
)


# -- the synthetic corpus --------------------------------------------------------


class SourceCorpus:
    """The real sentences and sources of the NDT corpus."""

    def __init__(self, path: Path) -> None:
        self.sentences: list[str] = []
        self.words: list[list[str]] = []
        sources: set[str] = set()
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                if record.get("source"):
                    sources.add(record["source"])
                for sentence in record["text"].split("\n"):
                    sentence = " ".join(sentence.split())
                    words = WORD.findall(sentence.lower())
                    if words:
                        self.sentences.append(sentence)
                        self.words.append(words)
        self.sources = sorted(sources) or ["NDT"]
        self.lengths = [len(s.split()) for s in self.sentences]
        self.short = [i for i, n in enumerate(self.lengths) if 3 <= n <= 10]
        # Corpus-wide token counts and, for each word, the sentences it occurs in.
        self.token_counts: Counter[str] = Counter()
        self.sentences_of: dict[str, set[int]] = {}
        for i, words in enumerate(self.words):
            self.token_counts.update(words)
            for word in words:
                self.sentences_of.setdefault(word, set()).add(i)


def build_corpus(source: SourceCorpus, n: int, rng: random.Random, out: Path) -> dict:
    """Write n synthetic articles as JSON Lines; return figures and per-sentence usage."""
    days = (LAST_DAY - FIRST_DAY).days
    n_sentences = len(source.sentences)
    used_in = [0] * n_sentences  # how many articles contain each sentence
    total_words = 0
    with out.open("w", encoding="utf-8") as handle:
        for number in range(1, n + 1):
            picked: list[int] = []
            count = 0
            while count < WORDS_PER_ARTICLE:
                i = rng.randrange(n_sentences)
                picked.append(i)
                count += source.lengths[i]
            total_words += count
            for i in set(picked):
                used_in[i] += 1
            # Paragraphs of 1–4 sentences, separated by blank lines.
            paragraphs = []
            at = 0
            while at < len(picked):
                size = rng.randint(1, 4)
                paragraphs.append(" ".join(source.sentences[i] for i in picked[at : at + size]))
                at += size
            title = source.sentences[rng.choice(source.short)].rstrip(".:")
            record = {
                "id": f"syn-{number:06d}",
                "date": (FIRST_DAY + dt.timedelta(days=rng.randint(0, days))).isoformat(),
                "title": title,
                "source": rng.choice(source.sources),
                "text": "\n\n".join(paragraphs),
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {"articles": n, "words": total_words, "bytes": out.stat().st_size, "used_in": used_in}


# -- query sets ------------------------------------------------------------------


def article_frequency(source: SourceCorpus, used_in: list[int], word: str) -> int:
    """Articles of the synthetic corpus containing ``word`` (exact for words of one sentence, else an upper bound)."""
    return sum(used_in[i] for i in source.sentences_of[word])


def random_window(rng: random.Random) -> tuple[str, str]:
    """A random window of 12–60 whole months inside 1998-01..2019-12."""
    months_total = (LAST_YEAR - FIRST_YEAR + 1) * 12
    length = rng.randint(12, 60)
    first = rng.randint(0, months_total - length)
    last = first + length - 1

    def label(index: int) -> str:
        return f"{FIRST_YEAR + index // 12:04d}-{index % 12 + 1:02d}"

    return label(first), label(last)


def content_word(word: str) -> bool:
    return word.isalpha() and len(word) >= 5 and word not in STOP_WORDS


def build_queries(source: SourceCorpus, used_in: list[int], rng: random.Random) -> tuple[dict[str, list[dict]], dict]:
    """Four fixed query classes of QUERIES_PER_CLASS queries, each with a date window."""
    ranked = [w for w, _ in source.token_counts.most_common() if content_word(w)]
    common_pool = ranked[:400]
    # Rare: content words of exactly one source sentence (a low source frequency),
    # so their article frequency here is that sentence's use count.
    rare_pool = sorted(
        w for w, sents in source.sentences_of.items() if len(sents) == 1 and content_word(w) and len(w) >= 6
    )
    rare_in_band = [w for w in rare_pool if 5 <= article_frequency(source, used_in, w) <= 50]
    rare_choice = rare_in_band if len(rare_in_band) >= QUERIES_PER_CLASS else rare_pool
    common = rng.sample(common_pool, QUERIES_PER_CLASS)
    rare = rng.sample(rare_choice, QUERIES_PER_CLASS)
    two_terms = []
    while len(two_terms) < QUERIES_PER_CLASS:
        a, b = rng.sample(common_pool, 2)
        two_terms.append(f"{a} {b}")
    phrases = []
    while len(phrases) < QUERIES_PER_CLASS:
        i = rng.randrange(len(source.sentences))
        # Consecutive words of the sentence as written (letters only, so the
        # phrase is exactly two index tokens).
        tokens = source.sentences[i].split()
        if len(tokens) < 2:
            continue
        at = rng.randrange(len(tokens) - 1)
        pair = [t.strip(".,:;!?«»\"'()[]–-") for t in tokens[at : at + 2]]
        if all(p.isalpha() for p in pair):
            phrases.append(f'"{pair[0]} {pair[1]}"')
    classes: dict[str, list[dict]] = {}
    for name, texts in (("common term", common), ("rare term", rare), ("two terms", two_terms), ("phrase", phrases)):
        classes[name] = []
        for text in texts:
            since, until = random_window(rng)
            classes[name].append({"q": text, "since": since, "until": until})
    rare_df = [article_frequency(source, used_in, q["q"]) for q in classes["rare term"]]
    common_df = [article_frequency(source, used_in, q["q"]) for q in classes["common term"]]
    info = {
        "rare_term_article_frequency": {"min": min(rare_df), "median": statistics.median(rare_df), "max": max(rare_df)},
        "rare_terms_from": (
            "content words of one source sentence with article frequency 5–50"
            if rare_choice is rare_in_band
            else "content words of one source sentence (none this rare at this size: each sentence is reused)"
        ),
        "common_term_article_frequency_upper_bound": {
            "min": min(common_df),
            "median": statistics.median(common_df),
            "max": max(common_df),
        },
    }
    return classes, info


# -- measuring -------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def summarise(ms: list[float]) -> dict:
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "max_ms": round(max(ms), 3),
    }


def time_queries(kb: sporbar.KnowledgeBase, queries: list[dict], *, dated: bool = True) -> tuple[list[float], list[int]]:
    times, hits = [], []
    for query in queries:
        kwargs = {"since": query["since"], "until": query["until"]} if dated else {}
        started = time.perf_counter()
        result = kb.search(query["q"], limit=10, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
        hits.append(len(result))
    return times, hits


def time_searches(
    kb: sporbar.KnowledgeBase, queries: dict[str, list[dict]], seed: int, repeat: int = 1
) -> dict[str, dict]:
    """Warm up, then time every class dated, and the common terms without dates.

    With ``repeat`` > 1 every query runs that many times (all classes in turn, then again) and keeps its fastest
    time: the query's own cost, which a busy machine's waits for a core cannot make faster.
    """
    print(f"searching: {WARMUP_QUERIES} warm-up queries, then {QUERIES_PER_CLASS} per class × {repeat} …", flush=True)
    everything = [q for qs in queries.values() for q in qs]
    time_queries(kb, random.Random(seed + 1).sample(everything, WARMUP_QUERIES))
    runs = [(name, qs, True) for name, qs in queries.items()] + [("common term, no date filter", queries["common term"], False)]
    fastest: dict[str, list[float]] = {}
    found: dict[str, list[int]] = {}
    for _ in range(repeat):
        for name, qs, dated in runs:
            ms, hits = time_queries(kb, qs, dated=dated)
            fastest[name] = [min(a, b) for a, b in zip(fastest[name], ms, strict=True)] if name in fastest else ms
            found[name] = hits
    search: dict[str, dict] = {}
    for name, qs in queries.items():
        search[name] = summarise(fastest[name]) | {"mean_hits": round(statistics.fmean(found[name]), 1), "example": qs[0]}
    search["all dated"] = summarise([ms for name in queries for ms in fastest[name]])
    name = "common term, no date filter"
    search[name] = summarise(fastest[name]) | {"mean_hits": round(statistics.fmean(found[name]), 1)}
    if repeat > 1:
        search["timing"] = f"each query's fastest of {repeat} runs"
    return search


def print_search(search: dict[str, dict], queries: dict[str, list[dict]], n: int) -> None:
    def verdict(ok: bool) -> str:
        return ("PASS" if ok else "FAIL") + ("" if n >= TARGET_AT_ARTICLES else f" (at {n:,})")

    print(f"{'search, top 10 + snippets':<34}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}{'hits':>7}{'target':>10}  result")
    for name in [*queries, "all dated", "common term, no date filter"]:
        row = search[name]
        label = f"  {name}" + (" (dated)" if name in queries else "")
        hits = f"{row['mean_hits']:>7.1f}" if "mean_hits" in row else f"{'':>7}"
        if name in queries or name == "all dated":
            target = f"{'p95 ≤ 5':>10}  {verdict(row['p95_ms'] <= TARGET_SEARCH_P95_MS)}"
        else:
            target = f"{'(ref.)':>10}"
        print(f"{label:<34}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}{row['mean_ms']:>9.2f}{hits}{target}")


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return 0


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB


def mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def write_figures(target: Path, results: dict) -> None:  # type: ignore[type-arg]
    """Write a benchmark's figures as JSON to ``target`` and print them, with where they went."""
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"→ {target}")


def descendants(root: int) -> list[int]:
    """Every process below ``root``, found through /proc/PID/task/TID/children: a few reads, not a scan of /proc."""
    frontier, found = [root], []
    while frontier:
        pid = frontier.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                children = [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
            except OSError:
                continue
            found.extend(children)
            frontier.extend(children)
    return found


def descendants_cpu_seconds(root: int) -> float:
    """CPU seconds used so far by every process below ``root`` (a snapshot; ``CpuMeter`` follows them over time)."""
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(stat[1] / ticks for pid in descendants(root) if (stat := CpuMeter._stat(pid)) is not None)


class CpuMeter:
    """CPU seconds of this process (all its threads) and of every process it starts, while it runs.

    sporbar's preparing workers are grandchildren (forkserver), so ``RUSAGE_CHILDREN`` misses them:
    a thread reads their ``/proc/PID/stat`` four times a second and keeps each one's last reading.
    On a shared machine, CPU per article says what the code costs; articles/s also says how busy the machine was.
    """

    def __init__(self, interval: float = 0.25) -> None:
        import threading

        self.interval = interval
        self.ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _stat(pid: int) -> tuple[int, float] | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return int(fields[1]), float(fields[11]) + float(fields[12])  # ppid, utime + stime (ticks)

    def _poll(self) -> None:
        for pid in descendants(os.getpid()):
            stat = self._stat(pid)
            if stat is not None:
                self.seen[pid] = max(self.seen.get(pid, 0.0), stat[1] / self.ticks)

    def _run(self) -> None:
        while not self.stop.wait(self.interval):
            self._poll()

    def __enter__(self) -> CpuMeter:
        self.started = time.process_time()
        self.before = dict(self.seen)
        if Path("/proc/self/stat").exists():
            self._poll()
            self.before = dict(self.seen)
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.main_s = time.process_time() - self.started
        if self.thread.is_alive():
            self.stop.set()
            self.thread.join()
            self._poll()
        self.children_s = sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.seen.items())


# -- main ------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=TARGET_AT_ARTICLES, help="synthetic articles (default 100000)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="work folder (default bench/out/)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="NDT corpus (JSON Lines)")
    parser.add_argument("--seed", type=int, default=2017, help="random seed (default 2017)")
    parser.add_argument(
        "--workers", type=int, default=None, help="ingest worker processes (default: sporbar's own choice)"
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="reuse the store and index an earlier run with the same --articles and --seed left in --out; time searches only",
    )
    parser.add_argument(
        "--ingest-only",
        action="store_true",
        help="time the ingest and stop (no searches); writes OUT/ingest_search-ingest-only.json",
    )
    parser.add_argument(
        "--phrase-pairs",
        action="store_true",
        help="build the index with phrase pairs (sporbar reindex --phrase-pairs) before the ingest",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every search query R times and keep its fastest time (default 1: one pass, as the targets mean)",
    )
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    if not args.corpus.is_file():
        parser.error(f"corpus not found: {args.corpus}")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    n = args.articles

    # 1. corpus
    print(f"building {n:,} synthetic articles from {args.corpus.resolve()} (seed {args.seed}) …", flush=True)
    started = time.perf_counter()
    source = SourceCorpus(args.corpus)
    corpus_path = out / f"synthetic-{n}.jsonl"
    db_path = out / "bench.db"
    if args.search_only:
        if not db_path.exists():
            parser.error(f"--search-only: no store at {db_path}; run once without it first")
        corpus_path = out / f".queries-only-{n}.jsonl"  # the same corpus (same seed), only for its query sets
    corpus = build_corpus(source, n, rng, corpus_path)
    if args.search_only:
        corpus_path.unlink()
    build_s = time.perf_counter() - started
    print(
        f"  {corpus['articles']:,} articles, {corpus['words']:,} words ({corpus['words'] / n:.0f}/article), "
        f"{mb(corpus['bytes'])} in {build_s:.1f} s → {corpus_path}",
        flush=True,
    )
    queries, query_info = build_queries(source, corpus.pop("used_in"), rng)

    if args.search_only:
        kb = sporbar.open(db_path)
        search = time_searches(kb, queries, args.seed, args.repeat)
        kb.close()
        json_path = out / "ingest_search-search-only.json"
        results = {
            "benchmark": "bench/ingest_search.py --search-only",
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "articles": n,
            "seed": args.seed,
            "store": str(db_path),
            "queries": query_info,
            "search": search,
        }
        json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print()
        print(f"sporbar {sporbar.__version__} search benchmark (--search-only) — {n:,} synthetic articles in {db_path}")
        if args.repeat > 1:
            print(f"each query's fastest of {args.repeat} runs")
        print_search(search, queries, n)
        print(f"figures written to {json_path}")
        return 0

    # 2. ingest
    index_path = Path(str(db_path) + ".index")
    for leftover in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(index_path, ignore_errors=True)
    rss_before = peak_rss_bytes()
    print("ingesting (no language model) …", flush=True)
    kb = sporbar.open(db_path)
    # No language model: this measures reading, normalising, deduplicating, storing and indexing.
    accepted = inspect.signature(kb.ingest).parameters
    options: dict = {}
    if args.phrase_pairs:
        kb.reindex(phrase_pairs=True)  # the empty store's index, rebuilt with pairs; the ingest keeps them
    if "analyze" in accepted:
        options["analyze"] = False
    if args.workers is not None:
        if "workers" not in accepted:
            parser.error("this sporbar version has no ingest workers")
        options["workers"] = args.workers
    load_before = os.getloadavg()
    started = time.perf_counter()
    with CpuMeter() as cpu:
        report = kb.ingest([corpus_path], **options)
    ingest_s = time.perf_counter() - started
    load_after = os.getloadavg()
    cpu_us = 1e6 * (cpu.main_s + cpu.children_s) / max(report.read, 1)
    rss_after = peak_rss_bytes()
    store_bytes = size_of(db_path) + size_of(Path(f"{db_path}-wal"))
    index_bytes = size_of(index_path)
    rate = report.stored / ingest_s if ingest_s > 0 else 0.0
    print(
        f"  read {report.read:,}, stored {report.stored:,}, rejected {len(report.rejected):,}, "
        f"duplicates {len(report.duplicates):,}, near-duplicate links {report.near_duplicates:,}; "
        f"{ingest_s:.1f} s → {rate:,.0f} articles/s",
        flush=True,
    )
    print(
        f"  CPU: main process {cpu.main_s:.1f} s, its worker processes {cpu.children_s:.1f} s → {cpu_us:,.0f} µs per "
        f"article read; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after",
        flush=True,
    )

    ingest_figures = {
        "read": report.read,
        "stored": report.stored,
        "rejected": len(report.rejected),
        "duplicates": len(report.duplicates),
        "near_duplicate_links": report.near_duplicates,
        "options": options,
        "phrase_pairs": bool(args.phrase_pairs),
        "wall_seconds": round(ingest_s, 2),
        "report_seconds": round(report.seconds, 2),
        "articles_per_s": round(rate, 1),
        "cpu_main_seconds": round(cpu.main_s, 2),
        "cpu_worker_seconds": round(cpu.children_s, 2),
        "cpu_us_per_article": round(cpu_us, 1),
        "load_average_before": round(load_before[0], 2),
        "load_average_after": round(load_after[0], 2),
        "store_bytes": store_bytes,
        "index_bytes": index_bytes,
        "peak_rss_bytes": rss_after,
        "peak_rss_before_ingest_bytes": rss_before,
    }

    if args.ingest_only:
        kb.close()
        json_path = out / "ingest_search-ingest-only.json"
        results = {
            "benchmark": "bench/ingest_search.py --ingest-only",
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "articles": n,
            "seed": args.seed,
            "ingest": ingest_figures,
        }
        json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"  store {mb(store_bytes)}, index {mb(index_bytes)}, peak memory {mb(rss_after)}; figures written to {json_path}")
        return 0

    # 3. search
    search = time_searches(kb, queries, args.seed, args.repeat)
    kb.close()

    # 4. report
    at_target_scale = n >= TARGET_AT_ARTICLES
    ingest_pass = rate >= TARGET_ARTICLES_PER_S
    search_p95 = search["all dated"]["p95_ms"]
    worst_class = max((k for k in queries), key=lambda k: search[k]["p95_ms"])
    search_pass = search[worst_class]["p95_ms"] <= TARGET_SEARCH_P95_MS
    results = {
        "benchmark": "bench/ingest_search.py",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },
        "sporbar_version": sporbar.__version__,
        "seed": args.seed,
        "corpus": {
            "source": str(args.corpus.resolve()),
            "source_sentences": len(source.sentences),
            "file": str(corpus_path),
            "build_seconds": round(build_s, 2),
            **corpus,
        },
        "ingest": ingest_figures,
        "queries": query_info,
        "search": search,
        "targets": {
            "at_articles": TARGET_AT_ARTICLES,
            "measured_at_articles": n,
            "ingest_articles_per_s": {"target": TARGET_ARTICLES_PER_S, "measured": round(rate, 1), "pass": ingest_pass},
            "search_p95_ms": {
                "target": TARGET_SEARCH_P95_MS,
                "measured_all": search_p95,
                "measured_worst_class": search[worst_class]["p95_ms"],
                "worst_class": worst_class,
                "pass": search_pass,
                "note": None if at_target_scale else f"measured at {n:,} articles, the target is for {TARGET_AT_ARTICLES:,}",
            },
        },
    }
    json_path = out / "ingest_search.json"
    json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def verdict(ok: bool) -> str:
        return ("PASS" if ok else "FAIL") + ("" if at_target_scale else f" (at {n:,})")

    print()
    print(f"sporbar {sporbar.__version__} ingest + search benchmark — {n:,} synthetic articles")
    print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}")
    print()
    print(f"{'ingest (no language model)':<34}{'value':>16}{'target':>12}  result")
    print(f"{'  articles/s':<34}{rate:>16,.0f}{'≥ 2,000':>12}  {verdict(ingest_pass)}")
    print(f"{'  wall time':<34}{ingest_s:>14.1f} s")
    print(f"{'  CPU per article (all processes)':<34}{cpu_us:>13,.0f} µs   (main {cpu.main_s:.1f} s, workers {cpu.children_s:.1f} s)")
    workers = options.get("workers", "sporbar default")
    print(f"{'  workers':<34}{workers!s:>16}")
    print(f"{'  stored / rejected':<34}{f'{report.stored:,} / {len(report.rejected):,}':>16}")
    print(f"{'  store (.db + -wal)':<34}{mb(store_bytes):>16}")
    print(f"{'  index (.db.index/)':<34}{mb(index_bytes):>16}")
    print(f"{'  peak memory (ru_maxrss)':<34}{mb(rss_after):>16}   (before ingest {mb(rss_before)})")
    print()
    print_search(search, queries, n)
    rare = query_info["rare_term_article_frequency"]
    print()
    print(
        f"rare terms: {query_info['rare_terms_from']}; measured article frequency "
        f"{rare['min']}–{rare['max']} (median {rare['median']})"
    )
    print(f"every search query has a random {FIRST_YEAR}–{LAST_YEAR} date window of 12–60 months, except the reference row")
    print(f"figures written to {json_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
