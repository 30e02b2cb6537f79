"""Count the packets this process and everything it starts send out of the machine's uplink.

Other work on the machine uses the uplink too, so an interface counter cannot tell whose
packets it saw. Instead this process moves into a cgroup (v2) of its own, and an iptables
chain of its own counts, on ``OUTPUT``, the packets of sockets made in that cgroup, once per
uplink (each interface a default route leaves by) and once on ``lo`` as the control that
shows the counting works. Packets from other network namespaces (containers, lab hosts) carry
no such socket: if one ever reached the machine's own namespace, it would leave by being
routed, so every packet ``FORWARD`` sends out of an uplink is counted too, whoever sent it.
Everything is removed on exit, whatever happened, and what a killed process left is removed
by the next counter.

    with UplinkCounter() as counter:
        ...                      # start engines, run pages
        assert counter.uplink_packets() == 0
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
from pathlib import Path

from .proc import alive, run

CHAIN_PREFIX = "UPLINK-COUNT-"
STALE_CHAIN = re.compile(rf"-N (?P<chain>{CHAIN_PREFIX}(?P<pid>\d+)-\w+)")
STALE_JUMP = re.compile(rf"-A (OUTPUT|FORWARD) -o \S+ -j {CHAIN_PREFIX}(?P<pid>\d+)-\w+")


def cgroup2_root() -> Path:
    """Where the cgroup v2 hierarchy is mounted (``/sys/fs/cgroup`` or its ``unified``)."""
    for line in Path("/proc/self/mounts").read_text().splitlines():
        fields = line.split()
        if len(fields) > 2 and fields[2] == "cgroup2":
            return Path(fields[1])
    raise RuntimeError("no cgroup v2 hierarchy is mounted: packets cannot be told apart")


def default_route_links() -> list[str]:
    """The interfaces the machine's default routes leave by."""
    found = set()
    for family in ("-4", "-6"):
        out = run(["ip", family, "-j", "route", "show", "default"], timeout=10).stdout
        found |= {route["dev"] for route in json.loads(out or "[]") if "dev" in route}
    return sorted(found)


def _own_cgroup(root: Path) -> str:
    """This process's cgroup v2 path, relative to ``root``'s hierarchy ("" at the top)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        if line.startswith("0::"):
            return line[3:].strip("/")
    return ""


def remove_stale(root: Path) -> None:
    """Remove the chains and cgroups of counters whose process died without cleaning up."""
    rules = run(["iptables", "-w", "-S"]).stdout.splitlines()
    for rule in rules:
        found = STALE_JUMP.fullmatch(rule)
        if found and not alive(int(found.group("pid"))):
            run(["iptables", "-w", "-D", *rule.split()[1:]], check=False)
    for rule in rules:
        found = STALE_CHAIN.fullmatch(rule)
        if found and not alive(int(found.group("pid"))):
            run(["iptables", "-w", "-F", found.group("chain")], check=False)
            run(["iptables", "-w", "-X", found.group("chain")], check=False)
    for group in root.glob("uplink-count-*"):
        pid = group.name.removeprefix("uplink-count-")
        if pid.isdigit() and not alive(int(pid)) and not (group / "cgroup.procs").read_text():
            group.rmdir()


class UplinkCounter:
    """Counts this process tree's packets out of every uplink, and on ``lo`` as a control."""

    def __init__(self, uplinks: list[str] | None = None) -> None:
        """``uplinks``: the interfaces to count as the uplink (default: the default routes')."""
        self.tag = f"{CHAIN_PREFIX}{os.getpid()}"
        self.root = cgroup2_root()
        self.cgroup = f"uplink-count-{os.getpid()}"
        self.uplinks = sorted(uplinks) if uplinks is not None else default_route_links()
        self._previous = ""
        self._jumps: list[list[str]] = []

    def __enter__(self) -> UplinkCounter:
        remove_stale(self.root)
        self._previous = _own_cgroup(self.root)
        try:
            (self.root / self.cgroup).mkdir()
            (self.root / self.cgroup / "cgroup.procs").write_text(f"{os.getpid()}\n")
            for out in [*self.uplinks, "lo"]:
                chain = self._chain(out)
                run(["iptables", "-w", "-N", chain])
                run(["iptables", "-w", "-A", chain, "-m", "cgroup", "--path", self.cgroup])
                jump = ["OUTPUT", "-o", out, "-j", chain]
                run(["iptables", "-w", "-I", *jump])
                self._jumps.append(jump)
            for out in self.uplinks:
                chain = self._chain(out, routed=True)
                run(["iptables", "-w", "-N", chain])
                run(["iptables", "-w", "-A", chain])  # counts every packet routed out
                jump = ["FORWARD", "-o", out, "-j", chain]
                run(["iptables", "-w", "-I", *jump])
                self._jumps.append(jump)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _chain(self, out: str, routed: bool = False) -> str:
        if out == "lo":
            return f"{self.tag}-lo"
        return f"{self.tag}-{'fw' if routed else 'up'}{self.uplinks.index(out)}"

    def _chains(self) -> list[str]:
        sent = [self._chain(out) for out in [*self.uplinks, "lo"]]
        return sent + [self._chain(out, routed=True) for out in self.uplinks]

    def packets(self, out: str, routed: bool = False) -> int:
        """Packets counted leaving by ``out`` so far: this process tree's own, or (``routed``)
        any routed out of it."""
        chain = self._chain(out, routed)
        listing = run(["iptables", "-w", "-L", chain, "-v", "-x", "-n"]).stdout
        rule = listing.splitlines()[2]
        return int(rule.split()[0])

    def uplink_packets(self) -> int:
        """This process tree's packets out of every uplink, plus every packet routed out."""
        own = sum(self.packets(out) for out in self.uplinks)
        return own + sum(self.packets(out, routed=True) for out in self.uplinks)

    def control(self) -> int:
        """Send one datagram to ``127.0.0.1:9`` and return the ``lo`` count (so at least 1)."""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.sendto(b"uplink-counter control", ("127.0.0.1", 9))
        return self.packets("lo")

    def close(self) -> None:
        """Remove the rules, the chains and the cgroup; move this process back first."""
        for jump in self._jumps:
            run(["iptables", "-w", "-D", *jump], check=False)
        self._jumps.clear()
        for chain in self._chains():
            run(["iptables", "-w", "-F", chain], check=False)
            run(["iptables", "-w", "-X", chain], check=False)
        group = self.root / self.cgroup
        if group.exists():
            back = self.root / self._previous if self._previous else self.root
            for pid in (group / "cgroup.procs").read_text().split():
                with contextlib.suppress(OSError):  # it exited meanwhile
                    (back / "cgroup.procs").write_text(f"{pid}\n")
            group.rmdir()
