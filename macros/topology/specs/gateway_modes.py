"""docs/networks/gateway-modes.md: a ``nat`` and a ``nat-unprotected`` network on one host.

The lab's client on the LAN has routes to both subnets via node1 (10.99.0.1).
"""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Host, Network, PublishedPort, Topology

MODE = "com.docker.network.bridge.gateway_mode_ipv4"


def on_node1(name: str, network: str, ipv4: str, *ports: PublishedPort) -> Container:
    """A container on node1 with one network and the ports it publishes."""
    return Container(name, attachments=(Attachment(network, ipv4=ipv4),), ports=ports, host="node1")


SPEC = Topology(
    name="gateway-modes",
    title="nat and nat-unprotected: what a client on the LAN reaches directly",
    networks=(
        Network("nat-net", subnet="10.41.0.0/24"),
        Network("open-net", subnet="10.42.0.0/24", options=((MODE, "nat-unprotected"),)),
    ),
    containers=(
        on_node1("web", "nat-net", "10.41.0.2", PublishedPort(8080, 80)),
        on_node1("db", "nat-net", "10.41.0.3"),
        on_node1("open1", "open-net", "10.42.0.2"),
    ),
    hosts=(Host("node1", "10.99.0.1"),),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge("client", "web", "10.41.0.2:80 (raw DROP)", step="03-client-nat", command="10.41.0.2"),
        Edge("client", "open1", "10.42.0.2:80", step="06-client-open", command="curl"),
    ),
    description=(
        "Two bridge networks on node1: nat-net in the default nat mode and open-net in "
        "nat-unprotected mode. The client on the LAN routes both subnets via node1: it "
        "cannot reach web's own address although web publishes port 80, and reaches open1, "
        "which publishes nothing."
    ),
)
