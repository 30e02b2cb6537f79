"""Compare a page's spec with the topology read from the engine.

Normalised: generated IDs never enter the model; the engine's predefined networks are
ignored unless the spec lists them; subnet, gateway, ip_range, IPv4 addresses, aliases and
options are compared only where the spec gives them; a published host port of 0 matches any
port. Swarm task containers count as part of their service, not as extra containers. The
hosts and clients the spec draws must be in the lab (at their addresses, where given); hosts
the spec leaves out are not compared. Both ends of every traffic edge must exist, and the
traffic must have a way to flow: the two ends share a network, or the destination publishes
a port (or sits on the LAN itself: host network mode, macvlan, ipvlan) for an outside client.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from .model import Container, Edge, Network, PublishedPort, Service, Topology, TopologyError

if TYPE_CHECKING:
    from .model import Client, Host


class Named(Protocol):
    """Anything a spec lists by name."""

    @property
    def name(self) -> str: ...


LAN_DRIVERS = ("macvlan", "ipvlan")
OPEN_GATEWAY_MODES = ("routed", "nat-unprotected")
"""Bridge gateway modes whose containers a LAN machine with a route reaches directly."""
"""Drivers that put a container on the LAN itself, where an outside client reaches it."""


def compare(spec: Topology, live: Topology, refused: Collection[Edge] = ()) -> list[str]:
    """Human-readable differences between ``spec`` and ``live``; empty when they match.

    ``refused`` are edges whose step shows the traffic failing: they need both ends to
    exist, not a path between them.
    """
    return [
        *_networks(spec, live),
        *_containers(spec, live),
        *_services(spec, live),
        *_machines("host", spec.hosts, live.hosts),
        *_machines("client", spec.clients, live.clients),
        *_edges(spec, live, refused),
    ]


def format_diff(diffs: list[str]) -> str:
    """The differences as a bulleted block, or a one-line all-clear."""
    if not diffs:
        return "topology matches the engine"
    return f"{len(diffs)} difference(s) between spec and engine:\n" + "\n".join(
        f"  - {line}" for line in diffs
    )


def _paired(
    kind: str,
    wanted: Iterable[Named],
    have: Iterable[Named],
    differences: Callable[[Any, Any], Iterable[str]],
    unexpected: Callable[[Any], bool] = lambda _: True,
    where: str = "on the engine",
) -> Iterable[str]:
    """Pair spec and live items by name: what is missing, how each pair differs, what is
    extra (live items for which ``unexpected`` holds)."""
    found = {item.name: item for item in have}
    for want in wanted:
        got = found.get(want.name)
        if got is None:
            yield f"{kind} {want.name!r} is in the spec but not {where}"
        else:
            yield from differences(want, got)
    listed = {want.name for want in wanted}
    for name, got in found.items():
        if name not in listed and unexpected(got):
            yield f"{kind} {name!r} exists {where} but not in the spec"


def _fields(where: str, pairs: Iterable[tuple[str, object, object]]) -> Iterable[str]:
    for field, expected, actual in pairs:
        if expected != actual:
            yield f"{where}: {field} expected {expected}, engine has {_show(actual)}"


def _networks(spec: Topology, live: Topology) -> Iterable[str]:
    return _paired("network", spec.networks, live.networks, _network, lambda have: not have.default)


def _network(want: Network, have: Network) -> Iterable[str]:
    where = f"network {want.name!r}"
    pairs = [
        ("driver", want.driver, have.driver),
        ("scope", want.scope, have.scope),
        ("internal", want.internal, have.internal),
        ("attachable", want.attachable, have.attachable),
    ]
    pairs += [
        (field, getattr(want, field), getattr(have, field))
        for field in ("subnet", "gateway", "ip_range")
        if getattr(want, field) is not None
    ]
    yield from _fields(where, pairs)
    options = dict(have.options)
    for key, value in want.options:
        if options.get(key) != value:
            yield f"{where}: option {key} expected {value!r}, engine has {_show(options.get(key))}"


def _containers(spec: Topology, live: Topology) -> Iterable[str]:
    services = {s.name for s in spec.services}
    return _paired(
        "container",
        spec.containers,
        live.containers,
        _container,
        lambda have: have.service not in services,
    )


def _container(want: Container, have: Container) -> Iterable[str]:
    where = f"container {want.name!r}"
    if want.network_mode != have.network_mode:
        yield f"{where}: network mode expected {_show(want.network_mode)}, " + (
            f"engine has {_show(have.network_mode)}"
        )
    if want.host is not None and want.host != have.host:
        yield f"{where}: expected on host {want.host!r}, engine has it on {_show(have.host)}"
    wanted, actual = set(want.networks), set(have.networks)
    if wanted != actual:
        yield f"{where}: networks expected {_names(wanted)}, engine has {_names(actual)}"
    endpoints = {a.network: a for a in have.attachments}
    for attachment in want.attachments:
        got = endpoints.get(attachment.network)
        if got is None:
            continue
        on = f"{where}: on network {attachment.network!r}"
        if attachment.ipv4 is not None and attachment.ipv4 != got.ipv4:
            yield f"{on} expected {attachment.ipv4}, engine has {_show(got.ipv4)}"
        if attachment.aliases and set(attachment.aliases) != set(got.aliases):
            yield (
                f"{on} aliases expected {_names(set(attachment.aliases))}, "
                f"engine has {_names(set(got.aliases))}"
            )
    missing = [p for p in want.ports if not any(_port_matches(p, q) for q in have.ports)]
    extra = [q for q in have.ports if not any(_port_matches(p, q) for p in want.ports)]
    for port in missing:
        yield f"{where}: published port {port} is not on the engine"
    for port in extra:
        yield f"{where}: engine publishes {port}, not in the spec"


def _port_matches(want: PublishedPort, have: PublishedPort) -> bool:
    return (
        want.container_port == have.container_port
        and want.protocol == have.protocol
        and want.host_ip == have.host_ip
        and want.host_port in (0, have.host_port)
    )


def _services(spec: Topology, live: Topology) -> Iterable[str]:
    return _paired("service", spec.services, sorted(live.services, key=_name), _service)


def _name(item: Named) -> str:
    return item.name


def _service(want: Service, have: Service) -> Iterable[str]:
    where = f"service {want.name!r}"
    pairs = [
        ("mode", want.mode, have.mode),
        ("endpoint mode", want.endpoint_mode, have.endpoint_mode),
    ]
    if want.mode == "replicated":
        pairs.append(("replicas", want.replicas, have.replicas))
    yield from _fields(where, pairs)
    if set(want.networks) != set(have.networks):
        yield (
            f"{where}: networks expected {_names(set(want.networks))}, "
            f"engine has {_names(set(have.networks))}"
        )
    if set(want.ports) != set(have.ports):
        ports = ", ".join(map(str, have.ports))
        yield f"{where}: published ports differ from the spec; engine has {ports or 'none'}"


def _machines(
    kind: str, wanted: Iterable[Host | Client], have: Iterable[Host | Client]
) -> Iterable[str]:
    def address(want: Host | Client, got: Host | Client) -> Iterable[str]:
        if want.address is not None and want.address != got.address:
            yield f"{kind} {want.name!r}: address expected {want.address}, lab has {got.address}"

    return _paired(kind, wanted, have, address, lambda _: False, where="in the lab")


def _edges(spec: Topology, live: Topology, refused: Collection[Edge]) -> Iterable[str]:
    names = {thing.name for thing in (*live.containers, *live.services, *live.networks)}
    names |= {client.name for client in live.clients}
    for edge in spec.edges:
        where = f"edge {edge.src} → {edge.dst} (step {edge.step})"
        absent = [end for end in (edge.src, edge.dst) if end not in names]
        if absent:
            yield f"{where}: {' and '.join(absent)} not on the engine"
        elif edge not in refused and not _path_between(live, edge.src, edge.dst):
            yield (
                f"{where}: no network in common and nothing published for "
                f"{edge.src} to reach {edge.dst}"
            )


def _path_between(live: Topology, src: str, dst: str) -> bool:
    """Whether traffic from ``src`` can reach ``dst`` in the live state."""
    target = live.container(dst)
    if target is not None and target.network_mode == "host":
        return True  # the host's own addresses: every container and the LAN reach them
    if any(client.name == src for client in live.clients):
        return _on_the_lan(live, dst)
    if any(client.name == dst for client in live.clients):
        return _reaches_the_lan(live, src)
    return bool(_networks_of(live, src) & _networks_of(live, dst))


def _reaches_the_lan(live: Topology, name: str) -> bool:
    """Whether ``name`` can open connections to an outside machine: it is in the host's own
    network stack, or on a network that is not ``--internal`` (NAT or a LAN driver)."""
    container = live.container(name)
    if container is not None and container.network_mode == "host":
        return True
    return any(not n.internal for n in live.networks if n.name in _networks_of(live, name))


def _networks_of(live: Topology, name: str) -> set[str]:
    """The networks a container (through ``container:`` mode too) or service is on."""
    if live.network(name) is not None:
        return {name}
    service = next((s for s in live.services if s.name == name), None)
    if service is not None:
        return set(service.networks)
    container = live.container(name)
    if container is None:
        return set()
    mode = container.network_mode or ""
    if mode.startswith("container:"):
        return _networks_of(live, mode.removeprefix("container:"))
    return set(container.networks)


def _on_the_lan(live: Topology, name: str) -> bool:
    """Whether an outside client reaches ``name``: a published port or a LAN driver."""
    service = next((s for s in live.services if s.name == name), None)
    if service is not None:
        return bool(service.ports)
    container = live.container(name)
    if container is not None and container.ports:
        return True
    networks = [n for n in live.networks if n.name in _networks_of(live, name)]
    return any(n.driver in LAN_DRIVERS or _open_gateway(n) for n in networks)


def _open_gateway(network: Network) -> bool:
    """Whether the network's gateway mode (IPv4 or IPv6) lets routed traffic in."""
    return any(
        key.startswith("com.docker.network.bridge.gateway_mode_") and value in OPEN_GATEWAY_MODES
        for key, value in network.options
    )


def _names(names: set[str]) -> str:
    return ", ".join(sorted(names)) if names else "none"


def _show(value: object) -> str:
    return "none" if value in (None, "") else str(value)


def merge_specs(specs: list[Topology]) -> Topology:
    """One topology holding every diagram of a page, for the comparison with the engine.

    A page may draw its state in several diagrams that share some networks and containers;
    the engine holds their union. A shared name must be defined the same way everywhere.
    """
    if len(specs) == 1:
        return specs[0]
    merged: dict[str, dict[str, object]] = {}
    for field in ("networks", "containers", "services", "hosts", "clients"):
        merged[field] = {}
        for spec in specs:
            for item in getattr(spec, field):
                known = merged[field].setdefault(item.name, item)
                if known != item:
                    raise TopologyError(
                        f"topologies {', '.join(s.name for s in specs)} define "
                        f"{field[:-1]} {item.name!r} differently"
                    )
    edges = tuple(dict.fromkeys(edge for spec in specs for edge in spec.edges))
    return Topology(
        name="__".join(spec.name for spec in specs),
        title="merged",
        edges=edges,
        **{field: tuple(items.values()) for field, items in merged.items()},
    )
