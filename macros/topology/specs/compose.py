"""docs/services/compose.md: a Compose project ``demo`` with two networks.

The compose file gives both networks a subnet (Compose creates networks in no fixed order,
so pool-assigned subnets would swap between runs), and ``depends_on`` starts db, then api,
then web, so the addresses are the same on every run.
"""

from __future__ import annotations

from ..model import Attachment, Container, Edge, Network, PublishedPort, Topology

SPEC = Topology(
    name="compose",
    title="Compose project demo: a default and a back network",
    networks=(
        Network("demo_default", driver="bridge", subnet="10.20.1.0/24"),
        Network(
            "demo_back",
            driver="bridge",
            subnet="10.20.2.0/24",
            internal=True,
        ),
    ),
    containers=(
        Container(
            "demo-web-1",
            attachments=(Attachment("demo_default", ipv4="10.20.1.3"),),
            ports=(PublishedPort(8080, 80),),
        ),
        Container(
            "demo-api-1",
            attachments=(
                Attachment("demo_default", ipv4="10.20.1.2"),
                Attachment("demo_back", ipv4="10.20.2.3"),
            ),
        ),
        Container("demo-db-1", attachments=(Attachment("demo_back", ipv4="10.20.2.2"),)),
    ),
    edges=(
        Edge(
            "demo-web-1",
            "demo-api-1",
            "ping api",
            step="03-names",
            command="exec web ping -c 1 -W 1 api",
        ),
        Edge(
            "demo-api-1",
            "demo-db-1",
            "ping db",
            step="03-names",
            command="exec api ping -c 1 -W 1 db",
        ),
        Edge(
            "demo-web-1",
            "demo-db-1",
            "ping db",
            step="03-names",
            command="exec web ping -c 1 -W 1 db",
        ),
    ),
    description=(
        "web and api share the project's default network; api and db share the internal "
        "network back. Service names resolve only between services on a common network."
    ),
)
