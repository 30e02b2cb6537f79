"""The built site in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from macros.paths import DOCS_DIR
from macros.snippets.pages import all_pages, load_page, page_includes, sample_captures
from macros.snippets.render import commands_text

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = [page.relative_to(DOCS_DIR) for page in all_pages()]


def url_path(page: Path) -> str:
    stem = page.with_suffix("")
    return "/" if str(stem) == "index" else f"/{stem}/"


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 for the browser."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_site))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=["light", "dark"])
def page_in(browser, site_url: str, request: pytest.FixtureRequest):
    """A browser tab in one colour scheme that records console errors and foreign requests."""
    context = browser.new_context(color_scheme=request.param)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    tab = context.new_page()
    tab.errors = []
    tab.foreign = []
    host = urlparse(site_url).netloc

    def guard(route) -> None:
        if urlparse(route.request.url).netloc == host or route.request.url.startswith("data:"):
            route.continue_()
        else:
            tab.foreign.append(route.request.url)
            route.abort()

    tab.route("**/*", guard)
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_page_loads_cleanly_with_diagrams_and_badge(page_in, site_url: str, page: Path) -> None:
    page_in.goto(site_url + url_path(page), wait_until="networkidle")
    assert page_in.errors == []
    assert page_in.foreign == []
    for image in page_in.locator("img").all():
        image.scroll_into_view_if_needed()
        loaded = image.evaluate(
            "i => i.decode().then(() => i.naturalWidth > 0, () => false)"
        )  # lazy images load once scrolled into view; decode() waits for that
        assert loaded, image.get_attribute("src")
    if page_includes(DOCS_DIR / page):
        assert page_in.locator("a.cnv-badge").count() == 1


def test_copy_button_copies_commands_only(page_in, site_url: str) -> None:
    page = DOCS_DIR / "networks" / "bridge.md"
    steps = load_page(page)
    first = commands_text(steps[0], sample_captures(steps))
    page_in.goto(site_url + url_path(page.relative_to(DOCS_DIR)), wait_until="networkidle")
    block = page_in.locator(".cnv-command").first
    block.hover()
    block.locator("[data-md-type=copy]").click()
    copied = page_in.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == first[0]
    assert page_in.locator(".cnv-output [data-md-type=copy]").count() == 0


def test_search_finds_a_page_offline(page_in, site_url: str) -> None:
    page_in.goto(site_url + "/", wait_until="networkidle")
    page_in.keyboard.press("/")
    page_in.locator("input.md-search__input").press_sequentially("macvlan", delay=30)
    result = page_in.locator(".md-search-result__link").first
    result.wait_for(timeout=10_000)
    assert "networks/macvlan" in result.get_attribute("href")
