"""docs/networks/bridge-options.md: enable_icc and enable_ip_masquerade.

net-a gets ``enable_icc=false`` from the daemon's ``default-network-opts``; net-b overrides
it; nomasq-net turns masquerading off and names its bridge.
"""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Host, Network, Topology

ICC = "com.docker.network.bridge.enable_icc"
MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade"
BRIDGE_NAME = "com.docker.network.bridge.name"


def on_node1(name: str, network: str, ipv4: str) -> Container:
    """A container on node1 with one network."""
    return Container(name, attachments=(Attachment(network, ipv4=ipv4),), host="node1")


SPEC = Topology(
    name="bridge-options-more",
    title="enable_icc and enable_ip_masquerade",
    networks=(
        Network("net-a", subnet="10.70.1.0/24", options=((ICC, "false"),)),
        Network("net-b", subnet="10.70.2.0/24", options=((ICC, "true"),)),
        Network(
            "nomasq-net",
            subnet="10.70.3.0/24",
            options=((BRIDGE_NAME, "br-nomasq"), (MASQUERADE, "false")),
        ),
    ),
    containers=(
        on_node1("a1", "net-a", "10.70.1.2"),
        on_node1("a2", "net-a", "10.70.1.3"),
        on_node1("b1", "net-b", "10.70.2.2"),
        on_node1("b2", "net-b", "10.70.2.3"),
        on_node1("nm1", "nomasq-net", "10.70.3.2"),
    ),
    hosts=(Host("node1", "10.99.0.1"),),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge("a1", "a2", "ping (icc off)", step="08-icc", command="a1 ping"),
        Edge("b1", "b2", "ping", step="08-icc", command="b1 ping"),
        Edge("nm1", "client", "ping (reply dropped)", step="12-no-reply", command="ping"),
    ),
    description=(
        "Containers on net-a, where inter-container traffic is off, cannot ping each "
        "other; on net-b they can. nm1 on nomasq-net leaves without masquerading: the "
        "client's reply to its own address is dropped on node1."
    ),
)
