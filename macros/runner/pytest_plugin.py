"""pytest plugin for page runs: ``--update-snippets``, ``--kernel``, the report, the summary.

A test hands each finished page run to the ``finished_pages`` fixture. When the session
ends, after every test and teardown, the update mode writes the real output into the
snippets (and the diff is printed), then each page's record is written to the report, so
the fingerprints it stores are those of the snippets as they now are.

Loaded by ``tests/conftest.py``; another project or ``pytester`` loads it with
``-p macros.runner.pytest_plugin``.
"""

from __future__ import annotations

import pytest

from ..report import PageRecord, Status
from ..uml.lane import KERNEL_HELP, KERNELS
from .update import finish_runs
from .verify import PageVerification

FINISHED = pytest.StashKey[list[PageVerification]]()
RECORDS = pytest.StashKey[list[PageRecord]]()
DIFFS = pytest.StashKey[list[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snippets",
        action="store_true",
        help="rerun page steps and rewrite the snippets' expected output from the real run",
    )
    parser.addoption("--kernel", choices=KERNELS, default="auto", help=KERNEL_HELP)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[FINISHED] = []


@pytest.fixture(scope="session")
def update_snippets(request: pytest.FixtureRequest) -> bool:
    """Whether this session records real output into the snippets."""
    return bool(request.config.getoption("--update-snippets"))


@pytest.fixture(scope="session")
def kernel(request: pytest.FixtureRequest) -> str:
    """``--kernel``: ``auto``, ``host`` or ``uml`` (see ``macros.uml.lane``)."""
    return str(request.config.getoption("--kernel"))


@pytest.fixture(scope="session")
def finished_pages(request: pytest.FixtureRequest) -> list[PageVerification]:
    """Append each finished page run here; the session records them when it ends."""
    return request.config.stash[FINISHED]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """After the run: the update mode first, then the report from the files as they are."""
    config = session.config
    update = bool(config.getoption("--update-snippets"))
    config.stash[DIFFS], config.stash[RECORDS] = finish_runs(config.stash[FINISHED], update)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """The update mode's diff, then per page: steps run, skipped (and what they need), failed."""
    diffs = config.stash.get(DIFFS, [])
    if diffs:
        terminalreporter.section("update mode")
        terminalreporter.write("".join(diffs))
    records = config.stash.get(RECORDS, [])
    if not records:
        return
    write = terminalreporter.write_line
    terminalreporter.section("verified pages")
    totals = {"run": 0, "skipped": 0, "failed": 0}
    for record in records:
        counts = {
            "run": sum(step.status.verified for step in record.steps),
            "skipped": record.count(Status.SKIPPED),
            "failed": record.count(Status.FAILED),
        }
        totals = {kind: totals[kind] + counts[kind] for kind in totals}
        write(f"{record.page:<36} {_counts(counts)}  topology {record.topology}  ({record.kernel})")
        for step in record.steps:
            if step.status == Status.SKIPPED:
                write(f"    skipped {step.snippet}: needs {', '.join(step.missing)}")
    write(f"{'total':<36} {_counts(totals)}")


def _counts(counts: dict[str, int]) -> str:
    return "  ".join(f"{kind} {count:>3}" for kind, count in counts.items())
