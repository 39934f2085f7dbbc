"""The HTTP API (JSON under ``/api/``) and the web UI, served by ``sporbar serve``.

A thin layer over ``sporbar.api.KnowledgeBase``: each route parses its
parameters, calls one query method and returns its records as JSON. Errors
have one shape everywhere::

    {"ok": false, "status": 400, "error": {"code": "S005", "message": "..."}}

The write endpoint (``POST /api/ingest``) exists only when the app is created
with an API token, and then requires it.
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
import os
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

import sporbar
from sporbar.api import KnowledgeBase
from sporbar.errors import SporbarError, StoreError, Unauthorized
from sporbar.models import Article, SearchHit
from sporbar.query.pages import MAX_PAGE_SIZE
from sporbar.store import is_postgres_url

log = logging.getLogger("sporbar.http")

MAX_BODY_BYTES = 16 * 1024 * 1024  # an ingest request; GET requests carry no body
MIN_TOKEN_CHARS = 16
SERVER_THREADS = 4
INGEST_FORMATS = {"application/json": "json", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl"}

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Page size, at most {MAX_PAGE_SIZE}.")]
Cursor = Annotated[str | None, Query(max_length=500, description="The next_cursor of the previous page.")]
Since = Annotated[str | None, Query(alias="from", max_length=40, description="Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.")]
Until = Annotated[str | None, Query(alias="to", max_length=40, description="Latest date: YYYY, YYYY-MM or YYYY-MM-DD.")]
Text = Annotated[str | None, Query(max_length=200)]


class ThreadReaders:
    """One ``KnowledgeBase`` per server thread: SQLite connections are not shared between threads."""

    def __init__(self, db: str | Path, index: Path | None = None) -> None:
        self.db = db
        self.index = index
        self._local = threading.local()
        self._opened: list[KnowledgeBase] = []
        self._lock = threading.Lock()

    def get(self) -> KnowledgeBase:
        kb: KnowledgeBase | None = getattr(self._local, "kb", None)
        if kb is None:
            kb = sporbar.open(self.db, index=self.index, create=False)
            self._local.kb = kb
            with self._lock:
                self._opened.append(kb)
        return kb

    def refresh(self) -> None:
        """Let every thread's reader search what was just written (after an ingest through the API)."""
        with self._lock:
            for kb in self._opened:
                kb.refresh()

    def close(self) -> None:
        with self._lock:
            for kb in self._opened:
                kb.close()
            self._opened.clear()


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """The one shape of every error the API returns."""
    return {"ok": False, "status": status, "error": {"code": code, "message": message}}


_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


class BodySizeLimit:
    """Refuse request bodies over a size, by their Content-Length or as they stream in."""

    def __init__(self, app: Callable[..., Awaitable[None]], max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: MutableMapping[str, Any], receive: Callable[..., Awaitable[Any]], send: Callable[..., Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            response = JSONResponse(error_body(413, "too_large", f"the request body is over {self.max_bytes:,} bytes"), status_code=413)
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise StarletteHTTPException(413, f"the request body is over {self.max_bytes:,} bytes")
            return message

        await self.app(scope, limited_receive, send)


SECURITY_HEADERS = {
    # Every asset is served from here; nothing inline, nothing from elsewhere.
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


class SecurityHeaders:
    """Add ``SECURITY_HEADERS`` to every response that does not set them itself.

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` streams each
    response through a memory channel and a task group, a fifth of a small
    request's time here.
    """

    _encoded = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()]

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Callable[..., Awaitable[Any]], send: Callable[..., Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or ())
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in self._encoded if name not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db: str | os.PathLike[str], api_token: str | None = None, *, index: str | os.PathLike[str] | None = None) -> FastAPI:
    """Build the app over an existing store (a SQLite file or a ``postgresql://`` URL) and its search index.

    ``index`` is the search index folder (default as for ``sporbar.open``);
    ``api_token`` enables ``POST /api/ingest`` and is then required by it.
    """
    target: str | Path = db if is_postgres_url(db) else Path(db)
    if isinstance(target, Path) and not target.exists():
        raise StoreError(f"no store at {target}: run `sporbar ingest PATH --db {target}` first")
    if api_token is not None and len(api_token) < MIN_TOKEN_CHARS:
        raise SporbarError(f"the API token must have at least {MIN_TOKEN_CHARS} characters")
    readers = ThreadReaders(target, Path(index) if index is not None else None)
    sporbar.open(target, index=readers.index, create=False).close()  # fail now, not at the first request

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Requests hold the GIL for most of their few milliseconds: a few threads answer a burst sooner, in arrival
        # order, than forty threads taking turns.
        anyio.to_thread.current_default_thread_limiter().total_tokens = SERVER_THREADS
        yield
        readers.close()

    app = FastAPI(
        title="sporbar",
        version=sporbar.__version__,
        description="Traceable, time-aware knowledge base from dated Norwegian news articles. Every fact carries "
        "its article id and character offsets into the article's stored text.",
        openapi_url="/openapi.json",
        docs_url=None,  # the interactive docs pages load scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.readers = readers
    app.state.writable = api_token is not None
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)

    app.add_middleware(SecurityHeaders)

    _add_error_handlers(app)
    _add_api_routes(app, readers)
    if api_token is not None:
        _add_write_routes(app, readers, api_token)
    from sporbar.interfaces.web import add_web_routes

    add_web_routes(app, readers)
    return app


# The API token reaches spawned server processes through the environment, never a command line.
TOKEN_VARIABLE = "SPORBAR_SERVE_TOKEN"


def serve_processes(db: str, *, index: str | os.PathLike[str] | None, api_token: str | None, host: str, port: int, workers: int) -> None:
    """Serve from ``workers`` processes, each with its own listening socket on the same port (SO_REUSEPORT).

    Not uvicorn's own ``workers``: there every process accepts from one shared
    socket, and the first to wake takes most of a burst of keep-alive
    connections, so one process answered most clients while the other idled.
    With a socket each, the kernel spreads new connections evenly.
    """
    import multiprocessing
    import signal

    os.environ[TOKEN_VARIABLE] = api_token or ""
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(target=_serve_one, args=(db, str(index) if index is not None else None, host, port), daemon=True)
        for _ in range(workers)
    ]
    for child in children:
        child.start()

    def stop(*_: Any) -> None:
        for child in children:
            if child.is_alive():
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        for child in children:
            child.join()
    except KeyboardInterrupt:
        stop()
        for child in children:
            child.join(10)


def _serve_one(db: str, index: str | None, host: str, port: int) -> None:
    import socket

    import uvicorn

    app = create_app(db, api_token=os.environ.get(TOKEN_VARIABLE) or None, index=index)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", server_header=False))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and request.url.path != "/openapi.json"


def _add_error_handlers(app: FastAPI) -> None:
    def respond(request: Request, status: int, code: str, message: str) -> Response:
        if wants_html(request):
            from sporbar.interfaces.web import error_page

            return error_page(request, status, message)
        return JSONResponse(error_body(status, code, message), status_code=status)

    @app.exception_handler(SporbarError)
    async def sporbar_error(request: Request, exc: SporbarError) -> Response:
        return respond(request, exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for item in exc.errors():
            where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "path", "body"))
            problems.append(f"{where}: {item.get('msg', 'invalid')}" if where else str(item.get("msg", "invalid")))
        return respond(request, 400, "bad_request", "; ".join(problems) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        return respond(request, exc.status_code, _HTTP_CODES.get(exc.status_code, "http_error"), message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error serving %s", request.url.path)
        return respond(request, 500, "internal", "something went wrong on the server; the error was logged")


# -- JSON shapes ------------------------------------------------------------------


def article_json(article: Article, *, with_text: bool = True) -> dict[str, Any]:
    record = article.to_export()
    if not with_text:
        record.pop("text")
    return record


def hit_json(hit: SearchHit) -> dict[str, Any]:
    return hit.to_dict()


def reply(data: Any) -> JSONResponse:
    """Answer with JSON straight from the query layer's plain records (FastAPI's generic encoder is slow on big ones)."""
    return JSONResponse(data)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


# -- read routes --------------------------------------------------------------------


def _add_api_routes(app: FastAPI, readers: ThreadReaders) -> None:
    @app.get("/api/search", tags=["search"])
    async def api_search(
        q: Annotated[str, Query(max_length=1000, description='Words, "phrases", -exclusions, a OR b, =exact.')] = "",
        since: Since = None,
        until: Until = None,
        source: Annotated[list[str] | None, Query(max_length=100, description="Only these sources (repeatable).")] = None,
        limit: Limit = 10,
        cursor: Cursor = None,
        facets: Annotated[bool, Query(description="Also count sources, years and people among the matches.")] = False,
    ) -> JSONResponse:
        """Search articles (the CLI's syntax and filters); hits carry highlighted snippets with offsets."""
        kb = readers.get()
        page, found = kb.search_page(q, since=since, until=until, sources=source or (), limit=limit, cursor=cursor, facets=facets)
        body: dict[str, Any] = {"query": q, "total": page.total, "hits": [hit_json(h) for h in page.items], "next_cursor": page.next_cursor}
        if found is not None:
            body["facets"] = found
        return reply(body)

    @app.get("/api/articles", tags=["articles"])
    def api_articles(
        since: Since = None,
        until: Until = None,
        source: Annotated[list[str] | None, Query(max_length=100)] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> JSONResponse:
        """List articles in date order (without their text)."""
        page = readers.get().article_page(since=since, until=until, sources=source or (), limit=limit, cursor=cursor)
        return reply({"items": [article_json(a, with_text=False) for a in page.items], "next_cursor": page.next_cursor})

    @app.get("/api/articles/{article_id:path}", tags=["articles"])
    async def api_article(article_id: str) -> JSONResponse:
        """One article with everything derived from it: mentions, quotes, roles, numbers, time expressions."""
        facts = readers.get().article_facts(article_id)
        record = article_json(facts["article"])
        record["origin"] = str(facts["article"].origin) if facts["article"].origin else None
        record["near_duplicates"] = [{"id": n.other_id, "similarity": n.similarity} for n in facts["near_duplicates"]]
        record["sentences"] = [list(s) for s in facts["sentences"]]
        record["mentions"] = [_plain(m) for m in facts["mentions"]]
        for key in ("quotes", "roles", "numbers", "times", "story_id"):
            record[key] = facts[key]
        return reply(record)

    @app.get("/api/entities", tags=["entities"])
    def api_entities(
        label: Annotated[str | None, Query(max_length=20, description="PER, ORG, GPE_LOC, GPE_ORG, LOC, PROD, EVT …")] = None,
        q: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> JSONResponse:
        """List resolved entities, most mentioned first."""
        page = readers.get().entity_page(label=label, name=q, limit=limit, cursor=cursor)
        return reply({"items": page.items, "next_cursor": page.next_cursor})

    @app.get("/api/entities/{entity_id}", tags=["entities"])
    async def api_entity(entity_id: str) -> JSONResponse:
        """One entity: aliases, roles over time, mentions per month, role evidence and related people."""
        return reply(readers.get().entity_by_id(entity_id))

    @app.get("/api/quotes", tags=["quotes"])
    async def api_quotes(
        speaker: Annotated[str | None, Query(max_length=200, description="Part of the speaker's name.")] = None,
        speaker_id: Annotated[str | None, Query(max_length=64, description="The speaker's entity id.")] = None,
        since: Since = None,
        until: Until = None,
        q: Annotated[str | None, Query(max_length=200, description="Words the quote contains.")] = None,
        kind: Annotated[str | None, Query(max_length=10, description="direct or indirect.")] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> JSONResponse:
        """Who said what, when: quotes in date order with speaker, cue and offsets."""
        page = readers.get().quote_page(
            speaker=speaker, speaker_entity_id=speaker_id, since=since, until=until, text=q, kind=kind, limit=limit, cursor=cursor
        )
        return reply({"items": page.items, "next_cursor": page.next_cursor})

    @app.get("/api/who", tags=["roles"])
    async def api_who(
        role: Annotated[str, Query(min_length=1, max_length=100, description="The office in base form: utenriksminister …")],
        org: Annotated[str | None, Query(max_length=200, description="Country or organisation: Norge, USA …")] = None,
        at: Annotated[str | None, Query(max_length=40, description="Date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    ) -> JSONResponse:
        """Who held an office (of an organisation) at a date, with the evidence; without a date, every holder."""
        return reply(readers.get().who(role, org=org, at=at))

    @app.get("/api/roles", tags=["roles"])
    def api_roles(
        role: Annotated[str | None, Query(max_length=100)] = None,
        org: Annotated[str | None, Query(max_length=200)] = None,
        person: Annotated[str | None, Query(max_length=200)] = None,
        limit: Limit = 200,
    ) -> JSONResponse:
        """Role statements (who was said to hold which office), oldest first."""
        rows = readers.get().roles(role=role, org=org, person=person)
        return reply({"items": rows[:limit], "total": len(rows)})

    @app.get("/api/numbers", tags=["numbers"])
    def api_numbers(
        about: Annotated[str | None, Query(max_length=200, description="What is counted: fremmedkrigere, kroner …")] = None,
        since: Since = None,
        until: Until = None,
        kind: Annotated[str | None, Query(max_length=20, description="count, percent, money, year, date, …")] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> JSONResponse:
        """Numbers the articles claimed, in date order."""
        page = readers.get().number_page(about=about, since=since, until=until, kind=kind, limit=limit, cursor=cursor)
        return reply({"items": page.items, "next_cursor": page.next_cursor})

    @app.get("/api/stories", tags=["stories"])
    def api_stories(
        since: Since = None,
        until: Until = None,
        min_articles: Annotated[int, Query(ge=1, le=100_000)] = 2,
        limit: Limit = 50,
    ) -> JSONResponse:
        """Story threads, largest first."""
        rows = readers.get().stories(since=since, until=until, min_size=min_articles)
        return reply({"items": rows[:limit], "total": len(rows)})

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(story_id: int) -> JSONResponse:
        """One story: its articles in date order, key people, quotes and numbers."""
        return reply(readers.get().story(story_id))

    @app.get("/api/stats", tags=["archive"])
    def api_stats() -> JSONResponse:
        """Counts and sizes describing the archive."""
        figures = readers.get().stats()
        figures.pop("path", None)  # where the files lie on the server is not the client's business
        figures.pop("index_path", None)
        return reply(figures)


# -- write routes ---------------------------------------------------------------------


def _add_write_routes(app: FastAPI, readers: ThreadReaders, api_token: str) -> None:
    expected = api_token.encode("utf-8")

    def check_token(request: Request) -> None:
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode("utf-8"), expected):
            raise Unauthorized("this endpoint needs the server's API token: send 'Authorization: Bearer TOKEN'")

    @app.post("/api/ingest", tags=["archive"])
    async def api_ingest(
        request: Request,
        analyze: Annotated[bool, Query(description="Run the language model over the new articles.")] = True,
    ) -> dict[str, Any]:
        """Ingest articles sent as JSON (one object or an array) or JSON Lines; needs the API token.

        Fields as for `sporbar ingest`: `text` and `date` required; `id`, `title`, `source`, `url` optional.
        """
        check_token(request)
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in INGEST_FORMATS:
            raise SporbarError(f"send application/json or application/x-ndjson, not {media_type or 'no content type'!r}")
        body = await request.body()
        if not body.strip():
            raise SporbarError("the request body is empty")
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(_ingest_body, readers, body, INGEST_FORMATS[media_type], analyze)


def _ingest_body(readers: ThreadReaders, body: bytes, format: str, analyze: bool) -> dict[str, Any]:
    kb = readers.get()
    with tempfile.TemporaryDirectory(prefix="sporbar-ingest-") as folder:
        path = Path(folder) / f"request.{format}"
        path.write_bytes(body)
        report = kb.ingest([path], format=format, analyze=analyze)
    readers.refresh()  # the client's next search, answered by any thread, finds what it just sent
    result = report.to_dict()
    for item in result["rejected"] + result["duplicates"]:
        if item.get("file"):
            item["file"] = "request"  # the temporary file's path means nothing to the client
    result["ok"] = report.ok
    return result
