"""Provisioning for real on a machine that has everything: nothing is downloaded.

The ``--plan`` tests (``tests/unit/test_provision.py``) show the decisions for other
distributions; this one runs the script itself, with ``apt-get``, ``apt``, ``curl`` and
``wget`` replaced by stand-ins that log any call and fail, so a download cannot go unseen.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from macros.paths import ROOT

DOWNLOADERS = ("apt-get", "apt", "curl", "wget")


def test_provisioning_with_the_engine_present_downloads_nothing(tmp_path: Path) -> None:
    calls = tmp_path / "calls.log"
    stand_ins = tmp_path / "bin"
    stand_ins.mkdir()
    for name in DOWNLOADERS:
        script = stand_ins / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >> {calls}\nexit 1\n')
        script.chmod(0o755)
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "provision.sh")],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ | {"PATH": f"{stand_ins}:{os.environ['PATH']}"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "installed, nothing to download" in done.stdout, done.stdout
    assert not calls.exists(), calls.read_text()
