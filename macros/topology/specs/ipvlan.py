"""docs/networks/ipvlan.md: the IPvlan L3 network the page ends with.

The page first builds an L2 network (ipl2) and removes it again, because Docker allows one
ipvlan network per parent interface; what is left before the clean-up is the L3 network
ipl3 on node1's ``eth0`` with two containers. The containers are made with ``docker
create`` and started only where the kernel has ipvlan, so their addresses are not part of
the spec: a container that never started has none.
"""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Network, Topology

SPEC = Topology(
    name="ipvlan",
    title="IPvlan L3 mode behind node1's eth0",
    networks=(
        Network(
            "ipl3",
            driver="ipvlan",
            subnet="192.168.214.0/24",
            gateway="192.168.214.254",
            options=(("ipvlan_mode", "l3"), ("parent", "eth0")),
        ),
    ),
    containers=(
        Container("r1", attachments=(Attachment("ipl3"),)),
        Container("r2", attachments=(Attachment("ipl3"),)),
    ),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge("r1", "r2", "ping r2 (embedded DNS)", step="08-start-l3"),
        Edge(
            "client",
            "r1",
            "route 192.168.214.0/24 via node1 10.99.0.1",
            step="09-l3-from-outside",
        ),
    ),
    description=(
        "In L3 mode node1 routes for the containers: they share eth0's MAC address, the "
        "gateway option is ignored, and the LAN reaches 192.168.214.0/24 through a route via "
        "node1. r1 is 192.168.214.10 and r2 192.168.214.11 once started."
    ),
)
