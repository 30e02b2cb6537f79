"""What the user-mode kernel lane costs: guest boot, dockerd in the guest, one page on both.

Prints the guest's boot to its init (a shell script, guest clock) and to the agent (the
project's Python running), one dockerd ready inside the guest, the bridge page on this
kernel and in the guest with the ratio uml/host, and two guests running that page at once
against one alone (the test session runs ``GUESTS_AT_ONCE`` guests side by side: 1.0 would
mean the second is free, 2.0 that running them together gains nothing). Needs root, dockerd
and user-mode-linux.
Usage: ``.venv/bin/python bench/kernel_lane.py [page]`` (default docs/networks/bridge.md).
Guests and labs use the prefix ``cnvb``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["CNV_LAB_PREFIX"] = "cnvb"

from macros.lab.cleanup import residue  # noqa: E402
from macros.runner.page import probed_capabilities  # noqa: E402
from macros.snippets.pages import load_page  # noqa: E402
from macros.uml.guest import Guest  # noqa: E402
from macros.uml.lane import GUESTS_AT_ONCE, verify, verify_in_guest  # noqa: E402

PREFIX = "cnvb"
T = TypeVar("T")
BOOT_TO_OFF = " (host clock, boot to power-off)"


def timed(label: str, action: Callable[[], T], note: str = "") -> tuple[T, float]:
    """Run ``action``; print and return how long it took (host clock)."""
    start = time.monotonic()
    result = action()
    seconds = time.monotonic() - start
    print(f"{label:<44} {seconds:7.1f}s{note}")
    return result, seconds


def main() -> int:
    page = ROOT / (sys.argv[1] if len(sys.argv) > 1 else "docs/networks/bridge.md")
    probe = Guest({"kind": "probe"}, PREFIX)
    probed, _ = timed("guest: probes job", lambda: probe.run(300), BOOT_TO_OFF)
    marks = probed["milestones"]
    print(f"  boot to init (shell)                       {marks['init']:7.1f}s (guest clock)")
    print(f"  boot to agent (project's Python)           {marks['agent']:7.1f}s")
    job = {"kind": "lab", "nodes": 1, "swarm": False, "managers": 1, "prefix": PREFIX, "hold": 0}
    holder = Guest(job, PREFIX)
    lab, _ = timed("guest: one-node lab up and down", lambda: holder.run(300), BOOT_TO_OFF)
    print(f"  dockerd ready inside the guest             {lab['lab_seconds']['engines']:7.1f}s")
    print(f"  whole lab up (netns, engine, image)        {lab['lab_seconds']['up']:7.1f}s")
    capabilities = probed_capabilities()
    runs = {}
    for kernel in ("host", "uml"):
        verification, runs[kernel] = timed(
            f"{page.relative_to(ROOT)} on {kernel}",
            lambda kernel=kernel: verify(page, capabilities, kernel),
        )
        failed = [r.step.name for r in verification.results if r.status != "passed"]
        print(f"  {verification.kernel}: {len(verification.results)} steps, not passed: {failed}")
    print(f"ratio uml/host: {runs['uml'] / runs['host']:.1f}x")
    steps = load_page(page)

    def side_by_side(guests: int) -> None:
        with ThreadPoolExecutor(guests) as pool:
            list(pool.map(lambda _: verify_in_guest(page, steps), range(guests)))

    _, one = timed(f"{page.relative_to(ROOT)}: one guest alone", lambda: side_by_side(1))
    _, both = timed(
        f"{page.relative_to(ROOT)}: {GUESTS_AT_ONCE} guests at once",
        lambda: side_by_side(GUESTS_AT_ONCE),
    )
    print(f"ratio {GUESTS_AT_ONCE} at once / one alone: {both / one:.2f} (1.0: free, 2.0: no gain)")
    left = {name: count for name, count in residue(PREFIX).items() if count}
    print(f"residue: {left or 'none'}")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
