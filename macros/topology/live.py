"""Read a ``Topology`` from running engines (docker SDK), for tests and ``cnv draw``.

Only the ``attrs`` dictionaries of SDK objects are used, so a fake client with
``.networks.list()`` / ``.containers.list(all=True)`` returning objects with ``.attrs`` works
in unit tests. Fields that differ between API 1.41 and 1.51 are read defensively: missing
or ``null`` sections, IPv6 entries in IPAM, the short container ID that API < 1.44 puts in
``Aliases``, and ``0.0.0.0``/``::`` duplicates of each published port.
"""

from __future__ import annotations

import ipaddress
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from .model import (
    DRIVERS,
    PREDEFINED_NETWORKS,
    Attachment,
    Container,
    Host,
    Network,
    PublishedPort,
    Service,
    ServicePort,
    Topology,
)

Attrs = Mapping[str, Any]


def topology_from_engine(client: Any, name: str = "live") -> Topology:
    """The networks, containers and services one engine (or a dict of named engines) has.

    With a dict, each container's ``host`` is its engine's key, networks seen on several
    engines are merged by name (the first engine's view wins), and swarm services are read
    from the first manager.
    """
    clients: dict[str | None, Any] = (
        dict(client.items()) if isinstance(client, Mapping) else {None: client}
    )
    networks: dict[str, Network] = {}
    ids: dict[str, str] = {}
    containers: list[Container] = []
    for host, engine in clients.items():
        net_attrs = [n.attrs for n in engine.networks.list()]
        for attrs in net_attrs:
            network = network_from_attrs(attrs)
            if network is not None:
                networks.setdefault(network.name, network)
                ids[attrs.get("Id", "")] = network.name
        ctr_attrs = [c.attrs for c in engine.containers.list(all=True)]
        containers += containers_from_attrs(ctr_attrs, set(networks), host)
    services = _services(clients.values(), ids)
    hosts = tuple(Host(h) for h in clients if h is not None)
    return Topology(
        name=name,
        title="Live engine" if len(clients) == 1 else "Live engines",
        networks=tuple(sorted(networks.values(), key=lambda n: (not n.default, n.name))),
        containers=tuple(_unique_names(containers)),
        services=services,
        hosts=hosts,
    )


def network_from_attrs(attrs: Attrs) -> Network | None:
    """A ``Network`` from ``docker network inspect`` data; ``None`` for unknown drivers."""
    name = attrs.get("Name", "")
    driver = attrs.get("Driver") or "null"
    if driver not in DRIVERS:
        warnings.warn(
            f"network {name!r}: driver {driver!r} is not modelled; left out", stacklevel=2
        )
        return None
    config = _ipv4_config((attrs.get("IPAM") or {}).get("Config") or [])
    return Network(
        name=name,
        driver=driver,
        subnet=config.get("Subnet") or None,
        gateway=config.get("Gateway") or None,
        ip_range=config.get("IPRange") or None,
        internal=bool(attrs.get("Internal")),
        options=tuple(sorted((attrs.get("Options") or {}).items())),
        attachable=bool(attrs.get("Attachable")),
        scope=attrs.get("Scope") or "local",
        default=name in PREDEFINED_NETWORKS or bool(attrs.get("Ingress")),
    )


def _ipv4_config(configs: Iterable[Attrs]) -> Attrs:
    """The first IPAM config whose subnet is IPv4 (IPv6 ones are not modelled)."""
    for config in configs:
        try:
            if ipaddress.ip_network(config.get("Subnet", ""), strict=False).version == 4:
                return config
        except ValueError:
            continue
    return {}


def containers_from_attrs(
    all_attrs: list[Attrs], networks: set[str], host: str | None = None
) -> list[Container]:
    """``Container``s from ``docker inspect`` data; endpoints on unknown networks dropped."""
    names = {a.get("Id", ""): a.get("Name", "").lstrip("/") for a in all_attrs}
    return [container_from_attrs(a, networks, names, host) for a in all_attrs]


def container_from_attrs(
    attrs: Attrs, networks: set[str], names: Mapping[str, str], host: str | None = None
) -> Container:
    """One ``Container``; ``names`` maps container IDs to names for ``container:<id>``."""
    name = attrs.get("Name", "").lstrip("/")
    cid = attrs.get("Id", "")
    mode = _network_mode((attrs.get("HostConfig") or {}).get("NetworkMode") or "", names)
    settings = attrs.get("NetworkSettings") or {}
    attachments: tuple[Attachment, ...] = ()
    if mode is None:
        endpoints = settings.get("Networks") or {}
        attachments = tuple(
            Attachment(
                network=net,
                ipv4=(endpoints[net] or {}).get("IPAddress") or None,
                aliases=_aliases(endpoints[net] or {}, name, cid),
            )
            for net in sorted(endpoints)
            if net in networks
        )
    labels = (attrs.get("Config") or {}).get("Labels") or {}
    return Container(
        name=name,
        attachments=attachments,
        ports=() if mode else _ports(attrs),
        network_mode=mode,
        host=host,
        service=labels.get("com.docker.swarm.service.name"),
    )


def _network_mode(mode: str, names: Mapping[str, str]) -> str | None:
    """``host``/``none``/``container:<name>``, or ``None`` for containers with endpoints."""
    if mode in ("host", "none"):
        return mode
    if mode.startswith("container:"):
        ref = mode.removeprefix("container:")
        match = next((n for cid, n in names.items() if cid.startswith(ref) or n == ref), ref)
        return f"container:{match}"
    return None


def _aliases(endpoint: Attrs, name: str, cid: str) -> tuple[str, ...]:
    """User-given aliases only: not the name, nor the (short) ID older APIs add."""
    own = {name, cid, cid[:12]}
    return tuple(sorted({a for a in endpoint.get("Aliases") or () if a not in own}))


def _ports(attrs: Attrs) -> tuple[PublishedPort, ...]:
    """Published ports, from the running state, else from the configured bindings."""
    bound = (attrs.get("NetworkSettings") or {}).get("Ports") or {}
    if not any(bound.values()):
        bound = (attrs.get("HostConfig") or {}).get("PortBindings") or {}
    ports: set[PublishedPort] = set()
    for key, bindings in bound.items():
        target, _, protocol = key.partition("/")
        for binding in bindings or ():
            host_ip = binding.get("HostIp") or ""
            ports.add(
                PublishedPort(
                    host_port=int(binding.get("HostPort") or 0),
                    container_port=int(target),
                    protocol=protocol or "tcp",
                    host_ip="" if host_ip in ("0.0.0.0", "::") else host_ip,
                )
            )
    return tuple(sorted(ports, key=lambda p: (p.container_port, p.protocol, p.host_ip)))


def _services(clients: Iterable[Any], network_ids: Mapping[str, str]) -> tuple[Service, ...]:
    """Swarm services, read from the first engine that is a swarm manager."""
    for engine in clients:
        swarm = ((engine.info() if hasattr(engine, "info") else {}) or {}).get("Swarm") or {}
        if swarm.get("ControlAvailable"):
            attrs = [s.attrs for s in engine.services.list()]
            return tuple(sorted((service_from_attrs(a, network_ids) for a in attrs), key=_name))
    return ()


def _name(thing: Service) -> str:
    return thing.name


def service_from_attrs(attrs: Attrs, network_ids: Mapping[str, str]) -> Service:
    """A ``Service`` from ``docker service inspect`` data."""
    spec = attrs.get("Spec") or {}
    mode = spec.get("Mode") or {}
    task = spec.get("TaskTemplate") or {}
    endpoint_spec = spec.get("EndpointSpec") or (attrs.get("Endpoint") or {}).get("Spec") or {}
    targets = [n.get("Target", "") for n in (task.get("Networks") or spec.get("Networks") or [])]
    ports = (attrs.get("Endpoint") or {}).get("Ports") or endpoint_spec.get("Ports") or []
    return Service(
        name=spec.get("Name", ""),
        replicas=int((mode.get("Replicated") or {}).get("Replicas") or 0),
        endpoint_mode=endpoint_spec.get("Mode") or "vip",
        networks=tuple(sorted(network_ids.get(t, t) for t in targets)),
        ports=tuple(
            ServicePort(
                published=int(p.get("PublishedPort") or 0),
                target=int(p.get("TargetPort") or 0),
                protocol=p.get("Protocol") or "tcp",
                mode=p.get("PublishMode") or "ingress",
            )
            for p in ports
        ),
        mode="global" if "Global" in mode else "replicated",
    )


def _unique_names(containers: list[Container]) -> list[Container]:
    """Keep names unique across engines: a clash becomes ``name@host``."""
    seen: set[str] = set()
    out = []
    for container in containers:
        if container.name in seen and container.host:
            container = replace(container, name=f"{container.name}@{container.host}")
        seen.add(container.name)
        out.append(container)
    return out
