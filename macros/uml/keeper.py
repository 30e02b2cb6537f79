"""``lab up --kernel uml``: the keeper process owns a guest that holds a lab inside it."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import time

from ..lab import state
from .guest import Guest, GuestError

UP_TIMEOUT = 600.0
STOP_TIMEOUT = 60.0


def keep_in_guest(args: argparse.Namespace) -> int:
    """Boot a guest whose agent brings the lab up; own it until a signal or ``--hours``."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    hold = args.hours * 3600
    job = {
        "kind": "lab",
        "nodes": args.nodes,
        "swarm": args.swarm,
        "managers": args.managers,
        "prefix": args.prefix,
        "hold": hold,
        "consoles": True,
    }
    guest = Guest(job, args.prefix, consoles=args.nodes + 1, labid=args.labid)
    try:
        guest.start()
        inside = _wait_for_lab(guest)
        with open(guest.scratch / "keeper.log", "ab") as log:
            for fd in (1, 2):  # `lab up` stops reading the pipe once the lab is up
                os.dup2(log.fileno(), fd)
        guest.annotate(
            phase="up", detached=True, guest_lab=inside["name"], consoles=inside["consoles"]
        )
        assert guest.process is not None
        with contextlib.suppress(subprocess.TimeoutExpired):
            guest.process.wait(hold + STOP_TIMEOUT)
    finally:
        (guest.scratch / "stop").touch()
        if guest.process:
            with contextlib.suppress(subprocess.TimeoutExpired):
                guest.process.wait(STOP_TIMEOUT)
        guest.stop()
    return 0


def _wait_for_lab(guest: Guest) -> dict:
    """The guest's ``lab.json`` once its lab is up (bounded)."""
    deadline = time.monotonic() + UP_TIMEOUT
    while time.monotonic() < deadline:
        inside = state.read(guest.scratch / "lab.json")
        if inside:
            return inside
        if guest.process and guest.process.poll() is not None:
            break
        time.sleep(0.5)
    raise GuestError(f"the guest's lab was not up after {UP_TIMEOUT:g}s\n{guest.console_tail()}")
