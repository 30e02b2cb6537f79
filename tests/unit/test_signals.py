"""SIGTERM and SIGHUP stop a run the way Ctrl-C does, with 128 + the signal as exit status."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from macros.paths import ROOT
from macros.runner.host_engine import run_then_clean_up
from macros.signals import STOP_SIGNALS

STOPPED_TEST = """
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.fixture
def resource():
    yield
    (HERE / "torn-down").write_text("fixture teardown ran")


def test_slow(resource):
    (HERE / "started").write_text("")
    time.sleep(60)
"""

LOAD_PROJECT_HOOKS = f"""
import importlib.util

_spec = importlib.util.spec_from_file_location("cnv_conftest", {str(ROOT / "tests/conftest.py")!r})
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)
pytest_configure = _conftest.pytest_configure
"""


def signal_when(
    argv: list[str], cwd: Path, started: Path, sig: signal.Signals, again: Path | None = None
) -> tuple[int, str]:
    """Run ``argv``; once ``started`` exists send ``sig`` (and again once ``again`` exists)."""
    run = subprocess.Popen(
        [sys.executable, *argv],
        cwd=cwd,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for marker in [started, again] if again else [started]:
            wait_for(marker)
            run.send_signal(sig)
        output, _ = run.communicate(timeout=60)
    finally:
        run.kill()
    return run.returncode, output


def wait_for(path: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path.exists(), f"{path.name} never appeared"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_pytest_tears_down_and_exits_with_the_signal(tmp_path: Path, sig: signal.Signals) -> None:
    (tmp_path / "test_stopped.py").write_text(STOPPED_TEST)
    (tmp_path / "conftest.py").write_text(LOAD_PROJECT_HOOKS)
    argv = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "test_stopped.py"]
    status, output = signal_when(argv, tmp_path, tmp_path / "started", sig)
    assert status == 128 + sig, output
    assert (tmp_path / "torn-down").read_text() == "fixture teardown ran"
    assert f"stopped by {sig.name}" in output


def test_a_second_signal_during_cleanup_is_swallowed(tmp_path: Path) -> None:
    """The first SIGTERM stops the run; one that arrives while it cleans up does not."""
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from macros.signals import run_stoppable\n"
        "def main():\n"
        "    try:\n"
        "        Path(sys.argv[1], 'started').write_text('')\n"
        "        time.sleep(60)\n"
        "    finally:\n"
        "        Path(sys.argv[1], 'cleaning').write_text('')\n"
        "        time.sleep(1)\n"
        "        Path(sys.argv[1], 'cleaned').write_text('')\n"
        "    return 0\n"
        "sys.exit(run_stoppable(main))\n"
    )
    argv = ["-c", script, str(tmp_path)]
    started, cleaning = tmp_path / "started", tmp_path / "cleaning"
    status, output = signal_when(argv, ROOT, started, signal.SIGTERM, again=cleaning)
    assert status == 128 + signal.SIGTERM, output
    assert (tmp_path / "cleaned").exists(), output
    assert "already cleaning up" in output


LANE_SCRIPT = """
import sys, time
from pathlib import Path
from macros.runner.host_engine import run_then_clean_up
from macros.signals import run_stoppable

here, page_waits = Path(sys.argv[1]), sys.argv[2] == "waits"


def page():
    (here / "started").write_text("")
    if page_waits:
        time.sleep(60)


def clean_up():
    (here / "cleaning").write_text("")
    time.sleep(1)
    (here / "cleaned").write_text("")


def main():
    run_then_clean_up(page, clean_up)
    return 0


sys.exit(run_stoppable(main))
"""
"""The host-engine lane's signal handling around a stub clean-up, run the way
``cnv run --host-engine`` runs it (``run_stoppable`` outside, the lane's handlers inside)."""


def run_lane(
    tmp_path: Path, sig: signal.Signals, page_waits: bool, when: str, again: bool = False
) -> tuple[int, str]:
    """Run the lane; send ``sig`` once ``when`` exists (and again once clean-up began)."""
    argv = ["-c", LANE_SCRIPT, str(tmp_path), "waits" if page_waits else "returns"]
    second = tmp_path / "cleaning" if again else None
    return signal_when(argv, ROOT, tmp_path / when, sig, again=second)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_the_host_engine_lane_cleans_up_and_exits_with_the_signal(
    tmp_path: Path, sig: signal.Signals
) -> None:
    status, output = run_lane(tmp_path, sig, page_waits=True, when="started")
    assert status == 128 + sig, output
    assert (tmp_path / "cleaned").exists(), output
    assert f"stopped by {sig.name}" in output


def test_a_second_sigterm_does_not_cut_the_lanes_clean_up_short(tmp_path: Path) -> None:
    status, output = run_lane(tmp_path, signal.SIGTERM, True, "started", again=True)
    assert status == 143, output
    assert (tmp_path / "cleaned").exists(), output
    assert "SIGTERM: already cleaning up" in output


def test_a_sigterm_during_the_lanes_clean_up_waits_for_its_end(tmp_path: Path) -> None:
    """The page was done; the signal comes while the lane removes what it made."""
    status, output = run_lane(tmp_path, signal.SIGTERM, page_waits=False, when="cleaning")
    assert status == 143, output
    assert (tmp_path / "cleaned").exists(), output


def test_the_lanes_handlers_are_put_back_after_a_run() -> None:
    def callers_own(signum: int, frame: object) -> None:
        raise AssertionError(f"signal {signum} during the test")

    previous = {sig: signal.signal(sig, callers_own) for sig in (*STOP_SIGNALS, signal.SIGINT)}
    try:
        run_then_clean_up(lambda: None, lambda: None)
        assert {signal.getsignal(sig) for sig in previous} == {callers_own}
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
