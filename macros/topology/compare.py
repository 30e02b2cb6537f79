"""Compare a page's spec with the topology read from the engine.

Normalised: generated IDs never enter the model; the engine's predefined networks are
ignored unless the spec lists them; subnet, gateway, ip_range, IPv4 addresses, aliases and
options are compared only where the spec gives them; a published host port of 0 matches any
port. Swarm task containers count as part of their service, not as extra containers.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Container, Network, PublishedPort, Service, Topology, TopologyError


def compare(spec: Topology, live: Topology) -> list[str]:
    """Human-readable differences between ``spec`` and ``live``; empty when they match."""
    return [
        *_networks(spec, live),
        *_containers(spec, live),
        *_services(spec, live),
    ]


def format_diff(diffs: list[str]) -> str:
    """The differences as a bulleted block, or a one-line all-clear."""
    if not diffs:
        return "topology matches the engine"
    return f"{len(diffs)} difference(s) between spec and engine:\n" + "\n".join(
        f"  - {line}" for line in diffs
    )


def _networks(spec: Topology, live: Topology) -> Iterable[str]:
    listed = {n.name for n in spec.networks}
    for want in spec.networks:
        have = live.network(want.name)
        if have is None:
            yield f"network {want.name!r} is in the spec but not on the engine"
        else:
            yield from _network(want, have)
    for have in live.networks:
        if not have.default and have.name not in listed:
            yield f"network {have.name!r} exists on the engine but not in the spec"


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
    for field, expected, actual in pairs:
        if expected != actual:
            yield f"{where}: {field} expected {expected}, engine has {_show(actual)}"
    options = dict(have.options)
    for key, value in want.options:
        if options.get(key) != value:
            yield f"{where}: option {key} expected {value!r}, engine has {_show(options.get(key))}"


def _containers(spec: Topology, live: Topology) -> Iterable[str]:
    for want in spec.containers:
        have = live.container(want.name)
        if have is None:
            yield f"container {want.name!r} is in the spec but not on the engine"
        else:
            yield from _container(want, have)
    known = {c.name for c in spec.containers}
    services = {s.name for s in spec.services}
    for have in live.containers:
        if have.name not in known and have.service not in services:
            yield f"container {have.name!r} exists on the engine but not in the spec"


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
        yield f"{where}: published port {_port(port)} is not on the engine"
    for port in extra:
        yield f"{where}: engine publishes {_port(port)}, not in the spec"


def _port_matches(want: PublishedPort, have: PublishedPort) -> bool:
    return (
        want.container_port == have.container_port
        and want.protocol == have.protocol
        and want.host_ip == have.host_ip
        and want.host_port in (0, have.host_port)
    )


def _services(spec: Topology, live: Topology) -> Iterable[str]:
    have_all = {s.name: s for s in live.services}
    for want in spec.services:
        have = have_all.get(want.name)
        if have is None:
            yield f"service {want.name!r} is in the spec but not on the engine"
        else:
            yield from _service(want, have)
    listed = {s.name for s in spec.services}
    for name in sorted(set(have_all) - listed):
        yield f"service {name!r} exists on the engine but not in the spec"


def _service(want: Service, have: Service) -> Iterable[str]:
    where = f"service {want.name!r}"
    pairs = [
        ("mode", want.mode, have.mode),
        ("endpoint mode", want.endpoint_mode, have.endpoint_mode),
    ]
    if want.mode == "replicated":
        pairs.append(("replicas", want.replicas, have.replicas))
    for field, expected, actual in pairs:
        if expected != actual:
            yield f"{where}: {field} expected {expected}, engine has {actual}"
    if set(want.networks) != set(have.networks):
        yield (
            f"{where}: networks expected {_names(set(want.networks))}, "
            f"engine has {_names(set(have.networks))}"
        )
    if set(want.ports) != set(have.ports):
        ports = ", ".join(f"{p.published}:{p.target}/{p.protocol} ({p.mode})" for p in have.ports)
        yield f"{where}: published ports differ from the spec; engine has {ports or 'none'}"


def _port(port: PublishedPort) -> str:
    host = f"{port.host_ip}:" if port.host_ip else ""
    return f"{host}{port.host_port}:{port.container_port}/{port.protocol}"


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
    return Topology(
        name="__".join(spec.name for spec in specs),
        title="merged",
        **{field: tuple(items.values()) for field, items in merged.items()},
    )
