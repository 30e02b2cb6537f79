"""One disposable ``dockerd`` per lab node, inside the node's network namespace.

Each engine has its own data-root (ext4), exec-root, pidfile, socket, config file, cgroup
parent, hostname and ``/etc/docker``; its only DNS upstream is the lab's DNS sink.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from . import netns, proc
from .names import LabNames
from .wrapper import wrapper_argv

if TYPE_CHECKING:
    from collections.abc import Iterator

    import docker

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
SHUTDOWN_LINE = "Daemon shutdown complete"


class EngineError(RuntimeError):
    """A lab engine did not start; the message says what was waited for and shows its log."""


def ping(sock: Path, timeout: float = 1.0) -> bool:
    """True when the engine behind unix socket ``sock`` answers ``GET /_ping`` with 200."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(str(sock))
            conn.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            return conn.recv(64).split(b"\r\n", 1)[0].split()[1:2] == [b"200"]
    except (OSError, IndexError):
        return False


def wait_answering(
    sock: Path, process: subprocess.Popen | None, timeout: float, what: str, log: Path
) -> None:
    """Wait (bounded) until ``sock`` answers ``GET /_ping``; ``EngineError`` naming ``what``
    (and the tail of ``log``) when ``process`` exits first or ``timeout`` runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ping(sock):
            return
        if process and process.poll() is not None:
            raise EngineError(
                f"{what} exited with status {process.returncode} before unix://{sock} "
                f"answered GET /_ping; {log}:\n{tail(log)}"
            )
        time.sleep(0.02)
    pid = f" (pid {process.pid})" if process else ""
    raise EngineError(
        f"{what}{pid}: waited {timeout:g}s for unix://{sock} to answer GET /_ping; "
        f"{log}:\n{tail(log)}"
    )


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class EngineProcess:
    """What every lab engine has: a socket, a log, and one process tree started in a session
    of its own (``launch``), ready once its socket answers (``wait_ready``)."""

    process: subprocess.Popen | None
    ready_timeout: ClassVar[float] = READY_TIMEOUT

    @property
    def socket(self) -> Path:
        raise NotImplementedError

    @property
    def log(self) -> Path:
        raise NotImplementedError

    @property
    def label(self) -> str:
        """What ``wait_ready``'s error calls the engine (``node2: dockerd``)."""
        raise NotImplementedError

    @property
    def docker_host(self) -> str:
        return f"unix://{self.socket}"

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else 0

    def launch(self, argv: list[str], env: dict[str, str]) -> None:
        """Start ``argv`` with its output appended to the log (returns at once)."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float | None = None) -> None:
        """Wait (bounded) until the socket answers ``/_ping``; ``EngineError`` if not."""
        limit = self.ready_timeout if timeout is None else timeout
        wait_answering(self.socket, self.process, limit, self.label, self.log)


@dataclass
class Engine(EngineProcess):
    """The dockerd of one node: paths, process, start, readiness and a graceful stop."""

    names: LabNames
    node: str
    dns: str
    flags: tuple[str, ...] = ()
    """More dockerd flags (the user-mode guest's engines start with ``--ip6tables=false``)."""
    config: dict[str, Any] = field(default_factory=dict)
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def state_dir(self) -> Path:
        return self.names.node_state(self.node)

    @property
    def data_root(self) -> Path:
        return self.names.data_dir / self.node

    @property
    def socket(self) -> Path:
        return self.names.socket(self.node)

    @property
    def label(self) -> str:
        return f"{self.node}: dockerd"

    @property
    def etc_docker(self) -> Path:
        """The node's own ``/etc/docker`` (bind-mounted there for its dockerd and shells)."""
        return self.names.etc_docker(self.node)

    @property
    def config_file(self) -> Path:
        """The node's ``/etc/docker/daemon.json``: the page's configuration, or ``{}``."""
        return self.etc_docker / "daemon.json"

    @property
    def log(self) -> Path:
        return self.state_dir / "dockerd.log"

    def argv(self) -> list[str]:
        """The whole command line: netns, UTS namespace, wrapper, dockerd and its flags."""
        dockerd = [
            "dockerd",
            "--data-root", str(self.data_root),
            "--exec-root", str(self.state_dir / "exec"),
            "--pidfile", str(self.state_dir / "dockerd.pid"),
            "-H", self.docker_host,
            "--config-file", str(self.config_file),
            "--cgroup-parent", self.names.cgroup_parent(self.node),
            *self.flags,
        ]  # fmt: skip
        if "dns" not in self.config:  # dockerd refuses a setting given as flag and in the file
            dockerd += ["--dns", self.dns]
        wrapped = wrapper_argv(self.node, str(self.etc_docker), dockerd)
        private = ["unshare", "--uts", "--mount", "--propagation", "slave"]
        return netns.exec_argv(self.names.netns(self.node), *private, *wrapped)

    def start(self) -> None:
        """Launch dockerd (returns at once; see ``wait_ready``)."""
        self.etc_docker.mkdir(parents=True, exist_ok=True)
        self.data_root.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(json.dumps(self.config, indent=2) + "\n")
        env = {
            "PATH": proc.PATH,
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "DOCKER_SERVICE_PREFER_OFFLINE_IMAGE": "1",
        }
        self.launch(self.argv(), env)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Remove every container, leave any swarm, then terminate dockerd."""
        self.remove_containers()
        self.leave_swarm()
        self.terminate(timeout)

    def remove_containers(self) -> None:
        """``docker rm -f`` every container, so the shims exit (best effort)."""
        with self._api() as api:
            if api:
                for container in api.containers(all=True, quiet=True):
                    with contextlib.suppress(Exception):
                        api.remove_container(container["Id"], force=True)

    def leave_swarm(self) -> None:
        """``docker swarm leave --force`` if the engine is in a swarm (best effort)."""
        with self._api() as api:
            if api and api.info().get("Swarm", {}).get("LocalNodeState", "inactive") != "inactive":
                api.leave_swarm(force=True)

    def terminate(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM dockerd, wait (bounded), SIGKILL; a lingering zombie counts as stopped.

        dockerd stops its containerd and then re-checks only once a second whether it exited,
        so after "Daemon shutdown complete" with containerd gone, that last second is skipped.
        """
        if not self.process:
            return
        helpers = proc.children(self.process.pid)

        def finished() -> bool:
            done = SHUTDOWN_LINE in tail(self.log, 8)
            return done and not any(proc.alive(pid) for pid in helpers)

        proc.terminate(self.process.pid, timeout, finished)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(1.0)

    @contextlib.contextmanager
    def _api(self) -> Iterator[docker.APIClient | None]:
        """An API client, or None when the engine does not answer; errors are swallowed:
        whatever a graceful step leaves, the forced cleanup that follows removes."""
        import docker

        if not (self.process and ping(self.socket, timeout=0.5)):
            yield None
            return
        try:
            with docker.APIClient(base_url=self.docker_host, timeout=15) as api:
                yield api
        except Exception:  # connection errors come from requests, not docker.errors
            pass
