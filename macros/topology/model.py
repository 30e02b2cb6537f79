"""The topology model: what a page's diagram shows and what the engine must match.

Frozen dataclasses only, so specs are hashable, comparable and have a stable ``repr``
(the diagram cache key is derived from it). ``Topology`` validates itself on creation.
"""

from __future__ import annotations

from dataclasses import dataclass

DRIVERS = ("bridge", "host", "none", "overlay", "macvlan", "ipvlan", "null")
"""Network drivers a spec may use (``null`` is what Docker reports for ``--config-only``)."""

PREDEFINED_NETWORKS = ("bridge", "host", "none", "docker_gwbridge", "ingress")
"""Networks the engine creates by itself (``docker_gwbridge`` and ``ingress`` with swarm)."""


class TopologyError(ValueError):
    """A spec is inconsistent, or a topology name is unknown."""


@dataclass(frozen=True)
class Network:
    """A Docker network.

    ``default=True`` marks one of Docker's predefined networks (``bridge``, ``host``, ...):
    the comparison ignores those on the engine unless the spec lists them. ``None`` for
    subnet, gateway and ip_range means "whatever the engine picks" (not compared).
    ``options`` are ``-o key=value`` driver options; only the listed keys are compared.
    An overlay network is always swarm-scoped, so its scope defaults to ``swarm``.
    """

    name: str
    driver: str = "bridge"
    subnet: str | None = None
    gateway: str | None = None
    ip_range: str | None = None
    internal: bool = False
    options: tuple[tuple[str, str], ...] = ()
    attachable: bool = False
    scope: str = "local"
    default: bool = False

    def __post_init__(self) -> None:
        if self.driver == "overlay" and self.scope == "local":
            object.__setattr__(self, "scope", "swarm")


DEFAULT_BRIDGE = Network(
    "bridge", driver="bridge", subnet="172.17.0.0/16", gateway="172.17.0.1", default=True
)
"""Docker's predefined ``bridge`` network, as an engine without a ``bip`` setting makes it."""


@dataclass(frozen=True)
class Attachment:
    """A container's endpoint on one network: its IPv4 address and extra DNS aliases."""

    network: str
    ipv4: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublishedPort:
    """``-p [host_ip:]host_port:container_port[/protocol]``; host_port 0 means "any port"."""

    host_port: int
    container_port: int
    protocol: str = "tcp"
    host_ip: str = ""

    def __str__(self) -> str:
        host = f"{self.host_ip}:" if self.host_ip else ""
        return f"{host}{self.host_port}:{self.container_port}/{self.protocol}"


@dataclass(frozen=True)
class Container:
    """A container, its network attachments and published ports.

    ``network_mode`` is ``"host"``, ``"none"`` or ``"container:<name>"`` for containers that
    have no endpoints of their own (then ``attachments`` is empty). ``host`` names the
    ``Host`` it runs on in multi-host topologies. ``service`` marks a swarm task container.
    """

    name: str
    attachments: tuple[Attachment, ...] = ()
    ports: tuple[PublishedPort, ...] = ()
    network_mode: str | None = None
    host: str | None = None
    service: str | None = None

    @property
    def networks(self) -> tuple[str, ...]:
        """Names of the networks the container is attached to, in spec order."""
        return tuple(attachment.network for attachment in self.attachments)


@dataclass(frozen=True)
class ServicePort:
    """A swarm service's published port: ``--publish published=..,target=..,mode=..``.

    ``mode`` is ``ingress`` (the routing mesh, on every node) or ``host`` (each task's node).
    """

    published: int
    target: int
    protocol: str = "tcp"
    mode: str = "ingress"

    def __str__(self) -> str:
        return f"{self.published}:{self.target}/{self.protocol} ({self.mode})"


@dataclass(frozen=True)
class Service:
    """A swarm service: replicas (or ``mode="global"``), endpoint mode, networks, ports."""

    name: str
    replicas: int = 1
    endpoint_mode: str = "vip"
    networks: tuple[str, ...] = ()
    ports: tuple[ServicePort, ...] = ()
    mode: str = "replicated"


@dataclass(frozen=True)
class Client:
    """A machine outside Docker, on the LAN, that talks to published ports."""

    name: str
    address: str | None = None


@dataclass(frozen=True)
class Host:
    """A Docker host (a swarm node in multi-host topologies)."""

    name: str
    address: str | None = None


@dataclass(frozen=True)
class Edge:
    """Traffic the page demonstrates, and the step that proves it.

    ``Edge("web1", "web2", "ping web2", step="03-ping-by-name")``: the arrow is drawn green
    (works) or red (refused) from that step's recorded result and the exit status its
    command expects; grey (unverified) when the step was skipped, failed or never ran. Where
    the step runs commands that succeed and commands that fail, ``command`` is a piece of
    the one command that shows this traffic (e.g. ``"ping -c 1 -W 1 legacy2"``).
    """

    src: str
    dst: str
    label: str
    step: str
    command: str = ""


@dataclass(frozen=True)
class Topology:
    """Everything one diagram shows; validated on creation (raises ``TopologyError``)."""

    name: str
    title: str
    networks: tuple[Network, ...]
    containers: tuple[Container, ...]
    services: tuple[Service, ...] = ()
    hosts: tuple[Host, ...] = ()
    clients: tuple[Client, ...] = ()
    edges: tuple[Edge, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        from .validate import validate

        validate(self)

    def network(self, name: str) -> Network | None:
        """The network called ``name``, if any."""
        return next((n for n in self.networks if n.name == name), None)

    def container(self, name: str) -> Container | None:
        """The container called ``name``, if any."""
        return next((c for c in self.containers if c.name == name), None)


__all__ = [
    "DRIVERS",
    "PREDEFINED_NETWORKS",
    "Attachment",
    "Client",
    "Container",
    "Edge",
    "Host",
    "Network",
    "PublishedPort",
    "Service",
    "ServicePort",
    "Topology",
    "TopologyError",
]
