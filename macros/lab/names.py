"""Names and paths of everything a lab creates, all derived from its prefix and lab id.

A lab is called ``<prefix>-<labid>`` (e.g. ``cnv-3fa9c1``). Every namespace, cgroup, link,
directory and process marker starts with that name, so leftovers are found by name alone.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

STATE_ROOT = Path("/run/cnv-lab")
"""Sockets, exec-roots, logs and the ``<lab>.json`` state files."""
DATA_ROOT = Path("/var/lib/cnv-lab")
"""Data-roots (ext4 here: overlay2 does not work on overlayfs)."""
IMAGE_CACHE = DATA_ROOT / "images"
"""``docker save`` tars keyed by image ID, shared by every lab and prefix."""

PREFIX_RE = re.compile(r"[a-z][a-z0-9]{0,3}")
LABID_LEN = 6
MAX_NODES = 9


def check_prefix(prefix: str) -> str:
    """Return ``prefix`` if it is 1-4 lowercase letters/digits (keeps link names <= 15 chars)."""
    if not PREFIX_RE.fullmatch(prefix):
        raise ValueError(f"lab prefix must match {PREFIX_RE.pattern}, got {prefix!r}")
    return prefix


def name_re(prefix: str) -> re.Pattern[str]:
    """Matches a lab name of ``prefix`` at the start of a string (group 1: the lab name)."""
    return re.compile(rf"({re.escape(prefix)}-[0-9a-f]{{{LABID_LEN}}})(?![0-9a-f])")


def new_labid() -> str:
    """A random lab id of 6 hex digits."""
    return secrets.token_hex(LABID_LEN // 2)


@dataclass(frozen=True)
class LabNames:
    """Every name and path of one lab."""

    prefix: str
    labid: str

    @property
    def name(self) -> str:
        return f"{self.prefix}-{self.labid}"

    @property
    def switch_netns(self) -> str:
        return f"{self.name}-sw"

    @property
    def bridge(self) -> str:
        return f"{self.name}-br"

    def netns(self, host: str) -> str:
        """Namespace of ``host`` (``node1`` .. ``node9``, ``client``, ``rootless``)."""
        return f"{self.name}-{host}"

    def switch_port(self, host: str) -> str:
        """The switch-side veth of ``host``: ``cnv-3fa9c1-n1``, ``cnv-3fa9c1-c`` (<= 15 chars)."""
        tag = {"client": "c", "rootless": "r"}.get(host) or "n" + host.removeprefix("node")
        port = f"{self.name}-{tag}"
        assert len(port) <= 15, port
        return port

    def cgroup_parent(self, node: str) -> str:
        return f"/{self.name}-{node}"

    @property
    def state_file(self) -> Path:
        return STATE_ROOT / f"{self.name}.json"

    @property
    def state_dir(self) -> Path:
        return STATE_ROOT / self.name

    @property
    def data_dir(self) -> Path:
        return DATA_ROOT / self.name

    def node_state(self, node: str) -> Path:
        return self.state_dir / node

    def socket(self, node: str) -> Path:
        return self.node_state(node) / "docker.sock"

    def etc_docker(self, node: str) -> Path:
        """The node's own ``/etc/docker``, bind-mounted there for its engine and its shells."""
        return self.node_state(node) / "etc-docker"
