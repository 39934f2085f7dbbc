"""The web UI in a real browser: Debian's Chromium driven by Playwright, against `sporbar serve`'s app.

The archive holds the seeds and the whole NDT corpus, analysed, plus one hostile
article. Screenshots go to a temporary folder, and also to
``$SPORBAR_SCREENSHOTS`` when set (``docs/screenshots`` holds the README's).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

import sporbar
from sporbar.interfaces.http_api import create_app

from ..conftest import copy_archive

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]
HOSTILE_TITLE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> {{ 7*7 }}'
HOSTILE_TEXT = (
    f"Ordfører Kari Nordmann (Ap) sa at {HOSTILE_TITLE} er et angrep. "
    f"– Dette er {HOSTILE_TITLE}, sier Nordmann til NTB."
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, analysed_news_template: Path) -> Iterator[str]:
    db = copy_archive(analysed_news_template, tmp_path_factory.mktemp("web"))
    hostile = db.parent / "hostile.jsonl"
    record = {"id": "fiendtlig", "date": "2012-05-10", "source": "Testavisa", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT}
    hostile.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with sporbar.open(db) as kb:
        assert kb.ingest([hostile]).analysed == 1
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="nb-NO", viewport={"width": 1100, "height": 800})
    dialogs: list[str] = []
    tab = context.new_page()
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda error: dialogs.append(f"script error: {error}"))
    yield tab
    context.close()
    assert dialogs == [], f"dialogs or script errors: {dialogs}"


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def snap(page: Page, folder: Path, name: str) -> None:
    """Save a screenshot of the visible page; also into $SPORBAR_SCREENSHOTS (the README's pictures) when set."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    target = os.environ.get("SPORBAR_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, Path(target) / path.name)


def test_web_search_article_person_role_story(page: Page, shots: Path) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    snap(page, shots, "home")
    page.get_by_label("Søk i arkivet").fill('"utenriksminister Børge Brende"')
    page.get_by_label("Søk i arkivet").press("Enter")
    expect(page.locator("#result-count")).to_have_text("1 artikkel passer")
    # A phrase is marked only where it stands, each of its words in order (the article has it three times).
    marks = page.locator(".snippet mark")
    expect(marks.nth(0)).to_have_text(re.compile("^utenriksminister$", re.IGNORECASE))
    expect(marks.nth(1)).to_have_text("Børge")
    expect(marks.nth(2)).to_have_text("Brende")
    snap(page, shots, "search")
    page.locator("a.hit-title").first.click()

    # The article: names, quotes, roles and numbers marked inline, each with its provenance.
    expect(page).to_have_url(re.compile(r"/articles/619ed03962c07451$"))
    text = page.locator("#article-text")
    expect(text.locator("a.role", has_text="utenriksminister").first).to_have_attribute("href", "/roles/utenriksminister?org=Norge")
    quote = text.locator(".quote-direct").first
    expect(quote).to_have_attribute("data-tip", re.compile(r"^sagt av Tillerson"))
    expect(text.locator(".num", has_text="mer enn 60")).to_have_count(1)
    quote.evaluate("element => element.scrollIntoView({block: 'center'})")
    quote.hover()
    snap(page, shots, "article")
    text.locator("a.ent", has_text="Børge Brende").first.click()

    # The person: roles over time, mentions per month, quotes, related people.
    expect(page.locator("h1")).to_contain_text("Børge Brende")
    expect(page.locator("#roles-table tbody td")).to_have_text(["utenriksminister", "Norge", "H", "2017-03 … 2017-03"])
    expect(page.locator("svg[aria-label='Omtaler per måned'] rect.bar")).to_have_count(1)
    expect(page.locator("ol.quotes > li")).to_have_count(4)
    snap(page, shots, "person")
    page.locator("#roles-table a", has_text="utenriksminister").click()

    # Who held the office: both Norwegian foreign ministers at the dates the articles give.
    expect(page).to_have_url(re.compile(r"/roles/utenriksminister\?org=Norge$"))
    rows = page.locator("#holders-table tbody tr")
    expect(rows.filter(has_text="Børge Brende").locator("td").nth(2)).to_have_text("2017-03")
    expect(rows.filter(has_text="Børge Brende").locator("td").nth(3)).to_have_text("2017-03")
    expect(rows.filter(has_text="Ine Eriksen Søreide").locator("td").nth(2)).to_have_text("2019-02")
    expect(rows.filter(has_text="Ine Eriksen Søreide").locator("td").nth(3)).to_have_text("2019-02")
    lanes = page.locator("svg .lane-label")
    expect(lanes.filter(has_text="Børge Brende")).to_have_count(1)
    expect(lanes.filter(has_text="Ine Eriksen Søreide")).to_have_count(1)
    page.get_by_label("Dato", exact=True).fill("2018-06")
    page.get_by_role("button", name="Spør").click()
    expect(page.locator(".answer .holder")).to_contain_text("Børge Brende")
    expect(page.locator(".answer .holder")).to_contain_text("neste: Ine Eriksen Søreide")
    snap(page, shots, "role")
    rows.filter(has_text="Ine Eriksen Søreide").locator("a").first.click()

    # The evidence article, then its story: both seed articles, two years apart, in order.
    expect(page).to_have_url(re.compile(r"/articles/3d2f4320a1cb6bb7#r-\d+$"))
    page.locator("a[href^='/stories/']").first.click()
    expect(page.locator("h1")).to_contain_text("Sak:")
    expect(page.locator(".story-articles li .date")).to_have_text(["2017-03", "2019-02"])
    expect(page.locator("svg circle.dot")).to_have_count(2)
    expect(page.locator("ol.quotes")).to_contain_text("IS er fremdeles en trussel")
    snap(page, shots, "story")


def test_web_quote_explorer_filters(page: Page, shots: Path) -> None:
    page.goto("/quotes")
    page.get_by_label("Taler").fill("Pompeo")
    page.get_by_role("button", name="Filtrer").click()
    names = page.locator(".quote-item .speaker-name")
    expect(names).to_have_count(5)
    expect(names).to_have_text(["Mike Pompeo"] * 5)
    snap(page, shots, "quotes")
    page.get_by_label("Ord i sitatet").fill("fremmedkrigere")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(".quote-item blockquote")).to_have_text(
        ["«å hente hjem og straffeforfølge fremmedkrigere»", re.compile(r"^«Nå må alle, ikke bare USA.*hente hjem fremmedkrigere")]
    )
    page.get_by_label("Fra").fill("i fjor")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("alert")).to_contain_text("not a date")


def test_web_hostile_article_is_text_on_every_page(page: Page, base_url: str) -> None:
    urls = ["/articles/fiendtlig", "/search?q=angrep", "/quotes?speaker=Nordmann&from=2012-05-10&to=2012-05-10",
            "/roles/ordf%C3%B8rer", "/stories", "/entities?label=&q=alert", "/", "/search?q=%3Cscript%3E"]
    page.goto("/articles/fiendtlig")
    entity_links = page.locator("#article-text a.ent").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    story_link = page.locator("a[href^='/stories/']").first.get_attribute("href")
    urls += sorted(set(entity_links)) + ([story_link] if story_link else [])
    for url in urls:
        page.goto(url)
        assert page.locator("img").count() == 0, url
        assert page.locator("script").count() == 1, url  # our own app.js only
        body = page.locator("main").inner_text()
        if url in urls[:3]:  # pages that show the article's words: shown as text
            assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(1)>" in body, url
        if url in urls[:2]:
            assert "{{ 7*7 }}" in body and '"><img src=x onerror=alert(1)>' in body, url
    page.goto("/articles/fiendtlig")
    expect(page.locator("h1")).to_have_text(HOSTILE_TITLE)


def test_web_phone_width_keyboard_and_english(browser: Browser, base_url: str, shots: Path) -> None:
    context = browser.new_context(base_url=base_url, locale="en-GB", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        phone.goto("/articles/619ed03962c07451")
        expect(phone.locator("html")).to_have_attribute("lang", "en")
        for url in ["/", "/articles/619ed03962c07451", "/roles/utenriksminister?org=Norge", "/search?q=koalisjon"]:
            phone.goto(url)
            overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (url, overflow)
        snap(phone, shots, "phone-search")
        phone.goto("/")
        phone.keyboard.press("Tab")
        expect(phone.locator(".skip")).to_be_focused()
        phone.keyboard.press("Enter")
        phone.goto("/quotes?lang=nb")
        expect(phone.locator("h1")).to_have_text("Sitatutforsker")
        phone.goto("/quotes")  # the chosen language is remembered
        expect(phone.locator("h1")).to_have_text("Sitatutforsker")
    finally:
        context.close()
