"""The HTTP API and the server-rendered pages, through FastAPI's TestClient, on the analysed seeds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import sporbar
from sporbar.interfaces import http_api
from sporbar.interfaces.http_api import create_app

from ..conftest import Archives, copy_archive

TOKEN = "test-token-0123456789abcdef"
SEED_2017 = "619ed03962c07451"
SEED_2019 = "3d2f4320a1cb6bb7"
HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "{{ 7*7 }}"]


@pytest.fixture(scope="module")
def client(module_archives: Archives, analysed_seeds_template: Path, seeds_dir: Path) -> Iterator[TestClient]:
    """The app over the analysed seeds, once per backend (read-only use)."""
    if module_archives.backend == "sqlite":
        db, index = str(analysed_seeds_template), None
    else:
        db, index = module_archives.target("served")
        with sporbar.open(db, index=index) as archive:
            report = archive.ingest([seeds_dir])
            assert report.analysed == 2 and report.ok
    with TestClient(create_app(db, index=index)) as test_client:
        yield test_client


@pytest.fixture()
def writable(tmp_path: Path, analysed_seeds_template: Path) -> Iterator[TestClient]:
    with TestClient(create_app(copy_archive(analysed_seeds_template, tmp_path), api_token=TOKEN)) as test_client:
        yield test_client


def ok(response: object) -> dict:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    return response.json()  # type: ignore[attr-defined]


def error_of(response: object, status: int) -> dict:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["ok"] is False and body["status"] == status
    assert set(body["error"]) == {"code", "message"} and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    ("role", "org", "at", "holder", "inferred"),
    [
        ("utenriksminister", "Norge", "2017-03", "Børge Brende", False),
        ("utenriksminister", "Norge", "2019-02", "Ine Eriksen Søreide", False),
        ("utenriksminister", "USA", "2019-02", "Mike Pompeo", False),
        ("utenriksminister", "Norge", "2018-06", "Børge Brende", True),
    ],
)
def test_http_api_who(client: TestClient, role: str, org: str, at: str, holder: str, inferred: bool) -> None:
    answer = ok(client.get("/api/who", params={"role": role, "org": org, "at": at}))
    assert [h["person"] for h in answer["holders"]] == [holder]
    assert answer["inferred"] is inferred
    evidence = answer["holders"][0]["evidence"][0]
    article = ok(client.get(f"/api/articles/{evidence['article_id']}"))
    assert article["text"][evidence["start"] : evidence["end"]] == evidence["text"]


def test_http_api_who_without_a_date_lists_every_holder(client: TestClient) -> None:
    answer = ok(client.get("/api/who", params={"role": "utenriksminister", "org": "Norge"}))
    assert [(h["person"], h["first_date"], h["last_date"]) for h in answer["holders"]] == [
        ("Børge Brende", "2017-03", "2017-03"),
        ("Ine Eriksen Søreide", "2019-02", "2019-02"),
    ]


def test_http_api_quotes_by_speaker_and_words(client: TestClient) -> None:
    items = ok(client.get("/api/quotes", params={"speaker": "Pompeo"}))["items"]
    assert {q["speaker"] for q in items} == {"Mike Pompeo"}
    assert len(items) == 5
    direct = [q for q in items if q["kind"] == "direct"]
    assert direct[0]["text"] == "IS er fremdeles en trussel, og det er vår generasjons oppgave å stoppe dem"
    assert (direct[0]["article_id"], direct[0]["start"], direct[0]["end"]) == (SEED_2019, 526, 600)
    worded = ok(client.get("/api/quotes", params={"q": "fremmedkrigere", "from": "2019", "kind": "indirect"}))["items"]
    assert [(q["speaker"], q["text"]) for q in worded if q["speaker"] == "Mike Pompeo"] == [
        ("Mike Pompeo", "å hente hjem og straffeforfølge fremmedkrigere")
    ]
    assert ok(client.get("/api/quotes", params={"speaker": "Pompeo", "to": "2018"}))["items"] == []


def test_http_api_quote_pages_follow_cursors_without_gaps(client: TestClient) -> None:
    everything = ok(client.get("/api/quotes", params={"limit": 200}))["items"]
    assert len(everything) > 10 and ok(client.get("/api/quotes", params={"limit": 200}))["next_cursor"] is None
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = ok(client.get("/api/quotes", params=params))
        assert len(page["items"]) <= 3
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [(q["article_id"], q["start"]) for q in seen] == [(q["article_id"], q["start"]) for q in everything]


def test_http_api_search_with_snippets_facets_and_pages(client: TestClient) -> None:
    body = ok(client.get("/api/search", params={"q": "fremmedkriger", "facets": "true"}))
    assert body["total"] == 1
    (hit,) = body["hits"]
    assert (hit["id"], hit["date"]) == (SEED_2019, "2019-02")
    article = ok(client.get(f"/api/articles/{hit['id']}"))
    offset = hit["snippet_offset"]
    assert {article["text"][offset + start : offset + end] for start, end in hit["highlights"]} == {"fremmedkrigerne", "fremmedkrigere"}
    assert body["facets"]["years"] == [{"value": "2019", "count": 1}]
    assert "Mike Pompeo" in [p["value"] for p in body["facets"]["people"]]
    first = ok(client.get("/api/search", params={"q": "koalisjon", "limit": 1}))
    assert first["total"] == 2 and first["next_cursor"]
    second = ok(client.get("/api/search", params={"q": "koalisjon", "limit": 1, "cursor": first["next_cursor"]}))
    assert {first["hits"][0]["id"], second["hits"][0]["id"]} == {SEED_2017, SEED_2019} and second["next_cursor"] is None
    # A cursor only continues the search it came from.
    assert error_of(client.get("/api/search", params={"q": "IS", "cursor": first["next_cursor"]}), 400)["code"] == "S005"
    assert ok(client.get("/api/search", params={"q": "koalisjon", "from": "2019"}))["hits"][0]["id"] == SEED_2019


def test_http_api_articles_list_and_get(client: TestClient) -> None:
    page = ok(client.get("/api/articles", params={"limit": 1}))
    assert [a["id"] for a in page["items"]] == [SEED_2017] and "text" not in page["items"][0]
    rest = ok(client.get("/api/articles", params={"limit": 1, "cursor": page["next_cursor"]}))
    assert [a["id"] for a in rest["items"]] == [SEED_2019] and rest["next_cursor"] is None
    article = ok(client.get(f"/api/articles/{SEED_2017}"))
    assert (article["date"], article["date_precision"]) == ("2017-03", "month")
    assert article["mentions"] and article["quotes"] and article["roles"] and article["numbers"]
    for fact in article["mentions"] + article["quotes"] + article["numbers"]:
        assert article["text"][fact["start"] : fact["end"]] == fact["text"]
    assert any(r["person"] == "Børge Brende" and r["role"] == "utenriksminister" for r in article["roles"])
    assert article["story_id"] == ok(client.get(f"/api/articles/{SEED_2019}"))["story_id"]


def test_http_api_entities_and_entity(client: TestClient) -> None:
    people = ok(client.get("/api/entities", params={"label": "PER", "limit": 200}))["items"]
    brende = next(p for p in people if p["canonical"] == "Børge Brende")
    assert brende["mentions"] == 5 and brende["articles"] == 1
    named = ok(client.get("/api/entities", params={"q": "brende"}))["items"]
    assert [e["canonical"] for e in named] == ["Børge Brende"]
    entity = ok(client.get(f"/api/entities/{brende['entity_id']}"))
    assert entity["canonical"] == "Børge Brende" and "Brende" in entity["aliases"]
    assert entity["mentions_per_month"] == {"2017-03": 5}
    assert [(r["role"], r["org"], r["party"], r["first"], r["last"]) for r in entity["roles"]] == [
        ("utenriksminister", "Norge", "H", "2017-03", "2017-03")
    ]
    assert "Tillerson" in {r["canonical"] for r in entity["related"]}
    by_id = ok(client.get("/api/quotes", params={"speaker_id": brende["entity_id"]}))["items"]
    assert len(by_id) == entity["quotes"] == 4 and {q["speaker"] for q in by_id} == {"Børge Brende"}


def test_http_api_numbers_stories_stats(client: TestClient) -> None:
    numbers = ok(client.get("/api/numbers", params={"about": "fremmedkrigere"}))["items"]
    match = next(n for n in numbers if n["text"] == "Mer enn 800")
    assert (match["article_id"], match["start"], match["end"], match["value"], match["qualifier"]) == (SEED_2019, 1498, 1509, 800.0, "over")
    stories = ok(client.get("/api/stories", params={"min_articles": 1}))["items"]
    assert len(stories) == 1
    story = ok(client.get(f"/api/stories/{stories[0]['story_id']}"))
    assert [a["article_id"] for a in story["articles_in_order"]] == [SEED_2017, SEED_2019]
    assert {"Mike Pompeo", "Børge Brende"} <= {q["speaker"] for q in story["quotes"]}
    stats = ok(client.get("/api/stats"))
    assert stats["articles"] == 2 and stats["index_documents"] == 2
    assert "path" not in stats and "index_path" not in stats


def test_http_api_errors_have_one_shape_and_are_never_500(client: TestClient) -> None:
    assert error_of(client.get("/api/search", params={"q": "x", "from": "i fjor"}), 400)["code"] == "S001"
    assert error_of(client.get("/api/search", params={"q": "ord " * 300}), 400)
    assert error_of(client.get("/api/search", params={"q": " ".join(f"w{i}" for i in range(40))}), 400)["code"] == "S005"
    assert error_of(client.get("/api/search", params={"q": "x", "limit": 201}), 400)["code"] == "bad_request"
    assert error_of(client.get("/api/quotes", params={"cursor": "not-a-cursor"}), 400)["code"] == "S005"
    quotes_cursor = ok(client.get("/api/quotes", params={"limit": 1}))["next_cursor"]
    assert error_of(client.get("/api/numbers", params={"cursor": quotes_cursor}), 400)["code"] == "S005"
    assert error_of(client.get("/api/quotes", params={"kind": "rumour"}), 400)
    assert error_of(client.get("/api/who"), 400)["code"] == "bad_request"
    assert error_of(client.get("/api/articles/finnes-ikke"), 404)["code"] == "S004"
    assert error_of(client.get("/api/entities/finnes-ikke"), 404)["code"] == "S010"
    assert error_of(client.get("/api/stories/999"), 404)["code"] == "S011"
    assert error_of(client.get("/api/stories/abc"), 400)
    assert error_of(client.get("/api/finnes-ikke"), 404)["code"] == "not_found"
    for query in ['"unclosed phrase', "-", "OR OR OR", "((a", "=", '"" -"" =""', "a:b AND c*", "\x00", "'; DROP TABLE articles; --"]:
        response = client.get("/api/search", params={"q": query})
        assert response.status_code in (200, 400), (query, response.text)
    assert client.get("/api/search?q=%ED%A0%80%FF").status_code in (200, 400)
    assert ok(client.get("/api/stats"))["articles"] == 2


def test_http_api_openapi_lists_the_route_contract(client: TestClient) -> None:
    paths = ok(client.get("/openapi.json"))["paths"]
    for route in ["/api/search", "/api/articles", "/api/articles/{article_id}", "/api/entities", "/api/entities/{entity_id}",
                  "/api/quotes", "/api/who", "/api/numbers", "/api/stories", "/api/stories/{story_id}", "/api/stats"]:
        assert route in paths, route
    assert "/api/ingest" not in paths  # only with a token


def test_http_api_security_headers(client: TestClient) -> None:
    for url in ["/", "/api/stats"]:
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_http_api_ingest_exists_only_with_a_token(client: TestClient) -> None:
    record = {"id": "x1", "date": "2020-01-01", "text": "Stortinget vedtok loven."}
    assert error_of(client.post("/api/ingest", json=record), 404)["code"] == "not_found"


def test_http_api_ingest_needs_the_token(writable: TestClient) -> None:
    record = {"id": "ny-1", "date": "2020-05-04", "title": "Ny sak", "text": "Utenriksminister Ine Eriksen Søreide (H) besøkte Oslo."}
    assert error_of(writable.post("/api/ingest", json=record), 401)["code"] == "S012"
    wrong = {"Authorization": "Bearer " + TOKEN[:-1] + "x"}
    assert error_of(writable.post("/api/ingest", json=record, headers=wrong), 401)
    assert error_of(writable.get("/api/articles/ny-1"), 404)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    report = ok(writable.post("/api/ingest", json=record, headers=auth, params={"analyze": "false"}))
    assert (report["read"], report["stored"], report["ok"]) == (1, 1, True)
    assert ok(writable.get("/api/articles/ny-1"))["title"] == "Ny sak"
    assert [h["id"] for h in ok(writable.get("/api/search", params={"q": "besøkte Oslo"}))["hits"]] == ["ny-1"]
    lines = "\n".join(json.dumps(r) for r in [
        {"id": "ny-2", "date": "2020-05-05", "text": "Regjeringen la fram budsjettet."},
        {"id": "ny-3", "date": "i fjor", "text": "Uten gyldig dato."},
    ])
    report = ok(writable.post("/api/ingest", content=lines, headers=auth | {"Content-Type": "application/x-ndjson"},
                              params={"analyze": "false"}))
    assert (report["stored"], len(report["rejected"]), report["ok"]) == (1, 1, False)
    assert report["rejected"][0]["file"] == "request" and "not a date" in report["rejected"][0]["reason"]
    assert error_of(writable.post("/api/ingest", content=b"x", headers=auth | {"Content-Type": "text/plain"}), 400)


def test_http_api_refuses_bodies_over_the_limit(tmp_path: Path, analysed_seeds_template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_api, "MAX_BODY_BYTES", 1000)
    with TestClient(create_app(copy_archive(analysed_seeds_template, tmp_path), api_token=TOKEN)) as limited:
        big = json.dumps({"date": "2020-01-01", "text": "ord " * 500})
        response = limited.post("/api/ingest", content=big, headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        assert error_of(response, 413)["code"] == "too_large"


def test_http_api_refuses_short_tokens_and_missing_stores(tmp_path: Path, analysed_seeds_template: Path) -> None:
    from sporbar.errors import SporbarError

    with pytest.raises(SporbarError, match="at least 16 characters"):
        create_app(analysed_seeds_template, api_token="kort")
    with pytest.raises(SporbarError, match="no store at"):
        create_app(tmp_path / "missing.db")


# -- pages -------------------------------------------------------------------------------


def test_web_pages_answer_in_norwegian_by_default_and_english_on_request(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and '<html lang="nb">' in page.text and "Søk i arkivet" in page.text
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.text and "Search the archive" in english.text
    chosen = client.get("/quotes?lang=en")
    assert "Quote explorer" in chosen.text and chosen.cookies.get("lang") == "en"
    assert "Sitatutforsker" in client.get("/quotes?lang=nb").text


def test_web_pages_show_the_facts(client: TestClient) -> None:
    role = client.get("/roles/utenriksminister", params={"org": "Norge", "at": "2017-03"})
    assert role.status_code == 200
    assert "Børge Brende" in role.text and "Ine Eriksen Søreide" in role.text
    article = client.get(f"/articles/{SEED_2017}").text
    assert 'class="quote quote-direct"' in article and "Brende" in article
    assert 'href="/roles/utenriksminister?org=Norge"' in article
    search = client.get("/search", params={"q": "fremmedkriger"}).text
    assert "<mark>fremmedkrigere</mark>" in search
    assert client.get("/search", params={"q": "x", "from": "i fjor"}).status_code == 400
    assert client.get("/articles/finnes-ikke").status_code == 404
    assert "Mike Pompeo" in client.get("/quotes", params={"speaker": "Pompeo"}).text


def test_web_pages_escape_hostile_articles(writable: TestClient) -> None:
    hostile = " ".join(HOSTILE)
    record = {"id": "fiendtlig", "date": "2019-02-10", "title": hostile,
              "text": f"Utenriksminister Ine Eriksen Søreide sa at {hostile} er farlig. – {hostile}, sier Søreide."}
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert ok(writable.post("/api/ingest", json=record, headers=auth))["analysed"] == 1
    entity_ids = {m["entity_id"] for m in ok(writable.get("/api/articles/fiendtlig"))["mentions"] if m["entity_id"]}
    shown = ["/articles/fiendtlig", "/search?q=farlig", "/quotes?speaker=Søreide", f"/search?q={hostile}"]
    pages = shown + ["/roles/utenriksminister?org=Norge", f"/quotes?q={hostile}", "/stories"] + [f"/entities/{e}" for e in entity_ids]
    for url in pages:
        response = writable.get(url)
        assert response.status_code == 200, url
        html = response.text
        assert "<script>alert" not in html and "<img" not in html and "onerror=alert(1)>" not in html, url
        if url not in shown:
            continue
        # Shown as text: escaped markup, and the template expression as written (never evaluated).
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{ 7*7 }}" in html, url


def test_http_api_serve_command_refuses_clearly(tmp_path: Path, analysed_seeds_template: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from sporbar.interfaces.cli import run

    assert run(["serve", "--db", str(tmp_path / "missing.db")]) == 1
    assert capsys.readouterr().err.strip().startswith("error: no store at")
    monkeypatch.delenv("SPORBAR_TEST_UNSET", raising=False)
    assert run(["serve", "--db", str(analysed_seeds_template), "--token-env", "SPORBAR_TEST_UNSET"]) == 1
    assert "SPORBAR_TEST_UNSET is not set" in capsys.readouterr().err


def test_web_pages_link_odd_ids_and_never_script_urls(writable: TestClient) -> None:
    from urllib.parse import quote

    record = {"id": "a/b?c#d", "date": "2019-02-11", "url": "javascript:alert(1)", "text": "Stortinget vedtok loven i går."}
    assert ok(writable.post("/api/ingest", json=record, headers={"Authorization": f"Bearer {TOKEN}"}, params={"analyze": "false"}))["stored"] == 1
    assert ok(writable.get(f"/api/articles/{quote(record['id'], safe='')}"))["url"] == "javascript:alert(1)"
    page = writable.get(f"/articles/{quote(record['id'], safe='')}")
    assert page.status_code == 200 and 'href="javascript:' not in page.text and "javascript:alert(1)" in page.text
    assert 'href="/articles/a%2Fb%3Fc%23d"' in writable.get("/search", params={"q": "Stortinget vedtok"}).text
