"""docs/networks/dns-and-host.md: the embedded DNS server's upstream, and host services.

``app`` and ``client`` (a container named like the lab machine, for the ndots step) are on
``app-net``; ``db`` is on the internal ``back-net``. ``loopsrv`` and ``gwsrv`` run in node1's
own network stack (``--network host``), standing for programs on the host: ``loopsrv`` listens
on 127.0.0.1:28080, ``gwsrv`` on the default bridge's gateway 172.17.0.1:28081. The lab
machine (``client.lab.internal``, which also runs the lab's DNS server) is drawn under its DNS
name, apart from the container ``client``.

"""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Network, Topology

SPEC = Topology(
    name="dns-and-host",
    title="Embedded DNS upstream and services on the host",
    networks=(
        Network("app-net", driver="bridge", subnet="10.40.0.0/24"),
        Network("back-net", driver="bridge", subnet="10.41.0.0/24", internal=True),
    ),
    containers=(
        Container("app", attachments=(Attachment("app-net"),)),
        Container("client", attachments=(Attachment("app-net", ipv4="10.40.0.50"),)),
        Container("db", attachments=(Attachment("back-net"),)),
        Container("loopsrv", network_mode="host"),
        Container("gwsrv", network_mode="host"),
    ),
    clients=(Client("client.lab.internal", address="10.99.0.100"),),
    edges=(
        Edge(
            "app",
            "client.lab.internal",
            "DNS, forwarded by 127.0.0.11",
            step="03-forward",
            command="client.lab.internal",
        ),
        Edge(
            "app",
            "gwsrv",
            "host.docker.internal:28081",
            step="10-host-services",
            command="host.docker.internal:28081",
        ),
        Edge(
            "app",
            "loopsrv",
            "host.docker.internal:28080",
            step="10-host-services",
            command="host.docker.internal:28080",
        ),
        Edge("client.lab.internal", "gwsrv", "10.99.0.1:28081", step="11-client-gateway"),
    ),
    description=(
        "app on app-net asks the embedded DNS server, which forwards outside names to the lab's "
        "DNS server on client.lab.internal. On the host, gwsrv listens on the bridge gateway "
        "and answers app but not the LAN; loopsrv listens on 127.0.0.1 and answers neither."
    ),
)
