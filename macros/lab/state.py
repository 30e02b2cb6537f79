"""State files ``/run/cnv-lab/<lab>.json``: who owns a lab and what it created.

A state file is written (under a lock) before anything else is created and removed last, so
a lab whose owner died is always found: by its state file, or by its names.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import proc
from .names import STATE_ROOT

LOCK = STATE_ROOT / ".lock"


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Hold the machine-wide lab lock (allocation and stale cleanup never race)."""
    STATE_ROOT.mkdir(parents=True, exist_ok=True)
    with open(LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def owner(pid: int | None = None) -> dict[str, int]:
    """The owner record of process ``pid`` (default: this process)."""
    pid = pid or os.getpid()
    return {"pid": pid, "start": proc.start_time(pid)}


def owner_alive(state: dict[str, Any]) -> bool:
    """True when the process that owns the lab still runs (same PID *and* start time)."""
    record = state.get("owner", {})
    return proc.alive(int(record.get("pid", 0)), record.get("start"))


def write(path: Path, state: dict[str, Any]) -> None:
    """Replace ``path`` atomically with ``state``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.part")
    partial.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
    partial.rename(path)


def read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None


def all_states() -> list[dict[str, Any]]:
    """Every readable state file, any prefix."""
    found = []
    for path in sorted(STATE_ROOT.glob("*.json")):
        state = read(path)
        if state and "name" in state:
            found.append(state)
    return found
