"""docs/networks/bridge-options.md: the default bind address, per daemon and per network.

The daemon runs with ``snippets/bridge-options/daemon.json``: ``bip`` 10.66.0.1/24 for the
default bridge, ``ip`` 127.0.0.1 as its default bind address, pools of /24s from
10.70.0.0/16 and ``enable_icc=false`` as a default option of new bridge networks.
"""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Host, Network, PublishedPort, Topology

ICC = "com.docker.network.bridge.enable_icc"
HOST_BINDING = "com.docker.network.bridge.host_binding_ipv4"

SPEC = Topology(
    name="bridge-options",
    title="Default bind addresses: the daemon's ip and a network's host_binding_ipv4",
    networks=(
        Network(
            "bridge",
            subnet="10.66.0.0/24",
            gateway="10.66.0.1",
            default=True,
            options=((HOST_BINDING, "127.0.0.1"),),
        ),
        Network(
            "lan-net",
            subnet="10.70.0.0/24",
            gateway="10.70.0.1",
            options=((HOST_BINDING, "10.99.0.1"), (ICC, "false")),
        ),
    ),
    containers=(
        Container(
            "web",
            attachments=(Attachment("bridge", ipv4="10.66.0.2"),),
            ports=(PublishedPort(8080, 80, host_ip="127.0.0.1"),),
            host="node1",
        ),
        Container(
            "shop",
            attachments=(Attachment("lan-net", ipv4="10.70.0.2"),),
            ports=(PublishedPort(8081, 80, host_ip="10.99.0.1"),),
            host="node1",
        ),
    ),
    hosts=(Host("node1", "10.99.0.1"),),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge("client", "web", "10.99.0.1:8080 (bound to 127.0.0.1)", step="04-client-default-bind"),
        Edge("client", "shop", "10.99.0.1:8081", step="06-client-host-binding"),
    ),
    description=(
        "The default bridge takes its subnet from bip and publishes on 127.0.0.1 (the "
        "daemon's ip setting), so the client cannot reach web; lan-net publishes on "
        "10.99.0.1 (its host_binding_ipv4 option), so the client reaches shop."
    ),
)
