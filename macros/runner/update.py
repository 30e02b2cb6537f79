"""The update mode: write a finished run's real output back into its snippet files.

One implementation for ``pytest --update-snippets`` and ``python -m macros run --update``;
both call it after the run ended (teardown included), never from inside a step or a test.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from ..paths import ROOT
from ..record import page_record
from ..report import PageRecord, Status, save_pages
from ..snippets.errors import SnippetError
from ..snippets.model import Snippet
from ..snippets.pages import sample_captures
from ..snippets.update import unified_diff, updated_text
from .page import PageRun

if TYPE_CHECKING:
    from .verify import PageVerification


def finish_runs(
    finished: list[PageVerification], update: bool
) -> tuple[list[str], list[PageRecord]]:
    """After the runs: the update mode (with ``update``), then each page's record, written
    into the report from the snippets as they now are. Returns the diffs and the records."""
    diffs = [
        write_samples(page.run, page.engine_version)
        or f"{page.page}: snippets already match the real output\n"
        for page in (finished if update else [])
    ]
    records = [page_record(page) for page in finished]
    if records:
        save_pages(records)
    return diffs, records


def write_samples(run: PageRun, engine_version: str) -> str:
    """Rewrite every step of ``run`` that ran from its real output; return the combined diff.

    A step is rewritten when its output changed, or when it was never stamped (a step whose
    output is empty, or was typed and happened to match, gets its ``#| recorded:`` line).
    """
    results, captures = run.results, run.captures
    stamp = f"Docker Engine {engine_version}, {datetime.date.today().isoformat()}"
    keep_samples = samples_are_valid([result.step for result in results])
    diffs: list[str] = []
    for result in results:
        if result.status not in (Status.PASSED, Status.UPDATED) or not result.outcomes:
            continue
        path = ROOT / result.step.path
        old = path.read_text(encoding="utf-8")
        outputs = [(outcome.output, outcome.exit_status) for outcome in result.outcomes]
        new = updated_text(result.step, outputs, captures, stamp, keep_samples)
        unstamped = "#| recorded:" not in old
        if unstamped or _without_stamp(new) != _without_stamp(old):
            path.write_text(new, encoding="utf-8")
            diffs.append(unified_diff(old, new, str(result.step.path)))
    return "".join(diffs)


def samples_are_valid(steps: list[Snippet]) -> bool:
    """Whether the page's recorded samples all match their patterns, consistently."""
    try:
        sample_captures(steps)
    except SnippetError:
        return False
    return True


def _without_stamp(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("#| recorded:"))
