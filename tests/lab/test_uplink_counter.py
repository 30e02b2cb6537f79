"""``UplinkCounter`` counts real packets: its own on ``OUTPUT``, and routed ones on ``FORWARD``.

Nothing here leaves the machine or touches its real uplink: the test builds a private
topology, two namespaces cabled to the root namespace by veth pairs, and makes the counter
treat the root end toward ``b`` as the uplink::

    nsA 10.231.1.2 ==veth== 10.231.1.1 root 10.231.2.1 ==veth== 10.231.2.2 nsB
                                                 ^ the "uplink"

A ping from ``a`` to ``b`` is routed by the root namespace (``FORWARD`` out of the uplink), a
datagram from this process goes out of it directly (``OUTPUT``). The ``FORWARD`` counting jump
sits at the top of the chain, so a ``DROP`` policy (Docker sets one) drops the ping only after
it was counted.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from macros.lab import netns
from macros.lab.proc import run
from macros.lab.uplink import CHAIN_PREFIX, UplinkCounter

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or os.geteuid() != 0
    or not all(shutil.which(tool) for tool in ("ip", "iptables", "ping")),
    reason="needs Linux, root, ip, iptables and ping (it builds namespaces and iptables chains)",
)

IP_FORWARD = Path("/proc/sys/net/ipv4/ip_forward")
SUBNETS = ("10.231.1.", "10.231.2.")


@dataclass(frozen=True)
class Topology:
    """The two namespaces, the root ends of their cables, and ``b``'s address."""

    ns_a: str
    ns_b: str
    link_a: str
    link_b: str
    address_b: str = "10.231.2.2"


def _link_exists(name: str) -> bool:
    return run(["ip", "link", "show", "dev", name], check=False).returncode == 0


def _own_chains() -> list[str]:
    """This process's counter chains, and the rules jumping to them, still in iptables."""
    tag = f"{CHAIN_PREFIX}{os.getpid()}-"
    return [rule for rule in run(["iptables", "-w", "-S"]).stdout.splitlines() if tag in rule]


def _cable(ns: str, link: str, root_cidr: str, peer_cidr: str, route: str) -> None:
    """veth ``link`` (root namespace, ``root_cidr``) <-> ``eth0`` in ``ns`` (``peer_cidr``)."""
    netns.add(ns)
    run(["ip", "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", ns])
    run(["ip", "addr", "add", root_cidr, "dev", link])
    run(["ip", "link", "set", link, "up"])
    gateway = root_cidr.split("/")[0]
    netns.batch(
        ns,
        [f"addr add {peer_cidr} dev eth0", "link set eth0 up", f"route add {route} via {gateway}"],
    )


@pytest.fixture
def topology() -> Iterator[Topology]:
    """Build the private topology; remove all of it afterwards, whatever happened."""
    in_use = json.loads(run(["ip", "-j", "addr", "show"]).stdout or "[]")
    for link in in_use:
        for address in link.get("addr_info", []):
            if address.get("local", "").startswith(SUBNETS):
                pytest.skip(f"10.231.1.0/30 or 10.231.2.0/30 is in use here ({link['ifname']})")
    pid = os.getpid()
    top = Topology(
        ns_a=f"cnvup-{pid}-a",
        ns_b=f"cnvup-{pid}-b",
        link_a=f"cnvupa{pid % 10000}",
        link_b=f"cnvupb{pid % 10000}",
    )
    try:
        _cable(top.ns_a, top.link_a, "10.231.1.1/30", "10.231.1.2/30", "10.231.2.0/30")
        _cable(top.ns_b, top.link_b, "10.231.2.1/30", "10.231.2.2/30", "10.231.1.0/30")
        yield top
    finally:
        for link in (top.link_a, top.link_b):
            if _link_exists(link):
                run(["ip", "link", "del", link], check=False)
        for ns in (top.ns_a, top.ns_b):
            netns.delete(ns)
    left = [n for n in (top.ns_a, top.ns_b) if netns.exists(n)]
    left += [link for link in (top.link_a, top.link_b) if _link_exists(link)]
    assert not left, f"left behind: {left}"


@pytest.fixture
def forwarding() -> Iterator[None]:
    """IPv4 forwarding on in the root namespace for the test; as it was found afterwards."""
    found = IP_FORWARD.read_text().strip()
    if found == "0":
        IP_FORWARD.write_text("1\n")
    try:
        yield
    finally:
        if found == "0":
            IP_FORWARD.write_text("0\n")
    assert IP_FORWARD.read_text().strip() == found


def test_counter_counts_forwarded_and_own_packets(topology: Topology, forwarding: None) -> None:
    out = topology.link_b
    try:
        with UplinkCounter(uplinks=[out]) as counter:
            assert counter.uplinks == [out]
            assert counter.control() >= 1, "the counter does not see this process's packets"
            assert counter.uplink_packets() == 0, "counted before anything was sent"

            ping = run(
                netns.exec_argv(topology.ns_a, "ping", "-c", "1", "-W", "2", topology.address_b),
                timeout=15,
                check=False,
            )
            routed = counter.packets(out, routed=True)
            print(f"ping a -> b: exit {ping.returncode} (1: no reply), routed {routed}")
            assert routed >= 1, f"the forwarded ping was not counted: {ping.stdout}"
            assert counter.packets(out) == 0, "the routed ping counted as this process's own"
            assert counter.uplink_packets() >= 1

            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.sendto(b"uplink-counter test", (topology.address_b, 9))
            own = counter.packets(out)
            print(f"own datagram root -> b: own {own}, total {counter.uplink_packets()}")
            assert own >= 1, "this process's datagram out of the uplink was not counted"
            assert counter.packets(out, routed=True) == routed, "own datagram counted as routed"
    finally:
        assert not _own_chains(), f"counter rules left behind: {_own_chains()}"
    assert not [r for r in run(["iptables", "-w", "-S"]).stdout.splitlines() if CHAIN_PREFIX in r]
