"""docs/networks/port-publishing.md: published ports on the default bridge, seen from outside.

``web`` publishes container port 80 on 8080 (all addresses) and on 127.0.0.1:8081; ``rand1``
(``-P --expose 80``) and ``rand2`` (``-p 80``) get ports the engine picks. The client is the
lab's outside machine on node1's LAN. The state drawn is the one before the clean-up: the
``DOCKER-USER`` rule drops the client's traffic to ``web``, ``rand1`` still answers it.
The iptables rules the page adds are not Docker objects, so they are not drawn.
"""

from __future__ import annotations

from ..model import (
    DEFAULT_BRIDGE,
    Attachment,
    Client,
    Container,
    Edge,
    PublishedPort,
    Topology,
)

SPEC = Topology(
    name="port-publishing",
    title="Published ports: DNAT from the LAN, docker-proxy for the host itself",
    networks=(DEFAULT_BRIDGE,),
    containers=(
        Container(
            "web",
            attachments=(Attachment("bridge", ipv4="172.17.0.2"),),
            ports=(
                PublishedPort(8080, 80),
                PublishedPort(8081, 80, host_ip="127.0.0.1"),
            ),
        ),
        Container(
            "rand1",
            attachments=(Attachment("bridge", ipv4="172.17.0.3"),),
            ports=(PublishedPort(0, 80),),
        ),
        Container(
            "rand2",
            attachments=(Attachment("bridge", ipv4="172.17.0.4"),),
            ports=(PublishedPort(0, 80),),
        ),
    ),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge(
            "client",
            "web",
            "10.99.0.1:8080 after the DOCKER-USER rule",
            step="12-client-blocked",
            command="http://10.99.0.1:8080",
        ),
        Edge(
            "client",
            "rand1",
            "10.99.0.1:<random> (DNAT)",
            step="12-client-blocked",
            command="http://10.99.0.1:%{rand1_port}",
        ),
    ),
    description=(
        "web publishes port 80 on 8080 and on 127.0.0.1:8081, rand1 and rand2 on ports the "
        "engine picks. The client on the LAN reaches them through the DNAT rules; a DROP "
        "rule in INPUT does not stop it, a rule in DOCKER-USER does."
    ),
)
