"""The verification record: what the test runs did, per page and step, for the site to show.

Each page keeps the record of its own last run: date, engine, kernel, a content hash of
every snippet, daemon configuration and spec it was run with, and the order of its steps, so
a page edited or reordered since shows "changed since it was verified" instead of a green it
no longer earns. Runs write their pages into the shared report under a file lock, merging
with what is on disk, and replace the file atomically, so two runs that finish at once both
keep their pages. Without a report a page says so plainly
("not verified in this build").
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from .paths import CACHE_DIR, relative
from .snippets.errors import SnippetError

SCHEMA = 3
"""Version of the report's JSON layout that runs write."""
READABLE = (2, SCHEMA)
"""Layouts that are read. Schema 2 kept no daemon configurations and no step order: its
records read with ``None`` for both, and such a page counts as changed."""
OLDER_LAYOUT = "not recorded by the run (a schema 2 record)"


def report_path() -> Path:
    """Where the report lives: ``$CNV_REPORT``, else ``.cache/verification/report.json``."""
    return Path(os.environ.get("CNV_REPORT", CACHE_DIR / "verification" / "report.json"))


class Status(StrEnum):
    """How one step of a run went."""

    PASSED = "passed"
    UPDATED = "updated"
    """Its output differed and the update mode recorded the real output."""
    FAILED = "failed"
    SKIPPED = "skipped"
    """A capability it requires is missing (``StepRecord.missing`` names which)."""
    NOT_RUN = "not run"
    """An earlier step failed."""
    UNCHECKED = "unchecked"
    """A teardown step run after a failure; its output was not compared."""

    @property
    def verified(self) -> bool:
        """Whether the step ran and printed what its snippet says."""
        return self in (Status.PASSED, Status.UPDATED)


class Comparison(StrEnum):
    """Whether the engine's live state was held to the page's diagrams."""

    MATCHED = "matched"
    DIFFERS = "differs"
    NOT_COMPARED = "not compared"
    """The page has diagrams, but the run stopped before the comparison."""
    NO_DIAGRAM = "no diagram"


def fingerprint(text: str) -> str:
    """A short content hash: 16 hex digits of SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class StepRecord:
    """One step's outcome as the site shows it."""

    snippet: str
    host: str
    status: Status
    reason: str = ""
    seconds: float = 0.0
    missing: tuple[str, ...] = ()
    """The capabilities a skipped step needed and this kernel lacked."""
    sha: str = ""
    """``fingerprint`` of the snippet file the step ran from."""


@dataclass
class PageRecord:
    """One page's last run: when, on which engine and kernel, its steps and its diagrams."""

    page: str
    date: str
    engine: str
    kernel: str
    """Where the page ran: ``Linux 6.18``, or ``Linux 6.1, user-mode`` in a guest."""
    steps: list[StepRecord] = field(default_factory=list)
    topology: Comparison = Comparison.NO_DIAGRAM
    specs: dict[str, str] = field(default_factory=dict)
    """``fingerprint`` of each topology spec the page drew, by spec name."""
    lab_up: float = 0.0
    lab_down: float = 0.0
    daemon: dict[str, str] | None = None
    """``fingerprint`` of each daemon configuration file (``daemon.json``,
    ``daemon.nodeN.json``) of the page's snippet folder, by path; ``None``: not recorded."""
    order: list[str] | None = None
    """The page's snippets in the order the page includes them (which decides the run
    order); ``None``: not recorded."""

    def count(self, status: Status) -> int:
        return sum(step.status == status for step in self.steps)

    def step(self, name: str) -> StepRecord | None:
        """The record of the step called ``name`` (the snippet file's stem)."""
        return next((s for s in self.steps if Path(s.snippet).stem == name), None)

    def changes(self, now: PageState) -> list[str]:
        """What differs from the page as it is ``now``.

        Empty only when the page's steps, their order, its daemon configurations and its
        diagrams are exactly those this record verified; what the record lacks counts as
        changed.
        """
        ran = {step.snippet: step.sha for step in self.steps}
        return [
            *_differences("snippet", ran, now.snippets),
            *_differences("topology spec", self.specs, now.specs),
            *_daemon_changes(self.daemon, now.daemon),
            *_order_changes(self.order, now.order),
        ]


@dataclass(frozen=True)
class PageState:
    """A page as it is on disk, in the terms of a ``PageRecord``."""

    snippets: dict[str, str]
    """``fingerprint`` of each step's snippet file, by path."""
    specs: dict[str, str]
    """``fingerprint`` of each topology spec the page draws, by name."""
    daemon: dict[str, str]
    """``fingerprint`` of each daemon configuration file, by path."""
    order: list[str]
    """The snippet paths in the order the page includes them."""


def _daemon_changes(then: dict[str, str] | None, now: dict[str, str]) -> Iterator[str]:
    if then is None:
        yield f"daemon configuration {OLDER_LAYOUT}"
    else:
        yield from _differences("daemon configuration", then, now)


def _order_changes(then: list[str] | None, now: list[str]) -> Iterator[str]:
    """A change of order among the steps both lists have (added or removed ones are
    reported as such)."""
    if then is None:
        yield f"step order {OLDER_LAYOUT}"
        return
    kept = set(then) & set(now)
    if [s for s in then if s in kept] != [s for s in now if s in kept]:
        yield "the steps were reordered"


def _differences(kind: str, then: dict[str, str], now: dict[str, str]) -> Iterator[str]:
    for name in sorted(then.keys() | now.keys()):
        if name not in now:
            yield f"{kind} {name} was removed"
        elif name not in then:
            yield f"{kind} {name} was added"
        elif then[name] != now[name]:
            yield f"{kind} {name} was edited"


@dataclass
class Report:
    """The last record of every page that has been run."""

    pages: dict[str, PageRecord] = field(default_factory=dict)


def load_report(path: Path | None = None) -> Report | None:
    """The report at ``path``, or ``None`` when no run of a ``READABLE`` layout wrote one.

    A file that is not a report (invalid JSON or UTF-8, missing or mistyped fields) is a
    ``SnippetError`` naming the file and line.
    """
    path = path or report_path()
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", 1)
        raise SnippetError(relative(path), line, f"not a verification report: {error}") from None
    if not isinstance(raw, dict) or raw.get("schema") not in READABLE:
        return None
    try:
        return Report({str(name): _page_from_json(page) for name, page in raw["pages"].items()})
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        message = f"not a verification report ({type(error).__name__}: {error})"
        raise SnippetError(relative(path), 1, message) from None


def save_pages(records: Iterable[PageRecord], path: Path | None = None) -> None:
    """Write ``records`` into the report at ``path``, keeping every other page's record.

    Under an exclusive lock the report on disk is read, merged and replaced atomically
    (a temporary file in the same folder, then ``os.replace``): concurrent runs each keep
    their pages, and a reader never sees half a file.
    """
    path = path or report_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path.with_name(path.name + ".lock")):
        report = _readable_report(path) or Report()
        report.pages.update((record.page, record) for record in records)
        data = {"schema": SCHEMA, "pages": {k: asdict(v) for k, v in sorted(report.pages.items())}}
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _readable_report(path: Path) -> Report | None:
    """The report to merge into: a file that is not a report is replaced, not kept."""
    try:
        return load_report(path)
    except SnippetError:
        return None


@contextmanager
def _locked(lock: Path) -> Iterator[None]:
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _page_from_json(raw: dict[str, Any]) -> PageRecord:
    """A page's record; a missing field or a value of the wrong kind raises."""
    return PageRecord(
        page=str(raw["page"]),
        date=str(raw["date"]),
        engine=str(raw["engine"]),
        kernel=str(raw["kernel"]),
        steps=[_step_from_json(step) for step in raw["steps"]],
        topology=Comparison(raw["topology"]),
        specs=_hashes(raw.get("specs", {})),
        lab_up=float(raw.get("lab_up", 0.0)),
        lab_down=float(raw.get("lab_down", 0.0)),
        daemon=_optional(raw.get("daemon"), _hashes),
        order=_optional(raw.get("order"), _strings),
    )


def _optional(value: Any, read: Callable[[Any], Any]) -> Any:
    """``read(value)``, or ``None`` for a field the record does not have (or has as null)."""
    return None if value is None else read(value)


def _hashes(raw: dict[str, Any]) -> dict[str, str]:
    return {str(name): str(sha) for name, sha in raw.items()}


def _strings(raw: list[Any]) -> list[str]:
    if not isinstance(raw, list):
        raise TypeError(f"expected a list, got {type(raw).__name__}")
    return [str(item) for item in raw]


def _step_from_json(raw: dict[str, Any]) -> StepRecord:
    return StepRecord(
        snippet=str(raw["snippet"]),
        host=str(raw["host"]),
        status=Status(raw["status"]),
        reason=str(raw.get("reason", "")),
        seconds=float(raw.get("seconds", 0.0)),
        missing=tuple(str(name) for name in raw.get("missing", ())),
        sha=str(raw.get("sha", "")),
    )
