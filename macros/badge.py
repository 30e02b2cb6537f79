"""What a page says about its own verification: a badge, and the site-wide table."""

from __future__ import annotations

from .report import PageRecord, Report

NOT_VERIFIED = "not verified in this build"


def status_text(report: Report | None, page: str) -> str:
    """What the last test run verified on ``page``, in a few words."""
    record = report.pages.get(page) if report else None
    if report is None or record is None:
        return NOT_VERIFIED
    return f"{_summary(record)} · {report.date}"


def badge_markdown(report: Report | None, page: str, link: str) -> str:
    """One line under the page title, linking to the verification page."""
    record = report.pages.get(page) if report else None
    kind = "cnv-badge--none" if record is None else _kind(record)
    text = status_text(report, page)
    return f'[{text}]({link}){{ .cnv-badge .{kind} title="How this page was verified" }}\n'


def _summary(record: PageRecord) -> str:
    passed, skipped, failed = (record.count(s) for s in ("passed", "skipped", "failed"))
    noun = "step" if passed == 1 else "steps"
    parts = [f"{passed} {noun} verified on Docker Engine {record.engine}"]
    if skipped:
        needs = sorted(
            {
                name.strip()
                for step in record.steps
                if step.status == "skipped"
                for name in step.reason.split(" (")[0].removeprefix("needs ").split(",")
            }
        )
        parts.append(f"{skipped} skipped: needs {', '.join(needs)}")
    if failed:
        parts.append(f"{failed} FAILED")
    return " · ".join(parts)


def _kind(record: PageRecord) -> str:
    if record.count("failed") or record.topology == "failed":
        return "cnv-badge--failed"
    return "cnv-badge--skipped" if record.count("skipped") else "cnv-badge--ok"


def table_markdown(report: Report | None) -> str:
    """Every page and step of the last run, for the "How this site is verified" page."""
    if report is None:
        return (
            f'!!! warning "{NOT_VERIFIED.capitalize()}"\n\n    No test report was found '
            "when this site was built. Run `./scripts/test`, then build again.\n"
        )
    lines = [
        f"Last run: **{report.date}**, kernel `{report.kernel}`.\n",
        "| page | step | host | result | seconds | reason |",
        "|---|---|---|---|---|---|",
    ]
    for record in sorted(report.pages.values(), key=lambda r: r.page):
        for step in record.steps:
            reason = step.reason.replace("|", "\\|").replace("\n", " ")[:160]
            lines.append(
                f"| `{record.page}` | `{step.snippet}` | {step.host} | {step.status} "
                f"| {step.seconds:.2f} | {reason} |"
            )
    return "\n".join(lines) + "\n"
