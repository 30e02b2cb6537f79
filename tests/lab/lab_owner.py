"""A child process that owns a lab (or a guest), for the tests that kill the owner."""

from __future__ import annotations

import os
import select
import subprocess
import sys

import pytest

from macros.paths import ROOT


def start_owner(prefix: str, code: str, timeout: float = 120) -> tuple[subprocess.Popen, str]:
    """Run ``code`` (given ``prefix`` as ``sys.argv[1]``) until it prints its first line.

    The line says what it brought up; a child that prints nothing within ``timeout`` seconds
    is killed and the test fails.
    """
    owner = subprocess.Popen(
        [sys.executable, "-c", code, prefix],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    assert owner.stdout is not None
    ready, _, _ = select.select([owner.stdout], [], [], timeout)
    line = owner.stdout.readline().decode().strip() if ready else ""
    if not line:
        owner.kill()
        owner.wait(10)
        pytest.fail(f"the owner process printed nothing within {timeout:g} s")
    return owner, line
