"""The macros pages call, bound to an mkdocs-macros environment."""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

from .badge import badge_markdown, table_markdown
from .outline import outline_markdown
from .paths import CACHE_DIR, SNIPPETS_DIR, relative
from .report import Report, load_report
from .snippets.errors import SnippetError
from .snippets.model import Snippet
from .snippets.pages import load_page, page_includes, sample_captures
from .snippets.render import render_snippet

DIAGRAM_DIR = "assets/diagrams"
MACROS = {"snippet", "topology", "verification_table", "site_outline"}
VERIFICATION_PAGE = "verification.md"


class DiagramStats:
    """How many diagrams a build rendered and how many came from the cache."""

    rendered = 0
    cached = 0


def register(env: Any) -> None:
    """Define ``snippet(path)`` and ``topology(name)`` on ``env``."""

    @env.macro
    def snippet(target: str) -> str:
        """Include ``snippets/<target>`` as copyable commands plus their recorded output."""
        steps, captures = page_steps(Path(env.page.file.abs_src_path))
        wanted = relative(SNIPPETS_DIR / target)
        step = next(step for step in steps if step.path == wanted)
        multi_host = any(s.host != "node1" for s in steps)
        skipped = skip_reason(env.page.file.src_uri, str(step.path))
        return render_snippet(step, captures, multi_host, skipped)

    @env.macro
    def site_outline() -> str:
        """The course outline as tables of pages and their verified status."""
        return outline_markdown(build_report(), env.page.file.src_uri)

    @env.macro
    def verification_table() -> str:
        """The whole verification record of the last test run."""
        return table_markdown(build_report())

    @env.macro
    def topology(name: str) -> str:
        """Draw the page's topology spec as a self-contained SVG figure."""
        from .topology.render import alt_text, caption, render_cached
        from .topology.specs import get_spec

        spec = get_spec(name)
        if os.environ.get("CNV_NO_DIAGRAMS"):
            return f"*{caption(spec)}*\n"
        svg_path, hit = render_cached(spec, CACHE_DIR / "diagrams")
        if hit:
            DiagramStats.cached += 1
        else:
            DiagramStats.rendered += 1
        uri = f"{DIAGRAM_DIR}/{svg_path.name}"
        files = env.variables["files"]
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(env.conf, uri, abs_src_path=str(svg_path)))
        link = os.path.relpath(uri, os.path.dirname(env.page.file.src_uri))
        return (
            f'[![{alt_text(spec)}]({link}){{ .cnv-topology loading="lazy" }}]({link})\n\n'
            f"/// caption\n{caption(spec)}\n///\n"
        )


# This module is imported afresh for every build (see ``macros.define_env``), so these
# caches live for one build: each page is parsed once, not once per include, and the
# report is read once, not once per step and page.


@functools.cache
def page_steps(page: Path) -> tuple[list[Snippet], dict[str, str]]:
    """A page's checked steps and the capture values of their recorded samples."""
    steps = load_page(page)
    return steps, sample_captures(steps)


@functools.cache
def build_report() -> Report | None:
    """The verification report this build shows."""
    return load_report()


def skip_reason(page: str, snippet: str) -> str:
    """Why the last test run skipped ``snippet`` on ``page`` ("" if it did not)."""
    report = build_report()
    record = report.pages.get(page) if report else None
    for step in record.steps if record else []:
        if step.snippet == snippet and step.status == "skipped":
            return step.reason
    return ""


def log_diagram_stats() -> None:
    """One line in the build log, e.g. ``diagrams: 0 rendered, 7 from cache``."""
    logging.getLogger("mkdocs.plugins.cnv").info(
        "diagrams: %d rendered, %d from cache", DiagramStats.rendered, DiagramStats.cached
    )


def add_badge(env: Any) -> None:
    """Put the verification badge under the title of every page that has steps."""
    page = env.page.file
    if not page_includes(Path(page.abs_src_path)):
        return
    link = os.path.relpath(VERIFICATION_PAGE, os.path.dirname(page.src_uri))
    badge = badge_markdown(build_report(), page.src_uri, link)
    head, newline, rest = env.markdown.partition("\n")
    if head.startswith("# "):
        env.markdown = f"{head}\n\n{badge}{newline}{rest}"
    else:
        env.markdown = f"{badge}\n{env.markdown}"


__all__ = ["DiagramStats", "SnippetError", "register"]
