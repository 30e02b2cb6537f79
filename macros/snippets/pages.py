"""Which snippets a page includes, in order, checked as a whole."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..page_calls import MacroCall, page_calls
from ..paths import DOCS_DIR, SNIPPETS_DIR, relative
from .errors import SnippetError, read_source
from .match import fill_references, match_line
from .model import CAPTURE_REF, Location, Snippet
from .parse import parse_snippet


@dataclass(frozen=True)
class Include:
    """One ``{{ snippet("...") }}`` call in a page."""

    page: Path
    line: int
    target: str

    @property
    def path(self) -> Path:
        return SNIPPETS_DIR / self.target

    def checked_path(self) -> Path:
        """The snippet file, refused unless it is a ``.console`` file inside ``snippets/``."""
        target = PurePosixPath(self.target)
        resolved = self.path.resolve()
        if (
            target.is_absolute()
            or not resolved.is_relative_to(SNIPPETS_DIR.resolve())
            or target.suffix != ".console"
        ):
            raise SnippetError(
                self.page,
                self.line,
                f"snippet path {self.target!r} must name a .console file inside snippets/",
            )
        return self.path


def page_text(page: Path) -> str:
    """A page's Markdown source."""
    return read_source(page, "page", relative(page))


def page_includes(page: Path, text: str | None = None) -> list[Include]:
    """The snippet includes of ``page`` in the order the reader meets them."""
    text = page_text(page) if text is None else text
    return [
        Include(relative(page), call.line, call.arguments[0])
        for call in page_calls(relative(page), text)
        if call.name == "snippet"
    ]


def page_topologies(page: Path, text: str | None = None) -> list[MacroCall]:
    """The page's ``{{ topology(...) }}`` calls, in order (the spec name is ``arguments[0]``)."""
    text = page_text(page) if text is None else text
    return [call for call in page_calls(relative(page), text) if call.name == "topology"]


def topology_names(page: Path) -> list[str]:
    """The names of the specs the page draws, in order."""
    return [call.arguments[0] for call in page_topologies(page)]


def load_page(page: Path, text: str | None = None) -> list[Snippet]:
    """Parse every step of ``page`` and check them together.

    Errors name the page line for a missing or repeated include, and the snippet line for
    a capture used before any earlier step (or earlier line) defines it.
    """
    steps: list[Snippet] = []
    seen: dict[str, Include] = {}
    for include in page_includes(page, text):
        path = include.checked_path()
        if not path.is_file():
            raise SnippetError(
                include.page, include.line, f"included snippet {include.target!r} does not exist"
            )
        step = parse_snippet(relative(path), read_source(path, "snippet", relative(path)))
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


@dataclass(frozen=True)
class CaptureSource:
    """Where a capture was made: the host and the command whose output it comes from."""

    host: str
    command: str


def capture_sources(steps: list[Snippet]) -> dict[str, CaptureSource]:
    """For each capture name, the first command whose expected output defines it."""
    sources: dict[str, CaptureSource] = {}
    for step in steps:
        for command in step.commands:
            for line in command.expected:
                if line.kind == "re":
                    for name in re.compile(line.pattern).groupindex:
                        sources.setdefault(name, CaptureSource(step.host, command.text))
    return sources


def check_captures(steps: list[Snippet]) -> None:
    """Every ``%{name}`` must be captured once, by an earlier line of an ordinary step.

    Teardown steps run last and, after a failure, unchecked: a capture made there would
    not exist when anything needs it. A command may only use a capture made on another
    host: the page shows it as a placeholder to fill in (a reader's shell there cannot have
    the value). On the same host, a shell variable set by an earlier visible command runs
    as copied; use that.
    """
    defined: dict[str, tuple[Location, str]] = {}
    for step in steps:
        for command in step.commands:
            _check_refs(command.text, command.location, defined)
            for name in CAPTURE_REF.findall(command.text):
                if defined[name][1] == step.host:
                    raise SnippetError(
                        command.location.path,
                        command.location.line,
                        f"command uses capture %{{{name}}} made on the same host "
                        f"({step.host}): a reader's shell does not have it; set a shell "
                        "variable in an earlier command (NAME=$(...)) and use $NAME",
                    )
            for line in command.expected:
                _check_refs(
                    line.pattern if line.is_pattern else line.sample, line.location, defined
                )
                if line.kind != "re":
                    continue
                for name in re.compile(line.pattern).groupindex:
                    where = line.location
                    if step.teardown:
                        raise SnippetError(
                            where.path,
                            where.line,
                            f"capture %{{{name}}} is made in a teardown step: teardown steps run "
                            "last, and unchecked after a failure, so nothing can rely on it",
                        )
                    if name in defined:
                        raise SnippetError(
                            where.path,
                            where.line,
                            f"capture %{{{name}}} is defined twice (first at {defined[name][0]})",
                        )
                    defined[name] = (where, step.host)


def _check_refs(text: str, location: Location, defined: dict[str, tuple[Location, str]]) -> None:
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
                sample = line.sample if line.is_pattern else fill_references(line.sample, captures)
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
