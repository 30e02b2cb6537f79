"""The home page's map: every section of the site's nav, its pages and their verified status.

The nav in ``mkdocs.yml`` is the only list of pages; this reads it as mkdocs parsed it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

Nav = list[Any]
"""``config["nav"]``: items are ``"page.md"``, ``{title: "page.md"}`` or ``{title: [items]}``."""


def nav_sections(nav: Nav) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Each top-level section of the nav with its pages (title, path), nested ones flattened.

    Pages at the top level (the home page, the verification page) are not in a section.
    """
    for item in nav:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    yield title, list(_pages(value, ""))


def _pages(items: Nav, prefix: str) -> Iterator[tuple[str, str]]:
    for item in items:
        entries = item.items() if isinstance(item, dict) else [(None, item)]
        for title, value in entries:
            if isinstance(value, list):
                yield from _pages(value, f"{prefix}{title} / ")
            elif isinstance(value, str) and value.endswith(".md"):
                yield f"{prefix}{title or value}", value


def outline_markdown(nav: Nav, status: Callable[[str], str], from_page: str) -> str:
    """One table per nav section: page and what the last test run verified on it."""
    parts = []
    for section, pages in nav_sections(nav):
        rows = [f"### {section}\n", "| topic | verified |", "|---|---|"]
        for title, page in pages:
            link = os.path.relpath(page, os.path.dirname(from_page))
            rows.append(f"| [{title}]({link}) | {status(page)} |")
        parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"
