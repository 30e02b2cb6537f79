"""docs/networks/ipv6.md: a dual-stack NAT network, a routed IPv6 network and an IPv6-only one.

``web6`` (``dual-net``, ``fd00:db8:1::80``) publishes port 80 on 8080 (every address) and on
``[::1]:8081``; ``routed6`` (``routed-net``, ``fd00:db8:2::80``, IPv6 gateway mode ``routed``)
opens port 80 to direct traffic; ``only6`` (``v6only-net``, no IPv4) publishes 8082. The client
is the lab's outside machine, ``fd00:99::100`` on node1's LAN, with a route to ``fd00:db8::/32``
via node1. The model holds IPv4 only, so the page text gives the IPv6 subnets and addresses;
the engine picks ``dual-net``'s IPv4 subnet, so it is not drawn.
"""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Network, PublishedPort, Topology

ROUTED = (("com.docker.network.bridge.gateway_mode_ipv6", "routed"),)

SPEC = Topology(
    name="ipv6",
    title="IPv6 on bridge networks: NAT, routed and IPv6-only",
    networks=(
        Network("dual-net", driver="bridge"),
        Network("routed-net", driver="bridge", options=ROUTED),
        Network("v6only-net", driver="bridge"),
    ),
    containers=(
        Container(
            "web6",
            attachments=(Attachment("dual-net"),),
            ports=(PublishedPort(8080, 80), PublishedPort(8081, 80, host_ip="::1")),
        ),
        Container(
            "routed6",
            attachments=(Attachment("routed-net"),),
            ports=(PublishedPort(0, 80),),
        ),
        Container(
            "only6",
            attachments=(Attachment("v6only-net", ipv4=None),),
            ports=(PublishedPort(8082, 80),),
        ),
    ),
    clients=(Client("client", address="fd00:99::100"),),
    edges=(
        Edge("client", "web6", "node1:8080, DNAT", step="06-client-published", command=":8080"),
        Edge("client", "web6", "direct, raw DROP", step="08-client-direct-nat", command="curl"),
        Edge(
            "client",
            "routed6",
            "direct :80, routed",
            step="11-client-routed",
            command="[fd00:db8:2::80]'",
        ),
        Edge(
            "client", "only6", "node1:8082, DNAT", step="14-client-ipv6-only", command="::1]:8082"
        ),
    ),
    description=(
        "web6 on the dual-stack dual-net publishes port 80 through NAT; the client reaches it "
        "on node1's address but not on its own. routed6 on routed-net is reached directly at "
        "its IPv6 address. only6 on the IPv6-only v6only-net publishes on [::] only."
    ),
)
