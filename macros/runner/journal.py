"""The host-engine lane's journal: what a run on a reader's engine has created so far.

Written before the first step and after each one, in a per-user state folder
(``$XDG_STATE_HOME/cnv/host-engine``, else ``~/.local/state/cnv/host-engine``), one file per
engine. A run that was killed (SIGKILL, a closed laptop) leaves its journal behind; the next run
on that engine reads it and removes exactly what it lists, then proceeds.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .footprint import KINDS


def state_dir() -> Path:
    """Where journals live for this user (created on first write)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "cnv" / "host-engine"


@dataclass
class Journal:
    """One run on one engine: the IDs that existed before it and the ones it created."""

    engine: str
    """``DOCKER_HOST`` and the engine's ID, e.g. ``unix:///var/run/docker.sock ABCD:...``."""
    page: str
    pid: int
    started: float
    before: dict[str, list[str]]
    names: list[str]
    compose_projects: list[str]
    created: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})
    scratch: str = ""
    """The run's scratch folder (``TMPDIR`` of its shell), removed with what it created."""
    swarm_node: str = ""
    """The swarm node ID of the engine when this run put it into a swarm (left afterwards)."""
    step: str = ""
    step_deadline: float = 0.0
    """Until when the step in progress may still create objects (epoch seconds)."""

    @property
    def path(self) -> Path:
        return journal_path(self.engine)

    def save(self) -> None:
        """Write the journal atomically (a reader never sees half a file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")
        partial.replace(self.path)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)

    def owner_alive(self) -> bool:
        """Whether the process that wrote this journal still runs."""
        if self.pid == os.getpid():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def describe(self) -> str:
        started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(self.started))
        return f"the run of {self.page} started {started} (pid {self.pid})"


def journal_path(engine: str) -> Path:
    return state_dir() / f"{hashlib.sha256(engine.encode()).hexdigest()[:16]}.json"


def load(engine: str) -> Journal | None:
    """The journal a previous run on ``engine`` left, or None."""
    path = journal_path(engine)
    try:
        return Journal(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
