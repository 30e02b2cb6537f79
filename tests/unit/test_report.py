"""The verification record: per-page runs, merged writes, and what a changed page says."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pytest

from macros.badge import CHANGED, PageStatus, badge_markdown, page_status, status_text
from macros.paths import DOCS_DIR
from macros.record import changes_since_verified, page_record, page_state
from macros.report import (
    OLDER_LAYOUT,
    Comparison,
    PageRecord,
    Status,
    StepRecord,
    fingerprint,
    load_report,
    save_pages,
)
from macros.runner.page import PageRun
from macros.runner.verify import PageVerification
from macros.snippets import pages
from macros.snippets.pages import load_page, topology_names

BRIDGE = DOCS_DIR / "networks" / "bridge.md"
INCLUDES = ['{{ snippet("p/01-one.console") }}', '{{ snippet("p/02-two.console") }}']


def page_of(includes: list[str]) -> str:
    return "# P\n\n" + "\n\n".join(includes) + "\n"


class Bash:
    """A lab host that is a bash on this machine."""

    def shell_argv(self) -> list[str]:
        return ["bash", "--noprofile", "--norc"]


def record(page: str, date: str = "2026-11-27", *steps: StepRecord) -> PageRecord:
    return PageRecord(page, date, "28.5.2", "Linux 6.18", list(steps))


def as_verified_now(page: Path) -> PageRecord:
    """A record whose fingerprints are those of ``page`` as it is on disk."""
    state = page_state(load_page(page), topology_names(page))
    steps = [StepRecord(s, "node1", Status.PASSED, sha=sha) for s, sha in state.snippets.items()]
    return PageRecord(
        "networks/bridge.md",
        "2026-11-27",
        "28.5.2",
        "Linux 6.18",
        steps,
        Comparison.MATCHED,
        state.specs,
        daemon=state.daemon,
        order=state.order,
    )


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A page of two steps whose snippet folder has a ``daemon.json``."""
    folder = tmp_path / "snippets" / "p"
    folder.mkdir(parents=True)
    (folder / "01-one.console").write_text("$ echo one\none\n")
    (folder / "02-two.console").write_text("$ echo two\ntwo\n")
    (folder / "daemon.json").write_text('{"mtu": 1400}\n')
    monkeypatch.setattr(pages, "SNIPPETS_DIR", tmp_path / "snippets")
    path = tmp_path / "p.md"
    path.write_text(page_of(INCLUDES))
    return path


def finished(
    page: Path, topologies: list[str], checkpoint: Callable[[], None] | None = None
) -> PageVerification:
    """``page`` run on this machine's bash, as the runner would, drawing ``topologies``."""
    run = PageRun(load_page(page), {"node1": Bash()})
    run.run(checkpoint if topologies else None)
    return PageVerification(page, run, "28.5.2", topologies=topologies, kernel="Linux 6.18")


def test_a_write_keeps_the_other_pages_and_their_dates(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    save_pages([record("a.md", "2026-11-01"), record("b.md", "2026-11-01")], path)
    save_pages([record("b.md", "2026-11-28")], path)
    report = load_report(path)
    assert report is not None
    assert {name: page.date for name, page in report.pages.items()} == {
        "a.md": "2026-11-01",
        "b.md": "2026-11-28",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "report.json.lock"]


def _write_one(path: str, page: str) -> None:
    save_pages([record(page)], Path(path))


def test_runs_that_finish_at_once_all_keep_their_pages(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    pages = [f"p{n}.md" for n in range(12)]
    with multiprocessing.get_context("fork").Pool(6) as pool:
        pool.starmap(_write_one, [(str(path), page) for page in pages])
    report = load_report(path)
    assert report is not None and sorted(report.pages) == sorted(pages)


def test_statuses_and_missing_capabilities_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    skipped = StepRecord("s/x.console", "node2", Status.SKIPPED, "ipvs: no", missing=("ipvs",))
    save_pages([record("a.md", "2026-11-27", skipped)], path)
    report = load_report(path)
    assert report is not None
    (step,) = report.pages["a.md"].steps
    assert (step.status, step.missing) == (Status.SKIPPED, ("ipvs",))
    assert report.pages["a.md"].topology is Comparison.NO_DIAGRAM


def test_a_report_of_another_layout_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text('{"date": "2026-11-27", "kernel": "6.18", "pages": {}}')
    assert load_report(path) is None


def test_the_badge_names_each_missing_capability_once() -> None:
    steps = [
        StepRecord("a", "node1", Status.PASSED),
        StepRecord("b", "node1", Status.SKIPPED, "ipvlan: no", missing=("ipvlan",)),
        StepRecord(
            "c", "node1", Status.SKIPPED, "ipvlan: no; vlan: no", missing=("ipvlan", "vlan")
        ),
    ]
    assert status_text(PageStatus(record("p.md", "2026-11-27", *steps))) == (
        "1 step verified on Docker Engine 28.5.2, Linux 6.18 · 2 skipped: needs ipvlan, vlan "
        "· 2026-11-27"
    )


def test_a_page_that_stopped_before_its_diagram_is_not_green() -> None:
    stopped = record("p.md", "2026-11-27", StepRecord("a", "node1", Status.PASSED))
    stopped.topology = Comparison.NOT_COMPARED
    badge = badge_markdown(PageStatus(stopped), "../verification.md")
    assert "diagram not compared" in badge and "cnv-badge--failed" in badge


def test_a_record_of_the_page_as_it_is_shows_no_change() -> None:
    assert changes_since_verified(as_verified_now(BRIDGE), BRIDGE) == []


def test_an_edited_snippet_or_spec_is_a_change() -> None:
    edited = as_verified_now(BRIDGE)
    edited.steps[2].sha = "0" * 16
    edited.specs["bridge"] = "1" * 16
    assert changes_since_verified(edited, BRIDGE) == [
        f"snippet {edited.steps[2].snippet} was edited",
        "topology spec bridge was edited",
    ]
    dropped = as_verified_now(BRIDGE)
    del dropped.steps[-1]
    (change,) = changes_since_verified(dropped, BRIDGE)
    assert change.endswith("was added")


def test_a_changed_page_says_so_instead_of_green(tmp_path: Path) -> None:
    edited = as_verified_now(BRIDGE)
    edited.steps[0].sha = "0" * 16
    path = tmp_path / "report.json"
    save_pages([edited], path)
    status = page_status(load_report(path), "networks/bridge.md")
    assert status_text(status) == f"{CHANGED} on 2026-11-27"
    assert "cnv-badge--changed" in badge_markdown(status, "../verification.md")


def test_a_run_records_its_daemon_configuration_and_step_order(page: Path) -> None:
    record = page_record(finished(page, []))
    folder = page.parent / "snippets" / "p"
    assert record.daemon == {str(folder / "daemon.json"): fingerprint('{"mtu": 1400}\n')}
    assert record.order == [str(folder / "01-one.console"), str(folder / "02-two.console")]
    assert changes_since_verified(record, page) == []


def test_an_edited_or_added_daemon_configuration_is_a_change(page: Path) -> None:
    record = page_record(finished(page, []))
    folder = page.parent / "snippets" / "p"
    (folder / "daemon.json").write_text('{"mtu": 1450}\n')
    assert changes_since_verified(record, page) == [
        f"daemon configuration {folder / 'daemon.json'} was edited"
    ]
    (folder / "daemon.json").write_text('{"mtu": 1400}\n')
    (folder / "daemon.node2.json").write_text('{"bip": "10.20.0.1/24"}\n')
    assert changes_since_verified(record, page) == [
        f"daemon configuration {folder / 'daemon.node2.json'} was added"
    ]


def test_reordered_includes_are_a_change(page: Path) -> None:
    record = page_record(finished(page, []))
    page.write_text(page_of(INCLUDES[::-1]))
    assert changes_since_verified(record, page) == ["the steps were reordered"]


def test_a_schema_2_report_reads_and_its_pages_count_as_changed(tmp_path: Path) -> None:
    old = asdict(as_verified_now(BRIDGE))
    del old["daemon"], old["order"]
    path = tmp_path / "report.json"
    path.write_text(json.dumps({"schema": 2, "pages": {"networks/bridge.md": old}}))
    save_pages([record("other.md")], path)  # a run of another page keeps it as it was
    report = load_report(path)
    assert report is not None and report.pages["networks/bridge.md"].daemon is None
    status = page_status(report, "networks/bridge.md")
    assert status.changes == (
        f"daemon configuration {OLDER_LAYOUT}",
        f"step order {OLDER_LAYOUT}",
    )
    assert status_text(status) == f"{CHANGED} on 2026-11-27"


def _differs() -> None:
    raise AssertionError("network demo-net: subnet differs")


@pytest.mark.parametrize(
    ("topologies", "first_step", "checkpoint", "expected"),
    [
        ([], "$ echo one\none\n", None, Comparison.NO_DIAGRAM),
        (["bridge"], "$ echo one\nnot what it prints\n", lambda: None, Comparison.NOT_COMPARED),
        (["bridge"], "$ echo one\none\n", lambda: None, Comparison.MATCHED),
        (["bridge"], "$ echo one\none\n", _differs, Comparison.DIFFERS),
    ],
    ids=["no-diagram", "stopped-before-the-comparison", "matched", "differs"],
)
def test_the_diagram_is_matched_only_when_the_comparison_ran_and_found_nothing(
    page: Path,
    topologies: list[str],
    first_step: str,
    checkpoint: Callable[[], None] | None,
    expected: Comparison,
) -> None:
    (page.parent / "snippets" / "p" / "01-one.console").write_text(first_step)
    record = page_record(finished(page, topologies, checkpoint))
    assert record.topology is expected
    green = "cnv-badge--ok" in badge_markdown(PageStatus(record), "v.md")
    assert green is (expected in (Comparison.NO_DIAGRAM, Comparison.MATCHED))
