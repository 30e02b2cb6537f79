"""``python -m macros lab up|status|shell|down``: a lab that outlives the command."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable

import pytest

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
