"""Which kernel a page runs on: this machine's, or a user-mode Linux guest's.

``auto`` (the default) keeps a page on this kernel when the probes say it has every kernel
feature the page's steps require, and moves the whole page into a guest otherwise, so the
suite stays fast where this kernel suffices.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..paths import relative
from ..runner.page import Capability, has_capability
from ..runner.verify import PageVerification, Progress, verify_page
from ..snippets.model import Snippet
from ..snippets.pages import load_page
from . import guest
from .guest import Guest, GuestError

KERNELS = ("auto", "host", "uml")
KERNEL_HELP = (
    "where pages run: this kernel, a user-mode Linux guest, or (auto) the guest only for "
    "pages whose steps need a kernel feature this one lacks"
)
"""The ``--kernel`` option's help, the same for ``cnv run`` and pytest."""
KERNEL_FEATURES = frozenset({"ipvs", "esp", "vlan", "ipvlan", "dummy", "vxlan", "macvlan"})
"""``#| requires:`` names a guest kernel can add; ``swarm`` or ``compose`` it cannot."""
PAGE_TIMEOUT = 1500.0
"""A page in the guest (boot, engines, steps, teardown); the slowest takes about 5 min."""


def kernel_needs(steps: list[Snippet]) -> set[str]:
    """The kernel features the page's steps require."""
    return {name for step in steps for name in step.requires} & KERNEL_FEATURES


def choose(kernel: str, steps: list[Snippet], capabilities: Mapping[str, Capability]) -> str:
    """``host`` or ``uml`` for ``kernel`` (``auto``, ``host`` or ``uml``)."""
    if kernel not in KERNELS:
        raise ValueError(f"--kernel must be one of {', '.join(KERNELS)}, got {kernel!r}")
    if kernel != "auto":
        return kernel
    lacking = {name for name in kernel_needs(steps) if not has_capability(capabilities, name)}
    return "uml" if lacking and not guest.missing() else "host"


def verify(
    page: Path,
    capabilities: Mapping[str, Capability],
    kernel: str = "auto",
    update: bool = False,
    steps: list[Snippet] | None = None,
    progress: Progress | None = None,
) -> PageVerification:
    """Verify ``page`` on the kernel ``kernel`` picks (see ``choose``).

    ``progress`` hears each step as it finishes on this kernel; a page in the guest is
    reported once the guest is done.
    """
    steps = load_page(page) if steps is None else steps
    if choose(kernel, steps, capabilities) == "host":
        return verify_page(page, capabilities, update=update, steps=steps, progress=progress)
    if progress:
        progress(f"running {relative(page)} in a user-mode Linux guest")
    verification = verify_in_guest(page, steps, update=update)
    for result in verification.results if progress else []:
        progress(result.summary())
    return verification


def verify_in_guest(
    page: Path, steps: list[Snippet], update: bool = False, started: list[Guest] | None = None
) -> PageVerification:
    """Run the page in a fresh guest and read its run back (samples are recorded here).

    The guest is appended to ``started`` first, so another thread can stop it.
    """
    from .wire import load

    prefix = os.environ.get("CNV_LAB_PREFIX", "cnv")
    job = {"kind": "page", "page": str(relative(page)), "update": update, "prefix": prefix}
    guest = Guest(job, prefix=prefix)
    if started is not None:
        started.append(guest)
    result = guest.run(PAGE_TIMEOUT)
    return load(result["verification"], page, steps, update)


def longest_first(pages: Mapping[Path, list[Snippet]]) -> list[Path]:
    """The order in which a queue takes its pages: most steps first (a page's time in a guest
    grows with its steps), so the last page to finish is a short one."""
    return sorted(pages, key=lambda page: (-len(pages[page]), page))


GUESTS_AT_ONCE = 2
"""Guests a queue runs side by side. A guest has one CPU, and alone on an idle machine it
runs slowly (likely: every switch between the UML kernel and its processes waits for a CPU
to wake). Two keep both cores of a two-core machine busy beside the host's tests: they
finished the bridge page at once in 114 s where one alone took 232 s (bench/kernel_lane.py)."""


class GuestQueue:
    """Pages for user-mode guests, run in the background, ``guests`` at a time, in the order
    they were submitted, while the caller runs the host's pages; ``close`` ends them all."""

    def __init__(self, guests: int = GUESTS_AT_ONCE) -> None:
        self._pool = ThreadPoolExecutor(max_workers=guests, thread_name_prefix="cnv-guest")
        self._futures: dict[Path, Future[PageVerification]] = {}
        self._guests: list[Guest] = []
        self._closed = False

    def submit(self, page: Path, steps: list[Snippet], update: bool) -> None:
        self._futures[page] = self._pool.submit(self._run, page, steps, update)

    def _run(self, page: Path, steps: list[Snippet], update: bool) -> PageVerification:
        if self._closed:
            raise GuestError("the guest queue was closed before this page ran")
        return verify_in_guest(page, steps, update, self._guests)

    def __contains__(self, page: Path) -> bool:
        return page in self._futures

    def result(self, page: Path) -> PageVerification:
        """Wait (bounded: each guest has its own time limit) for the page's run."""
        return self._futures[page].result()

    def close(self) -> None:
        """Drop the pages not started yet and end the guests that run."""
        self._closed = True
        for future in self._futures.values():
            future.cancel()
        for running in self._guests:
            running.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)
