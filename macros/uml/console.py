"""``lab shell`` for a lab inside a guest: this terminal on the guest console of a lab host.

The guest's consoles ``tty1``.. are host ptys (``con1=pts``); the agent started a shell on
each, in its host's namespaces. Detach with Ctrl-] (the shell keeps running).
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import termios
import time
import tty

DETACH = b"\x1d"  # Ctrl-]
LONGEST = 12 * 3600.0
"""An attached terminal is given up after this long, like the lab itself."""


def attach(pts: str) -> int:
    """Copy this terminal to and from ``pts`` until Ctrl-], the guest ends, or ``LONGEST``."""
    console = os.open(pts, os.O_RDWR | os.O_NOCTTY)
    stdin = sys.stdin.fileno()
    saved = termios.tcgetattr(stdin) if os.isatty(stdin) else None
    print(f"attached to {pts}; detach with Ctrl-]", flush=True)
    try:
        if saved:
            tty.setraw(stdin)
        os.write(console, b"\r")  # a fresh prompt
        deadline = time.monotonic() + LONGEST
        while time.monotonic() < deadline:
            ready, _, _ = select.select([stdin, console], [], [], 1.0)
            if console in ready:
                try:
                    data = os.read(console, 65536)
                except OSError:  # the guest closed its side: it is shutting down
                    return 0
                os.write(sys.stdout.fileno(), data)
            if stdin in ready:
                data = os.read(stdin, 1024)
                if not data or DETACH in data:
                    return 0
                os.write(console, data)
        return 0
    finally:
        if saved:
            termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
        with contextlib.suppress(OSError):
            os.close(console)
        print("\r\ndetached", flush=True)
