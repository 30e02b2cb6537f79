"""One site build: the pages' macro calls rendered ahead of Jinja, the report, the diagrams.

``SiteBuild`` is created by ``define_env`` for every build and holds everything the build
shares; nothing lives in module globals. Before Jinja runs on a page, ``prepare`` reads the
page's calls (``page_calls``), checks its steps and specs and renders every call, so every
error is raised there, as a ``file:line: message`` build error; the macros Jinja then calls
only hand back what was prepared.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from .badge import PageStatus, badge_markdown, page_status, status_text, table_markdown
from .by_hand import by_hand_markdown
from .jinja_guard import check_page
from .notes import check_notes
from .outline import outline_markdown
from .page_calls import MacroCall
from .paths import CACHE_DIR, SNIPPETS_DIR, relative
from .report import Report, Status, StepRecord, load_report
from .snippets.errors import SnippetError
from .snippets.model import Snippet
from .snippets.pages import capture_sources, load_page, page_text, sample_captures
from .snippets.render import render_snippet
from .topology.model import Topology, TopologyError

DIAGRAM_DIR = "assets/diagrams"
VERIFICATION_PAGE = "verification.md"


@dataclass
class PreparedPage:
    """A page's macro calls, each already rendered to Markdown."""

    outputs: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)
    steps: list[Snippet] = field(default_factory=list)


class SiteBuild:
    """The state of one build: the report, the specs, the prepared pages, diagram counts."""

    def __init__(self, env: Any) -> None:
        self.env = env
        self.pages: dict[str, PreparedPage] = {}
        self.rendered = 0
        self.cached = 0
        self._specs: dict[str, Topology] | None = None
        self._statuses: dict[str, PageStatus] = {}

    def check_encodings(self) -> None:
        """Every page must be UTF-8: name the file and line here, before mkdocs reads it."""
        docs = Path(self.env.conf["docs_dir"])
        try:
            for page in sorted(docs.rglob("*.md")):
                page_text(page)
        except SnippetError as error:
            raise PluginError(str(error)) from None

    @functools.cached_property
    def report(self) -> Report | None:
        """The verification report this build shows (read once, on first use)."""
        return load_report()

    # --- before Jinja: every error surfaces here, with file and line ------------------------

    def prepare(self, page: Any) -> None:
        """Read ``page``'s calls and render each; a problem aborts the build with file:line."""
        try:
            self.pages[page.file.src_uri] = self._prepare(page)
        except SnippetError as error:
            raise PluginError(str(error)) from None

    def _prepare(self, page: Any) -> PreparedPage:
        path = Path(page.file.abs_src_path)
        text = page_text(path)
        calls = check_page(relative(path), text)
        check_notes(relative(path), text)
        steps = load_page(path, text) if any(c.name == "snippet" for c in calls) else []
        captures = sample_captures(steps)
        prepared = PreparedPage(steps=steps)
        for call in calls:
            key = (call.name, call.arguments)
            if key not in prepared.outputs:
                prepared.outputs[key] = self._render(page, path, call, steps, captures)
        return prepared

    def _render(
        self,
        page: Any,
        path: Path,
        call: MacroCall,
        steps: list[Snippet],
        captures: dict[str, str],
    ) -> str:
        if call.name == "snippet":
            wanted = relative(SNIPPETS_DIR / call.arguments[0])
            step = next(step for step in steps if step.path == wanted)
            multi_host = any(s.host != "node1" for s in steps)
            skipped = self.skipped_record(page.file.src_uri, str(step.path))
            return render_snippet(step, captures, multi_host, skipped, capture_sources(steps))
        if call.name == "topology":
            try:
                return self._diagram(page, call.arguments[0], steps)
            except TopologyError as error:
                raise SnippetError(relative(path), call.line, str(error)) from None
        if call.name == "site_outline":
            return outline_markdown(
                self.env.conf["nav"] or [],
                lambda uri: status_text(self.status(uri)),
                page.file.src_uri,
            )
        return table_markdown(self.report)

    def _diagram(self, page: Any, name: str, steps: list[Snippet]) -> str:
        """The spec ``name`` as a self-contained SVG figure (rendered once, then cached)."""
        from .topology.render import alt_text, caption, render_cached
        from .topology.specs import get_spec, load_specs
        from .topology.verdicts import edge_verdicts

        if self._specs is None:
            self._specs = load_specs()
        spec = get_spec(name, self._specs)
        status = self.status(page.file.src_uri)
        proven = status.record if status.verified else None
        verdicts = edge_verdicts(spec, steps, f"docs/{page.file.src_uri}", proven)
        if os.environ.get("CNV_NO_DIAGRAMS"):
            return f"*{caption(spec)}*\n"
        svg_path, hit = render_cached(spec, CACHE_DIR / "diagrams", verdicts)
        if hit:
            self.cached += 1
        else:
            self.rendered += 1
        uri = f"{DIAGRAM_DIR}/{svg_path.name}"
        files = self.env.variables["files"]
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(self.env.conf, uri, abs_src_path=str(svg_path)))
        link = os.path.relpath(uri, os.path.dirname(page.file.src_uri))
        return (
            f'[![{alt_text(spec, verdicts)}]({link}){{ .cnv-topology loading="lazy" }}]({link})\n\n'
            f"/// caption\n{caption(spec)}\n///\n"
        )

    def status(self, page: str) -> PageStatus:
        """The status of ``page`` (a path under ``docs/``) in this build's report."""
        if page not in self._statuses:
            self._statuses[page] = page_status(self.report, page)
        return self._statuses[page]

    def skipped_record(self, page: str, snippet: str) -> StepRecord | None:
        """The record of ``snippet`` if the last run of ``page`` skipped it."""
        record = self.status(page).record
        for step in record.steps if record else []:
            if step.snippet == snippet and step.status == Status.SKIPPED:
                return step
        return None

    # --- while and after Jinja -------------------------------------------------------------

    def output(self, name: str, *arguments: str) -> str:
        """What ``prepare`` rendered for this call on the current page."""
        return self.pages[self.env.page.file.src_uri].outputs[(name, arguments)]

    def add_badge(self) -> None:
        """Put the verification badge under the title of every page that has steps, and the
        prose badge under every topic page (one in a section folder) that has none."""
        page = self.env.page.file
        steps = self.pages[page.src_uri].steps
        if not steps and "/" not in page.src_uri:
            return  # the home page and the verification page
        link = os.path.relpath(VERIFICATION_PAGE, os.path.dirname(page.src_uri))
        badge = badge_markdown(self.status(page.src_uri), link) + by_hand_markdown(steps)
        head, newline, rest = self.env.markdown.partition("\n")
        if head.startswith("# "):
            self.env.markdown = f"{head}\n\n{badge}{newline}{rest}"
        else:
            self.env.markdown = f"{badge}\n{self.env.markdown}"

    def log_diagram_stats(self) -> None:
        """One line in the build log, e.g. ``diagrams: 0 rendered, 7 from cache``."""
        logging.getLogger("mkdocs.plugins.cnv").info(
            "diagrams: %d rendered, %d from cache", self.rendered, self.cached
        )


def register(env: Any) -> SiteBuild:
    """Create this build's state and define the macros on ``env``."""
    build = SiteBuild(env)
    build.check_encodings()

    @env.macro
    def snippet(target: str) -> str:
        """Include ``snippets/<target>`` as copyable commands plus their recorded output."""
        return build.output("snippet", target)

    @env.macro
    def topology(name: str) -> str:
        """Draw the page's topology spec as a self-contained SVG figure."""
        return build.output("topology", name)

    @env.macro
    def site_outline() -> str:
        """The course outline as tables of pages and their verified status."""
        return build.output("site_outline")

    @env.macro
    def verification_table() -> str:
        """The whole verification record of the last test run."""
        return build.output("verification_table")

    return build


__all__ = ["SiteBuild", "SnippetError", "register"]
