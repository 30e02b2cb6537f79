"""Lay a ``Topology`` out as a mingrammer ``diagrams`` graph (the look lives here).

Networks are switch icons labelled with driver and subnet; containers are Docker icons
joined to their networks by edges labelled with the container's address; the traffic a page
demonstrates is drawn as dashed, coloured arrows. Labels are Graphviz HTML-like labels so
the icon keeps a fixed size and the text sits under it at a size that stays legible when
the SVG is scaled into the content column.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from html import escape
from pathlib import Path

import diagrams
from diagrams import Cluster, Diagram, Edge, Node
from diagrams.onprem.client import Client as ClientIcon
from diagrams.onprem.container import Docker
from diagrams.onprem.network import CiscoSwitchL2 as Switch

from .model import Container, Network, Service, Topology
from .model import Edge as Traffic
from .verdicts import Verdict

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
TEXT = "#37474f"  # names: dark blue-grey, also readable on Material's light slate panel
MUTED = "#607d8b"  # details: driver, subnet, ports
LINK = "#90a4ae"  # network-to-container wires
ADDRESS = "#1e6fa8"  # the address on each wire
OK = "#2e7d32"
FAIL = "#e53935"
UNVERIFIED = "#78909c"
CLUSTER_FILL = "#f3f5f7"  # opaque: the box stays a light card on a dark page too
CLUSTER_LINE = "#b0bec5"
ICON_PX = 52  # container and client icons (the whale fills little of its square)
SWITCH_PX = 42  # the switch icon fills its square
WRAP = 18  # characters per line of a traffic label
NAME_PT = 15
DETAIL_PT = 13

GRAPH_ATTRS = {
    "pad": "0.2",
    "splines": "spline",
    "nodesep": "0.3",
    "ranksep": "0.6",
    "fontname": FONT,
    "fontsize": str(NAME_PT),
    "fontcolor": TEXT,
    "bgcolor": "transparent",
    "label": "",
    "newrank": "true",
}
NODE_ATTRS = {"fontname": FONT, "fontsize": str(NAME_PT), "fontcolor": TEXT}
EDGE_ATTRS = {"fontname": FONT, "fontsize": str(DETAIL_PT)}


MARKS = {
    Verdict.WORKS: (OK, "✓ works", "dashed"),
    Verdict.REFUSED: (FAIL, "✗ refused", "dashed"),
    Verdict.UNVERIFIED: (UNVERIFIED, "? not verified", "dotted"),
}
"""Colour, mark and line style of a traffic edge, by its verdict."""


def draw(topo: Topology, filename: Path, verdicts: Mapping[Traffic, Verdict] | None = None) -> Path:
    """Render ``topo`` with diagrams to ``<filename>.svg`` and return that path.

    ``verdicts`` says how each traffic edge is drawn; an edge without one is unverified.
    """
    verdicts = verdicts or {}
    with Diagram(
        topo.title,
        filename=str(filename),
        direction="TB",
        outformat="svg",
        show=False,
        graph_attr=GRAPH_ATTRS,
        node_attr=NODE_ATTRS,
        edge_attr=EDGE_ATTRS,
    ):
        nodes: dict[str, Node] = {}
        networks: dict[str, Node] = {}
        placed = _network_hosts(topo)
        net_lines = max((len(_network_details(n)) for n in topo.networks), default=0)
        box_lines = max(
            (
                len(d)
                for d in [
                    *map(_container_details, topo.containers),
                    *map(_service_details, topo.services),
                ]
            ),
            default=0,
        )
        for host, label, containers in _by_host(topo):
            if not containers and host not in placed.values():
                continue
            with _host_cluster(label):
                for network in topo.networks:
                    if network.name in placed and placed[network.name] == host:
                        networks[network.name] = _network_node(network, net_lines)
                for container in containers:
                    nodes[container.name] = _container_node(container, box_lines)
        for network in topo.networks:
            if network.name not in placed and _drawn(topo, network):
                networks[network.name] = _network_node(network, net_lines)
        for service in topo.services:
            nodes[service.name] = _service_node(service, box_lines)
        for client in topo.clients:
            nodes[client.name] = _icon_node(
                ClientIcon, f"client_{client.name}", client.name, [client.address or "client"]
            )
        for container in topo.containers:
            for attachment in container.attachments:
                _wire(networks[attachment.network], nodes[container.name], attachment.ipv4)
        for service in topo.services:
            for network in service.networks:
                _wire(networks[network], nodes[service.name], None)
        everything = {**networks, **nodes}
        outside = {c.name for c in topo.clients}
        for edge in topo.edges:
            verdict = verdicts.get(edge, Verdict.UNVERIFIED)
            _traffic(everything[edge.src], everything[edge.dst], edge, verdict, edge.src in outside)
    return filename.with_suffix(".svg")


def _drawn(topo: Topology, network: Network) -> bool:
    """Whether a network gets a node: unused predefined and host/none networks are left out."""
    if not network.default and network.driver not in ("host", "none", "null"):
        return True
    used = {a.network for c in topo.containers for a in c.attachments}
    used |= {n for s in topo.services for n in s.networks}
    used |= {e.src for e in topo.edges} | {e.dst for e in topo.edges}
    return network.name in used


def _network_hosts(topo: Topology) -> dict[str, str | None]:
    """Local networks drawn inside a host box, and which host (``None``: the only host).

    A local network is inside the host whose containers use it; a swarm-scoped network, or
    one used from several hosts, is drawn outside every host.
    """
    placed: dict[str, str | None] = {}
    for network in topo.networks:
        if network.scope != "local" or not _drawn(topo, network):
            continue
        users = {c.host for c in topo.containers if network.name in c.networks}
        if not topo.hosts:
            placed[network.name] = None
        elif len(users) == 1:
            placed[network.name] = next(iter(users))
    return placed


def _by_host(topo: Topology) -> list[tuple[str | None, str, list[Container]]]:
    """(host, box label, its containers) in spec order; one unnamed host if none listed."""
    if not topo.hosts:
        return [(None, "Docker host", list(topo.containers))]
    return [
        (
            host.name,
            f"{host.name} · {host.address}" if host.address else host.name,
            [c for c in topo.containers if c.host == host.name],
        )
        for host in topo.hosts
    ]


@contextmanager
def _host_cluster(label: str) -> Iterator[None]:
    """A light box around one Docker host's local networks and containers."""
    attrs = {
        "bgcolor": CLUSTER_FILL,
        "pencolor": CLUSTER_LINE,
        "fontcolor": MUTED,
        "fontname": FONT,
        "fontsize": str(DETAIL_PT),
        "style": "rounded,dashed",
        "margin": "12",
    }
    with Cluster(label, graph_attr=attrs):
        yield


def _label(icon: str, size: int, name: str, details: list[str], lines: int) -> str:
    """An HTML-like label: fixed-size icon, bold name, smaller grey detail lines.

    Detail rows are padded to ``lines`` so icons on one rank line up.
    """
    rows = [
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}">'
        f'<IMG SRC="{escape(icon)}" SCALE="TRUE"/></TD></TR>',
        f'<TR><TD><FONT POINT-SIZE="{NAME_PT}" COLOR="{TEXT}">'
        f"<B>{escape(name)}</B></FONT></TD></TR>",
    ]
    padded = details + [" "] * (lines - len(details))
    rows += [
        f'<TR><TD><FONT POINT-SIZE="{DETAIL_PT}" COLOR="{MUTED}">{escape(line)}</FONT></TD></TR>'
        for line in padded
    ]
    table = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
    return f"<{table}{''.join(rows)}</TABLE>>"


def _icon_node(
    kind: type[Node],
    nodeid: str,
    name: str,
    details: list[str],
    lines: int = 0,
    size: int = ICON_PX,
) -> Node:
    """A diagrams node of ``kind`` whose icon and text are laid out by an HTML label."""
    icon = str(Path(diagrams.__file__).parent.parent / kind._icon_dir / kind._icon)
    return kind(
        _label(icon, size, name, details, lines),
        nodeid=nodeid,
        shape="plaintext",
        image="",
        fixedsize="false",
        width="0",
        height="0",
        margin="0",
    )


OPTION_PREFIX = "com.docker.network."


def _network_details(network: Network) -> list[str]:
    """Driver and subnet, gateway, then flags and options."""
    details = [f"{network.driver} · {network.subnet}" if network.subnet else network.driver]
    if network.gateway:
        details.append(f"gateway {network.gateway}")
    flags = [
        "default network" if network.default else "",
        "internal" if network.internal else "",
        "attachable" if network.attachable else "",
    ]
    if any(flags):
        details.append(", ".join(f for f in flags if f))
    details += [_option_text(key, value) for key, value in network.options]
    return details


def _option_text(key: str, value: str) -> str:
    """One ``-o`` option per line, without the ``com.docker.network.`` every key shares."""
    short = key.removeprefix(OPTION_PREFIX)
    return f"{short}={value}" if value else short


def _network_node(network: Network, lines: int) -> Node:
    details = _network_details(network)
    return _icon_node(Switch, f"net_{network.name}", network.name, details, lines, SWITCH_PX)


def _container_details(container: Container) -> list[str]:
    """Network mode (when not attached to networks) and published ports."""
    details = [f"--network {container.network_mode}"] if container.network_mode else []
    details += [f"-p {port}" for port in container.ports]
    return details


def _container_node(container: Container, lines: int) -> Node:
    details = _container_details(container)
    return _icon_node(Docker, f"ctr_{container.name}", container.name, details, lines)


def _service_details(service: Service) -> list[str]:
    """Replicas and endpoint mode, then published ports."""
    count = "global" if service.mode == "global" else f"{service.replicas} replicas"
    details = [f"service · {count} · {service.endpoint_mode}"]
    details += [str(port) for port in service.ports]
    return details


def _service_node(service: Service, lines: int) -> Node:
    return _icon_node(Docker, f"svc_{service.name}", service.name, _service_details(service), lines)


def _wire(network: Node, node: Node, address: str | None) -> None:
    """Attach ``node`` to ``network``; the label is the node's address on it."""
    attrs = {"color": LINK, "penwidth": "1.6", "fontcolor": ADDRESS, "fontsize": str(DETAIL_PT)}
    network - Edge(label=f" {address} " if address else "", fontname=FONT, **attrs) - node


def _traffic(src: Node, dst: Node, edge: Traffic, verdict: Verdict, ranked: bool) -> None:
    """An arrow for traffic the page shows: green if it works, red if it is refused, grey and
    dotted if no recorded step proves it.

    Traffic does not shape the layout, except from an outside client (``ranked``), which is
    then drawn above what it talks to.
    """
    colour, mark, style = MARKS[verdict]
    attrs = {
        "style": style,
        "penwidth": "2",
        "color": colour,
        "fontcolor": colour,
        "fontsize": str(DETAIL_PT),
        "constraint": "true" if ranked else "false",
        "arrowsize": "0.8",
    }
    src >> Edge(label=f"{_wrap(edge.label)}\n{mark}", fontname=FONT, **attrs) >> dst


def _wrap(text: str) -> str:
    """Break a long edge label into balanced lines so it does not widen the diagram."""
    count = math.ceil(len(text.strip()) / WRAP) or 1
    width = math.ceil(len(text.strip()) / count)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) < width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)
