"""The kernel lane's choice of kernel, its labels and the page run's trip through JSON."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from macros.paths import ROOT
from macros.report import Status
from macros.runner.page import Capability, PageRun, StepResult
from macros.runner.session import Outcome
from macros.runner.verify import PageVerification, kernel_label
from macros.snippets.parse import parse_snippet
from macros.uml import guest, lane, wire


def _step(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return parse_snippet(path)


@pytest.fixture
def steps(tmp_path: Path):
    return [
        _step(tmp_path, "01-a.console", "$ echo hi\nhi\n"),
        _step(tmp_path, "02-b.console", "#| requires: ipvlan, swarm\n$ echo x\nx\n"),
    ]


def test_auto_stays_on_the_host_kernel_when_it_has_every_feature(steps) -> None:
    caps = {"ipvlan": Capability(True), "swarm": Capability(True)}
    assert lane.choose("auto", steps, caps) == "host"


def test_auto_moves_to_the_guest_for_a_missing_kernel_feature(steps, monkeypatch) -> None:
    monkeypatch.setattr(guest, "missing", lambda: "")
    caps = {"ipvlan": Capability(False, "no"), "swarm": Capability(True)}
    assert lane.choose("auto", steps, caps) == "uml"


def test_auto_stays_when_the_guest_cannot_help(steps, monkeypatch) -> None:
    monkeypatch.setattr(guest, "missing", lambda: "")
    caps = {"ipvlan": Capability(True), "swarm": Capability(False, "no dockerd")}
    assert lane.choose("auto", steps, caps) == "host"
    monkeypatch.setattr(guest, "missing", lambda: "no linux.uml")
    assert lane.choose("auto", steps, {"ipvlan": Capability(False, "no")}) == "host"


def test_explicit_kernels_and_a_bad_one(steps) -> None:
    assert lane.choose("uml", steps, {}) == "uml"
    assert lane.choose("host", steps, {"ipvlan": Capability(False)}) == "host"
    with pytest.raises(ValueError, match="--kernel must be one of auto, host, uml"):
        lane.choose("kvm", steps, {})


def test_kernel_labels() -> None:
    assert kernel_label("6.18.44-fc-v782", user_mode=False) == "Linux 6.18"
    assert kernel_label("6.1.176", user_mode=True) == "Linux 6.1, user-mode"


def test_a_page_run_survives_the_trip_from_the_guest(steps) -> None:
    run = PageRun(steps, {}, {})
    run.captures = {"net_id": "3f0c"}
    run.results = [
        StepResult(steps[0], Status.PASSED, "", 0.5, [Outcome("hi", 0, 0.4)]),
        StepResult(steps[1], Status.SKIPPED, "no ipvs", 0.0, [], ("ipvs",)),
    ]
    run.checkpoint_ran = True
    sent = PageVerification(
        Path("p.md"), run, "28.5.2", {"up": 3.0}, ["load-balancing"], "Linux 6.1, user-mode"
    )
    back = wire.load(wire.dump(sent), Path("p.md"), steps, update=True)
    assert back.kernel == "Linux 6.1, user-mode" and back.engine_version == "28.5.2"
    assert back.topologies == ["load-balancing"] and back.run.checkpoint_ran
    assert back.run.captures == {"net_id": "3f0c"} and back.run.update
    assert [(r.step, r.status, r.outcomes, r.missing) for r in back.results] == [
        (r.step, r.status, r.outcomes, r.missing) for r in run.results
    ]
    assert all(isinstance(r.status, Status) for r in back.results)


def test_a_step_the_host_does_not_know_is_refused(steps) -> None:
    data = wire.dump(PageVerification(Path("p.md"), PageRun(steps, {}, {}), "28", {}, [], ""))
    data["results"] = [{"step": "elsewhere.console"}]
    with pytest.raises(ValueError, match=r"elsewhere\.console"):
        wire.load(data, Path("p.md"), steps, update=False)


def test_the_guest_has_no_network_device_and_a_read_only_root() -> None:
    argv = guest.Guest({"kind": "page"}).argv() if guest.module_dir() else []
    if not argv:
        pytest.skip("user-mode-linux is not installed")
    assert "ro" in argv and "rootflags=/" in argv
    assert not [a for a in argv if a.startswith(("eth", "vec", "ubd"))]


def test_the_troubleshooting_page_shows_the_probes_as_they_run() -> None:
    """The reader's kernel check runs the very commands the lab's probes run."""
    from macros.lab.probes import LINK_PROBES
    from macros.paths import SNIPPETS_DIR

    shown = (SNIPPETS_DIR / "troubleshooting/09-kernel-check.console").read_text()
    for name, script in LINK_PROBES.items():
        assert script.replace("'", "") in shown.replace("'", ""), name
    assert "/proc/net/ip_vs" in shown


def test_the_badge_and_the_table_name_the_kernel_a_page_ran_on() -> None:
    from macros.badge import PageStatus, status_text, table_markdown
    from macros.report import PageRecord, Report, StepRecord

    steps = [StepRecord("snippets/ipvlan/01-parent.console", "node1", Status.PASSED)]
    record = PageRecord("networks/ipvlan.md", "2026-11-28", "28.5.2", "Linux 6.1, user-mode", steps)
    report = Report({"networks/ipvlan.md": record})
    assert status_text(PageStatus(record)) == (
        "1 step verified on Docker Engine 28.5.2, Linux 6.1, user-mode · 2026-11-28"
    )
    assert "| 28.5.2 | Linux 6.1, user-mode |" in table_markdown(report)


def test_the_guest_queue_runs_two_guests_at_once_in_submission_order(monkeypatch) -> None:
    running, most, lock = [0], [0], threading.Lock()

    def fake_guest(page, steps, update, started):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        return page.name

    monkeypatch.setattr(lane, "verify_in_guest", fake_guest)
    queue = lane.GuestQueue()
    pages = [Path(f"docs/p{n}.md") for n in range(4)]
    for page in pages:
        queue.submit(page, [], False)
    try:
        assert [queue.result(page) for page in pages] == ["p0.md", "p1.md", "p2.md", "p3.md"]
    finally:
        queue.close()
    assert most[0] == lane.GUESTS_AT_ONCE == 2


@pytest.mark.parametrize(("kernel", "pages_last"), [("uml", True), ("host", False)])
def test_pages_for_the_guest_are_collected_last(kernel: str, pages_last: bool) -> None:
    """Their guests run beside the rest of the session, so the host never waits on one."""
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         f"--kernel={kernel}", "tests/engine/test_pages.py", "tests/unit/test_notes.py"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    ).stdout.splitlines()  # fmt: skip
    ids = [line for line in collected if "::" in line]
    pages = [n for n, line in enumerate(ids) if "test_pages.py" in line]
    assert pages and len(pages) < len(ids), ids
    assert (pages[0] > 0) == pages_last, ids
    assert pages == list(range(pages[0], pages[0] + len(pages))), "pages stay together"
