"""Made-up topologies for the renderer and comparison tests.

Deliberately no page's spec: the site's specs change with their pages, these tests must not.
Two shop containers share a user-defined network; two old ones sit on the default bridge.
"""

from __future__ import annotations

from macros.topology import model as m
from macros.topology.model import Attachment, Container, Edge, Network, Topology


def _on(network: str, *addresses: tuple[str, str]) -> tuple[Container, ...]:
    return tuple(
        Container(name, attachments=(Attachment(network, ipv4=ip),)) for name, ip in addresses
    )


FIXTURE = Topology(
    name="fixture",
    title="A shop network next to the default bridge",
    networks=(
        Network("bridge", subnet="172.17.0.0/16", gateway="172.17.0.1", default=True),
        Network("shop-net", subnet="10.10.0.0/24", gateway="10.10.0.1"),
    ),
    containers=(
        *_on("shop-net", ("front1", "10.10.0.2"), ("front2", "10.10.0.3")),
        *_on("bridge", ("old1", "172.17.0.2"), ("old2", "172.17.0.3")),
    ),
    edges=(
        Edge("front1", "front2", "ping front2 (by name)", step="02-ping-front"),
        Edge("old1", "old2", "ping old2 by name", step="03-ping-old"),
    ),
    description="front1 and front2 share shop-net; old1 and old2 are on the default bridge.",
)


RICH = m.Topology(
    name="rich",
    title="Every kind of node",
    networks=(
        m.Network("ingress", driver="overlay", subnet="10.0.0.0/24", default=True),
        m.Network("app-net", driver="overlay", subnet="10.20.0.0/24", attachable=True),
        m.Network("front", subnet="172.20.0.0/16", internal=True, options=(("mtu", "1400"),)),
        m.Network("host", driver="host", default=True),
    ),
    containers=(
        m.Container(
            "proxy",
            attachments=(
                m.Attachment("front", "172.20.0.2"),
                m.Attachment("app-net", "10.20.0.10", ("edge",)),
            ),
            ports=(m.PublishedPort(8080, 80, host_ip="192.168.50.11"),),
            host="node1",
        ),
        m.Container("tools", attachments=(m.Attachment("app-net", "10.20.0.11"),), host="node2"),
        m.Container("monitor", network_mode="host", host="node2"),
        m.Container("sidecar", network_mode="container:tools", host="node2"),
    ),
    services=(m.Service("api", replicas=3, endpoint_mode="dnsrr", networks=("app-net",)),),
    hosts=(m.Host("node1", "192.168.50.11"), m.Host("node2")),
    clients=(m.Client("laptop", "192.168.50.100"),),
    edges=(
        m.Edge("laptop", "proxy", "curl 192.168.50.11:8080", step="01-curl"),
        m.Edge("proxy", "api", "nslookup api → 3 addresses", step="02-lookup"),
        m.Edge("tools", "monitor", "ping monitor", step="03-ping"),
    ),
)
