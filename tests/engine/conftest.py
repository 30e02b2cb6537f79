"""Fixtures for tests that need real Docker engines: capabilities and the run report."""

from __future__ import annotations

import pytest

from macros.runner.page import Capability


@pytest.fixture(scope="session")
def capabilities() -> dict[str, Capability]:
    """What this kernel can do, probed once; printed at the start of the run."""
    from macros.lab.probes import probe_all

    return {name: Capability(probe.ok, probe.detail) for name, probe in probe_all().items()}


PAGE_RECORDS: list = []
"""Records of the pages this session ran, for the summary at the end."""


@pytest.fixture(scope="session")
def page_records() -> list:
    """Where test_pages leaves each page's record for the terminal summary."""
    return PAGE_RECORDS


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Per page: steps run, skipped (with reasons) and failed."""
    if not PAGE_RECORDS:
        return
    write = terminalreporter.write_line
    terminalreporter.section("verified pages")
    totals = {"passed": 0, "skipped": 0, "failed": 0}
    for record in PAGE_RECORDS:
        counts = {status: record.count(status) for status in totals}
        for status, count in counts.items():
            totals[status] += count
        write(
            f"{record.page:<36} run {counts['passed']:>3}  skipped {counts['skipped']:>3}  "
            f"failed {counts['failed']:>3}  topology {record.topology}"
        )
        for step in record.steps:
            if step.status == "skipped":
                write(f"    skipped {step.snippet}: {step.reason}")
    write(
        f"{'total':<36} run {totals['passed']:>3}  skipped {totals['skipped']:>3}  "
        f"failed {totals['failed']:>3}"
    )
