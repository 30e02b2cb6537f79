"""docs/services/swarm-network.md: a swarm formed with its own address pool and VXLAN port.

The state before the clean-up: node3 has left and was removed, ``apps`` got the second /26 of
the pool 10.20.0.0/16 (the first went to the original ingress network), ``mesh`` replaced
``ingress`` with 10.30.0.0/24, ``web`` runs one replica on node1 and one on node2, and the
attachable containers ``probe`` (node1) and ``probe2`` (node2) ping each other over VXLAN on
UDP 7789. node2's custom ``docker_gwbridge`` is a predefined network and is not drawn.
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
    name="swarm-network",
    title="A swarm's own address pool, ingress network and VXLAN port",
    networks=(
        Network(
            "apps",
            driver="overlay",
            subnet="10.20.0.64/26",
            gateway="10.20.0.65",
            attachable=True,
        ),
        Network("mesh", driver="overlay", subnet="10.30.0.0/24", gateway="10.30.0.1"),
    ),
    containers=(
        Container("probe", attachments=(Attachment("apps"),), host="node1"),
        Container("probe2", attachments=(Attachment("apps"),), host="node2"),
    ),
    services=(Service("web", replicas=2, networks=("apps",), ports=(ServicePort(8080, 80),)),),
    hosts=(Host("node1", "10.99.0.1"), Host("node2", "10.99.0.2")),
    clients=(Client("client", "10.99.0.100"),),
    edges=(
        Edge(
            "probe",
            "probe2",
            "ping probe2 (VXLAN on UDP 7789)",
            step="11-data-path-port",
            command="ping -c 1",
        ),
        Edge("client", "web", "10.99.0.3:8080, routing mesh on mesh", step="12e-routing-mesh"),
    ),
    description=(
        "Two swarm nodes after node3 left and was removed. The overlay apps took its subnet "
        "from the swarm's own pool 10.20.0.0/16 in /26 pieces; the ingress network was "
        "replaced by mesh (10.30.0.0/24), which carries web's published port 8080. probe and "
        "probe2 reach each other across the nodes in VXLAN packets on UDP port 7789."
    ),
)
