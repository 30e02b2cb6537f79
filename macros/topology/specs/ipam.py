"""docs/networks/ipam.md: subnet, gateway, ip-range and reserved addresses of a bridge network.

``ipamnet`` hands out addresses from 10.10.0.128/25 only, skipping the two ``--aux-address``
reservations (.129 and .130): dyn1 and dyn2 get .128 and .131. ``fixed`` has the static
address .50, inside the subnet but outside the range. autonet1 and autonet2 were created
without ``--subnet`` and got the next two default pools of a fresh engine.
"""

from __future__ import annotations

from ..model import Attachment, Container, Network, Topology

SPEC = Topology(
    name="ipam",
    title="IPAM: subnet, ip-range, gateway, reserved and static addresses",
    networks=(
        Network(
            "ipamnet",
            driver="bridge",
            subnet="10.10.0.0/24",
            gateway="10.10.0.1",
            ip_range="10.10.0.128/25",
        ),
        Network("autonet1", driver="bridge", subnet="172.18.0.0/16", gateway="172.18.0.1"),
        Network("autonet2", driver="bridge", subnet="172.19.0.0/16", gateway="172.19.0.1"),
    ),
    containers=(
        Container("dyn1", attachments=(Attachment("ipamnet", ipv4="10.10.0.128"),)),
        Container("dyn2", attachments=(Attachment("ipamnet", ipv4="10.10.0.131"),)),
        Container("fixed", attachments=(Attachment("ipamnet", ipv4="10.10.0.50"),)),
    ),
    description=(
        "ipamnet (10.10.0.0/24) hands out addresses from 10.10.0.128/25 and skips the reserved "
        "10.10.0.129 and 10.10.0.130, so dyn1 and dyn2 get .128 and .131; fixed has the static "
        "address .50 outside the range. autonet1 and autonet2 got 172.18.0.0/16 and "
        "172.19.0.0/16 from the default address pools."
    ),
)
