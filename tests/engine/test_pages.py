"""Run every page's steps against a fresh engine, in order, and check its diagrams.

Each finished run goes to ``finished_pages``: when the session ends, the update mode (with
``--update-snippets``) and the report are written from it (see ``macros.runner.pytest_plugin``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.paths import DOCS_DIR
from macros.report import Status
from macros.snippets.pages import all_pages, page_includes
from macros.uml.lane import verify

PAGES = [page for page in all_pages() if page_includes(page)]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(DOCS_DIR)))
def test_page(
    page: Path,
    capabilities,
    update_snippets: bool,
    kernel: str,
    guest_queue,
    subtests,
    finished_pages,
) -> None:
    if page in guest_queue:
        verification = guest_queue.result(page)
    else:
        verification = verify(page, capabilities, kernel, update=update_snippets)
    finished_pages.append(verification)
    for result in verification.results:
        with subtests.test(msg=result.step.name):
            if result.status == Status.SKIPPED:
                pytest.skip(f"needs {', '.join(result.missing)} ({result.reason})")
            assert result.status.verified, result.reason
    assert not verification.run.checkpoint_failure, verification.run.checkpoint_failure
    assert all(r.status != Status.FAILED for r in verification.results)
