"""What a page says about its own verification: a badge, and the site-wide table."""

from __future__ import annotations

import html
from dataclasses import dataclass

from .markdown_text import literal
from .paths import DOCS_DIR
from .record import changes_since_verified
from .report import Comparison, PageRecord, Report, Status
from .snippets.pages import page_includes

NOT_VERIFIED = "not verified in this build"
PROSE = "prose: nothing on this page is verified by this site"
"""For a page without steps: there is nothing a test run could have verified."""
CHANGED = "changed since it was verified"


@dataclass(frozen=True)
class PageStatus:
    """A page's last record, and what was edited on the page since (if anything)."""

    record: PageRecord | None
    changes: tuple[str, ...] = ()
    prose: bool = False
    """The page has no steps: nothing on it is verified, whatever the report holds."""

    @property
    def verified(self) -> bool:
        """Whether the record is about the page as it is now."""
        return self.record is not None and not self.changes and not self.prose


def page_status(report: Report | None, page: str) -> PageStatus:
    """The status of ``page`` (a path under ``docs/``) against the report."""
    path = DOCS_DIR / page
    if path.is_file() and not page_includes(path):
        return PageStatus(None, prose=True)
    record = report.pages.get(page) if report else None
    if record is None:
        return PageStatus(None)
    return PageStatus(record, tuple(changes_since_verified(record, DOCS_DIR / page)))


def status_text(status: PageStatus) -> str:
    """What the last test run verified on a page, in a few words."""
    if status.prose:
        return PROSE
    if status.record is None:
        return NOT_VERIFIED
    if status.changes:
        return literal(f"{CHANGED} on {status.record.date}")
    return literal(f"{_summary(status.record)} · {status.record.date}")


def badge_markdown(status: PageStatus, link: str) -> str:
    """One line under the page title, linking to the verification page."""
    title = "; ".join(status.changes) if status.changes else "How this page was verified"
    title = html.escape(title)
    return (
        f"[{status_text(status)}]({link}){{ .cnv-badge .cnv-badge--{_kind(status)} "
        f'title="{title}" }}\n'
    )


def _summary(record: PageRecord) -> str:
    passed = sum(step.status.verified for step in record.steps)
    skipped, failed = record.count(Status.SKIPPED), record.count(Status.FAILED)
    noun = "step" if passed == 1 else "steps"
    where = f"Docker Engine {record.engine}" + (f", {record.kernel}" if record.kernel else "")
    parts = [f"{passed} {noun} verified on {where}"]
    if skipped:
        needs = sorted({name for step in record.steps for name in step.missing})
        parts.append(f"{skipped} skipped: needs {', '.join(needs)}")
    if failed:
        parts.append(f"{failed} FAILED")
    if record.topology in (Comparison.DIFFERS, Comparison.NOT_COMPARED):
        parts.append(f"diagram {record.topology}")
    return " · ".join(parts)


def _kind(status: PageStatus) -> str:
    record = status.record
    if status.prose:
        return "prose"
    if record is None:
        return "none"
    if status.changes:
        return "changed"
    if record.count(Status.FAILED) or record.topology in (
        Comparison.DIFFERS,
        Comparison.NOT_COMPARED,
    ):
        return "failed"
    return "skipped" if record.count(Status.SKIPPED) else "ok"


def table_markdown(report: Report | None) -> str:
    """Every page and step of the last runs, for the "How this site is verified" page."""
    if report is None:
        return (
            f'!!! warning "{NOT_VERIFIED.capitalize()}"\n\n    No test report was found '
            "when this site was built. Run `./scripts/test`, then build again.\n"
        )
    pages = [
        "| page | date | engine | kernel | result | diagram |",
        "|---|---|---|---|---|---|",
    ]
    steps = ["| page | step | host | result | seconds | reason |", "|---|---|---|---|---|---|"]
    for record in sorted(report.pages.values(), key=lambda r: r.page):
        status = page_status(report, record.page)
        cells = [record.page, record.date, record.engine, record.kernel]
        summary = status_text(status).removesuffix(f" · {literal(record.date)}")
        pages.append(f"| {' | '.join(map(literal, cells))} | {summary} | {record.topology} |")
        for step in record.steps:
            reason = ", ".join(f"needs {name}" for name in step.missing) or step.reason
            cells = [record.page, step.snippet, step.host, step.status, f"{step.seconds:.2f}"]
            cells.append(" ".join(reason.split())[:160])
            steps.append("| " + " | ".join(map(literal, cells)) + " |")
    return "\n".join(pages) + "\n\n" + "\n".join(steps) + "\n"
