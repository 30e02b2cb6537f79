"""Run commands with a timeout, and find, inspect and kill processes through ``/proc``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
TOOLS_FIRST = os.environ.get("CNV_TOOLS_FIRST", "")
"""A folder searched before the standard ones (the user-mode guest's legacy iptables links)."""
PATH = f"{TOOLS_FIRST}:{STANDARD_PATH}" if TOOLS_FIRST else STANDARD_PATH


class CommandError(RuntimeError):
    """A command failed; the message holds the command and what it printed."""


def run(
    argv: list[str], timeout: float = 20.0, check: bool = True, input: str | None = None
) -> subprocess.CompletedProcess:
    """Run ``argv`` (stdin: ``input`` or closed; output captured); ``CommandError`` on failure."""
    env = os.environ | {"PATH": f"{os.environ.get('PATH', '')}:{PATH}", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            argv,
            stdin=None if input is not None else subprocess.DEVNULL,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise CommandError(f"timed out after {timeout:g}s: {' '.join(argv)}") from error
    if check and done.returncode != 0:
        output = (done.stderr or done.stdout).strip()
        raise CommandError(f"{' '.join(argv)} -> exit {done.returncode}: {output}")
    return done


@dataclass(frozen=True)
class ProcInfo:
    """What ``/proc/<pid>`` says about one process (empty fields when it vanished)."""

    pid: int
    args: tuple[str, ...]
    cgroups: tuple[str, ...]
    netns: int
    state: str


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except OSError:
        return ""


def state(pid: int) -> str:
    """One-letter state (``R``, ``S``, ``Z``...) or ``""`` when there is no such process."""
    stat = _read(f"/proc/{pid}/stat")
    return stat.rpartition(")")[2].split()[0] if stat else ""


def start_time(pid: int) -> int:
    """Start time in clock ticks since boot (tells a reused PID apart), 0 if gone."""
    stat = _read(f"/proc/{pid}/stat")
    fields = stat.rpartition(")")[2].split()
    return int(fields[19]) if len(fields) > 19 else 0


def alive(pid: int, started: int | None = None) -> bool:
    """``pid`` runs (not a zombie) and, when given, started at ``started``."""
    if pid <= 0 or state(pid) in ("", "Z", "X"):
        return False
    return started is None or start_time(pid) == started


def info(pid: int) -> ProcInfo:
    args = tuple(a for a in _read(f"/proc/{pid}/cmdline").split("\0") if a)
    cgroups = tuple(line.split(":", 2)[-1] for line in _read(f"/proc/{pid}/cgroup").splitlines())
    try:
        netns = os.stat(f"/proc/{pid}/ns/net").st_ino
    except OSError:
        netns = 0
    return ProcInfo(pid, args, cgroups, netns, state(pid))


def processes() -> Iterator[ProcInfo]:
    """Every live process except this one (zombies included, marked ``Z``)."""
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me:
            found = info(int(entry))
            if found.state:
                yield found


def netns_inode(name: str) -> int:
    """Inode of the named network namespace ``/run/netns/<name>`` (0 if absent)."""
    try:
        return os.stat(Path("/run/netns") / name).st_ino
    except OSError:
        return 0


def kill_all(pids: Iterable[int], timeout: float = 5.0) -> list[int]:
    """SIGKILL ``pids`` and wait (bounded) until each is gone or a zombie; return survivors."""
    pending = set(pids)
    for pid in pending:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        pending = {pid for pid in pending if alive(pid)}
        if pending:
            time.sleep(0.02)
    return sorted(pending)


def terminate(pid: int, timeout: float, finished: Callable[[], bool] | None = None) -> bool:
    """SIGTERM ``pid`` and wait up to ``timeout`` for it to exit, then SIGKILL it.

    ``finished`` may say earlier that the process has done all its shutdown work and only
    lingers; it is then killed at once. Returns True when the process stopped.
    """
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 3.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not alive(pid):
                _reap(pid)
                return True
            if sig == signal.SIGTERM and finished and finished():
                break
            time.sleep(0.02)
    return not alive(pid)


def children(pid: int) -> list[int]:
    """PIDs whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _read(f"/proc/{entry}/stat").rpartition(")")[2].split()
            if len(fields) > 1 and fields[1] == str(pid):
                found.append(int(entry))
    return found


def _reap(pid: int) -> None:
    """Collect ``pid`` if it is our child (a no-op for anyone else's)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
