"""Which snippets a page includes, in order, checked as a whole."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..paths import DOCS_DIR, SNIPPETS_DIR, relative
from .errors import SnippetError
from .match import fill_references, match_line
from .model import CAPTURE_REF, Location, Snippet
from .parse import parse_snippet

INCLUDE = re.compile(r"""\{\{-?\s*snippet\(\s*["'](?P<path>[^"']+)["']\s*\)\s*-?\}\}""")


@dataclass(frozen=True)
class Include:
    """One ``{{ snippet("...") }}`` call in a page."""

    page: Path
    line: int
    target: str

    @property
    def path(self) -> Path:
        return SNIPPETS_DIR / self.target


def page_includes(page: Path, text: str | None = None) -> list[Include]:
    """The snippet includes of ``page`` in the order the reader meets them."""
    text = page.read_text(encoding="utf-8") if text is None else text
    return [
        Include(relative(page), text.count("\n", 0, found.start()) + 1, found["path"])
        for found in INCLUDE.finditer(text)
    ]


def load_page(page: Path, text: str | None = None) -> list[Snippet]:
    """Parse every step of ``page`` and check them together.

    Errors name the page line for a missing or repeated include, and the snippet line for
    a capture used before any earlier step (or earlier line) defines it.
    """
    steps: list[Snippet] = []
    seen: dict[str, Include] = {}
    for include in page_includes(page, text):
        if not include.path.is_file():
            raise SnippetError(
                include.page, include.line, f"included snippet {include.target!r} does not exist"
            )
        step = parse_snippet(relative(include.path), include.path.read_text(encoding="utf-8"))
        if step.name in seen:
            first = seen[step.name]
            raise SnippetError(
                include.page,
                include.line,
                f"duplicate step name {step.name!r} (first included at line {first.line})",
            )
        seen[step.name] = include
        steps.append(step)
    check_captures(steps)
    return steps


def check_captures(steps: list[Snippet]) -> None:
    """Every ``%{name}`` must be captured by an earlier line of the page."""
    defined: set[str] = set()
    for step in steps:
        for command in step.commands:
            _check_refs(command.text, command.location, defined)
            for line in command.expected:
                _check_refs(
                    line.pattern if line.is_pattern else line.sample, line.location, defined
                )
                if line.kind == "re":
                    defined |= set(re.compile(line.pattern).groupindex)


def _check_refs(text: str, location: Location, defined: set[str]) -> None:
    for name in CAPTURE_REF.findall(text):
        if name not in defined:
            raise SnippetError(
                location.path, location.line, f"capture %{{{name}}} is used before it is defined"
            )


def sample_captures(steps: list[Snippet]) -> dict[str, str]:
    """The capture values of the recorded samples, so commands show realistic values.

    A sample that no longer matches its own pattern is an error: the file was edited by
    hand and the update mode must record it again.
    """
    captures: dict[str, str] = {}
    for step in steps:
        for command in step.commands:
            for line in command.expected:
                sample = fill_references(line.sample, captures)
                found = match_line(line, sample.rstrip(), captures)
                if found is None:
                    raise SnippetError(
                        line.location.path,
                        line.location.line,
                        f"sample {line.sample!r} does not match its own {line.kind} pattern "
                        "(run the update mode to record a real sample)",
                    )
                captures.update(found)
    return captures


def orphan_snippets(pages: list[Path], snippet_files: list[Path]) -> list[str]:
    """Messages for snippet files that no page includes (they would never be run)."""
    included = {include.path.resolve() for page in pages for include in page_includes(page)}
    return [
        f"{relative(path)}:1: snippet file is not included by any page, so it is never run"
        for path in snippet_files
        if path.resolve() not in included
    ]


def all_pages() -> list[Path]:
    """Every Markdown page of the site."""
    return sorted(DOCS_DIR.rglob("*.md"))


def all_snippet_files() -> list[Path]:
    """Every snippet file in the repository."""
    return sorted(SNIPPETS_DIR.rglob("*.console"))
