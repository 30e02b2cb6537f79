"""The isolated lane leaves nothing behind: after a pass, a failing step, Ctrl-C, SIGTERM
and SIGHUP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docker
import pytest

from macros.lab import state
from macros.lab.cleanup import residue
from macros.paths import DOCS_DIR, ROOT
from macros.report import Status
from macros.runner.verify import verify_page
from macros.snippets.parse import parse_snippet

BRIDGE = DOCS_DIR / "networks" / "bridge.md"
PREFIX = "cnvi"


def assert_no_residue(name: str | None = None) -> None:
    """Nothing left of the tests' labs (or of lab ``name`` alone)."""
    left = residue(PREFIX, name)
    assert not any(left.values()), left


def test_a_passing_page_leaves_nothing(capabilities, monkeypatch) -> None:
    monkeypatch.setenv("CNV_LAB_PREFIX", PREFIX)
    verification = verify_page(BRIDGE, capabilities)
    assert verification.run.checkpoint_failure == ""
    assert {r.status for r in verification.results} == {Status.PASSED}
    assert_no_residue()


def test_a_failing_step_leaves_nothing(capabilities, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CNV_LAB_PREFIX", PREFIX)
    page = tmp_path / "broken.md"
    page.write_text("# broken\n")
    steps = [
        parse_snippet(Path("snippets/t/01.console"), "$ docker network create t-net >/dev/null\n"),
        parse_snippet(
            Path("snippets/t/02.console"), "$ docker run -d --name c1 busybox sleep 60 >/dev/null\n"
        ),
        parse_snippet(Path("snippets/t/03.console"), "$ echo surprise\nsomething else\n"),
    ]
    verification = verify_page(page, capabilities, steps=steps)
    assert [r.status for r in verification.results] == [Status.PASSED, Status.PASSED, Status.FAILED]
    assert_no_residue()


SLOW_PAGE = """
import sys
from pathlib import Path
from macros.runner.verify import verify_page
from macros.signals import run_stoppable
from macros.snippets.parse import parse_snippet

steps = [
    parse_snippet(Path("snippets/t/01.console"), "$ docker network create t-net >/dev/null\\n"),
    parse_snippet(
        Path("snippets/t/02.console"), "$ docker run -d --name web1 busybox sleep 600 >/dev/null\\n"
    ),
    parse_snippet(Path("snippets/t/03.console"), "#| timeout: 120\\n$ sleep 100\\n"),
    parse_snippet(
        Path("snippets/t/04.console"),
        f"#| teardown\\n$ docker rm -f web1\\nweb1\\n$ touch {sys.argv[2]}\\n",
    ),
]


def main():
    verify_page(Path(sys.argv[1]), {}, steps=steps)
    return 0


sys.exit(run_stoppable(main))
"""


def own_lab(owner: int) -> tuple[str, docker.DockerClient] | None:
    """The name and node1 engine of the lab process ``owner`` runs (other runs' labs ignored)."""
    for saved in state.all_states():
        node = saved.get("hosts", {}).get("node1", {})
        if saved["owner"]["pid"] == owner and node.get("docker_host"):
            return saved["name"], docker.DockerClient(base_url=node["docker_host"], timeout=10)
    return None


def wait_for_container(name: str, process: subprocess.Popen, seconds: float = 90) -> str:
    """Until container ``name`` runs in the lab of ``process`` (bounded); the lab's name."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
        try:
            lab = own_lab(process.pid)
            if lab and lab[1].containers.list(filters={"name": f"^{name}$"}):
                return lab[0]
        except (docker.errors.DockerException, OSError, KeyError):
            continue
    raise AssertionError(f"container {name} never ran on the lab (the page ended or hung)")


def signal_once_web1_runs(argv: list[str], sig: signal.Signals) -> tuple[int, str, str]:
    """Start ``argv`` (a page run), send ``sig`` once its container web1 runs.

    Returns the exit status, the output and the name of the run's lab.
    """
    process = subprocess.Popen(
        [sys.executable, *argv],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT), "CNV_LAB_PREFIX": PREFIX},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lab = wait_for_container("web1", process)
        process.send_signal(sig)
        output, _ = process.communicate(timeout=120)
    finally:
        process.kill()
    return process.returncode, output, lab


@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda sig: sig.name
)
def test_a_signal_mid_page_runs_teardown_and_leaves_nothing(
    tmp_path: Path, sig: signal.Signals
) -> None:
    page = tmp_path / "slow.md"
    page.write_text("# slow\n")
    torn_down = tmp_path / "torn-down"
    argv = ["-c", SLOW_PAGE, str(page), str(torn_down)]
    status, output, lab = signal_once_web1_runs(argv, sig)
    assert status == 128 + sig, output
    assert torn_down.exists(), f"the teardown step did not run:\n{output}"
    assert_no_residue(lab)


def test_sigterm_to_python_m_macros_run_mid_page_leaves_nothing() -> None:
    """The real command line on a real page: SIGTERM once its first container runs."""
    argv = ["-m", "macros", "run", str(BRIDGE)]
    status, output, lab = signal_once_web1_runs(argv, signal.SIGTERM)
    assert status == 128 + signal.SIGTERM, output
    assert "stopped by SIGTERM" in output
    assert_no_residue(lab)
