"""docs/networks/packets.md: one bridge network, traffic followed on the host's interfaces.

``web`` (busybox httpd) publishes 80 on 8080/tcp, ``dns`` publishes 53 on 5353/udp (its UDP
server runs in its network namespace from the host, with ``nsenter``), ``probe`` pings ``web``
while the page captures on ``web``'s veth. Addresses are what a fresh engine hands out in
order on ``wire``.
"""

from __future__ import annotations

from ..model import Attachment, Client, Container, Edge, Network, PublishedPort, Topology

SPEC = Topology(
    name="packets",
    title="Following packets: a veth per container, DNAT on the way in",
    networks=(Network("wire", driver="bridge", subnet="10.50.0.0/24"),),
    containers=(
        Container(
            "web",
            attachments=(Attachment("wire", ipv4="10.50.0.2"),),
            ports=(PublishedPort(8080, 80),),
        ),
        Container("probe", attachments=(Attachment("wire", ipv4="10.50.0.3"),)),
        Container(
            "dns",
            attachments=(Attachment("wire", ipv4="10.50.0.4"),),
            ports=(PublishedPort(5353, 53, protocol="udp"),),
        ),
    ),
    clients=(Client("client", address="10.99.0.100"),),
    edges=(
        Edge("probe", "web", "ping web (captured on web's veth)", step="03-capture-veth"),
        Edge("client", "web", "10.99.0.1:8080, DNAT to 10.50.0.2:80", step="08-syn-on-the-wire"),
        Edge("client", "dns", "10.99.0.1:5353/udp, DNAT to 10.50.0.4:53", step="11-udp-exchange"),
    ),
    description=(
        "Three containers on the bridge network wire. probe pings web while tcpdump listens "
        "on web's host-side veth; the LAN client reaches web through 10.99.0.1:8080 and dns "
        "through 10.99.0.1:5353/udp, each connection rewritten by DNAT and tracked by conntrack."
    ),
)
