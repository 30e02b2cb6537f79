"""docs/networks/troubleshooting.md: app cannot reach db until they share a network.

The state right before the clean-up step: app was connected to back as the fix, so it is on
both networks (its back address is the second one a fresh engine hands out there).
"""

from __future__ import annotations

from ..model import Attachment, Container, Edge, Network, Topology

SPEC = Topology(
    name="troubleshooting",
    title="Diagnosing 'bad address': two containers on two networks",
    networks=(
        Network("front", driver="bridge", subnet="10.40.0.0/24", gateway="10.40.0.1"),
        Network("back", driver="bridge", subnet="10.41.0.0/24", gateway="10.41.0.1"),
    ),
    containers=(
        Container(
            "app",
            attachments=(
                Attachment("front", ipv4="10.40.0.2"),
                Attachment("back", ipv4="10.41.0.3"),
            ),
        ),
        Container("db", attachments=(Attachment("back", ipv4="10.41.0.2"),)),
    ),
    edges=(Edge("app", "db", "wget db:8080 after network connect back app", step="07-fix"),),
    description=(
        "app started on front and db on back, so app could neither resolve nor reach db; "
        "connecting app to back as well fixed both."
    ),
)
