"""Byte counters of lab links, including the VXLAN links hidden inside dockerd's namespaces.

An overlay network's VXLAN link lives in a sandbox namespace that is bind-mounted only inside
the node's dockerd mount namespace (``ip netns exec`` gave it a private one), so it is reached
with ``nsenter -t <dockerd> -m`` and then ``nsenter --net=<sandbox>``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .proc import run


def link_bytes(netns: str, ifname: str) -> tuple[int, int]:
    """Received and sent bytes of link ``ifname`` in namespace ``netns``."""
    out = run(["ip", "-n", netns, "-j", "-s", "link", "show", ifname], timeout=10).stdout
    stats = json.loads(out)[0]["stats64"]
    return stats["rx"]["bytes"], stats["tx"]["bytes"]


def vxlan_bytes(dockerd_pid: int, exec_root: Path) -> tuple[int, int]:
    """Received and sent bytes summed over every VXLAN link of one engine's overlays."""
    show = 'nsenter --net="$f" ip -j -s link show type vxlan'
    script = f"for f in {exec_root}/netns/*; do {show}; done"
    argv = ["nsenter", "-t", str(dockerd_pid), "-m", "--", "sh", "-c", script]
    out = run(argv, timeout=10).stdout
    links = [link for line in out.splitlines() if line.strip() for link in json.loads(line)]
    if not links:
        raise LookupError(f"no VXLAN link in the overlay sandboxes under {exec_root}/netns")
    return (
        sum(link["stats64"]["rx"]["bytes"] for link in links),
        sum(link["stats64"]["tx"]["bytes"] for link in links),
    )
