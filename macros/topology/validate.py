"""Consistency checks for a ``Topology``; every message names the spec it is about.

Besides being consistent, a spec's texts (title, description, edge labels) must not claim
what only the record can: no ✓/✗ of their own, and no words about one machine's kernel
(``MACHINE_TALK``), since the site is built from runs on many machines. Those are refused
with ``RefusedText``, which carries the text so the spec loader can name its line.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .model import DRIVERS, TopologyError

if TYPE_CHECKING:
    from .model import Container, Network, Service, Topology

FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")  # Docker's rule, plus "name@host" (live)
STEP_NAME = re.compile(r"^[0-9]+[a-z]?-[A-Za-z0-9_.-]+$")
"""A snippet file's stem: ``03-ping-by-name``."""
VERDICT_MARKS = {"✓", "✗"}
MACHINE_TALK = re.compile(
    r"\bhere\b|test (lab|kernel)|this machine|not verified|needs? IPVS", re.IGNORECASE
)
"""Words about the machine one run happened on; what a step needs is a ``#| requires:``."""
PROTOCOLS = ("tcp", "udp", "sctp")
ENDPOINT_MODES = ("vip", "dnsrr")
PUBLISH_MODES = ("ingress", "host")
SERVICE_MODES = ("replicated", "global")


class RefusedText(TopologyError):
    """A title, description or label the site refuses; ``text`` is that text."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.text = text


def validate(topo: Topology) -> None:
    """Raise ``TopologyError`` for the first inconsistency found in ``topo``, then
    ``RefusedText`` for the first refused text."""
    problems = list(problems_in(topo))
    if problems:
        raise TopologyError(f"topology {topo.name!r}: {problems[0]}")
    for where, text in texts_of(topo):
        reason = refused_reason(text)
        if reason:
            raise RefusedText(f"topology {topo.name!r}: {where} {text!r} {reason}", text)


def texts_of(topo: Topology) -> Iterable[tuple[str, str]]:
    """Every text the diagram prints, each with what it is (``title``, ``edge a → b label``)."""
    yield "title", topo.title
    yield "description", topo.description
    for edge in topo.edges:
        yield f"edge {edge.src} → {edge.dst}: label", edge.label


def refused_reason(text: str) -> str | None:
    """Why ``text`` may not be in a spec, or ``None`` when it may."""
    if VERDICT_MARKS & set(text):
        return "carries a ✓/✗ of its own; the step's record decides"
    found = MACHINE_TALK.search(text)
    if found:
        return (
            f"speaks of one machine's kernel ({found.group()!r}); a step that needs a "
            "feature says so with '#| requires:', and the record shows what happened"
        )
    return None


def problems_in(topo: Topology) -> Iterable[str]:
    """Every inconsistency in ``topo``, as messages without the spec prefix."""
    if not FILE_NAME.match(topo.name or ""):
        yield f"name {topo.name!r} is not a valid file name (letters, digits, '_', '.', '-')"
    for field in ("networks", "containers", "services", "hosts", "clients", "edges"):
        if not isinstance(getattr(topo, field), tuple):
            yield f"{field} must be a tuple, got {type(getattr(topo, field)).__name__}"
            return
    yield from _duplicates("network", [n.name for n in topo.networks])
    nodes = [*topo.containers, *topo.services, *topo.clients, *topo.hosts]
    yield from _duplicates("name", [node.name for node in nodes])
    networks = {n.name: n for n in topo.networks}
    for network in topo.networks:
        yield from _network_problems(network)
    hosts = {h.name for h in topo.hosts}
    containers = {c.name for c in topo.containers}
    for container in topo.containers:
        yield from _container_problems(container, networks, hosts, containers)
    for service in topo.services:
        yield from _service_problems(service, networks)
    for thing in [*topo.clients, *topo.hosts]:
        if thing.address is not None and _ip(thing.address) is None:
            yield f"{thing.name!r} has an invalid address {thing.address!r}"
    endpoints = {node.name for node in nodes} | set(networks)
    for edge in topo.edges:
        where = f"edge {edge.src} → {edge.dst}"
        if not STEP_NAME.match(edge.step or ""):
            yield f"{where}: step {edge.step!r} is not a step name like '03-ping-by-name'"
        for end in (edge.src, edge.dst):
            if end in hosts:
                yield f"edge {edge.src} → {edge.dst} ends at host {end!r}; hosts are drawn as boxes"
            elif end not in endpoints:
                yield f"edge {edge.src} → {edge.dst} refers to undefined {end!r}"


def _duplicates(kind: str, names: list[str]) -> Iterable[str]:
    for name, count in sorted(Counter(names).items()):
        if count > 1:
            yield f"duplicate {kind} {name!r} ({count} times)"


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _subnet(network: Network) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The network's subnet, or ``None`` if it has none or it is invalid (reported apart)."""
    try:
        return ipaddress.ip_network(network.subnet) if network.subnet else None
    except ValueError:
        return None


def _network_problems(network: Network) -> Iterable[str]:
    where = f"network {network.name!r}"
    if not NAME.match(network.name):
        yield f"{where}: invalid name"
    if network.driver not in DRIVERS:
        yield f"{where}: unknown driver {network.driver!r} (known: {', '.join(DRIVERS)})"
    subnet = None
    if network.subnet is not None:
        try:
            subnet = ipaddress.ip_network(network.subnet)
        except ValueError as exc:
            yield f"{where}: invalid subnet {network.subnet!r} ({exc})"
    if network.gateway is not None:
        gateway = _ip(network.gateway)
        if gateway is None:
            yield f"{where}: invalid gateway {network.gateway!r}"
        elif subnet is not None and gateway not in subnet:
            yield f"{where}: gateway {network.gateway} is outside subnet {network.subnet}"
    if network.ip_range is not None:
        try:
            ip_range = ipaddress.ip_network(network.ip_range)
        except ValueError as exc:
            yield f"{where}: invalid ip_range {network.ip_range!r} ({exc})"
        else:
            if subnet is not None and not ip_range.subnet_of(subnet):  # type: ignore[arg-type]
                yield f"{where}: ip_range {network.ip_range} is outside subnet {network.subnet}"
    if network.scope not in ("local", "swarm", "global"):
        yield f"{where}: unknown scope {network.scope!r}"
    for option in network.options:
        if len(option) != 2:
            yield f"{where}: option {option!r} is not a (key, value) pair"


def _container_problems(
    container: Container, networks: dict[str, Network], hosts: set[str], containers: set[str]
) -> Iterable[str]:
    where = f"container {container.name!r}"
    if not NAME.match(container.name):
        yield f"{where}: invalid name"
    yield from _duplicates(f"attachment in {where} to network", list(container.networks))
    for attachment in container.attachments:
        network = networks.get(attachment.network)
        if network is None:
            yield f"{where} attaches to undefined network {attachment.network!r}"
            continue
        if attachment.ipv4 is not None:
            yield from _address_problems(where, attachment.ipv4, network)
    mode = container.network_mode
    if mode is not None:
        peer = mode.removeprefix("container:")
        if mode not in ("host", "none") and (mode == peer or peer not in containers):
            yield f"{where}: network_mode {mode!r} is not host, none or container:<defined name>"
        if container.attachments:
            yield f"{where}: network_mode {mode!r} cannot be combined with network attachments"
        if mode != "host" and container.ports:
            yield f"{where}: cannot publish ports with network_mode {mode!r}"
    if container.host is not None and container.host not in hosts:
        yield f"{where} runs on undefined host {container.host!r}"
    for port in container.ports:
        yield from _port_problems(where, port.host_port, port.container_port, port.protocol)
        if port.host_ip and _ip(port.host_ip) is None:
            yield f"{where}: invalid host_ip {port.host_ip!r}"


def _address_problems(where: str, ipv4: str, network: Network) -> Iterable[str]:
    address = _ip(ipv4)
    if not isinstance(address, ipaddress.IPv4Address):
        yield f"{where}: invalid IPv4 address {ipv4!r} on network {network.name!r}"
        return
    subnet = _subnet(network)
    if subnet is None:
        return
    if address not in subnet:
        yield f"{where}: {ipv4} is outside network {network.name!r} subnet {network.subnet}"
    elif network.gateway is not None and ipv4 == network.gateway:
        yield f"{where}: {ipv4} is the gateway of network {network.name!r}"


def _port_problems(where: str, published: int, target: int, protocol: str) -> Iterable[str]:
    if not 0 <= published <= 65535 or not 1 <= target <= 65535:
        yield f"{where}: port {published}:{target} out of range"
    if protocol not in PROTOCOLS:
        yield f"{where}: unknown protocol {protocol!r}"


def _service_problems(service: Service, networks: dict[str, Network]) -> Iterable[str]:
    where = f"service {service.name!r}"
    if service.endpoint_mode not in ENDPOINT_MODES:
        yield f"{where}: endpoint_mode {service.endpoint_mode!r} is not vip or dnsrr"
    if service.mode not in SERVICE_MODES:
        yield f"{where}: mode {service.mode!r} is not replicated or global"
    if service.replicas < 0:
        yield f"{where}: negative replicas"
    for name in service.networks:
        if name not in networks:
            yield f"{where} attaches to undefined network {name!r}"
    for port in service.ports:
        yield from _port_problems(where, port.published, port.target, port.protocol)
        if port.mode not in PUBLISH_MODES:
            yield f"{where}: publish mode {port.mode!r} is not ingress or host"
        elif port.mode == "ingress" and service.endpoint_mode == "dnsrr":
            yield f"{where}: ingress-mode port {port.published} needs endpoint_mode vip"
