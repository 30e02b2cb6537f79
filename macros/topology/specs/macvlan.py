"""docs/networks/macvlan.md: two macvlan containers on the lab LAN, seen from outside.

The network ``lan`` is the lab's own LAN segment (10.99.0.0/24), entered through node1's
``eth0`` (the parent); the client at 10.99.0.100 is another machine on that segment. m1
gets the first address of the ``--ip-range``; m2 has a static ``--ip``. The mv-shim
interface the page adds on node1 is not a Docker object, so it is not drawn.
"""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Network, Topology

SPEC = Topology(
    name="macvlan",
    title="MACVLAN bridge mode on node1's LAN",
    networks=(
        Network(
            "lan",
            driver="macvlan",
            subnet="10.99.0.0/24",
            gateway="10.99.0.254",
            ip_range="10.99.0.32/28",
            options=(("macvlan_mode", "bridge"), ("parent", "eth0")),
        ),
    ),
    containers=(
        Container("m1", attachments=(Attachment("lan", ipv4="10.99.0.32"),)),
        Container("m2", attachments=(Attachment("lan", ipv4="10.99.0.40"),)),
    ),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge("m1", "m2", "ping m2 (embedded DNS)", step="04-ping"),
        Edge("client", "m2", "ping from the LAN", step="05-from-outside"),
    ),
    description=(
        "The macvlan network lan puts m1 and m2 straight onto the LAN behind node1's eth0, "
        "each with its own MAC address: the client on the LAN reaches them, node1 itself "
        "only after the mv-shim fix."
    ),
)
