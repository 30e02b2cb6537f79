"""The rootless host: its user, ranges, processes and mounts go with the lab, also after the
owner is SIGKILLed; the machine's ``/dev/net/tun`` is never changed."""

from __future__ import annotations

import os
import pwd
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from lab_owner import start_owner

from macros.lab import rootless
from macros.lab.cleanup import cleanup_stale, residue
from macros.lab.daemon import ping
from macros.lab.lab import Lab
from macros.lab.probes import probe_rootless
from macros.runner.session import ShellSession

TUN = Path("/dev/net/tun")


@pytest.fixture(autouse=True)
def rootless_machine(lab_machine: None) -> None:
    """Skip, with the probe's reason, where a rootless engine cannot run."""
    probe = probe_rootless()
    if not probe.ok:
        pytest.skip(f"rootless: {probe.detail}")


def _tun() -> tuple[int, int, int]:
    status = TUN.stat()
    return status.st_mode, status.st_uid, status.st_rdev


def _subid_owners() -> list[str]:
    return [
        line.split(":", 1)[0]
        for file in rootless.SUBID_FILES
        for line in file.read_text().splitlines()
    ]


def _mounted_anywhere(name: str) -> list[str]:
    """Processes whose mount namespace, whichever it is, still holds a mount of lab ``name``
    (the tun device lives in the rootless tree's own mount namespace)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                text = Path(f"/proc/{entry}/mountinfo").read_text()
            except OSError:
                continue
            if f"/{name}/" in text:
                found.append(entry)
    return found


def test_rootless_host_comes_and_goes(prefix: str, assert_no_residue: Callable[[], None]) -> None:
    tun = _tun()
    with Lab(nodes=1, prefix=prefix, rootless=True) as lab:
        host = lab.hosts["rootless"]
        assert pwd.getpwnam(host.user).pw_uid != 0
        assert _subid_owners().count(host.user) == 2
        left = residue(prefix, lab.name)
        assert left["users"] >= 1 and left["subid_lines"] == 2 and left["processes"] > 0, left
        shell = ShellSession(host.shell_argv())
        try:
            out = shell.run("id -un; hostname; docker info --format '{{.SecurityOptions}}'", 30)
            lines = out.output.splitlines()
            assert lines[:2] == [host.user, "rootless"], out.output
            assert "name=rootless" in lines[2], out.output
            route = shell.run("ip route show default; echo [$?]", 10).output
            assert route.strip() == "[0]", "the rootless host must have no route out"
        finally:
            shell.close()
        assert _tun() == tun, "the machine's /dev/net/tun must not change"
        assert _mounted_anywhere(lab.name), "the check must see the rootless tree's mounts"
    assert_no_residue()
    assert not _mounted_anywhere(lab.name)
    assert host.user not in _subid_owners()
    assert _tun() == tun


OWNER = """
import sys, time
from macros.lab.lab import Lab
lab = Lab(nodes=1, prefix=sys.argv[1], rootless=True).up()
lab.hosts["rootless"].client().containers.run("busybox", "sleep 300", detach=True)
print(lab.name, flush=True)
time.sleep(300)
"""


def test_sigkilled_owner_leaves_no_rootless_residue(
    prefix: str, assert_no_residue: Callable[[], None]
) -> None:
    owner, name = start_owner(prefix, OWNER)
    owner.send_signal(signal.SIGKILL)
    owner.wait(10)
    left = residue(prefix, name)
    assert left["users"] >= 1 and left["subid_lines"] == 2, left
    assert left["processes"] > 0 and left["cgroups"] > 0, left
    with Lab(nodes=1, prefix=prefix) as survivor:  # up() runs the stale cleanup first
        assert ping(survivor.names.socket("node1"))
        assert not any(residue(prefix, name).values()), residue(prefix, name)
    assert cleanup_stale(prefix) == []
    assert_no_residue()
    assert not [user for user in _subid_owners() if user.startswith(f"{name}-")]
    assert not os.path.exists(f"/run/cnv-lab/{name}")
    assert not _mounted_anywhere(name)


TERMINATED = """
import sys, time
from macros.lab.lab import Lab
from macros.signals import run_stoppable

def main():
    with Lab(nodes=1, prefix=sys.argv[1], rootless=True) as lab:
        print(lab.name, flush=True)
        time.sleep(300)
    return 0

sys.exit(run_stoppable(main))
"""


def test_sigterm_takes_the_rootless_host_down(
    prefix: str, assert_no_residue: Callable[[], None]
) -> None:
    owner, name = start_owner(prefix, TERMINATED)
    assert residue(prefix, name)["users"] >= 1
    owner.send_signal(signal.SIGTERM)
    assert owner.wait(60) == 128 + signal.SIGTERM
    assert_no_residue()
    assert not _mounted_anywhere(name)
