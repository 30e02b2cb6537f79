"""A lab whose owner was SIGKILLed is removed completely by the next ``cleanup_stale``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable

from lab_owner import start_owner

from macros.lab import netns
from macros.lab.cleanup import cleanup_stale, residue
from macros.lab.daemon import ping
from macros.lab.lab import Lab
from macros.paths import ROOT

OWNER = """
import sys, time
from macros.lab.lab import Lab
lab = Lab(nodes=2, swarm=True, prefix=sys.argv[1]).up()
lab.hosts["node2"].client().containers.run("busybox", "sleep 300", detach=True)
print(lab.name, flush=True)
time.sleep(300)
"""


def test_sigkilled_owner_leaves_nothing_after_cleanup(
    prefix: str, assert_no_residue: Callable[[], None]
) -> None:
    owner, name = start_owner(prefix, OWNER)
    with Lab(nodes=1, prefix=prefix) as survivor:
        owner.send_signal(signal.SIGKILL)
        owner.wait(10)
        left = residue(prefix)
        assert left["processes"] > 0 and left["netns"] > 0 and left["cgroups"] > 0, left
        assert cleanup_stale(prefix) == [name]
        assert ping(survivor.names.socket("node1")), "cleanup_stale must spare a live lab"
    assert_no_residue()


TERMINATED = """
import sys, time
from macros.lab.lab import Lab
from macros.signals import run_stoppable

def main():
    with Lab(nodes=1, prefix=sys.argv[1]) as lab:
        print(lab.name, flush=True)
        time.sleep(300)
    return 0

sys.exit(run_stoppable(main))
"""


def test_sigterm_takes_the_lab_down(prefix: str, assert_no_residue: Callable[[], None]) -> None:
    owner, name = start_owner(prefix, TERMINATED)
    assert netns.names(f"{name}-") == [f"{name}-{h}" for h in ("client", "node1", "sw")]
    owner.send_signal(signal.SIGTERM)
    assert owner.wait(30) == 128 + signal.SIGTERM
    assert_no_residue()


EXITS = """
import sys
from macros.lab.lab import Lab
lab = Lab(nodes=2, swarm=True, prefix=sys.argv[1]).up()
print(lab.name, flush=True)
sys.stdin.readline()
"""


def test_atexit_takes_the_lab_down(prefix: str, assert_no_residue: Callable[[], None]) -> None:
    """No ``with``, no ``down()``: the interpreter's exit still removes the lab."""
    owner = subprocess.Popen(
        [sys.executable, "-c", EXITS, prefix],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    out, _ = owner.communicate(b"\n", timeout=120)
    assert owner.returncode == 0
    assert out.decode().startswith(f"{prefix}-")
    assert_no_residue()
