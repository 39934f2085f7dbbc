"""Story assignment of one new article into a large archive (issue 6: under 50 ms at 100,000 articles).

    python bench/stories.py [--stories 100000] [--repeat 20]

Builds an archive whose story index holds N stories, resampled from the real
profiles (lemma counts and names) of the NDT news corpus with random dates,
then times `assign_stories` for one newly analysed article at a time (the
language model's time is not included: it is measured in bench/nlp_speed.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import sporbar
from sporbar.resolve import assign_stories
from sporbar.resolve.stories import ENTITY_PREFIX, StoryProfile, article_profile, story_keys, story_title

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "ndt-nob-news.jsonl"))
    args = parser.parse_args()
    rng = random.Random(2019)
    work = Path(tempfile.mkdtemp(prefix="sporbar-stories-"))
    kb = sporbar.open(work / "bench.db")
    records = [json.loads(line) for line in open(args.corpus, encoding="utf-8")]
    sample, probes = records[:200], records[200 : 200 + args.repeat]
    source = work / "sample.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample), encoding="utf-8")
    started = time.perf_counter()
    kb.ingest([source])
    print(f"analysed {len(sample)} real articles in {time.perf_counter() - started:.1f} s (their profiles are resampled)")
    profiles = [article_profile(a, kb.store.mentions_of(a.id)) for a in kb.articles()]
    # Fill the story index with N resampled stories.
    started = time.perf_counter()
    base = max(s["story_id"] for s in kb.store.stories()) + 1
    df: Counter[str] = Counter()
    batch_rows, batch_keys = [], []
    for n in range(args.stories):
        profile = rng.choice(profiles)
        story = StoryProfile(base + n)
        day = dt.date(1998, 1, 1) + dt.timedelta(days=rng.randrange(8000))
        story.add(profile)
        story.first_day = story.last_day = day
        df.update(set(profile.terms) | {ENTITY_PREFIX + e for e in profile.entities})
        profile_json = json.dumps({"terms": dict(story.terms.most_common(240)), "entities": dict(story.entities)}, ensure_ascii=False)
        batch_rows.append((story.story_id, story_title(story), day.isoformat(), day.isoformat(), 1, profile_json))
        batch_keys.extend((key, story.story_id) for key in story_keys(story))
        if len(batch_rows) >= 5000 or n == args.stories - 1:
            kb.store.save_story_state(batch_rows, batch_keys, [], {}, args.stories + len(profiles))
            batch_rows, batch_keys = [], []
    with kb.store.atomic():
        kb.store.conn.executemany(
            "INSERT INTO story_terms (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
            list(df.items()),
        )
    print(f"built a story index of {args.stories:,} stories in {time.perf_counter() - started:.1f} s")
    timings = []
    for record in probes:
        path = work / f"{record['id']}.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        # Analyse without assigning, then time the assignment alone.
        from sporbar import ingest as ingest_stage

        kb.store.acquire_writer()
        try:
            ingest_stage.ingest_paths(kb.store, kb.index, [str(path)], analyze=False)
            kb.store.acquire_writer()
            ingest_stage.analyse_pending(kb.store)
            started = time.perf_counter()
            assign_stories(kb.store)
            timings.append((time.perf_counter() - started) * 1000)
        finally:
            kb.store.release_writer()
    timings.sort()
    print(f"assigning one new article to a story among {args.stories:,}: "
          f"p50 {statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms "
          f"(n={len(timings)}; target < 50 ms: {'met' if statistics.median(timings) < 50 else 'NOT met'})")


if __name__ == "__main__":
    main()
