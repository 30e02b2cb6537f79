"""The host-engine lane: run a page against the engine ``DOCKER_HOST`` points at.

For readers without root or on Docker Desktop. The engine is not ours, so: refuse to start
when a name the page creates already exists, and afterwards remove exactly what the run
created (a diff of IDs taken before and after), never anything else.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

import docker

from ..snippets.model import Snippet
from .page import Capability, PageRun

NAME_FLAGS = {
    "containers": re.compile(r"docker (?:container )?(?:run|create)\b[^\n]*?--name[= ](\S+)"),
    "networks": re.compile(r"docker network create\b[^\n]*?\s([A-Za-z0-9][\w.-]*)\s*$", re.M),
    "volumes": re.compile(r"docker volume create\b[^\n]*?\s([A-Za-z0-9][\w.-]*)\s*$", re.M),
    "services": re.compile(r"docker service create\b[^\n]*?--name[= ](\S+)"),
}


class NameCollision(RuntimeError):
    """A resource the page would create already exists on the engine."""


@dataclass(frozen=True)
class EngineHost:
    """A shell on this machine talking to one engine."""

    docker_host: str

    def shell_argv(self) -> list[str]:
        return ["env", f"DOCKER_HOST={self.docker_host}", "bash", "--noprofile", "--norc"]


def names_created(steps: list[Snippet]) -> dict[str, set[str]]:
    """The container, network, volume and service names the page's commands create."""
    names: dict[str, set[str]] = {kind: set() for kind in NAME_FLAGS}
    for step in steps:
        for command in step.commands:
            text = command.text.replace("\\\n", " ")
            for kind, pattern in NAME_FLAGS.items():
                names[kind] |= {name.strip("'\"") for name in pattern.findall(text)}
    return names


def _resources(client: docker.DockerClient) -> dict[str, list]:
    """Everything a page could create, by kind (services only on a swarm manager)."""
    found = {
        "containers": client.containers.list(all=True),
        "networks": client.networks.list(),
        "volumes": client.volumes.list(),
        "services": [],
    }
    if client.info().get("Swarm", {}).get("ControlAvailable"):
        found["services"] = client.services.list()
    return found


def snapshot(client: docker.DockerClient) -> dict[str, set[str]]:
    """IDs of everything that a page could create, right now."""
    return {kind: {item.id for item in items} for kind, items in _resources(client).items()}


def refuse_collisions(client: docker.DockerClient, steps: list[Snippet]) -> None:
    """Raise :class:`NameCollision` listing every name the page needs that is taken."""
    taken: list[str] = []
    existing = {kind: {item.name for item in items} for kind, items in _resources(client).items()}
    for kind, names in names_created(steps).items():
        taken += [f"{kind[:-1]} {name!r}" for name in sorted(names & existing[kind])]
    if taken:
        raise NameCollision(
            "refusing to run: this page creates names that already exist on the engine: "
            + ", ".join(taken)
            + ". Remove or rename them, or run the page in the isolated lane (as root)."
        )


def remove_created(client: docker.DockerClient, before: dict[str, set[str]]) -> list[str]:
    """Remove what appeared since ``before``; return what was removed."""
    after = snapshot(client)
    removed: list[str] = []
    for service_id in after["services"] - before["services"]:
        client.services.get(service_id).remove()
        removed.append(f"service {service_id[:12]}")
    for container_id in after["containers"] - before["containers"]:
        client.containers.get(container_id).remove(force=True)
        removed.append(f"container {container_id[:12]}")
    for network_id in after["networks"] - before["networks"]:
        _remove_network(client, network_id)
        removed.append(f"network {network_id[:12]}")
    for volume_id in after["volumes"] - before["volumes"]:
        client.volumes.get(volume_id).remove(force=True)
        removed.append(f"volume {volume_id}")
    return removed


def _remove_network(client: docker.DockerClient, network_id: str, attempts: int = 10) -> None:
    for attempt in range(attempts):
        try:
            client.networks.get(network_id).remove()
            return
        except docker.errors.NotFound:
            return
        except docker.errors.APIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.3)


def run_on_host_engine(
    steps: list[Snippet],
    capabilities: Mapping[str, Capability],
    docker_host: str | None = None,
    update: bool = False,
) -> tuple[PageRun, str]:
    """Run ``steps`` against ``docker_host`` (default: ``$DOCKER_HOST`` or the local socket).

    Returns the finished run and the engine's version.
    """
    docker_host = docker_host or os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    client = docker.DockerClient(base_url=docker_host)
    refuse_collisions(client, steps)
    before = snapshot(client)
    run = PageRun(steps, {"node1": EngineHost(docker_host)}, capabilities, update=update)
    try:
        run.run()
    finally:
        remove_created(client, before)
    return run, client.version()["Version"]
