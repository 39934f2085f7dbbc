"""The web UI: server-rendered pages (Jinja2, autoescaped) over the same query layer as the API.

Pages: ``/``, ``/search``, ``/articles/{id}``, ``/entities`` and ``/entities/{id}``,
``/roles/{role}?org=…``, ``/stories`` and ``/stories/{id}``, ``/quotes``. Every
page's data is also served as JSON under ``/api/``. Assets are in ``static/``,
shipped with the package; nothing is loaded from elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from sporbar.errors import SporbarError
from sporbar.interfaces.web.charts import dot_timeline, months_bar_chart, timeline
from sporbar.interfaces.web.i18n import LANGUAGES, pick_language, translator
from sporbar.interfaces.web.markup import Mark, highlight, mark_up

if TYPE_CHECKING:
    from sporbar.interfaces.http_api import ThreadReaders

HERE = Path(__file__).resolve().parent
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every value from an article is text, never markup
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_environment)


def entity_href(entity_id: str | None) -> str | None:
    return f"/entities/{quote(entity_id, safe='')}" if entity_id else None


def article_href(article_id: str) -> str:
    return f"/articles/{quote(article_id, safe='')}"


def safe_url(url: str | None) -> str | None:
    """An article's own URL, only when it is a web address (a ``javascript:`` URL is never made a link)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def role_href(role: str, org: str | None = None) -> str:
    suffix = f"?{urlencode({'org': org})}" if org else ""
    return f"/roles/{quote(role, safe='')}{suffix}"


_environment.globals.update(entity_href=entity_href, role_href=role_href, article_href=article_href, safe_url=safe_url, highlight=highlight)


def _language(request: Request) -> str:
    return pick_language(request.query_params.get("lang"), request.cookies.get("lang"), request.headers.get("accept-language"))


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the request's language (and remember a language chosen with ``?lang=``)."""
    language = _language(request)
    target = request.url.include_query_params(lang="en" if language == "nb" else "nb")
    context.update(t=translator(language), lang=language, switch_url=f"{target.path}?{target.query}", path=request.url.path)
    response = templates.TemplateResponse(request, name, context, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie("lang", language, max_age=LANGUAGE_COOKIE_SECONDS, samesite="lax", httponly=True)
    return response


def error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", status=status, status_code=status, message=message)


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _role_part(role: dict[str, Any]) -> tuple[int, int]:
    """The words naming the office in a role's evidence (``utenriksminister`` in ``utenriksminister Børge Brende``)."""
    start, end = role["start"], role["end"]
    person_start, person_end = role.get("person_start"), role.get("person_end")
    if person_start is not None and person_start > start:
        end = person_start
    elif person_end is not None and person_end < end:
        start = person_end
    return start, end


def article_marks(facts: dict[str, Any], t: dict[str, str]) -> list[Mark]:
    """The marks for an article page: names, quotes (speaker as tip), speakers, roles and numbers."""
    marks: list[Mark] = []
    for quote_row in facts["quotes"]:
        speaker = quote_row["speaker"] or t["unknown_speaker"]
        detail = ", ".join(x for x in (quote_row["cue"], quote_row["date"]) if x)
        marks.append(
            Mark(quote_row["start"], quote_row["end"], f"quote quote-{quote_row['kind']}", tip=f"{t['said_by']} {speaker} ({detail})",
                 anchor=f"q-{quote_row['start']}", layer=0)
        )
        if quote_row["speaker_start"] is not None and quote_row["speaker_end"] is not None:
            marks.append(Mark(quote_row["speaker_start"], quote_row["speaker_end"], "speaker",
                              href=entity_href(quote_row["speaker_entity_id"]), tip=f"{t['speaker']}: {speaker}", layer=2))
    for role in facts["roles"]:
        start, end = _role_part(role)
        detail = " · ".join(x for x in (role["role"], role["org"]) if x) + (f" ({role['party']})" if role["party"] else "")
        marks.append(Mark(start, end, "role", href=role_href(role["role"], role["org"]), tip=f"{t['role']}: {detail} — {role['person']}",
                          anchor=f"r-{role['start']}", layer=1))
    for number in facts["numbers"]:
        value = "" if number["value"] is None else f"{number['value']:,.10g}".replace(",", "\u202f")
        detail = " · ".join(str(x) for x in (value, number["unit"], number["about"], number["qualifier"], number["kind"]) if x)
        marks.append(Mark(number["start"], number["end"], "num", tip=detail, anchor=f"n-{number['start']}", layer=2))
    for mention in facts["mentions"]:
        family = "per" if mention.label == "PER" else "org"
        label = t.get(f"label_{mention.label}", mention.label)
        marks.append(Mark(mention.start, mention.end, f"ent ent-{family}", href=entity_href(mention.entity_id),
                          tip=f"{mention.canonical or mention.text} · {label}", layer=3))
    return marks


def add_web_routes(app: FastAPI, readers: ThreadReaders) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> Response:
        kb = readers.get()
        return render(
            request,
            "home.html",
            stats=kb.stats(),
            people=kb.entity_page(label="PER", limit=12).items,
            stories=kb.stories(min_size=2)[:8],
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: Annotated[str | None, Query(max_length=1000)] = None,
        since: Annotated[str | None, Query(alias="from", max_length=40)] = None,
        until: Annotated[str | None, Query(alias="to", max_length=40)] = None,
        source: Annotated[list[str] | None, Query(max_length=20)] = None,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
    ) -> Response:
        kb = readers.get()
        since, until = _blank_to_none(since), _blank_to_none(until)
        sources = [s for s in (source or []) if s.strip()]
        form = {"q": q or "", "from": since or "", "to": until or "", "source": sources}
        all_sources = sorted(kb.sources())
        if q is None and not since and not until and not sources:
            return render(request, "search.html", form=form, all_sources=all_sources, page=None, facets=None, error=None)
        try:
            page, facets = kb.search_page(q or "", since=since, until=until, sources=sources, limit=20, cursor=cursor, facets=True)
        except SporbarError as exc:
            return render(request, "search.html", status=exc.status, form=form, all_sources=all_sources, page=None, facets=None,
                          error=exc.message)
        base = {"q": q or "", "from": since or "", "to": until or ""}

        def refine(**changes: Any) -> str:
            params = {**base, **{k: v for k, v in changes.items() if k != "source"}}
            items = [(k, v) for k, v in params.items() if v]
            items += [("source", s) for s in changes.get("source", sources)]
            return "/search?" + urlencode(items)

        next_url = refine() + "&" + urlencode({"cursor": page.next_cursor}) if page.next_cursor else None
        return render(request, "search.html", form=form, all_sources=all_sources, page=page, facets=facets, error=None,
                      refine=refine, next_url=next_url, first_url=refine() if cursor else None)

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> Response:
        kb = readers.get()
        facts = kb.article_facts(article_id)
        t = translator(_language(request))
        body = mark_up(facts["article"].text, article_marks(facts, t))
        entities: dict[str, dict[str, Any]] = {}
        for mention in facts["mentions"]:
            key = mention.entity_id or mention.text
            entry = entities.setdefault(key, {"entity_id": mention.entity_id, "name": mention.canonical or mention.text,
                                              "label": mention.label, "count": 0})
            entry["count"] += 1
        people = sorted(entities.values(), key=lambda e: (-e["count"], e["name"]))
        story = kb.story(facts["story_id"]) if facts["story_id"] is not None else None
        return render(request, "article.html", facts=facts, article=facts["article"], body=body, entities=people, story=story,
                      role_part=_role_part)

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(
        request: Request,
        label: Annotated[str | None, Query(max_length=20)] = "PER",
        q: Annotated[str | None, Query(max_length=200)] = None,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
    ) -> Response:
        page = readers.get().entity_page(label=_blank_to_none(label), name=_blank_to_none(q), limit=50, cursor=cursor)
        params = {k: v for k, v in {"label": label or "", "q": q or ""}.items() if v}
        next_url = "/entities?" + urlencode({**params, "cursor": page.next_cursor}) if page.next_cursor else None
        return render(request, "entities.html", page=page, label=label or "", q=q or "", next_url=next_url)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: str) -> Response:
        kb = readers.get()
        profile = kb.entity_by_id(entity_id)
        quotes = kb.quote_page(speaker_entity_id=entity_id, limit=50)
        role_rows = [
            {"label": " · ".join(x for x in (r["role"], r["org"]) if x), "start": r["first"], "end": r["last"],
             "href": role_href(r["role"], r["org"]), "detail": f"{r['first']} … {r['last']}"}
            for r in profile["roles"]
        ]
        return render(request, "entity.html", profile=profile, quotes=quotes.items,
                      role_chart=timeline(role_rows), mention_chart=months_bar_chart(profile["mentions_per_month"]))

    @app.get("/roles/{role}", response_class=HTMLResponse, include_in_schema=False)
    def role_page(
        request: Request,
        role: str,
        org: Annotated[str | None, Query(max_length=200)] = None,
        at: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Response:
        kb = readers.get()
        org, at = _blank_to_none(org), _blank_to_none(at)
        holders = kb.role_holders(role, org=org)
        rows = [
            {"label": h["person"] + (f" ({h['party']})" if h.get("party") else ""), "start": h["first_date"], "end": h["last_date"],
             "href": f"/search?{urlencode({'q': chr(34) + h['person'] + chr(34)})}", "detail": f"{h['first_date']} … {h['last_date']}"}
            for h in holders
        ]
        answer = kb.who(role, org=org, at=at) if at else None
        return render(request, "role.html", role=role, org=org or "", at=at or "", holders=holders, chart=timeline(rows), answer=answer)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request) -> Response:
        return render(request, "stories.html", stories=readers.get().stories(min_size=2)[:200])

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: int) -> Response:
        story = readers.get().story(story_id)
        points = [{"date": a["date"], "label": a["title"] or a["article_id"], "href": article_href(a["article_id"])}
                  for a in story["articles_in_order"]]
        return render(request, "story.html", story=story, chart=dot_timeline(points))

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(
        request: Request,
        speaker: Annotated[str | None, Query(max_length=200)] = None,
        since: Annotated[str | None, Query(alias="from", max_length=40)] = None,
        until: Annotated[str | None, Query(alias="to", max_length=40)] = None,
        q: Annotated[str | None, Query(max_length=200)] = None,
        kind: Annotated[str | None, Query(max_length=10)] = None,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
    ) -> Response:
        form = {"speaker": speaker or "", "from": since or "", "to": until or "", "q": q or "", "kind": kind or ""}
        try:
            page = readers.get().quote_page(
                speaker=_blank_to_none(speaker), since=_blank_to_none(since), until=_blank_to_none(until), text=_blank_to_none(q),
                kind=_blank_to_none(kind), limit=50, cursor=cursor,
            )
        except SporbarError as exc:
            return render(request, "quotes.html", status=exc.status, form=form, page=None, next_url=None, error=exc.message)
        params = [(k, v) for k, v in form.items() if v]
        next_url = "/quotes?" + urlencode(params + [("cursor", page.next_cursor)]) if page.next_cursor else None
        return render(request, "quotes.html", form=form, page=page, next_url=next_url, error=None)
