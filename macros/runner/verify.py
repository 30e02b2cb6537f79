"""Verify one page: bring up its lab, run its steps, hold the engine to its diagram."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..snippets.model import Snippet
from ..snippets.pages import load_page
from .page import Capability, PageRun, StepResult

TOPOLOGY_CALL = re.compile(r"""topology\(\s*["'](?P<name>[^"']+)["']\s*\)""")


@dataclass(frozen=True)
class LabShape:
    """How many nodes a page needs, and whether the lab forms a swarm for it."""

    nodes: int
    swarm: bool


def lab_shape(steps: list[Snippet]) -> LabShape:
    """The smallest lab that can run ``steps``.

    The lab forms the swarm when a step requires ``swarm``, unless the page shows how to
    form it itself (a ``docker swarm init`` step).
    """
    nodes = max((int(step.host[4:]) for step in steps if step.host.startswith("node")), default=1)
    forms_own_swarm = any("docker swarm init" in c.text for step in steps for c in step.commands)
    swarm = any("swarm" in step.requires for step in steps) and not forms_own_swarm
    return LabShape(nodes, swarm)


def _node_number(host: str | None) -> int:
    return int(host[4:]) if host and host.startswith("node") else 1


def page_topologies(page: Path) -> list[str]:
    """Names of the topology specs a page draws."""
    return TOPOLOGY_CALL.findall(page.read_text(encoding="utf-8"))


def topology_differences(names: list[str], clients: Mapping[str, object]) -> list[str]:
    """Differences between the page's diagrams, taken together, and the live engines."""
    from ..topology.compare import compare, merge_specs
    from ..topology.live import topology_from_engine
    from ..topology.specs import get_spec

    spec = merge_specs([get_spec(name) for name in names])
    live = topology_from_engine(dict(clients))
    return [f"topology {spec.name!r}: {line}" for line in compare(spec, live)]


class TopologyMismatch(AssertionError):
    """The engine's state after a page's steps differs from the page's diagram."""


@dataclass
class PageVerification:
    """The finished run of a page and the engine it ran on."""

    page: Path
    run: PageRun
    engine_version: str
    lab_seconds: dict[str, float]

    @property
    def results(self) -> list[StepResult]:
        return self.run.results


def verify_page(
    page: Path,
    capabilities: Mapping[str, Capability],
    update: bool = False,
    steps: list[Snippet] | None = None,
) -> PageVerification:
    """Run ``page`` on a fresh lab shaped for it and check its topology before teardown."""
    from ..lab.lab import Lab
    from ..topology.specs import get_spec

    steps = load_page(page) if steps is None else steps
    shape = lab_shape(steps)
    names = page_topologies(page)
    specs = [get_spec(name) for name in names]  # a bad spec fails before any engine starts
    nodes = max([shape.nodes, *(_node_number(c.host) for spec in specs for c in spec.containers)])
    prefix = os.environ.get("CNV_LAB_PREFIX", "cnv")
    with Lab(nodes=nodes, swarm=shape.swarm, prefix=prefix) as lab:
        clients = {name: host.client() for name, host in lab.hosts.items() if host.docker_host}

        def checkpoint() -> None:
            differences = topology_differences(names, clients)
            if differences:
                raise TopologyMismatch("\n".join(differences))

        version = clients["node1"].version()["Version"]
        run = PageRun(steps, lab.hosts, capabilities, update=update)
        run.run(checkpoint if names else None)
    return PageVerification(page, run, version, dict(lab.timings))
