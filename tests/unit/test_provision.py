"""Provisioning decides from the distribution and what is installed (``provision.sh --plan``)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from macros.paths import ROOT

PROVISION = ROOT / "scripts" / "provision.sh"

pytestmark = pytest.mark.skipif(
    not shutil.which("dockerd") or not shutil.which("docker"), reason="no engine installed"
)


def plan(tmp_path: Path, os_release: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``provision.sh --plan`` as if on the distribution ``os_release`` describes."""
    release = tmp_path / "os-release"
    release.write_text(os_release)
    return subprocess.run(
        ["bash", str(PROVISION), "--plan"],
        env={**os.environ, "CNV_OS_RELEASE": str(release), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_installed_engine_that_is_new_enough_is_used_without_a_download(tmp_path: Path):
    ubuntu = 'ID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 24.04 LTS"\n'
    done = plan(tmp_path, ubuntu)
    assert done.returncode == 0, done.stderr
    assert "engine ok" in done.stdout and "nothing to download" in done.stdout
    assert "would download" not in done.stdout


def test_debian_fetches_the_engine_when_the_installed_one_is_too_old(tmp_path: Path):
    done = plan(tmp_path, 'ID=debian\nPRETTY_NAME="Debian 12"\n', CNV_ENGINE_MIN="999.0")
    assert done.returncode == 0, done.stderr
    assert "engine would download Debian sid's docker.io" in done.stdout


def test_an_unknown_distribution_stops_with_what_to_install(tmp_path: Path):
    done = plan(tmp_path, 'ID=plan9\nPRETTY_NAME="Plan 9"\n', CNV_ENGINE_MIN="999.0")
    assert done.returncode == 1
    assert "would download" not in done.stdout
    error = done.stderr.strip().splitlines()
    assert len(error) == 1, done.stderr
    assert error[0].startswith("provision: error: this is Plan 9")
    assert "install Docker Engine 999.0 or newer" in error[0]


def test_no_process_keeps_the_provisioning_lock_once_provisioning_ended() -> None:
    """The dockerd that provisioning starts must not inherit the lock (it would hold it forever)."""
    lock = Path("/run/lock/cnv-provision.lock")
    if not lock.exists():
        pytest.skip("this machine was not provisioned by scripts/provision.sh")
    holders = [
        fd.parent.parent.name
        for fd in Path("/proc").glob("[0-9]*/fd/*")
        if _points_at(fd, lock) and "provision" not in _command_line(fd.parent.parent)
    ]
    assert holders == [], f"processes {holders} hold {lock} after provisioning ended"


def _points_at(fd: Path, target: Path) -> bool:
    try:
        return Path(os.readlink(fd)) == target
    except OSError:
        return False


def _command_line(process: Path) -> str:
    try:
        return (process / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
