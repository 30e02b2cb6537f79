"""A lab engine cannot reach the host's system D-Bus (so never the host's firewalld)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from macros.lab.lab import Lab

BUS_DIR = Path("/run/dbus")
BUS = BUS_DIR / "system_bus_socket"

CONNECT = (
    "import socket, sys\n"
    "s = socket.socket(socket.AF_UNIX)\n"
    "s.settimeout(2)\n"
    "try:\n    s.connect(sys.argv[1])\nexcept OSError:\n    sys.exit(1)\n"
)


@contextlib.contextmanager
def system_bus() -> Iterator[None]:
    """The host's system bus socket: the real one, or a listening stand-in made (and removed)
    here when the host has none."""
    if BUS.exists():
        yield
        return
    made_dir = not BUS_DIR.exists()
    BUS_DIR.mkdir(exist_ok=True)
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(BUS))
        listener.listen(4)
        yield
    finally:
        listener.close()
        BUS.unlink(missing_ok=True)
        if made_dir:
            BUS_DIR.rmdir()


def reaches_bus(*nsenter: str) -> bool:
    argv = [*nsenter, sys.executable, "-c", CONNECT, str(BUS)]
    return subprocess.run(argv, capture_output=True, timeout=20).returncode == 0


def test_a_lab_engine_cannot_reach_the_hosts_system_bus(prefix: str) -> None:
    with system_bus():
        assert reaches_bus(), "the host itself cannot reach its bus: the check would prove nothing"
        with Lab(nodes=1, prefix=prefix) as lab:
            engine = lab.engine_pid("node1")
            assert not reaches_bus("nsenter", "-t", str(engine), "-m", "--")
