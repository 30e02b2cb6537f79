"""docs/networks/encrypted-overlay.md: an overlay network created with ``-o encrypted``.

The lab forms a two-node swarm. e1 and e2 share node1 (traffic between them never leaves
the host, so it is not encrypted); e3 runs on node2, and its traffic to node1 is what IPsec
protects. Fresh-swarm addresses: e1 .2, node1's load-balancer endpoint .3, e2 .4, e3 .5.
"""

from __future__ import annotations

from ..model import Attachment, Container, Edge, Host, Network, Topology

SPEC = Topology(
    name="encrypted-overlay",
    title="An encrypted overlay network",
    networks=(
        Network(
            "ov-secret",
            driver="overlay",
            subnet="10.0.10.0/24",
            gateway="10.0.10.1",
            attachable=True,
            options=(("encrypted", ""),),
            scope="swarm",
        ),
    ),
    containers=(
        Container("e1", attachments=(Attachment("ov-secret", ipv4="10.0.10.2"),), host="node1"),
        Container("e2", attachments=(Attachment("ov-secret", ipv4="10.0.10.4"),), host="node1"),
        Container("e3", attachments=(Attachment("ov-secret", ipv4="10.0.10.5"),), host="node2"),
    ),
    hosts=(Host("node1", "10.99.0.1"), Host("node2", "10.99.0.2")),
    edges=(
        Edge("e1", "e2", "ping e2 (same host, not encrypted)", step="02-same-host"),
        Edge("e3", "e1", "ping e1 (VXLAN inside ESP)", step="05-cross-host"),
    ),
    description=(
        "The encrypted overlay ov-secret spans node1 and node2. Traffic between e1 and e2 stays "
        "on node1; traffic from e3 on node2 crosses the LAN as VXLAN inside IPsec ESP."
    ),
)
