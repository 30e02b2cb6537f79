"""docs/networks/bridge.md, second diagram: aliases, several networks, internal, shared netns.

The page's two diagrams are compared with the engine together (see ``merge_specs``): the
state right before the clean-up step. ``web1`` appears in both, defined the same way.
"""

from __future__ import annotations

from ..model import Attachment, Container, Edge, Network, Topology

SPEC = Topology(
    name="bridge-more",
    title="More on user-defined bridges",
    networks=(
        Network("demo-net", driver="bridge", subnet="10.10.0.0/24", gateway="10.10.0.1"),
        Network("back-net", driver="bridge", subnet="10.20.0.0/24", gateway="10.20.0.1"),
        Network(
            "int-net", driver="bridge", subnet="10.30.0.0/24", gateway="10.30.0.1", internal=True
        ),
    ),
    containers=(
        Container("web1", attachments=(Attachment("demo-net", ipv4="10.10.0.2"),)),
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
        Edge(
            "web1",
            "vault",
            "ping (internal network)",
            step="10-internal",
            command="ping -c 1 -W 1 10.30.0.2",
        ),
        Edge(
            "vault",
            "hostsrv",
            "gateway:28765",
            step="10-internal",
            command="http://10.30.0.1:28765",
        ),
    ),
    description=(
        "api1 and api2 share the alias api on demo-net; multi is on demo-net and back-net; "
        "vault is on the internal network int-net, which still reaches a host service "
        "through its gateway; sidecar shares web1's network namespace."
    ),
)
