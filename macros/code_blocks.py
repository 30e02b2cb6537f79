"""Find code blocks typed into a page by hand: every command a page shows must be a snippet.

Asked of Python-Markdown itself, with the site's own extensions from ``mkdocs.yml``: the
page, its macro calls left out, is converted to HTML and every ``<pre>`` in it is a
hand-written block, whatever its Markdown form (fenced with backticks or tildes, with or
without a language, indented, or nested in a list or an admonition).
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

import markdown

from .page_calls import page_prose
from .paths import ROOT, relative
from .snippets.pages import page_text

PRE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.S)
TAG = re.compile(r"<[^>]+>")


@functools.cache
def _extensions() -> tuple[list, dict]:
    """The Markdown extensions and their settings the site builds with."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return list(config["markdown_extensions"]), dict(config["mdx_configs"])


def hand_written_code_blocks(page: Path) -> list[str]:
    """``file:line: code block ...`` for every code block the page itself contains."""
    text = page_text(page)
    extensions, configs = _extensions()
    converted = markdown.Markdown(extensions=extensions, extension_configs=configs)
    found = []
    for block in PRE.findall(converted.convert(page_prose(relative(page), text))):
        code = html.unescape(TAG.sub("", block))
        first = next((line.strip() for line in code.splitlines() if line.strip()), "")
        line = _line_of(text, first)
        found.append(f"{relative(page)}:{line}: hand-written code block: {first[:60]!r}")
    return found


def _line_of(text: str, content: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if content and content in line:
            return number
    return 1
