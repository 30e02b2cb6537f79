"""docs/networks/host-and-none.md: containers in the host's network stack, and without one.

``hostweb`` serves on port 8090 straight from node1's network namespace; ``hostweb2`` shows
that ``-p`` is discarded in host mode; ``hostweb3`` exited because 8090 was taken;
``isolated`` has only a loopback interface. None of them has a Docker network endpoint of its
own, so no network is drawn. The INPUT rule the page adds is not a Docker object.
"""

from __future__ import annotations

from ..model import Client, Container, Edge, Topology

SPEC = Topology(
    name="host-and-none",
    title="--network host and --network none",
    networks=(),
    containers=(
        Container("hostweb", network_mode="host"),
        Container("hostweb2", network_mode="host"),
        Container("hostweb3", network_mode="host"),
        Container("isolated", network_mode="none"),
    ),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(Edge("client", "hostweb", "10.99.0.1:8090, no -p needed", step="03-from-the-client"),),
    description=(
        "hostweb, hostweb2 and hostweb3 share node1's network stack: hostweb answers the "
        "client on node1's own address without any published port, and an INPUT rule on "
        "node1 blocks it like any host process. isolated has only a loopback interface."
    ),
)
