"""``python -m macros lab up|status|shell|down``: a lab that outlives the command."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from macros.lab import netns, state
from macros.lab.cleanup import residue
from macros.lab.cli import main
from macros.paths import ROOT


def test_up_status_shell_down(
    prefix: str, capsys: pytest.CaptureFixture[str], assert_no_residue: Callable[[], None]
) -> None:
    assert main(["up", "--nodes", "2", "--prefix", prefix]) == 0
    printed = capsys.readouterr().out
    name = re.search(rf"lab ({prefix}-[0-9a-f]+) is up", printed)
    assert name, printed
    lab = name.group(1)
    try:
        assert f"ip netns exec {lab}-node2 env DOCKER_HOST=unix://" in printed
        for phase in ("waiting for the engines to start", "engines ready in"):
            assert f"lab {lab}: {phase}" in printed, printed  # progress while it comes up
        assert main(["status"]) == 0
        assert f"{lab}  up  owner lab up (alive)" in capsys.readouterr().out
        shell = subprocess.run(
            [sys.executable, "-m", "macros.lab.cli", "shell", "node2", "--lab", lab],
            input="hostname; docker info --format '{{.Name}}'\n",
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
        assert shell.stdout.split() == ["node2", "node2"], shell.stderr
    finally:
        assert main(["down", "--lab", lab]) == 0
    assert f"lab {lab} down" in capsys.readouterr().out
    assert_no_residue()


def test_sigterm_while_lab_up_brings_the_lab_down(prefix: str) -> None:
    """``lab up`` stopped half-way: the keeper takes its half-built lab down, status 143."""
    up = subprocess.Popen(
        [sys.executable, "-m", "macros", "lab", "up", "--nodes", "2", "--prefix", prefix],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lab = ""
        deadline = time.monotonic() + 60
        # The keeper saves the lab's name before it makes the first namespace: wait for both.
        while not (lab and netns.names(f"{lab}-")) and up.poll() is None:
            assert time.monotonic() < deadline, "the lab never started coming up"
            time.sleep(0.05)
            lab = lab or kept_lab(up.pid)
        assert lab and netns.names(f"{lab}-"), "lab up ended before its lab came up"
        up.send_signal(signal.SIGTERM)
        output, _ = up.communicate(timeout=120)
    finally:
        up.kill()
    assert up.returncode == 128 + signal.SIGTERM, output
    left = residue(prefix, lab)
    assert not any(left.values()), left


def kept_lab(parent: int) -> str:
    """The name of the lab whose keeper process ``parent`` started ("" if none yet)."""
    for saved in state.all_states():
        owner = Path(f"/proc/{saved['owner']['pid']}/status")
        try:
            ppid = next(line for line in owner.read_text().splitlines() if line.startswith("PPid:"))
        except OSError:
            continue
        if int(ppid.split()[1]) == parent:
            return saved["name"]
    return ""
