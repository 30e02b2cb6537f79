"""Words for a diagram: the alt text and caption, generated from the spec."""

from __future__ import annotations

from collections.abc import Mapping

from .model import Container, Edge, Network, Topology


def alt_text(topo: Topology, verdicts: Mapping[Edge, str] | None = None) -> str:
    """One sentence naming every network (driver, subnet) and container (networks, IPs),
    and the traffic each edge shows with its verdict (works, refused, unverified)."""
    verdicts = verdicts or {}
    parts = [_network_part(topo, network) for network in topo.networks]
    parts += [_loose_container(c) for c in topo.containers if not c.attachments]
    for service in topo.services:
        count = "global" if service.mode == "global" else f"{service.replicas} replicas"
        on = f" on {_join(list(service.networks))}" if service.networks else ""
        parts.append(f"service {service.name} ({count}, {service.endpoint_mode}){on}")
    parts += [f"outside client {c.name}" + _paren(c.address) for c in topo.clients]
    if topo.hosts:
        parts.append("hosts " + _join([h.name + _paren(h.address) for h in topo.hosts]))
    parts += [
        f"{e.src} to {e.dst}: {e.label} ({verdicts.get(e, 'unverified')})" for e in topo.edges
    ]
    sentence = f"Diagram of {topo.title}: " + "; ".join(parts) + "."
    return sentence.replace("[", "(").replace("]", ")").replace("\n", " ")


def caption(topo: Topology) -> str:
    """The figure caption: the title, then the description if the spec has one."""
    title = topo.title.rstrip(".")
    return f"{title}. {topo.description}" if topo.description else title


def _network_part(topo: Topology, network: Network) -> str:
    kind = "default network" if network.default else "network"
    detail = network.driver + (f", {network.subnet}" if network.subnet else "")
    members = [
        c.name + _paren(a.ipv4) + _host(c)
        for c in topo.containers
        for a in c.attachments
        if a.network == network.name
    ]
    joined = f" with {_join(members)}" if members else " with no containers"
    return f"{kind} {network.name} ({detail}){joined}"


def _loose_container(container: Container) -> str:
    mode = container.network_mode or "no network"
    return f"container {container.name} with network mode {mode}{_host(container)}"


def _host(container: Container) -> str:
    return f" on {container.host}" if container.host else ""


def _paren(text: str | None) -> str:
    return f" ({text})" if text else ""


def _join(items: list[str]) -> str:
    if len(items) < 3:
        return " and ".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"
