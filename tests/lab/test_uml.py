"""The user-mode kernel lane: the guest has what this kernel lacks, and leaves nothing."""

from __future__ import annotations

import json
import os
import select
import signal
import time
from collections.abc import Callable

import pytest
from lab_owner import start_owner

from macros.lab import proc
from macros.lab.cleanup import cleanup_stale, residue
from macros.lab.names import DATA_ROOT
from macros.uml.guest import Guest, missing

pytestmark = pytest.mark.skipif(bool(missing()), reason=missing() or "")

OWNER = """
import sys, time
from macros.uml.guest import Guest
guest = Guest({"kind": "lab", "nodes": 1, "swarm": False, "managers": 1, "prefix": "cnv",
               "hold": 600, "consoles": True}, prefix=sys.argv[1], consoles=2)
guest.start()
print(guest.name, guest.process.pid, flush=True)
time.sleep(300)
"""


def test_the_guest_kernel_has_every_feature_the_pages_need(
    prefix: str, assert_no_residue: Callable[[], None]
) -> None:
    result = Guest({"kind": "probe"}, prefix=prefix).run(timeout=300)
    assert result["release"].startswith("6.1."), result["release"]
    lacking = {name: detail for name, (ok, detail) in result["probes"].items() if not ok}
    # compose and the rootless host are the host's to provide (no guest page uses them)
    assert set(lacking) <= {"compose", "rootless"}, lacking
    assert_no_residue()


def console_output(pts: str, command: str, timeout: float = 60.0) -> str:
    """Type ``command`` on a guest console; what it printed up to an end marker (bounded)."""
    fd = os.open(pts, os.O_RDWR | os.O_NOCTTY)
    try:
        os.write(fd, f"{command}; echo __cnv''_end__\r".encode())
        output, deadline = b"", time.monotonic() + timeout
        while b"__cnv_end__" not in output and time.monotonic() < deadline:
            if select.select([fd], [], [], 1.0)[0]:
                output += os.read(fd, 65536)
        return output.decode(errors="replace")
    finally:
        os.close(fd)


def test_a_lab_in_the_guest_has_a_shell_per_host_and_a_sigkill_takes_it_along(
    prefix: str, assert_no_residue: Callable[[], None]
) -> None:
    owner, line = start_owner(prefix, OWNER, timeout=60)
    name, uml = line.split()[0], int(line.split()[1])
    lab_file = DATA_ROOT / f"{name}.uml" / "lab.json"
    deadline = time.monotonic() + 400
    while not lab_file.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    try:
        assert lab_file.exists(), "the guest's lab did not come up within 400 s"
        consoles = json.loads(lab_file.read_text())["consoles"]
        shown = console_output(consoles["node1"], "hostname; docker info --format '{{.OSType}}'")
    except BaseException:
        owner.kill()
        owner.wait(10)
        raise
    left = residue(prefix)
    owner.send_signal(signal.SIGKILL)
    owner.wait(10)
    assert "\rnode1\r\nlinux\r\n" in shown, shown
    assert left["uml_processes"] > 1 and left["uml_scratch_dirs"] == 1, left
    deadline = time.monotonic() + 10
    while proc.alive(uml) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not proc.alive(uml), "the guest outlived the process that started it"
    assert cleanup_stale(prefix) == [name]
    assert_no_residue()
