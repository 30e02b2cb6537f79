"""docs/networks/mtu.md: MTUs of bridge networks, and a path MTU measured from a container.

node1's daemon runs with ``{"mtu": 1400}`` (snippets/mtu/daemon.json), which sets the default
bridge only. The LAN is lowered to MTU 1400 halfway through the page.
"""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Host, Network, Topology

MTU = "com.docker.network.driver.mtu"


def on_node1(name: str, network: str, ipv4: str) -> Container:
    """A container on node1 with one network."""
    return Container(name, attachments=(Attachment(network, ipv4=ipv4),), host="node1")


SPEC = Topology(
    name="mtu-bridge",
    title="Bridge MTUs: the daemon's mtu, a network's driver.mtu, and a path MTU",
    networks=(
        Network("bridge", subnet="172.17.0.0/16", default=True, options=((MTU, "1400"),)),
        Network("app-net", subnet="10.30.0.0/24"),
        Network("small-net", subnet="10.31.0.0/24", options=((MTU, "1300"),)),
    ),
    containers=(
        on_node1("b0", "bridge", "172.17.0.2"),
        on_node1("app1", "app-net", "10.30.0.2"),
        on_node1("small1", "small-net", "10.31.0.2"),
    ),
    hosts=(Host("node1", "10.99.0.1"),),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge(
            "small1",
            "client",
            "DF 1301 bytes (mtu 1300)",
            step="03-measure-local",
            command="-s 1273",
        ),
        Edge(
            "app1",
            "client",
            "DF 1500 bytes (frag needed)",
            step="11-path-mtu-bridge",
            command="-s 1472",
        ),
    ),
    description=(
        "b0 on the default bridge gets the daemon's MTU 1400, app1 on a user-defined network "
        "the usual 1500, small1 the 1300 its network asks for. Pings that may not be "
        "fragmented show each limit: small1's own interface, and for app1 the LAN's MTU "
        "of 1400, reported by node1 as it routes."
    ),
)
