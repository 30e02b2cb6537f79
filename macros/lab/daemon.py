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
from typing import TYPE_CHECKING

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


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class Engine:
    """The dockerd of one node: paths, process, start, readiness and a graceful stop."""

    names: LabNames
    node: str
    dns: str
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
    def docker_host(self) -> str:
        return f"unix://{self.socket}"

    @property
    def log(self) -> Path:
        return self.state_dir / "dockerd.log"

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else 0

    def argv(self) -> list[str]:
        """The whole command line: netns, UTS namespace, wrapper, dockerd and its flags."""
        dockerd = [
            "dockerd",
            "--data-root", str(self.data_root),
            "--exec-root", str(self.state_dir / "exec"),
            "--pidfile", str(self.state_dir / "dockerd.pid"),
            "-H", self.docker_host,
            "--config-file", str(self.state_dir / "daemon.json"),
            "--cgroup-parent", self.names.cgroup_parent(self.node),
            "--dns", self.dns,
        ]  # fmt: skip
        wrapped = wrapper_argv(self.node, str(self.state_dir / "etc-docker"), dockerd)
        private = ["unshare", "--uts", "--mount", "--propagation", "slave"]
        return netns.exec_argv(self.names.netns(self.node), *private, *wrapped)

    def start(self) -> None:
        """Launch dockerd (returns at once; see ``wait_ready``)."""
        (self.state_dir / "etc-docker").mkdir(parents=True, exist_ok=True)
        self.data_root.mkdir(parents=True, exist_ok=True)
        (self.state_dir / "daemon.json").write_text(json.dumps({}) + "\n")
        env = {
            "PATH": proc.PATH,
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "DOCKER_SERVICE_PREFER_OFFLINE_IMAGE": "1",
        }
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.argv(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Wait (bounded) until the socket answers ``/_ping``; raise ``EngineError`` if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ping(self.socket):
                return
            if self.process and self.process.poll() is not None:
                raise EngineError(
                    f"{self.node}: dockerd exited with status {self.process.returncode} before "
                    f"{self.docker_host} answered GET /_ping; {self.log}:\n{tail(self.log)}"
                )
            time.sleep(0.02)
        raise EngineError(
            f"{self.node}: waited {timeout:g}s for {self.docker_host} to answer GET /_ping "
            f"(dockerd pid {self.pid}); {self.log}:\n{tail(self.log)}"
        )

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
