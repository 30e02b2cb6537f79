"""docs/networks/bridge.md: a user-defined bridge next to the default bridge.

The addresses are what a fresh engine allocates, in the order the page starts containers.
"""

from __future__ import annotations

from ..model import DEFAULT_BRIDGE, Attachment, Container, Edge, Network, Topology

SPEC = Topology(
    name="bridge",
    title="User-defined bridge vs the default bridge",
    networks=(
        DEFAULT_BRIDGE,
        Network("demo-net", driver="bridge", subnet="10.10.0.0/24", gateway="10.10.0.1"),
    ),
    containers=(
        Container("web1", attachments=(Attachment("demo-net", ipv4="10.10.0.2"),)),
        Container("web2", attachments=(Attachment("demo-net", ipv4="10.10.0.3"),)),
        Container("legacy1", attachments=(Attachment("bridge", ipv4="172.17.0.2"),)),
        Container("legacy2", attachments=(Attachment("bridge", ipv4="172.17.0.3"),)),
    ),
    edges=(
        Edge("web1", "web2", "ping web2 (embedded DNS)", step="03-ping-by-name"),
        Edge(
            "legacy1",
            "legacy2",
            "ping legacy2 by name",
            step="04-default-bridge",
            command="ping -c 1 -W 1 legacy2",
        ),
    ),
    description=(
        "Containers on the user-defined network demo-net reach each other by name; "
        "containers on the default bridge only by IP address."
    ),
)
