"""The host-engine lane never touches what it did not create, even when interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import docker
import pytest

from macros.paths import DOCS_DIR, ROOT
from macros.runner.host_engine import NameCollision, run_on_host_engine, snapshot
from macros.snippets.pages import load_page

BRIDGE = DOCS_DIR / "networks" / "bridge.md"


@pytest.fixture
def engine() -> docker.DockerClient:
    """The machine's own engine (started by scripts/provision.sh)."""
    return docker.from_env()


@pytest.fixture
def keep_busy(engine: docker.DockerClient):
    """A container the suite makes to stand for the reader's own, removed afterwards."""
    made: list = []

    def make(name: str):
        container = engine.containers.run(
            "busybox", ["sleep", "600"], name=name, detach=True, network_mode="none"
        )
        made.append(container)
        return container

    yield make
    for container in made:
        container.remove(force=True)


def test_colliding_name_is_refused_and_left_untouched(engine, keep_busy) -> None:
    theirs = keep_busy("web1")
    before = snapshot(engine)
    with pytest.raises(NameCollision, match="container 'web1'"):
        run_on_host_engine(load_page(BRIDGE), {})
    theirs.reload()
    assert theirs.status == "running"
    assert snapshot(engine) == before


def test_a_run_removes_only_what_it_created(engine, keep_busy) -> None:
    theirs = keep_busy("readers-own-container")
    before = snapshot(engine)
    run, _engine = run_on_host_engine(load_page(BRIDGE), {})
    assert [r.status for r in run.results] == ["passed"] * len(load_page(BRIDGE))
    assert snapshot(engine) == before
    theirs.reload()
    assert theirs.status == "running"


def test_sigint_mid_page_leaves_no_residue(engine) -> None:
    before = snapshot(engine)
    process = subprocess.Popen(
        [sys.executable, "-m", "macros", "run", str(BRIDGE), "--host-engine"],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not engine.containers.list(filters={"name": "^web1$"}):
        time.sleep(0.05)
    assert engine.containers.list(filters={"name": "^web1$"}), "the page never reached step 2"
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode != 0, output
    assert snapshot(engine) == before, output
