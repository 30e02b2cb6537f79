"""docs/services/load-balancing.md: spreading requests over a service's replicas.

The state right before the clean-up steps: a three-node swarm, the attachable overlay
``lb-net``, a container ``probe`` on node3 that sends requests, ``web`` (DNS round robin,
one replica per node), ``web-vip`` (virtual IP, published through the ingress routing mesh
on 8080) and ``web-host`` (global, published in host mode on 8081 of every node), and the
outside client that calls the nodes.
"""

from __future__ import annotations

from ..model import (
    Attachment,
    Client,
    Container,
    Edge,
    Host,
    Network,
    Service,
    ServicePort,
    Topology,
)

SPEC = Topology(
    name="load-balancing",
    title="Load balancing across swarm nodes",
    networks=(Network("lb-net", driver="overlay", subnet="10.61.0.0/24", attachable=True),),
    containers=(Container("probe", attachments=(Attachment("lb-net"),), host="node3"),),
    services=(
        Service("web", replicas=3, endpoint_mode="dnsrr", networks=("lb-net",)),
        Service(
            "web-vip",
            replicas=3,
            endpoint_mode="vip",
            networks=("lb-net",),
            ports=(ServicePort(8080, 80, mode="ingress"),),
        ),
        Service(
            "web-host",
            mode="global",
            endpoint_mode="vip",
            ports=(ServicePort(8081, 80, mode="host"),),
        ),
    ),
    hosts=(
        Host("node1", "10.99.0.1"),
        Host("node2", "10.99.0.2"),
        Host("node3", "10.99.0.3"),
    ),
    clients=(Client("client", "10.99.0.100"),),
    edges=(
        Edge("probe", "web", "30 requests → web-1, web-2, web-3", step="03-dns-spread"),
        Edge("probe", "web-vip", "30 requests to the VIP", step="06-vip-balancing"),
        Edge("client", "web-vip", ":8080 on every node, routing mesh", step="07-routing-mesh"),
        Edge("client", "web-host", ":8081 on each node → its own replica", step="11-from-outside"),
    ),
    description=(
        "A three-node swarm with the overlay lb-net. web has one replica per node and DNS "
        "round robin, and probe on node3 spreads its requests over all three. web-vip sits "
        "behind a virtual IP and the ingress routing mesh on port 8080, both balanced by IPVS. "
        "web-host runs on every node and publishes port 8081 in host mode, "
        "so the outside client reaches each node's own replica."
    ),
)
