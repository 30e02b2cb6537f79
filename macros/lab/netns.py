"""Network namespaces, a "switch" namespace holding a bridge, and veth cables to it.

Every link is created with ``ip -n <lab namespace>``: nothing is ever added to, or changed in,
the host's own network namespace. No namespace gets a default route.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .proc import CommandError, run

NETNS_DIR = Path("/run/netns")


def exists(name: str) -> bool:
    return (NETNS_DIR / name).exists()


def names(prefix: str) -> list[str]:
    """Named namespaces whose name starts with ``prefix``."""
    try:
        return sorted(n for n in os.listdir(NETNS_DIR) if n.startswith(prefix))
    except FileNotFoundError:
        return []


def add(name: str) -> None:
    """Create namespace ``name`` with its loopback up."""
    run(["ip", "netns", "add", name])
    run(["ip", "-n", name, "link", "set", "lo", "up"])


def delete(name: str) -> None:
    """Delete namespace ``name`` if it exists (its links go with it)."""
    if exists(name):
        run(["ip", "netns", "del", name], check=False)


def batch(name: str, commands: list[str]) -> None:
    """Run ``ip`` sub-commands (one per line, without ``ip``) inside namespace ``name``."""
    run(["ip", "-n", name, "-batch", "-"], input="\n".join(commands) + "\n")


def exec_argv(name: str, *argv: str) -> list[str]:
    """argv that runs ``argv`` inside namespace ``name``."""
    return ["ip", "netns", "exec", name, *argv]


def make_switch(switch: str, bridge: str) -> None:
    """Namespace ``switch`` holding bridge ``bridge`` (no address, no uplink)."""
    add(switch)
    batch(switch, [f"link add {bridge} type bridge", f"link set {bridge} up"])


def plug(switch: str, bridge: str, port: str, host_ns: str, *cidrs: str) -> None:
    """Cable ``host_ns`` to the switch: ``eth0`` with ``cidrs`` there, ``port`` on the bridge.

    IPv6 addresses skip duplicate address detection (``nodad``): usable at once, and the lab
    plans unique addresses anyway.
    """
    batch(
        switch,
        [
            f"link add {port} type veth peer name eth0 netns {host_ns}",
            f"link set {port} master {bridge} up",
        ],
    )
    addresses = [f"addr add {c} dev eth0" + (" nodad" if ":" in c else "") for c in cidrs]
    batch(host_ns, [*addresses, "link set eth0 up"])


def links(name: str | None = None) -> list[dict]:
    """``ip -j link`` of namespace ``name`` (the caller's own namespace when None)."""
    argv = ["ip", "-j", "-d", "link", "show"]
    if name is not None:
        argv[1:1] = ["-n", name]
    try:
        return json.loads(run(argv, timeout=5).stdout or "[]")
    except (CommandError, json.JSONDecodeError):
        return []


def default_routes(name: str) -> list[str]:
    """Default routes (IPv4 and IPv6) in namespace ``name``; a lab wants none."""
    found = []
    for family in ("-4", "-6"):
        out = run(["ip", "-n", name, family, "route", "show", "default"], check=False).stdout
        found += [line for line in out.splitlines() if line.strip()]
    return found
