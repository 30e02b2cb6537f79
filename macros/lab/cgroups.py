"""The lab's cgroup directories (``--cgroup-parent /<lab>-<node>``) in every hierarchy."""

from __future__ import annotations

import contextlib
import errno
import os
import time
from pathlib import Path

MOUNTS = Path("/proc/self/mounts")


def hierarchies() -> list[Path]:
    """Mount points of the cgroup v1 hierarchies and cgroup2, as this process sees them."""
    found = []
    for line in MOUNTS.read_text().splitlines():
        fields = line.split()
        if len(fields) > 2 and fields[2] in ("cgroup", "cgroup2"):
            found.append(Path(fields[1]))
    return found


def dirs(name_prefix: str) -> list[Path]:
    """Top-level cgroup directories whose name starts with ``name_prefix``, in every hierarchy."""
    found = []
    for root in hierarchies():
        with contextlib.suppress(OSError):
            found += [root / d for d in os.listdir(root) if d.startswith(name_prefix)]
    return sorted(found)


def _tree(top: Path) -> list[Path]:
    """``top`` and its sub-directories, deepest first."""
    return [Path(root) for root, _, _ in os.walk(top, topdown=False)]


def pids(top: Path) -> set[int]:
    """Processes in cgroup ``top`` or below it."""
    found: set[int] = set()
    for cgroup in _tree(top):
        with contextlib.suppress(OSError):
            found |= {int(p) for p in (cgroup / "cgroup.procs").read_text().split()}
    return found


def thaw(top: Path) -> None:
    """Unfreeze ``top`` (paused containers ignore SIGKILL while frozen)."""
    for cgroup in _tree(top):
        for file, value in (("freezer.state", "THAWED"), ("cgroup.freeze", "0")):
            if (cgroup / file).exists():
                with contextlib.suppress(OSError):
                    (cgroup / file).write_text(value)


def remove(top: Path, timeout: float = 3.0) -> bool:
    """rmdir ``top`` and its sub-directories, deepest first, retrying while busy (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        busy = False
        for cgroup in _tree(top):
            try:
                cgroup.rmdir()
            except FileNotFoundError:
                pass
            except OSError as error:
                if error.errno != errno.EBUSY:
                    raise
                busy = True
        if not busy or time.monotonic() > deadline:
            return not top.exists()
        time.sleep(0.05)
