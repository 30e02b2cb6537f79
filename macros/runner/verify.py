"""Verify one page: bring up its lab, run its steps, hold the engine to its diagram."""

from __future__ import annotations

import os
import platform
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..paths import relative
from ..snippets.errors import SnippetError
from ..snippets.model import Snippet
from ..snippets.pages import load_page, page_topologies
from ..topology.model import Topology, TopologyError
from .page import Capability, PageRun, StepResult, has_capability

if TYPE_CHECKING:
    from ..topology.model import Edge

Progress = Callable[[str], None]
"""Where long runs say what they are doing and waiting for (e.g. ``print``)."""


@dataclass(frozen=True)
class LabShape:
    """How many nodes a page needs, whether the lab forms a swarm for it, and whether it has
    the rootless host."""

    nodes: int
    swarm: bool
    rootless: bool = False


def lab_shape(steps: list[Snippet]) -> LabShape:
    """The smallest lab that can run ``steps``.

    The lab forms the swarm when a step requires ``swarm``, unless the page shows how to
    form it itself (a ``docker swarm init`` step).
    """
    nodes = max((int(step.host[4:]) for step in steps if step.host.startswith("node")), default=1)
    forms_own_swarm = any("docker swarm init" in c.text for step in steps for c in step.commands)
    swarm = any("swarm" in step.requires for step in steps) and not forms_own_swarm
    return LabShape(nodes, swarm, any(step.host == "rootless" for step in steps))


def _node_number(host: str | None) -> int:
    return int(host[4:]) if host and host.startswith("node") else 1


def page_specs(page: Path) -> list[Topology]:
    """The specs the page draws; an unknown or broken one is a ``SnippetError`` (file:line)."""
    from ..topology.specs import get_spec

    specs = []
    for call in page_topologies(page):
        try:
            specs.append(get_spec(call.arguments[0]))
        except TopologyError as error:
            raise SnippetError(relative(page), call.line, str(error)) from None
    return specs


class LabMachine(Protocol):
    """A lab host as the comparison sees it: addresses, and an engine or none (the client)."""

    address: str
    address6: str
    docker_host: str | None


def refused_edges(page: Path, specs: list[Topology], steps: list[Snippet]) -> set[Edge]:
    """The edges of the page's diagrams whose proving command is expected to fail.

    Checks every edge against the page's steps first (``TopologyError`` naming the spec).
    """
    from ..topology.verdicts import proving_commands

    refused: set[Edge] = set()
    for spec in specs:
        proving = proving_commands(spec, steps, str(relative(page)))
        refused |= {edge for edge, command in proving.items() if command.exit_status}
    return refused


def topology_differences(
    specs: list[Topology],
    engines: Mapping[str, object],
    refused: set[Edge] | None = None,
    machines: Mapping[str, LabMachine] | None = None,
) -> list[str]:
    """Differences between the page's diagrams, taken together, and the live lab.

    ``engines`` are SDK clients by host name; ``refused`` the edges that show traffic
    failing (see ``refused_edges``); ``machines`` the lab's hosts and client, so the ones a
    diagram draws are compared too.
    """
    from ..topology.compare import compare, merge_specs
    from ..topology.live import topology_from_engine
    from ..topology.model import Client, Host

    spec = merge_specs(specs)
    live = topology_from_engine(dict(engines))
    if machines is not None:
        drawn = {m.address: m.name for m in (*spec.hosts, *spec.clients)}
        named = {n: _as_drawn(n, m, drawn) for n, m in machines.items()}
        live = replace(
            live,
            hosts=tuple(Host(*named[n]) for n, m in machines.items() if m.docker_host),
            clients=tuple(Client(*named[n]) for n, m in machines.items() if not m.docker_host),
        )
    return [f"topology {spec.name!r}: {line}" for line in compare(spec, live, refused or ())]


def _as_drawn(name: str, machine: LabMachine, drawn: dict[str, str]) -> tuple[str, str]:
    """The name and address a diagram draws ``machine`` with: a spec may show it by its
    IPv6 address or under another name (a DNS name); matched by address."""
    for address in (machine.address, machine.address6):
        if address and address in drawn:
            return drawn[address], address
    return name, machine.address


def kernel_label(release: str | None = None, user_mode: bool | None = None) -> str:
    """``Linux 6.18`` for this kernel (``release`` defaults to it), ``, user-mode`` added
    when it is a user-mode Linux guest."""
    release = release or platform.release()
    if user_mode is None:
        user_mode = platform.machine() == "um" or _is_user_mode()
    major_minor = ".".join(release.split("-")[0].split(".")[:2])
    return f"Linux {major_minor}" + (", user-mode" if user_mode else "")


def _is_user_mode() -> bool:
    """User-mode Linux names its CPU "UML" in ``/proc/cpuinfo``."""
    try:
        return "UML" in Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return False


class TopologyMismatch(AssertionError):
    """The engine's state after a page's steps differs from the page's diagram."""


@dataclass
class PageVerification:
    """The finished run of a page, the engine and kernel it ran on, the diagrams it drew."""

    page: Path
    run: PageRun
    engine_version: str
    lab_seconds: dict[str, float] = field(default_factory=dict)
    topologies: list[str] = field(default_factory=list)
    kernel: str = field(default_factory=lambda: kernel_label())
    """Where the page ran, e.g. ``Linux 6.18`` or ``Linux 6.1, user-mode``."""

    @property
    def results(self) -> list[StepResult]:
        return self.run.results


def verify_page(
    page: Path,
    capabilities: Mapping[str, Capability],
    update: bool = False,
    steps: list[Snippet] | None = None,
    progress: Progress | None = None,
    patience: float = 1.0,
    **lab_options: Any,
) -> PageVerification:
    """Run ``page`` on a fresh lab shaped for it and check its topology before teardown.

    ``progress`` hears what the lab is waiting for and each step as it finishes;
    ``patience`` scales every time limit of the lab and the steps; ``lab_options`` go to
    ``Lab`` (a user-mode guest passes its image tars and engine flags).
    """
    from ..lab.lab import Lab
    from ..snippets.daemon_config import daemon_configs, page_folder

    steps = load_page(page) if steps is None else steps
    shape = lab_shape(steps)
    specs = page_specs(page)  # a bad spec fails before any engine starts
    refused = refused_edges(page, specs, load_page(page))  # every edge names a page step
    nodes = max([shape.nodes, *(_node_number(c.host) for spec in specs for c in spec.containers)])
    configs = daemon_configs(page_folder(steps), [f"node{i}" for i in range(1, nodes + 1)])
    prefix = os.environ.get("CNV_LAB_PREFIX", "cnv")
    with Lab(
        nodes=nodes,
        swarm=shape.swarm,
        rootless=shape.rootless and has_capability(capabilities, "rootless"),
        prefix=prefix,
        progress=progress,
        daemon_configs=configs,
        patience=patience,
        **lab_options,
    ) as lab:
        clients = {name: host.client() for name, host in lab.hosts.items() if host.docker_host}

        def checkpoint() -> None:
            if progress:
                progress("comparing the engine with the page's diagrams")
            differences = topology_differences(specs, clients, refused, lab.hosts)
            if differences:
                raise TopologyMismatch("\n".join(differences))

        version = clients["node1"].version()["Version"]
        run = PageRun(
            steps, lab.hosts, capabilities, update=update, progress=progress, patience=patience
        )
        run.run(checkpoint if specs else None)
    return PageVerification(page, run, version, dict(lab.timings), [s.name for s in specs])
