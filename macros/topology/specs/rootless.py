"""docs/hosts/rootless.md: a rootless engine on the lab's host ``rootless``.

The state before the clean-up: the engine runs again with the slirp4netns port driver,
``web`` (on the engine's default bridge, inside RootlessKit's network namespace) publishes
port 80 on 8080, and the outside client reaches it at the rootless host's LAN address.
"""

from __future__ import annotations

from ..model import (
    DEFAULT_BRIDGE,
    Attachment,
    Client,
    Container,
    Edge,
    Host,
    PublishedPort,
    Topology,
)

SPEC = Topology(
    name="rootless",
    title="A rootless engine: containers in RootlessKit's namespace, ports opened by slirp4netns",
    networks=(DEFAULT_BRIDGE,),
    containers=(
        Container(
            "web",
            attachments=(Attachment("bridge", ipv4="172.17.0.2"),),
            ports=(PublishedPort(8080, 80),),
            host="rootless",
        ),
    ),
    hosts=(Host("rootless", address="10.99.0.200"),),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge(
            "client",
            "web",
            "10.99.0.200:8080 (slirp4netns port driver)",
            step="13-from-the-lan-again",
        ),
    ),
    description=(
        "The rootless host rootless (10.99.0.200) runs its engine as an ordinary user; the "
        "container web is on that engine's default bridge, inside RootlessKit's network "
        "namespace, and publishes port 80 on 8080, which the slirp4netns process opens on the "
        "host. The outside client 10.99.0.100 reaches it at 10.99.0.200:8080."
    ),
)
