"""docs/services/service-discovery.md: names, VIPs and task records on an overlay.

The state right before the clean-up steps: a three-node swarm, the attachable overlay
``sd-net``, a standalone container on node2 (with an alias) and one on node3 that asks the
questions, and two services whose tasks run on node1 and node2 only: ``web`` behind a
virtual IP and ``web-rr`` with DNS round robin.
"""

from __future__ import annotations

from ..model import Attachment, Container, Edge, Host, Network, Service, Topology

SPEC = Topology(
    name="service-discovery",
    title="Service discovery on an overlay network",
    networks=(Network("sd-net", driver="overlay", subnet="10.60.0.0/24", attachable=True),),
    containers=(
        Container(
            "db",
            attachments=(Attachment("sd-net", ipv4="10.60.0.2", aliases=("database",)),),
            host="node2",
        ),
        Container("probe", attachments=(Attachment("sd-net"),), host="node3"),
    ),
    services=(
        Service("web", replicas=3, endpoint_mode="vip", networks=("sd-net",)),
        Service("web-rr", replicas=3, endpoint_mode="dnsrr", networks=("sd-net",)),
    ),
    hosts=(
        Host("node1", "10.99.0.1"),
        Host("node2", "10.99.0.2"),
        Host("node3", "10.99.0.3"),
    ),
    edges=(
        Edge("probe", "db", "nslookup db, database", step="03-probe-on-node3"),
        Edge("probe", "web", "nslookup web → VIP", step="05-resolve-vip"),
        Edge("probe", "web-rr", "nslookup web-rr → 3 tasks", step="09-resolve-dnsrr"),
    ),
    description=(
        "A three-node swarm. The attachable overlay sd-net spans the nodes; db runs on node2 "
        "with the alias database, probe on node3. The service web (3 tasks on node1 and node2) "
        "has a virtual IP; web-rr (3 tasks) uses DNS round robin. From node3, probe resolves "
        "all of them by name."
    ),
)
