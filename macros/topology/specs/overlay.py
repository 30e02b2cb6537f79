"""docs/networks/overlay.md: one attachable overlay network spanning two swarm nodes.

The page forms its own three-node swarm; node3 joins but runs nothing, so it is not drawn.
Addresses are what a fresh swarm allocates: c1 gets .2, node1's load-balancer endpoint .3,
c2 .4 (node2's load-balancer endpoint takes .5).
"""

from __future__ import annotations

from ..model import Attachment, Container, Edge, Host, Network, Topology

SPEC = Topology(
    name="overlay",
    title="An overlay network across two hosts",
    networks=(
        Network(
            "ov-demo",
            driver="overlay",
            subnet="10.0.9.0/24",
            gateway="10.0.9.1",
            attachable=True,
            scope="swarm",
        ),
    ),
    containers=(
        Container("c1", attachments=(Attachment("ov-demo", ipv4="10.0.9.2"),), host="node1"),
        Container("c2", attachments=(Attachment("ov-demo", ipv4="10.0.9.4"),), host="node2"),
    ),
    hosts=(Host("node1", "10.99.0.1"), Host("node2", "10.99.0.2")),
    edges=(Edge("c1", "c2", "ping c2 (VXLAN over UDP 4789)", step="08-ping-c2"),),
    description=(
        "Two containers on different swarm nodes share the overlay network ov-demo and reach "
        "each other by name; their traffic crosses the LAN inside VXLAN packets."
    ),
)
