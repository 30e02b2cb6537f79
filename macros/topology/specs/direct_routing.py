"""docs/networks/gateway-modes.md: two ways to allow direct routing to ``nat`` networks.

node1's trust-net trusts ``eth0``; node2 runs with ``"allow-direct-routing": true`` in its
daemon.json.
"""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Host, Network, PublishedPort, Topology

TRUSTED = "com.docker.network.bridge.trusted_host_interfaces"

SPEC = Topology(
    name="direct-routing",
    title="Direct routing to nat networks: a trusted interface, a daemon option",
    networks=(
        Network("trust-net", subnet="10.44.0.0/24", options=((TRUSTED, "eth0"),)),
        Network("edge-net", subnet="10.45.0.0/24"),
    ),
    containers=(
        Container(
            "shop",
            attachments=(Attachment("trust-net", ipv4="10.44.0.2"),),
            ports=(PublishedPort(8081, 80),),
            host="node1",
        ),
        Container(
            "edge",
            attachments=(Attachment("edge-net", ipv4="10.45.0.2"),),
            ports=(PublishedPort(8080, 80),),
            host="node2",
        ),
        Container("edge-db", attachments=(Attachment("edge-net", ipv4="10.45.0.3"),), host="node2"),
    ),
    hosts=(Host("node1", "10.99.0.1"), Host("node2", "10.99.0.2")),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge("client", "shop", "10.44.0.2:80 via eth0", step="12-client-trusted", command="curl"),
        Edge("client", "edge", "10.45.0.2:80", step="14-client-direct", command="10.45.0.2"),
        Edge("client", "edge-db", "10.45.0.3:80", step="14-client-direct", command="10.45.0.3"),
    ),
    description=(
        "shop on node1's trust-net, which trusts eth0: the client reaches shop's own "
        "address. node2's daemon allows direct routing: the client reaches edge's published "
        "port on its own address, but not edge-db's unpublished one."
    ),
)
