"""The built site in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from macros.paths import DOCS_DIR, ROOT
from macros.snippets.pages import all_pages, load_page, page_includes, sample_captures
from macros.snippets.render import commands_text

CHROMIUM = (
    os.environ.get("CNV_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("google-chrome")
    or "/usr/bin/chromium"
)
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


@contextlib.contextmanager
def serve(site_dir: Path, port: int = 0) -> Iterator[str]:
    """Serve ``site_dir`` on 127.0.0.1 (``port`` 0: any free port) while the block runs."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 for the browser."""
    with serve(built_site) as url:
        yield url


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
    first = commands_text(steps[0])
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



@pytest.fixture(scope="module")
def site_at_its_own_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built for the address it is served at, as published (instant navigation
    only follows links that the sitemap, written with ``site_url``, lists)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    site_dir = tmp_path_factory.mktemp("published")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env={**os.environ, "CNV_SITE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    with serve(site_dir, port) as served:
        yield served


def test_instant_navigation_swaps_the_page_without_a_reload(browser, site_at_its_own_url: str):
    tab = browser.new_page()
    try:
        tab.goto(site_at_its_own_url, wait_until="networkidle")
        tab.evaluate("window.cnvSameDocument = true")
        tab.locator("nav.md-nav--primary a[href$='networks/bridge/']").first.click()
        tab.wait_for_url("**/networks/bridge/", timeout=10_000)
        tab.locator("h1", has_text="Bridge networks").wait_for(timeout=10_000)
        assert tab.evaluate("window.cnvSameDocument === true"), "the page was fully reloaded"
    finally:
        tab.close()
