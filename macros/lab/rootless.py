"""The lab's ``rootless`` host: ``dockerd-rootless.sh`` run by a throw-away user.

The user ``<lab>-rootless`` (its home and runtime directory under the lab's folders, its
``/etc/subuid`` and ``/etc/subgid`` ranges from ``useradd``) starts RootlessKit, slirp4netns and
dockerd inside the host's own lab network namespace, which has no route out. Its process tree
lives in cgroup ``<lab>-rootless`` and in a private mount namespace prepared by the nodes'
wrapper (``wrapper.py``: cgroup mounts, no system containerd or D-Bus), where a tmpfs holds a tun
device node (10,200) that the user may open, bind-mounted over ``/dev/net/tun``: the machine's
``/dev/net/tun`` is never changed. ``remove_users`` deletes the user, its group and its ranges
by name, so the stale cleanup finds a killed run's user too.
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from . import cgroups, netns, proc
from .daemon import EngineProcess, ping
from .names import LabNames
from .wrapper import host_namespace, wrapper_argv

HOST = "rootless"
HOST_NUMBER = 200
"""The rootless host is ``10.99.0.200`` (``fd00:99::200``) on the lab LAN."""
CONTRIB = "/usr/share/docker.io/contrib"
"""Where Debian's docker.io ships ``dockerd-rootless.sh`` (not on ``PATH``)."""
TOOLS = ("rootlesskit", "slirp4netns", "newuidmap", "newgidmap", "dockerd-rootless.sh")
SUBID_FILES = (Path("/etc/subuid"), Path("/etc/subgid"))
SUBID_COUNT = 65536
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0

LAUNCH = r"""
set -eu
scratch=$1 user=$2 host_mnt=$3
shift 4  # the three above and --
die() { echo "cnv-rootless: $*" >&2; exit 97; }
mnt=$(readlink /proc/self/ns/mnt || true)
[ -n "$mnt" ] && [ -n "$host_mnt" ] && [ "$mnt" != "$host_mnt" ] ||
  die "refusing to mount in the host's mount namespace ($mnt)"
mount -t tmpfs -o mode=755,size=64k cnv-rootless-tun "$scratch"
mknod -m 666 "$scratch/tun" c 10 200
mount --bind "$scratch/tun" /dev/net/tun
exec runuser -u "$user" -- "$@"
"""
"""Runs as root in the host's netns and a private mount namespace: gives this namespace (only)
a tun device the user may open, then becomes the user."""
JOIN = 'printf "%s\n" "$1" | while read -r f; do echo $$ > "$f" || exit 97; done; shift; exec "$@"'
"""Moves itself into the lab's cgroups (``$1``, one ``cgroup.procs`` a line), then execs."""


def path() -> str:
    """``PATH`` for the rootless user: Debian's contrib folder first."""
    return f"{CONTRIB}:{proc.PATH}"


def missing_tools() -> list[str]:
    """The programs a rootless engine needs that this machine lacks."""
    tools = [*TOOLS, "dockerd", "useradd", "userdel", "runuser", "unshare", "mknod"]
    return [tool for tool in tools if not shutil.which(tool, path=path())]


def user_name(names: LabNames) -> str:
    """``<lab>-rootless`` (at most 20 characters: the limit is 32)."""
    return f"{names.name}-{HOST}"


@dataclass
class RootlessEngine(EngineProcess):
    """The rootless host's user, folders, process tree and engine."""

    names: LabNames
    dns: str
    process: subprocess.Popen | None = field(default=None, repr=False)
    ready_timeout: ClassVar[float] = READY_TIMEOUT
    label: ClassVar[str] = "rootless: dockerd-rootless.sh"

    @property
    def user(self) -> str:
        return user_name(self.names)

    @property
    def state_dir(self) -> Path:
        return self.names.node_state(HOST)

    @property
    def runtime_dir(self) -> Path:
        """``XDG_RUNTIME_DIR`` (0700): the socket, pid files, RootlessKit's state."""
        return self.state_dir / "run"

    @property
    def home(self) -> Path:
        """``HOME`` (0700): the engine's data-root ``~/.local/share/docker``."""
        return self.names.data_dir / HOST / "home"

    @property
    def socket(self) -> Path:
        return self.runtime_dir / "docker.sock"

    @property
    def log(self) -> Path:
        return self.state_dir / "dockerd-rootless.log"

    def environment(self) -> tuple[str, ...]:
        """``NAME=value`` pairs of the user's engine and shells."""
        return (
            f"HOME={self.home}",
            f"XDG_RUNTIME_DIR={self.runtime_dir}",
            f"PATH={path()}",
            f"USER={self.user}",
            f"LOGNAME={self.user}",
        )

    def create_user(self) -> None:
        """``useradd`` with subordinate ID ranges, then its home and runtime folders (the lab
        checked the tools first, ``missing_tools``)."""
        self.home.mkdir(parents=True, exist_ok=True)
        proc.run(
            [
                "useradd", "--home-dir", str(self.home), "--no-create-home", "--user-group",
                "--shell", "/bin/sh", "-K", f"SUB_UID_COUNT={SUBID_COUNT}",
                "-K", f"SUB_GID_COUNT={SUBID_COUNT}", self.user,
            ]
        )  # fmt: skip
        if not all(_subid_lines(file, self.user) for file in SUBID_FILES):
            raise RuntimeError(f"useradd gave {self.user} no /etc/subuid or /etc/subgid range")
        entry = pwd.getpwnam(self.user)
        for folder in (self.home, self.runtime_dir):
            folder.mkdir(parents=True, exist_ok=True)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
            folder.chmod(0o700)
        (self.state_dir / "tun").mkdir(exist_ok=True)
        self.names.etc_docker(HOST).mkdir(exist_ok=True)  # hides the machine's /etc/docker
        config = self.home / ".config" / "docker"
        config.mkdir(parents=True)
        (config / "daemon.json").write_text(json.dumps({"dns": [self.dns]}, indent=2) + "\n")
        for folder in (config.parent, config):
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        os.chown(config / "daemon.json", entry.pw_uid, entry.pw_gid)

    def argv(self) -> list[str]:
        """The launcher in the host's netns and a private mount namespace, then the user's
        ``dockerd-rootless.sh``."""
        return user_argv(self.names, ["env", "-i", *self.environment(), "dockerd-rootless.sh"])

    def start(self) -> None:
        """Create the user and the cgroup, then launch the engine (see ``wait_ready``)."""
        self.create_user()
        _make_cgroups(self.names)
        self.launch(self.argv(), {"PATH": proc.PATH, "LANG": "C.UTF-8"})

    def terminate(self, timeout: float = STOP_TIMEOUT) -> None:
        """Remove the containers, SIGTERM RootlessKit (it stops dockerd), wait (bounded), then
        SIGKILL whatever of the tree is left."""
        if not self.process:
            return
        with contextlib.suppress(Exception):
            import docker

            if ping(self.socket, timeout=0.5):
                with docker.APIClient(base_url=self.docker_host, timeout=15) as api:
                    for container in api.containers(all=True, quiet=True):
                        api.remove_container(container["Id"], force=True)
        tree = self._tree()
        kits = [p for p in tree if proc.info(p).args[:1] == ("rootlesskit",)]
        for kit in kits:  # the lab's engine, or one a page started instead
            os.kill(kit, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while any(proc.alive(kit) for kit in kits) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.terminate(self.process.pid, 3.0)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(1.0)
        proc.kill_all(self._tree())

    def _tree(self) -> set[int]:
        """Every process in the rootless host's cgroups."""
        found: set[int] = set()
        for group in _cgroups(self.names):
            found |= cgroups.pids(group)
        return found


def lab_of(netns_name: str) -> LabNames:
    """The names of the lab whose rootless host has namespace ``netns_name``."""
    prefix, labid = netns_name.removesuffix(f"-{HOST}").split("-", 1)
    return LabNames(prefix, labid)


def user_argv(names: LabNames, command: list[str]) -> list[str]:
    """argv of ``command`` run as the lab's rootless user: in cgroup ``<lab>-rootless`` (every
    hierarchy, so the tree is found), in the host's netns, and in a private mount and UTS
    namespace prepared by the nodes' wrapper, with a tun device the user may open."""
    procs = "\n".join(str(g / "cgroup.procs") for g in _cgroups(names))
    scratch = str(names.node_state(HOST) / "tun")
    launch = [
        "bash", "-c", LAUNCH, "cnv-rootless", scratch, user_name(names), host_namespace("mnt"),
        "--", *command,
    ]  # fmt: skip
    wrapped = wrapper_argv(HOST, str(names.etc_docker(HOST)), launch)
    private = ["unshare", "--uts", "--mount", "--propagation", "slave"]
    in_netns = netns.exec_argv(names.netns(HOST), *private, *wrapped)
    return ["sh", "-c", JOIN, "cnv-rootless-cgroup", procs, *in_netns]


def _cgroups(names: LabNames) -> list[Path]:
    """The rootless tree's cgroup ``<lab>-rootless`` in every hierarchy."""
    return [root / f"{names.name}-{HOST}" for root in cgroups.hierarchies()]


def _make_cgroups(names: LabNames) -> None:
    """Create the cgroups; a cgroup v1 cpuset needs its parent's CPUs and memory nodes first."""
    for group in _cgroups(names):
        group.mkdir(exist_ok=True)
        for setting in ("cpuset.cpus", "cpuset.mems"):
            file = group / setting
            if file.exists() and not file.read_text().strip():
                file.write_text((group.parent / setting).read_text())


def _subid_lines(file: Path, user: str) -> list[str]:
    try:
        lines = file.read_text().splitlines()
    except OSError:
        return []
    return [line for line in lines if line.split(":", 1)[0] == user]


def users_are_ours() -> bool:
    """Whether lab users seen here were made here. In a user-mode Linux guest ``/etc`` is
    the host's, read-only: the users in it belong to the host's labs, which the guest cannot
    see running and must neither count nor remove."""
    return os.access("/etc/passwd", os.W_OK)


def lab_users(lab: re.Pattern[str]) -> list[str]:
    """Users, groups and subordinate ID owners named for labs matched by ``lab`` (none
    where ``/etc`` is not this system's own, see ``users_are_ours``)."""
    if not users_are_ours():
        return []
    found = {entry.pw_name for entry in pwd.getpwall() if lab.match(entry.pw_name)}
    found |= {entry.gr_name for entry in grp.getgrall() if lab.match(entry.gr_name)}
    for file in SUBID_FILES:
        with contextlib.suppress(OSError):
            owners = (line.split(":", 1)[0] for line in file.read_text().splitlines())
            found |= {owner for owner in owners if lab.match(owner)}
    return sorted(found)


def subid_lines(lab: re.Pattern[str]) -> int:
    """Lines of ``/etc/subuid`` and ``/etc/subgid`` that belong to labs matched by ``lab``."""
    count = 0
    for file in SUBID_FILES:
        with contextlib.suppress(OSError):
            count += sum(bool(lab.match(line)) for line in file.read_text().splitlines())
    return count


def remove_users(lab: re.Pattern[str]) -> list[str]:
    """``userdel`` every lab user matched by ``lab`` (its processes already ended), then any
    group and subordinate ID lines left of it; return what could not be removed."""
    problems = []
    for name in lab_users(lab):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            proc.run(["userdel", name], check=False)
        with contextlib.suppress(KeyError):
            grp.getgrnam(name)
            proc.run(["groupdel", name], check=False)
        for file in SUBID_FILES:  # userdel removes them; a user deleted by hand may not
            _drop_lines(file, name)
    left = lab_users(lab)
    problems += [f"user or group {name} could not be deleted" for name in left]
    return problems


def _drop_lines(file: Path, user: str) -> None:
    """Rewrite ``file`` without ``user``'s lines (atomically, keeping its mode)."""
    try:
        lines = file.read_text().splitlines(keepends=True)
    except OSError:
        return
    kept = [line for line in lines if line.split(":", 1)[0] != user]
    if len(kept) == len(lines):
        return
    partial = file.with_name(f".{file.name}.cnv-{os.getpid()}")
    partial.write_text("".join(kept))
    shutil.copymode(file, partial)
    partial.rename(file)
