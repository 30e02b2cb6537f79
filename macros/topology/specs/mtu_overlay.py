"""docs/networks/mtu.md: overlay MTUs, with the LAN at MTU 1400.

The lab forms a two-node swarm. Fresh-swarm addresses on each overlay network: the node1
container .2, node1's load-balancer endpoint .3, the node2 container .4.
"""

from __future__ import annotations

from ..model import Attachment, Container, Edge, Host, Network, Topology

MTU = "com.docker.network.driver.mtu"


def overlay(name: str, subnet: str, *options: tuple[str, str]) -> Network:
    """An attachable overlay network with a fixed subnet."""
    return Network(name, driver="overlay", subnet=subnet, attachable=True, options=options)


def on(host: str, name: str, network: str, ipv4: str) -> Container:
    """A container on ``host`` with one network."""
    return Container(name, attachments=(Attachment(network, ipv4=ipv4),), host=host)


SPEC = Topology(
    name="mtu-overlay",
    title="Overlay MTUs on a LAN with MTU 1400",
    networks=(
        overlay("ov-big", "10.0.20.0/24"),
        overlay("ov-lan", "10.0.21.0/24", (MTU, "1400")),
        overlay("ov-sec", "10.0.22.0/24", ("encrypted", ""), (MTU, "1400")),
    ),
    containers=(
        on("node1", "c1", "ov-big", "10.0.20.2"),
        on("node2", "c2", "ov-big", "10.0.20.4"),
        on("node1", "c3", "ov-lan", "10.0.21.2"),
        on("node2", "c4", "ov-lan", "10.0.21.4"),
        on("node1", "e1", "ov-sec", "10.0.22.2"),
        on("node2", "e2", "ov-sec", "10.0.22.4"),
    ),
    hosts=(Host("node1", "10.99.0.1"), Host("node2", "10.99.0.2")),
    edges=(
        Edge("c1", "c2", "DF 1450", step="12-overlay-after", command="-M do -s 1422"),
        Edge("c3", "c4", "DF 1350", step="15-measure-overlay-lan", command="-M do -s 1322"),
        Edge("e1", "e2", "DF 1324, ESP", step="18-measure-encrypted", command="-s 1296"),
    ),
    description=(
        "Three overlay networks across node1 and node2 on a LAN with MTU 1400. ov-big has "
        "the default container MTU 1450, too big for the LAN; ov-lan was created with the "
        "LAN's MTU, 1400, and its containers get 1350; the encrypted ov-sec, also created "
        "with 1400, gives 1324."
    ),
)
