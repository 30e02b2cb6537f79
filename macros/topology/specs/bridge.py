"""docs/networks/bridge.md: user-defined bridges next to the default bridge.

The addresses are what a fresh engine allocates, in the order the page starts containers.
The state is the one right before the clean-up step: ``legacy1`` was connected to
``demo-net`` and disconnected again, so it is back on the default bridge only.
"""

from __future__ import annotations

from ..model import Attachment, Container, Edge, Network, Topology

SPEC = Topology(
    name="bridge",
    title="User-defined bridges vs the default bridge",
    networks=(
        Network(
            "bridge", driver="bridge", subnet="172.17.0.0/16", gateway="172.17.0.1", default=True
        ),
        Network("demo-net", driver="bridge", subnet="10.10.0.0/24", gateway="10.10.0.1"),
        Network("back-net", driver="bridge", subnet="10.20.0.0/24", gateway="10.20.0.1"),
        Network(
            "int-net", driver="bridge", subnet="10.30.0.0/24", gateway="10.30.0.1", internal=True
        ),
    ),
    containers=(
        Container("web1", attachments=(Attachment("demo-net", ipv4="10.10.0.2"),)),
        Container("web2", attachments=(Attachment("demo-net", ipv4="10.10.0.3"),)),
        Container("legacy1", attachments=(Attachment("bridge", ipv4="172.17.0.2"),)),
        Container("legacy2", attachments=(Attachment("bridge", ipv4="172.17.0.3"),)),
        Container(
            "api1", attachments=(Attachment("demo-net", ipv4="10.10.0.4", aliases=("api",)),)
        ),
        Container(
            "api2", attachments=(Attachment("demo-net", ipv4="10.10.0.5", aliases=("api",)),)
        ),
        Container(
            "multi",
            attachments=(
                Attachment("demo-net", ipv4="10.10.0.6"),
                Attachment("back-net", ipv4="10.20.0.2"),
            ),
        ),
        Container("vault", attachments=(Attachment("int-net", ipv4="10.30.0.2"),)),
        Container("hostsrv", network_mode="host"),
        Container("sidecar", network_mode="container:web1"),
    ),
    edges=(
        Edge("web1", "web2", "ping web2 ✓"),
        Edge("legacy1", "legacy2", "ping legacy2 ✗"),
        Edge("web1", "vault", "ping ✗ (internal)"),
        Edge("vault", "hostsrv", "gateway:28765 ✓"),
    ),
    description=(
        "Containers on the user-defined network demo-net reach each other by name, and two "
        "share the alias api; containers on the default bridge only reach each other by IP. "
        "multi is on demo-net and back-net; vault is on the internal network int-net, which "
        "still reaches a host service through its gateway; sidecar shares web1's network "
        "namespace."
    ),
)
