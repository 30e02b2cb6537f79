"""Capabilities a step may require, and why a page needs each of them."""

from __future__ import annotations

CAPABILITIES: dict[str, str] = {
    "ipvs": "the kernel's IPVS load balancer (swarm VIP load balancing and the routing mesh)",
    "esp": "kernel IPsec ESP with AES-GCM (encrypted overlay traffic between hosts)",
    "vlan": "802.1Q VLAN sub-interfaces (macvlan and ipvlan trunk mode)",
    "ipvlan": "the ipvlan network driver",
    "dummy": "dummy network interfaces (macvlan or ipvlan without a parent)",
    "vxlan": "VXLAN tunnels (overlay networks)",
    "macvlan": "the macvlan network driver",
    "swarm": "Docker Swarm mode",
    "compose": "the docker compose plugin",
    "rootless": "a rootless engine (RootlessKit, slirp4netns, uidmap, user namespaces)",
}

HOST_PATTERN = r"node[1-9]|client|rootless"
"""Host targets a step may name: the lab's nodes, the outside client and the rootless host."""
