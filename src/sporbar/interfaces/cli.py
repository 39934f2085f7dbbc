"""The ``sporbar`` command line: a thin layer over ``sporbar.api``.

Each command parses its options, calls one API function and formats the
result. Errors become one line on stderr and exit status 1 (a traceback only
with ``--debug``).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any, Optional

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

import sporbar
from sporbar.api import KnowledgeBase
from sporbar.errors import SporbarError
from sporbar.models import IngestReport, SearchHit
from sporbar.query.export import EXPORT_FORMATS, EXPORT_KINDS
from sporbar.store import DEFAULT_DB, describe_url, is_postgres_url

app = typer.Typer(
    name="sporbar",
    help="Traceable, time-aware knowledge base from dated Norwegian news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
_state = {"debug": False}

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="SPORBAR_DB",
        help="The store: a SQLite file (default ./sporbar.db) or a postgresql:// URL (or $SPORBAR_DB).",
    ),
]
IndexOption = Annotated[
    Optional[Path],
    typer.Option(
        "--index",
        envvar="SPORBAR_INDEX",
        help="The search index folder (default: beside a SQLite file; for PostgreSQL a cache folder; or $SPORBAR_INDEX).",
    ),
]
DaskOption = Annotated[
    Optional[str],
    typer.Option(
        "--dask",
        envvar="SPORBAR_DASK",
        help="Run the language model on this Dask scheduler's workers (tcp://HOST:8786) instead of locally.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _open(db: str, index: Path | None, *, must_exist: bool = True, repair_index: bool = False) -> KnowledgeBase:
    if is_postgres_url(db):
        return sporbar.open(db, index=index, repair_index=repair_index, create=not must_exist)
    if must_exist and not Path(db).exists():
        raise SporbarError(f"no store at {db}: run `sporbar ingest PATH --db {db}` first (or set $SPORBAR_DB)")
    return sporbar.open(db, index=index, repair_index=repair_index)


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


@app.callback()
def _global(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    _state["debug"] = debug


# -- ingest --------------------------------------------------------------------


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or directories (read recursively); - for stdin.")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    format: Annotated[
        Optional[str], typer.Option("--format", "-f", help="Force a reader: seed, text, jsonl, json, csv, tsv, html.")
    ] = None,
    date: Annotated[
        Optional[str], typer.Option("--date", help="Date for records that give none (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    rejects: Annotated[
        Optional[Path], typer.Option("--rejects", help="Where to write rejected records (default DB.rejects.jsonl).")
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=100_000, help="Articles per transaction.")] = 1000,
    workers: Annotated[
        Optional[int], typer.Option("--workers", "-w", min=1, max=64, help="Worker processes (default: all cores for inputs over 20 MB).")
    ] = None,
    analyze: Annotated[
        bool, typer.Option("--analyze/--no-analyze", help="Run the language model over new and changed articles.")
    ] = True,
    dask: DaskOption = None,
    json_output: JsonOption = False,
) -> None:
    """Read articles into the store and its search index, then analyse them.

    Example: sporbar ingest ../shared/corpora/ndt-nob-news.jsonl examples/seeds
    """
    rejects_path = rejects or Path("sporbar.rejects.jsonl" if is_postgres_url(db) else f"{db}.rejects.jsonl")
    with _open(db, index, must_exist=False) as kb:
        started = time.perf_counter()
        show_progress = err.is_terminal and not json_output
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]ingest"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[articles]:>8,} articles  {task.fields[rate]:>7,.0f}/s"),
            TimeRemainingColumn(),
            console=err,
            disable=not show_progress,
            transient=False,
        ) as progress:
            task = progress.add_task("ingest", total=None, articles=0, rate=0.0)
            analysis_task: list[Any] = []

            def on_progress(records: int, done: int, total: int) -> None:
                elapsed = max(time.perf_counter() - started, 1e-6)
                progress.update(task, completed=done, total=total or None, articles=records, rate=records / elapsed)

            def on_analysis_progress(done: int, total: int) -> None:
                if not analysis_task:
                    analysis_task.append((progress.add_task("analyse", total=total, articles=0, rate=0.0), time.perf_counter()))
                task_id, began = analysis_task[0]
                progress.update(task_id, completed=done, articles=done, rate=done / max(time.perf_counter() - began, 1e-6))

            report = kb.ingest(
                paths,
                format=format,
                date=date,
                rejects_path=rejects_path,
                batch_size=batch_size,
                workers=workers,
                analyze=analyze,
                on_progress=on_progress,
                on_analysis_progress=on_analysis_progress,
                dask=dask,
            )
    if json_output:
        _print_json(report.to_dict())
    else:
        _print_ingest_report(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_ingest_report(report: IngestReport) -> None:
    rate = report.read / report.seconds if report.seconds else 0.0
    out.print(
        f"read {report.read:,} · stored {report.stored:,} · updated {report.updated:,} · unchanged {report.unchanged:,}"
        f" · duplicates {len(report.duplicates):,} · near-duplicate links {report.near_duplicates:,}"
        f" · analysed {report.analysed:,} · rejected {len(report.rejected):,}  ({report.seconds:.1f} s, {rate:,.0f} articles/s)"
    )
    for dup in report.duplicates[:20]:
        where = str(dup.location) if dup.location else "?"
        out.print(f"  duplicate  {escape(where)}: {escape(dup.article_id)} has the same text as {escape(dup.duplicate_of)}")
    if len(report.duplicates) > 20:
        out.print(f"  … and {len(report.duplicates) - 20:,} more duplicates")
    for reject in report.rejected:
        err.print(f"  rejected   {escape(str(reject.location))}: {escape(reject.reason)}")
    if report.rejects_file:
        err.print(f"rejected records written to {escape(report.rejects_file)}")


# -- search --------------------------------------------------------------------


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", -exclusions, a OR b, =exact.')],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    since: Annotated[Optional[str], typer.Option("--from", help="Earliest date (YYYY, YYYY-MM, YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option("--to", help="Latest date (YYYY, YYYY-MM, YYYY-MM-DD).")] = None,
    source: Annotated[Optional[list[str]], typer.Option("--source", help="Only this source (repeatable).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="How many hits.")] = 10,
    offset: Annotated[int, typer.Option("--offset", min=0, max=10_000, help="Skip this many hits.")] = 0,
    json_output: JsonOption = False,
) -> None:
    """Search articles with Norwegian base-form matching, BM25 ranking and date filters.

    Example: sporbar search fremmedkriger --from 2019 --to 2019-12
    """
    with _open(db, index) as kb:
        hits, total = kb.search_with_total(query, since=since, until=until, sources=source or (), limit=limit, offset=offset)
    if json_output:
        _print_json({"query": query, "total": total, "offset": offset, "hits": [h.to_dict() for h in hits]})
        return
    if not hits:
        out.print(f"no articles match {query!r}" if total == 0 else f"no more hits (total {total})")
        return
    out.print(f"{total:,} article{'s' if total != 1 else ''} match; showing {offset + 1}–{offset + len(hits)}\n")
    for rank, hit in enumerate(hits, start=offset + 1):
        _print_hit(rank, hit)


def _print_hit(rank: int, hit: SearchHit) -> None:
    heading = Text(f"{rank:>3}. ", style="bold")
    heading.append(hit.date, style="cyan")
    if hit.source:
        heading.append(f"  {hit.source}", style="magenta")
    if hit.title:
        heading.append(f"  {hit.title}", style="bold")
    else:
        heading.append("  (untitled)", style="dim")
    heading.append(f"  [{hit.article_id}]", style="dim")
    out.print(heading)
    text = hit.snippet.text.replace("\n", " ")
    if not out.is_terminal:
        # Without colours the hits are marked with brackets, so pipes and logs still show them.
        out.print("     " + hit.snippet.marked("[", "]").replace("\n", " "), markup=False)
        out.print()
        return
    snippet = Text("     ")
    cursor = 0
    for highlight in hit.snippet.highlights:
        snippet.append(text[cursor : highlight.start])
        snippet.append(text[highlight.start : highlight.end], style="bold yellow")
        cursor = highlight.end
    snippet.append(text[cursor:])
    out.print(snippet)
    out.print()


# -- show, stats, report ---------------------------------------------------------


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="The article's id.")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show one article with its metadata and near-duplicates.

    Example: sporbar show ndt-ap001-001
    """
    with _open(db, index) as kb:
        article = kb.article(article_id)
        near = kb.near_duplicates(article_id)
    if json_output:
        record = article.to_export()
        record["near_duplicates"] = [{"id": n.other_id, "similarity": n.similarity} for n in near]
        record["origin"] = str(article.origin) if article.origin else None
        _print_json(record)
        return
    out.print(Text(article.title or "(untitled)", style="bold"))
    details = [f"id {article.id}", f"date {article.date.value} ({article.date.precision.value})"]
    if article.source:
        details.append(f"source {article.source}")
    if article.url:
        details.append(article.url)
    out.print(Text(" · ".join(details), style="dim"))
    if article.origin:
        out.print(Text(f"from {article.origin}", style="dim"))
    for n in near:
        out.print(Text(f"near-duplicate of {n.other_id} (similarity {n.similarity:.2f})", style="yellow"))
    out.print()
    out.print(Text(article.text))


@app.command()
def stats(db: DbOption = DEFAULT_DB, index: IndexOption = None, json_output: JsonOption = False) -> None:
    """Show counts and sizes of the archive.

    Example: sporbar stats --db demo.db
    """
    with _open(db, index) as kb:
        figures = kb.stats()
    if json_output:
        _print_json(figures)
        return
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    mb = 1024 * 1024
    rows = [
        ("store", f"{figures['path']} ({'PostgreSQL' if figures['backend'] == 'postgres' else 'SQLite'}, schema v{figures['schema_version']}, {figures['size_bytes'] / mb:.1f} MB)"),
        ("search index", f"{figures['index_path']} ({figures['index_documents']:,} documents, {figures['index_size_bytes'] / mb:.1f} MB)"),
        ("articles", f"{figures['articles']:,} ({figures['words']:,} words)"),
        ("dates", f"{figures['first_date'] or '–'} … {figures['last_date'] or '–'}"),
        ("date precision", ", ".join(f"{k} {v:,}" for k, v in figures["date_precision"].items()) or "–"),
        ("sources", ", ".join(f"{k} {v:,}" for k, v in figures["sources"].items()) or "–"),
        ("years", ", ".join(f"{k} {v:,}" for k, v in figures["years"].items()) or "–"),
        ("near-duplicate pairs", f"{figures['near_duplicate_pairs']:,}"),
        ("waiting for the index", f"{figures['unindexed']:,}"),
        ("ingest runs", f"{figures['ingest_runs']:,}"),
    ]
    for name, value in rows:
        table.add_row(name, escape(value))
    out.print(table)


@app.command()
def report(
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Articles to show in full.")] = 20,
) -> None:
    """Print a readable report of the archive: each article with its people, quotes, roles and numbers.

    Example: sporbar report --db demo.db
    """
    with _open(db, index) as kb:
        figures = kb.stats()
        articles = []
        for article in kb.articles():
            articles.append(article)
            if len(articles) >= limit:
                break
        details = [
            (
                article,
                kb.mentions(article.id),
                kb.quotes(article_id=article.id),
                kb.store.roles(article_id=article.id),
                kb.numbers(article_id=article.id),
            )
            for article in articles
        ]
    out.print(Text(f"sporbar archive {figures['path']}", style="bold"))
    quotes_total = sum(figures.get("quotes", {}).values()) if isinstance(figures.get("quotes"), dict) else 0
    out.print(
        f"{figures['articles']:,} articles, {figures['words']:,} words, {figures['first_date'] or '–'} … {figures['last_date'] or '–'}; "
        f"analysed {figures.get('analysed', 0):,}: {figures.get('mentions', 0):,} name mentions, {quotes_total:,} quotes, "
        f"{figures.get('roles', 0):,} roles, {figures.get('numbers', 0):,} numbers"
    )
    for article, mentions, quotes, role_rows, number_rows in details:
        out.print()
        opening = article.title or article.text.split("\n", 1)[0]
        if len(opening) > 100:
            opening = opening[:99].rsplit(" ", 1)[0] + " …"
        heading = Text(f"{article.date.value}", style="cyan")
        heading.append(f"  {article.id}", style="dim")
        if article.source:
            heading.append(f"  {article.source}", style="magenta")
        out.print(heading)
        out.print(Text(opening, style="bold"))
        people = sorted({m.text for m in mentions if m.label == "PER"})
        organisations = sorted({m.text for m in mentions if m.label in ("ORG", "GPE_ORG")})
        if people:
            out.print(Text("  people: ", style="bold") + Text(", ".join(people)))
        if organisations:
            out.print(Text("  organisations: ", style="bold") + Text(", ".join(organisations)))
        shown: set[tuple[str, str, str | None]] = set()
        for row in role_rows:
            if (row["person"], row["role"], row["org"]) in shown:
                continue  # the same office stated again later in the article
            shown.add((row["person"], row["role"], row["org"]))
            extra = ", ".join(x for x in (row["org"], row["party"]) if x)
            out.print(Text("  role: ", style="bold") + Text(f"{row['person']} — {row['role']}{' (' + extra + ')' if extra else ''}"))
        for quote in quotes:
            said = quote["text"] if len(quote["text"]) <= 110 else quote["text"][:109].rsplit(" ", 1)[0] + " …"
            who_said = quote["speaker"] or "(unknown)"
            via = f" [{quote['speaker_mention']}]" if quote["speaker_mention"] and quote["speaker_mention"] != quote["speaker"] else ""
            out.print(Text(f"  {quote['kind']} quote: ", style="bold") + Text(f"{who_said}{via}: «{said}»"))
        counts = [n for n in number_rows if n["kind"] in ("count", "percent", "money")]
        if counts:
            out.print(Text("  numbers: ", style="bold") + Text("; ".join(
                f"{n['text']}" + (f" ({n['about']})" if n["about"] else "") for n in counts
            )))
    if figures["articles"] > len(articles):
        out.print(f"\n… and {figures['articles'] - len(articles):,} more (--limit)")


# -- language analysis -------------------------------------------------------------


@app.command()
def analyze(
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64, help="Worker processes for the language model.")] = 1,
    dask: DaskOption = None,
) -> None:
    """Run the language model over every article it has not analysed yet (resumes an interrupted run).

    Example: sporbar analyze --workers 2
    """
    with _open(db, index) as kb:
        started = time.perf_counter()
        count = kb.analyze(workers=workers, dask=dask)
    out.print(f"analysed {count:,} articles in {time.perf_counter() - started:.1f} s")


@app.command()
def entities(
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    label: Annotated[Optional[str], typer.Option("--label", "-l", help="Only this label: PER, ORG, LOC, GPE_LOC, GPE_ORG, PROD, EVT, DRV, MISC.")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, max=100_000, help="How many names.")] = 20,
    json_output: JsonOption = False,
) -> None:
    """List the most mentioned names found by the language model.

    Example: sporbar entities --label PER --top 10
    """
    with _open(db, index) as kb:
        counts = kb.entities(label=label.upper() if label else None, top=top)
    if json_output:
        _print_json([{"text": c.text, "label": c.label, "mentions": c.mentions, "articles": c.articles} for c in counts])
        return
    table = Table()
    table.add_column("name")
    table.add_column("label", style="magenta")
    table.add_column("mentions", justify="right")
    table.add_column("articles", justify="right")
    for c in counts:
        table.add_row(escape(c.text), c.label, f"{c.mentions:,}", f"{c.articles:,}")
    out.print(table)


@app.command()
def quotes(
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", "-s", help="Part of the speaker's name (Brende, Pompeo …).")] = None,
    since: Annotated[Optional[str], typer.Option("--from", help="Earliest date (YYYY, YYYY-MM, YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option("--to", help="Latest date.")] = None,
    query: Annotated[Optional[str], typer.Option("--query", "-q", help="Words the quote contains.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="direct or indirect.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100_000)] = 50,
    json_output: JsonOption = False,
) -> None:
    """Who said what, when: quotes with their speaker, cue and date.

    Example: sporbar quotes --speaker Pompeo --from 2019
    """
    if kind is not None and kind not in ("direct", "indirect"):
        raise SporbarError(f"unknown kind {kind!r}: choose direct or indirect")
    with _open(db, index) as kb:
        rows = kb.quotes(speaker=speaker, since=since, until=until, text=query, kind=kind, limit=limit)
    if json_output:
        _print_json(rows)
        return
    if not rows:
        out.print("no quotes match")
        return
    for row in rows:
        heading = Text()
        heading.append(row["date"], style="cyan")
        heading.append(f"  {row['speaker'] or '(unknown speaker)'}", style="bold")
        if row["speaker_mention"] and row["speaker_mention"] != row["speaker"]:
            heading.append(f" ({row['speaker_mention']})", style="dim")
        heading.append(f"  {row['cue'] or ''}", style="magenta")
        if row["addressee"]:
            heading.append(f" til {row['addressee']}", style="magenta")
        heading.append(f"  {row['kind']}  [{row['article_id']} {row['start']}–{row['end']}]", style="dim")
        out.print(heading)
        out.print(Text("    «" + row["text"] + "»"))


@app.command()
def who(
    role: Annotated[str, typer.Argument(help="The office in base form: utenriksminister, statsminister, ordfører …")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    org: Annotated[Optional[str], typer.Option("--org", help="Country or organisation: Norge, USA, Utenriksdepartementet …")] = None,
    at: Annotated[Optional[str], typer.Option("--at", help="Date (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Who held an office at a date, with the evidence sentences and their dates.

    Example: sporbar who utenriksminister --org Norge --at 2017-03
    """
    with _open(db, index) as kb:
        answer = kb.who(role, org=org, at=at)
    if json_output:
        _print_json(answer)
        return
    where = f" ({org})" if org else ""
    when = f" at {at}" if at else ""
    if not answer["holders"]:
        out.print(f"no one is recorded as {role}{where}{when}")
        return
    for holder in answer["holders"]:
        heading = Text(holder["person"], style="bold")
        if holder.get("party"):
            heading.append(f" ({holder['party']})")
        heading.append(f"  {holder['role']}{' · ' + holder['org'] if holder['org'] else ''}", style="magenta")
        heading.append(f"  seen {holder['first_date']} … {holder['last_date']}", style="cyan")
        if answer["inferred"]:
            heading.append("  (inferred: last seen before that date", style="yellow")
            heading.append(f"; next: {holder.get('next_holder')})" if holder.get("next_holder") else ")", style="yellow")
        out.print(heading)
        for item in holder["evidence"][:5]:
            out.print(Text(f"    {item['date']}  [{item['article_id']} {item['start']}–{item['end']}]  ", style="dim") + Text(item["sentence"].replace("\n", " ")))


@app.command()
def roles(
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    person: Annotated[Optional[str], typer.Option("--person", "-p", help="Part of a person's name.")] = None,
    role: Annotated[Optional[str], typer.Option("--role", "-r", help="The office in base form.")] = None,
    org: Annotated[Optional[str], typer.Option("--org", help="Country or organisation.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Offices and positions the articles state for named people, in date order.

    Example: sporbar roles --person Brende
    """
    with _open(db, index) as kb:
        rows = kb.roles(role=role, org=org, person=person)
    if json_output:
        _print_json(rows)
        return
    table = Table()
    for column in ("date", "person", "role", "org", "party", "evidence"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["date"], escape(row["person"]), row["role"], escape(row["org"] or "–"), row["party"] or "–",
                      f"{row['article_id']} {row['start']}–{row['end']}")
    out.print(table)


@app.command()
def numbers(
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    about: Annotated[Optional[str], typer.Option("--about", "-a", help="What is counted (fremmedkrigere, kroner …).")] = None,
    since: Annotated[Optional[str], typer.Option("--from", help="Earliest date.")] = None,
    until: Annotated[Optional[str], typer.Option("--to", help="Latest date.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="count, percent, money, year, date, time, ordinal, age, score, measure.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100_000)] = 100,
    json_output: JsonOption = False,
) -> None:
    """Numbers the articles claimed, with what they count and how exact they claim to be.

    Example: sporbar numbers --about fremmedkrigere
    """
    with _open(db, index) as kb:
        rows = kb.numbers(about=about, since=since, until=until, kind=kind, limit=limit)
    if json_output:
        _print_json(rows)
        return
    table = Table()
    for column in ("date", "text", "value", "unit", "about", "qualifier", "kind", "article"):
        table.add_column(column)
    for row in rows:
        value = "–" if row["value"] is None else f"{row['value']:,.10g}"
        table.add_row(row["date"], escape(row["text"]), value, row["unit"] or "–", escape(row["about"] or "–"),
                      row["qualifier"] or "–", row["kind"] or "–", f"{row['article_id']} {row['start']}–{row['end']}")
    out.print(table)


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    since: Annotated[Optional[str], typer.Option("--from", help="Earliest date.")] = None,
    until: Annotated[Optional[str], typer.Option("--to", help="Latest date.")] = None,
    min_size: Annotated[int, typer.Option("--min-articles", min=1, help="Only stories with at least this many articles.")] = 2,
    json_output: JsonOption = False,
) -> None:
    """Story threads: articles that tell the same story, across years.

    Example: sporbar stories --from 2017
    """
    with _open(db, index) as kb:
        rows = kb.stories(since=since, until=until, min_size=min_size)
    if json_output:
        _print_json(rows)
        return
    table = Table()
    for column in ("story", "articles", "from", "to", "title"):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row["story_id"]), str(row["articles"]), row["first_date"], row["last_date"], escape(row["title"]))
    out.print(table)


@app.command()
def story(
    story_id: Annotated[int, typer.Argument(metavar="ID", help="The story's id (see `sporbar stories`).")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    json_output: JsonOption = False,
) -> None:
    """One story: its articles in order, key people, their quotes and the numbers over time.

    Example: sporbar story 12
    """
    with _open(db, index) as kb:
        item = kb.story(story_id)
    if json_output:
        _print_json(item)
        return
    out.print(Text(f"story {item['story_id']}: {item['title']}", style="bold"))
    out.print(f"{item['articles']} articles, {item['first_date']} … {item['last_date']}")
    for article in item["articles_in_order"]:
        out.print(Text(f"  {article['date']}  ", style="cyan") + Text(f"{article['article_id']}  {article['title'] or ''}"))
    if item["key_people"]:
        out.print(Text("key people: ", style="bold") + Text(", ".join(item["key_people"])))
    for quote in item["quotes"][:20]:
        out.print(Text(f"  {quote['date']}  {quote['speaker'] or '(unknown)'}: ", style="bold") + Text(f"«{quote['text'][:120]}»"))
    for number in item["numbers"][:20]:
        out.print(Text(f"  {number['date']}  ", style="cyan") + Text(f"{number['text']} {number['about'] or ''}"))


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="A name or alias: Brende, Pompeo, USAs, ISIS …")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    json_output: JsonOption = False,
) -> None:
    """One person or organisation: aliases, type, roles over time, articles and quotes, first and last seen.

    Example: sporbar entity Brende
    """
    with _open(db, index) as kb:
        profile = kb.entity(name)
    if json_output:
        _print_json(profile)
        return
    out.print(Text(f"{profile['canonical']}", style="bold") + Text(f"  {profile['label']}  {profile['entity_id']}", style="dim"))
    out.print(f"also written: {', '.join(profile['aliases'])}")
    out.print(f"{profile['articles']} articles, {profile['quotes']} quotes, seen {profile['first_seen']} … {profile['last_seen']}")
    for role in profile["roles"]:
        extra = ", ".join(x for x in (role["org"], role["party"]) if x)
        out.print(f"  {role['role']}{' (' + extra + ')' if extra else ''}: {role['first']} … {role['last']}")
    for other in profile["other_matches"]:
        out.print(Text(f"  also matching: {other['canonical']} ({other['label']}, {other['mentions']} mentions)", style="dim"))


@app.command()
def timeline(
    name: Annotated[str, typer.Argument(help="A name or alias.")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    json_output: JsonOption = False,
) -> None:
    """Dated facts about a person or organisation, in order: mentions, quotes, roles.

    Example: sporbar timeline Pompeo
    """
    with _open(db, index) as kb:
        facts = kb.timeline(name)
    if json_output:
        _print_json(facts)
        return
    for fact in facts:
        out.print(Text(f"{fact['date']}  ", style="cyan") + Text(f"{fact['kind']:<18}", style="magenta") + Text(fact["text"][:140]))


eval_app = typer.Typer(help="Evaluate the language model.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("ner")
def eval_ner(
    split: Annotated[str, typer.Option("--split", help="NorNE split: dev or test.")] = "dev",
    corpus: Annotated[
        Optional[Path], typer.Option("--corpus", help="Score whole articles of this JSONL (with gold entity spans) instead.")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Score named entities (9 and 8 types), tokens, lemmas, POS and the parse on NorNE.

    Example: sporbar eval ner --split test
    """
    from sporbar.analyze.evaluate import evaluate_ner
    from sporbar.analyze.language_model import load

    if split not in ("dev", "test", "train"):
        raise SporbarError(f"unknown split {split!r}: choose dev or test")
    scores = evaluate_ner(load(), split=split, corpus_path=corpus)
    if json_output:
        _print_json(scores)
        return
    _print_scores(scores)


@eval_app.command("quotes")
def eval_quotes(
    gold: Annotated[Path, typer.Option("--gold", help="Gold quotes: JSONL with article_id, kind, quote, speaker …")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    errors: Annotated[bool, typer.Option("--errors", help="Also list missed, spurious and wrongly attributed quotes.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Score stored quotes against a gold file: precision, recall, F1, speaker accuracy, end-to-end F1, by kind.

    Example: sporbar eval quotes --gold eval/quotes-dev.jsonl --db dev.db
    """
    with _open(db, index) as kb:
        scores = kb.evaluate_quotes(gold)
    if json_output:
        _print_json(scores if errors else {k: v for k, v in scores.items() if k != "errors"})
        return
    table = Table(title=f"quotes in {scores['articles']} gold articles")
    for column in ("kind", "gold", "predicted", "precision", "recall", "f1", "speaker acc.", "end-to-end f1"):
        table.add_column(column, justify="right" if column != "kind" else "left")
    for kind in ("direct", "indirect", "all"):
        f = scores[kind]
        table.add_row(
            kind, str(f["gold"]), str(f["predicted"]), f"{f['precision']:.3f}", f"{f['recall']:.3f}", f"{f['f1']:.3f}",
            f"{f['speaker_accuracy']:.3f}", f"{f['end_to_end_f1']:.3f}",
        )
    out.print(table)
    if scores["missing_articles"]:
        err.print(f"gold articles not in the store: {', '.join(scores['missing_articles'])}")
    if scores["unlocated_gold"]:
        err.print(f"{len(scores['unlocated_gold'])} gold quotes not found in their article's text")
    if errors:
        _print_errors(scores["errors"])


@eval_app.command("roles")
def eval_roles(
    gold: Annotated[Path, typer.Option("--gold", help="Gold roles: JSONL with article_id, person, role, org, party.")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    errors: Annotated[bool, typer.Option("--errors", help="Also list missed and spurious roles and wrong orgs.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Score stored roles: precision, recall and F1 over (article, person, role), and organisation accuracy.

    Example: sporbar eval roles --gold eval/roles-dev.jsonl --db dev.db
    """
    with _open(db, index) as kb:
        scores = kb.evaluate_roles(gold)
    if json_output:
        _print_json(scores if errors else {k: v for k, v in scores.items() if k != "errors"})
        return
    out.print(
        f"roles in {scores['articles']} gold articles: gold {scores['gold']}, predicted {scores['predicted']}, "
        f"precision {scores['precision']:.3f}, recall {scores['recall']:.3f}, F1 {scores['f1']:.3f}, "
        f"org accuracy {scores['org_accuracy']:.3f}"
    )
    if scores["missing_articles"]:
        err.print(f"gold articles not in the store: {', '.join(scores['missing_articles'])}")
    if errors:
        _print_errors(scores["errors"])


@eval_app.command("entities")
def eval_entities(
    gold: Annotated[Path, typer.Option("--gold", help="Gold mentions: JSONL with article_id, start, end, text, label, entity.")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    oracle: Annotated[bool, typer.Option("--oracle", help="Only resolve the gold spans themselves; no store is read.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="Also list NER misses, wrong merges and split entities.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Score entity resolution: pairwise (within and across articles) and BCubed precision, recall and F1.

    Gold mentions are matched to stored mentions by exact span; those with none
    are NER misses, counted apart. The oracle-mention mode resolves the gold
    spans themselves, so it measures resolution free of NER errors.

    Example: sporbar eval entities --gold eval/entities-dev.jsonl --db dev.db
    """
    from sporbar.analyze.evaluate_entities import load_entity_gold, score_entities

    if oracle:
        scores = score_entities(load_entity_gold(gold), None)
    else:
        with _open(db, index) as kb:
            scores = kb.evaluate_entities(gold)
    if json_output:
        _print_json(scores if errors else {k: v for k, v in scores.items() if k != "errors"})
        return
    out.print(f"entity resolution over {scores['articles']} gold articles, {scores['gold_mentions']} gold mentions")
    modes = [("oracle", "oracle mentions (gold spans resolved)")]
    if "stored" in scores:
        out.print(
            f"stored mentions: {scores['aligned_mentions']} aligned by exact span, {scores['ner_missed']} NER misses, "
            f"{scores['label_differs']} aligned with another label"
        )
        modes.insert(0, ("stored", "stored mentions"))
    for key, title in modes:
        table = Table(title=title)
        for column in ("measure", "precision", "recall", "f1", "gold pairs", "predicted pairs"):
            table.add_column(column, justify="left" if column == "measure" else "right")
        for measure in ("pairwise_within_article", "pairwise_cross_article", "pairwise_all", "bcubed"):
            f = scores[key][measure]
            table.add_row(
                measure.replace("_", " "), f"{f['precision']:.3f}", f"{f['recall']:.3f}", f"{f['f1']:.3f}",
                str(f.get("gold_pairs", "")), str(f.get("predicted_pairs", "")),
            )
        out.print(table)
    if scores.get("missing_articles"):
        err.print(f"gold articles not in the store: {', '.join(scores['missing_articles'])}")
    if scores["unlocated_gold"]:
        err.print(f"{scores['unlocated_gold']} gold mentions do not match their article's text at the given offsets")
    if errors:
        _print_errors(_flat_entity_errors(scores["errors"]))


def _flat_entity_errors(errors: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    flat: dict[str, list[dict[str, Any]]] = {}
    for key, value in errors.items():
        if isinstance(value, dict):
            for sub, items in value.items():
                flat[f"{key} {sub.replace('_', ' ')}"] = items
        else:
            flat[key.replace("_", " ")] = value
    return flat


def _eval_facts(kind: str, gold: Path, db: str, index: Path | None, errors: bool, json_output: bool) -> None:
    with _open(db, index) as kb:
        scores = {"numbers": kb.evaluate_numbers, "times": kb.evaluate_times, "stories": kb.evaluate_stories}[kind](gold)
    if json_output:
        _print_json(scores if errors else {k: v for k, v in scores.items() if k != "errors"})
        return
    if kind == "stories":
        out.print(f"stories over {scores['articles']} gold articles")
        for name in ("pairwise", "bcubed"):
            f = scores[name]
            out.print(f"  {name}: precision {f['precision']:.3f}, recall {f['recall']:.3f}, F1 {f['f1']:.3f}")
        if scores["missing"]:
            err.print(f"{len(scores['missing'])} gold articles are not in any story (not ingested or not analysed)")
        return
    out.print(
        f"{kind}: gold {scores['gold']}, predicted {scores['predicted']}, correct {scores['correct']}, "
        f"precision {scores['precision']:.3f}, recall {scores['recall']:.3f}, F1 {scores['f1']:.3f}"
    )
    if scores["unlocated_gold"]:
        err.print(f"{scores['unlocated_gold']} gold records could not be located in the stored texts")
    if errors:
        _print_errors(scores["errors"])


GoldOption = Annotated[Path, typer.Option("--gold", help="The gold JSONL file.")]
ErrorsOption = Annotated[bool, typer.Option("--errors", help="Also list the errors.")]


@eval_app.command("numbers")
def eval_numbers(gold: GoldOption, db: DbOption = DEFAULT_DB, index: IndexOption = None, errors: ErrorsOption = False, json_output: JsonOption = False) -> None:
    """Score numbers in annotated sentences: a match overlaps the gold span and has its value.

    Example: sporbar eval numbers --gold eval/numbers-dev.jsonl --db dev.db
    """
    _eval_facts("numbers", gold, db, index, errors, json_output)


@eval_app.command("times")
def eval_times(gold: GoldOption, db: DbOption = DEFAULT_DB, index: IndexOption = None, errors: ErrorsOption = False, json_output: JsonOption = False) -> None:
    """Score time expressions in annotated sentences: a match overlaps the gold span and resolves to its date.

    Example: sporbar eval times --gold eval/times-dev.jsonl --db dev.db
    """
    _eval_facts("times", gold, db, index, errors, json_output)


@eval_app.command("stories")
def eval_stories(gold: GoldOption, db: DbOption = DEFAULT_DB, index: IndexOption = None, errors: ErrorsOption = False, json_output: JsonOption = False) -> None:
    """Score story threads against a gold grouping: pairwise and BCubed precision, recall and F1.

    Example: sporbar eval stories --gold eval/stories-dev.jsonl --db dev.db
    """
    _eval_facts("stories", gold, db, index, errors, json_output)


def _print_errors(errors: dict[str, list[dict[str, Any]]]) -> None:
    for category, items in errors.items():
        out.print(Text(f"\n{category} ({len(items)})", style="bold"))
        for item in items:
            out.print("  " + json.dumps(item, ensure_ascii=False), markup=False)


def _print_scores(scores: dict[str, Any]) -> None:
    for key, value in scores.items():
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            table = Table(title=str(key))
            table.add_column("label")
            columns = sorted({c for v in value.values() for c in v})
            for column in columns:
                table.add_column(column, justify="right")
            for label, figures in value.items():
                table.add_row(label, *[_fmt(figures.get(c)) for c in columns])
            out.print(table)
        elif isinstance(value, dict):
            out.print(Text(str(key), style="bold"))
            for k, v in value.items():
                out.print(f"  {k}: {_fmt(v) if not isinstance(v, dict) else json.dumps(v)}")
        else:
            out.print(f"{key}: {_fmt(value)}")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return "–" if value is None else str(value)


# -- export, reindex ---------------------------------------------------------------


@app.command()
def export(
    kind: Annotated[str, typer.Argument(help=f"What to export: {', '.join(EXPORT_KINDS)}.")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(EXPORT_FORMATS)}.")] = "jsonl",
    out_path: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Export records in the documented contract's fields.

    Example: sporbar export articles --format parquet --out articles.parquet
    """
    with _open(db, index) as kb:
        count = kb.export(kind, format=format, out=out_path if out_path is not None else sys.stdout)
    if out_path is not None:
        err.print(f"wrote {count:,} {kind} to {out_path}")


@app.command()
def reindex(
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    phrase_pairs: Annotated[
        Optional[bool],
        typer.Option(
            "--phrase-pairs/--no-phrase-pairs",
            help="Build the index with (or without) pairs of common words: phrases such as \"for å\" answer in the time"
            " of one word on a large archive, ingest takes about 40 % more CPU. Default: as the old index.",
        ),
    ] = None,
) -> None:
    """Rebuild the search index from the store.

    Example: sporbar reindex --db demo.db
    """
    with _open(db, index, repair_index=True) as kb:
        started = time.perf_counter()
        count = kb.reindex(phrase_pairs=phrase_pairs)
    out.print(f"indexed {count:,} articles in {time.perf_counter() - started:.1f} s")


# -- serve ----------------------------------------------------------------------------


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; other machines can connect only if you change it.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64, help="Server processes (one per core is a good start).")] = 1,
    token_env: Annotated[
        Optional[str],
        typer.Option("--token-env", metavar="VAR", help="Enable POST /api/ingest, protected by the token in this environment variable."),
    ] = None,
    api_token: Annotated[
        Optional[str],
        typer.Option("--api-token", help="Enable POST /api/ingest with this token (visible to other users in the process list: prefer --token-env)."),
    ] = None,
) -> None:
    """Serve the web UI and the JSON API (under /api/, schema at /openapi.json).

    Example: sporbar serve --db archive.db --port 8000
    (or: sporbar serve --db postgresql://host/sporbar --index /srv/sporbar-index)
    """
    import uvicorn

    from sporbar.interfaces.http_api import create_app

    if token_env is not None and api_token is not None:
        raise SporbarError("give either --token-env or --api-token, not both")
    token = api_token
    if token_env is not None:
        token = os.environ.get(token_env)
        if not token:
            raise SporbarError(f"the environment variable {token_env} is not set or empty")
    postgres = is_postgres_url(db)
    if not postgres and not Path(db).exists():
        raise SporbarError(f"no store at {db}: run `sporbar ingest PATH --db {db}` first (or set $SPORBAR_DB)")
    web_app = create_app(db, api_token=token, index=index)  # also checks the store and the token before anything listens
    shown = describe_url(db) if postgres else db
    err.print(f"serving {shown} on http://{host}:{port}/ (API under /api/, writes {'enabled' if token else 'disabled'}); Ctrl-C stops")
    if workers == 1:
        uvicorn.run(web_app, host=host, port=port, log_level="warning", server_header=False)
        return
    from sporbar.interfaces.http_api import serve_processes

    serve_processes(db if postgres else str(Path(db).resolve()), index=index, api_token=token, host=host, port=port, workers=workers)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI; turn every error into one line and an exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("SPORBAR_DEBUG") == "1"
    try:
        result = app(args=args, standalone_mode=False, prog_name="sporbar")
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        err.print("aborted")
        return 130
    except click.ClickException as exc:
        exc.show(file=sys.stderr)
        return int(exc.exit_code)
    except SporbarError as exc:
        if debug:
            raise
        err.print(f"error: {escape(exc.message)}", style="red")
        return 1
    except KeyboardInterrupt:
        err.print("interrupted: the store is consistent; run the same command again to finish")
        return 130
    except Exception as exc:  # the one place where unexpected errors become a line
        if debug:
            raise
        err.print(f"error: {escape(type(exc).__name__)}: {escape(str(exc))} (run with --debug for the traceback)", style="red")
        return 1
    return int(result) if isinstance(result, int) else 0


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
