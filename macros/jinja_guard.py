"""Refuse everything in a page that is not a plain call of a site macro, before Jinja runs.

Docker's Go templates (``{{.Name}}``, ``{{json .}}``) look like Jinja expressions: typed into
a page they would be eaten or break it. Jinja statements, variables, attributes and filters
could run code at build time. The guard is the page model itself (``page_calls``): what it
cannot read as a macro call fails the build with the file and line.
"""

from __future__ import annotations

from pathlib import Path

from .page_calls import MacroCall, page_calls


def check_page(source: Path | str, text: str) -> list[MacroCall]:
    """The page's macro calls; ``SnippetError`` naming the first line that is anything else."""
    return page_calls(source, text)
