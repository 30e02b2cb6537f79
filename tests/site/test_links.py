"""Every internal link and anchor of the built site resolves."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from mkdocs.config import load_config

from macros.paths import ROOT


class LinkCollector(HTMLParser):
    """Collects ``href``/``src`` values and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in {"href", "src"}:
                self.links.append(value)


def parse(page: Path) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector


def target_file(site: Path, url: str, root: str = "/") -> Path:
    """The file ``url`` names in ``site``, published under the path ``root``."""
    path = unquote(urlparse(url).path)
    if path.startswith(root):  # absolute links (404.html) carry the site_url's path
        path = path[len(root) :]
    path = site / path.lstrip("/")
    return path / "index.html" if path.is_dir() or url.endswith("/") else path


def broken_links(built_site: Path, root: str = "/") -> tuple[int, list[str]]:
    """How many internal links the site has, and which of them do not resolve."""
    pages = sorted(built_site.rglob("*.html"))
    parsed = {page: parse(page) for page in pages}
    broken: list[str] = []
    checked = 0
    for page, collector in parsed.items():
        base = "/" + str(page.relative_to(built_site))
        for link in collector.links:
            if re.match(r"^(https?:|mailto:|data:|javascript:)", link) or not link:
                continue
            url = urljoin(base, link)
            target = target_file(built_site, url, root)
            checked += 1
            if not target.is_file():
                broken.append(f"{base}: {link} -> missing {target.relative_to(built_site)}")
                continue
            fragment = urlparse(url).fragment
            if fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{base}: {link} -> no anchor #{fragment}")
    return checked, broken


def test_internal_links_and_anchors_resolve(built_site: Path) -> None:
    site_path = urlparse(load_config(str(ROOT / "mkdocs.yml")).site_url).path
    checked, broken = broken_links(built_site, site_path)
    assert checked > 50
    assert not broken, "\n".join(broken)


def test_the_checker_finds_a_missing_page_and_anchor(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="b/">gone</a><a href="a/#nope">x</a>'
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">Here</h2>')
    checked, broken = broken_links(tmp_path)
    assert checked == 4
    assert broken == [
        "/index.html: b/ -> missing b/index.html",
        "/index.html: a/#nope -> no anchor #nope",
    ]
