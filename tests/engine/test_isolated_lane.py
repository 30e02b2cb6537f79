"""The isolated lane leaves nothing behind: after a pass, a failing step, and Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docker

from macros.lab.cleanup import residue
from macros.lab.names import STATE_ROOT
from macros.paths import DOCS_DIR, ROOT
from macros.runner.verify import verify_page
from macros.snippets.parse import parse_snippet

BRIDGE = DOCS_DIR / "networks" / "bridge.md"
PREFIX = "cnvi"


def assert_no_residue() -> None:
    left = residue(PREFIX)
    assert not any(left.values()), left


def test_a_passing_page_leaves_nothing(capabilities, monkeypatch) -> None:
    monkeypatch.setenv("CNV_LAB_PREFIX", PREFIX)
    verification = verify_page(BRIDGE, capabilities)
    assert verification.run.checkpoint_failure == ""
    assert {r.status for r in verification.results} == {"passed"}
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
    assert [r.status for r in verification.results] == ["passed", "passed", "failed"]
    assert_no_residue()


def lab_engine(prefix: str) -> docker.DockerClient | None:
    for path in STATE_ROOT.glob(f"{prefix}-*.json"):
        saved = json.loads(path.read_text())
        node = saved.get("hosts", {}).get("node1", {})
        if node.get("docker_host"):
            return docker.DockerClient(base_url=node["docker_host"], timeout=10)
    return None


SLOW_PAGE = """
import sys
from pathlib import Path
from macros.runner.verify import verify_page
from macros.snippets.parse import parse_snippet

steps = [
    parse_snippet(Path("snippets/t/01.console"), "$ docker network create t-net >/dev/null\\n"),
    parse_snippet(
        Path("snippets/t/02.console"), "$ docker run -d --name web1 busybox sleep 600 >/dev/null\\n"
    ),
    parse_snippet(Path("snippets/t/03.console"), "#| timeout: 120\\n$ sleep 100\\n"),
    parse_snippet(Path("snippets/t/04.console"), "#| teardown\\n$ docker rm -f web1\\nweb1\\n"),
]
verify_page(Path(sys.argv[1]), {}, steps=steps)
"""


def test_ctrl_c_mid_page_leaves_nothing(tmp_path: Path) -> None:
    page = tmp_path / "slow.md"
    page.write_text("# slow\n")
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_PAGE, str(page)],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT), "CNV_LAB_PREFIX": PREFIX},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    reached = False
    while time.monotonic() < deadline and not reached:
        time.sleep(0.1)
        try:
            engine = lab_engine(PREFIX)
            reached = bool(engine and engine.containers.list(filters={"name": "^web1$"}))
        except (docker.errors.DockerException, OSError, json.JSONDecodeError):
            continue
    assert reached, "the page never reached its third step"
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode != 0, output
    assert "KeyboardInterrupt" in output
    assert_no_residue()
