"""docs/networks/gateway-modes.md: a ``routed`` and an ``isolated`` network on one host."""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Host, Network, PublishedPort, Topology
from .gateway_modes import MODE, on_node1

SPEC = Topology(
    name="gateway-routed",
    title="routed and isolated: no NAT, and no address on the bridge",
    networks=(
        Network("routed-net", subnet="10.40.0.0/24", options=((MODE, "routed"),)),
        Network("iso-net", subnet="10.43.0.0/24", internal=True, options=((MODE, "isolated"),)),
    ),
    containers=(
        on_node1("api", "routed-net", "10.40.0.2", PublishedPort(0, 80)),
        on_node1("priv", "routed-net", "10.40.0.3"),
        Container("vault", attachments=(Attachment("iso-net", ipv4="10.43.0.1"),), host="node1"),
    ),
    hosts=(Host("node1", "10.99.0.1"),),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge(
            "client",
            "api",
            "10.40.0.2:80 (published)",
            step="08-client-routed",
            command="curl -sS -m 3 http://10.40.0.2",
        ),
        Edge(
            "client",
            "priv",
            "10.40.0.3:80 (not published)",
            step="08-client-routed",
            command="curl -sS -m 3 http://10.40.0.3",
        ),
    ),
    description=(
        "routed-net on node1 has no NAT: the client reaches api's published port on api's "
        "own address, not priv's unpublished one. vault is on iso-net, an internal network "
        "in isolated mode: its bridge has no address, so vault itself took 10.43.0.1."
    ),
)
