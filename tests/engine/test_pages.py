"""Run every page's steps against a fresh engine, in order, and check its diagram."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.paths import DOCS_DIR, relative
from macros.report import PageRecord, Report, StepRecord
from macros.runner.record import record
from macros.runner.verify import PageVerification, verify_page
from macros.snippets.pages import all_pages, page_includes

PAGES = [page for page in all_pages() if page_includes(page)]


def page_record(verification: PageVerification) -> PageRecord:
    """The report entry the site's badge and verification table are built from."""
    steps = [
        StepRecord(str(r.step.path), r.step.host, r.status, r.reason, round(r.seconds, 3))
        for r in verification.results
    ]
    topology = "failed" if verification.run.checkpoint_failure else "matched"
    page = str(verification.page.relative_to(DOCS_DIR))
    timings = verification.lab_seconds
    return PageRecord(
        page,
        verification.engine_version,
        steps,
        topology,
        round(timings.get("up", 0.0), 3),
        round(timings.get("down", 0.0), 3),
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(DOCS_DIR)))
def test_page(page: Path, capabilities, update_snippets: bool, subtests, page_records) -> None:
    verification = verify_page(page, capabilities, update=update_snippets)
    report = Report.new()
    record_ = page_record(verification)
    report.pages[record_.page] = record_
    report.write()
    page_records.append(record_)
    for result in verification.results:
        with subtests.test(msg=result.step.name):
            if result.status == "skipped":
                pytest.skip(result.reason)
            assert result.status in {"passed", "updated"}, result.reason
    if update_snippets:
        diff = record(verification.results, verification.run.captures, verification.engine_version)
        print(diff or f"{relative(page)}: snippets already match the real output")
    assert not verification.run.checkpoint_failure, verification.run.checkpoint_failure
    assert all(r.status != "failed" for r in verification.results)
