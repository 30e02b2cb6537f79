"""The host-engine lane: run a page against an engine the suite does not own (a reader's).

For readers without root or on Docker Desktop. Before any step runs, the page's footprint
(``footprint.py``) is compared with the engine's state and the run is refused, with every
reason, when it could touch something the reader owns. The page's own ``#| teardown`` steps do
not run here: they name objects, and a name may resolve to the reader's object (Docker
resolves full ID, exact name, then ID prefix). Instead the lane removes, by ID, exactly what
appeared while the page ran. A journal (``journal.py``) records that as the run goes, so a
killed run's leftovers are removed by the next run on the same engine, and only them.
SIGTERM and SIGHUP stop a run like Ctrl-C (``macros.signals``): the clean-up runs, no further
signal cuts it short, and the exit status is 128 + the signal.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import docker

from ..report import Status
from ..signals import shielded, stops_like_ctrl_c
from ..snippets.model import Snippet
from . import journal as journals
from .connect import Endpoint, connect, find_endpoint
from .footprint import KINDS, Footprint, footprint
from .journal import Journal
from .page import Capability, PageRun, StepResult

COMPOSE_PROJECT = "com.docker.compose.project"
CLOCK_SLACK = 5.0
"""Seconds of disagreement allowed between this machine's clock and the engine's."""
TEARDOWN_REASON = "not run on a reader's engine: the lane removes what this run created, by ID"


class Refused(RuntimeError):
    """The page is not safe on this engine; ``reasons`` says why, naming each resource."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        lines = "".join(f"\n  - {reason}" for reason in reasons)
        super().__init__(
            f"refusing to run on this engine:{lines}\n"
            "No step ran. Run the page in the lab instead (as root, without --host-engine)."
        )


@dataclass(frozen=True)
class Item:
    """One object on the engine, as far as the lane cares."""

    kind: str
    id: str
    name: str
    created: float
    labels: Mapping[str, str]

    def __str__(self) -> str:
        return f"{self.kind[:-1]} {self.id[:12]} ({self.name})"


@dataclass(frozen=True)
class EngineHost:
    """A shell on this machine talking to one engine: ``DOCKER_HOST`` (when given) and the
    other ``environment`` variables set, ``TMPDIR`` in the run's own scratch folder; ``prefix``
    wraps it (the tests run it in the network namespace of the engine playing the reader's)."""

    docker_host: str = ""
    scratch: str = ""
    prefix: tuple[str, ...] = ()
    environment: tuple[tuple[str, str], ...] = ()

    def shell_argv(self) -> list[str]:
        env = [f"{name}={value}" for name, value in self.environment]
        env += [f"DOCKER_HOST={self.docker_host}"] if self.docker_host else []
        env += [f"TMPDIR={self.scratch}"] if self.scratch else []
        return [*self.prefix, "env", *env, "bash", "--noprofile", "--norc"]


# --- reading the engine -------------------------------------------------------------------


def inventory(client: docker.DockerClient) -> list[Item]:
    """Every container, network, volume and service (services only on a swarm manager)."""
    api = client.api
    items = [
        Item("containers", c["Id"], c["Names"][0].lstrip("/"), c["Created"], c["Labels"] or {})
        for c in api.containers(all=True)
    ]
    items += [
        Item("networks", n["Id"], n["Name"], _epoch(n["Created"]), n["Labels"] or {})
        for n in api.networks()
    ]
    items += [
        Item("volumes", v["Name"], v["Name"], _epoch(v.get("CreatedAt")), v["Labels"] or {})
        for v in api.volumes()["Volumes"] or []
    ]
    if client.info().get("Swarm", {}).get("ControlAvailable"):
        items += [
            Item("services", s["ID"], s["Spec"]["Name"], _epoch(s["CreatedAt"]), _labels(s))
            for s in api.services()
        ]
    return items


def snapshot(client: docker.DockerClient) -> dict[str, set[str]]:
    """IDs of everything a page could create, by kind, right now."""
    ids: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for item in inventory(client):
        ids[item.kind].add(item.id)
    return ids


def _labels(service: dict) -> Mapping[str, str]:
    return service["Spec"].get("Labels") or {}


def _epoch(stamp: str | None) -> float:
    """Seconds since the epoch of an engine timestamp (nanoseconds and ``Z`` allowed)."""
    if not stamp:
        return 0.0
    trimmed = re.sub(r"(\.\d{6})\d+", r"\1", stamp).replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(trimmed).timestamp()


# --- deciding --------------------------------------------------------------------------------


def refusals(page: Footprint, items: list[Item], swarm: Mapping[str, object]) -> list[str]:
    """Every reason the page is unsafe on an engine holding ``items`` (empty: safe)."""
    reasons = page.lab_only_reasons()
    state = swarm.get("LocalNodeState", "inactive")
    if page.swarm_commands and state != "inactive":
        commands = ", ".join(f"`docker swarm {c}`" for c in sorted(page.swarm_commands))
        reasons.append(
            f"the engine is already in a swarm (node {str(swarm.get('NodeID'))[:12]}, {state}); "
            f"this page runs {commands}, which would change that swarm or leave it"
        )
    names = page.names()
    projects_in_use: dict[str, Item] = {}
    for item in items:
        if item.name in page.creates[item.kind]:
            reasons.append(f"{item.kind[:-1]} {item.name!r} already exists (ID {item.id[:12]})")
        prefixes = sorted(n for n in names if item.id.startswith(n) and n != item.name)
        if item.kind != "volumes" and prefixes:
            reasons.append(
                f"the page's name {prefixes[0]!r} is also the start of the ID of {item}: a "
                "command naming it would act on that object if the page's own is not there"
            )
        project = item.labels.get(COMPOSE_PROJECT)
        if project in page.compose_projects and project not in projects_in_use:
            projects_in_use[project] = item
    reasons += [
        f"compose project {project!r} is already in use on the engine ({item})"
        for project, item in sorted(projects_in_use.items())
    ]
    return reasons


# --- removing by ID --------------------------------------------------------------------------


def remove(client: docker.DockerClient, items: list[Item]) -> list[str]:
    """Remove ``items`` by ID, services first and volumes last; return what was removed."""
    order = {"services": 0, "containers": 1, "networks": 2, "volumes": 3}
    removed = []
    for item in sorted(items, key=lambda i: order[i.kind]):
        with contextlib.suppress(docker.errors.NotFound):
            if item.kind == "services":
                client.api.remove_service(item.id)
            elif item.kind == "containers":
                client.api.remove_container(item.id, v=True, force=True)
            elif item.kind == "networks":
                _remove_network(client, item.id)
            else:
                client.api.remove_volume(item.id, force=True)
            removed.append(str(item))
    return removed


def _remove_network(client: docker.DockerClient, network_id: str, attempts: int = 10) -> None:
    """A network can stay "in use" briefly after its last container went: retry (bounded)."""
    for attempt in range(attempts):
        try:
            client.api.remove_network(network_id)
            return
        except docker.errors.NotFound:
            raise
        except docker.errors.APIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.3)


def _leave_swarm_it_made(client: docker.DockerClient, record: Journal) -> list[str]:
    """Leave the swarm only if this engine is still the node the run itself created."""
    swarm = client.info().get("Swarm", {})
    if record.swarm_node and swarm.get("NodeID") == record.swarm_node:
        client.swarm.leave(force=True)
        return [f"swarm node {record.swarm_node[:12]} (left)"]
    return []


def created_by(record: Journal, items: list[Item]) -> list[Item]:
    """What ``record``'s run created that still exists.

    The IDs it recorded after each step, plus what the step in progress made before the run
    died: objects absent before the run, carrying a name the page creates or its compose
    project, created between the start and that step's deadline.
    """
    window = (record.started - CLOCK_SLACK, record.step_deadline + CLOCK_SLACK)
    found = []
    for item in items:
        if item.id in record.created[item.kind]:
            found.append(item)
        elif item.id not in record.before[item.kind] and window[0] <= item.created <= window[1]:
            ours = item.name in record.names
            if ours or item.labels.get(COMPOSE_PROJECT) in record.compose_projects:
                found.append(item)
    return found


def recover(client: docker.DockerClient, engine: str) -> list[str]:
    """Remove what a killed earlier run on ``engine`` left, and only that; return it."""
    try:
        record = journals.load(engine)
    except (ValueError, TypeError) as error:
        path = journals.journal_path(engine)
        raise Refused([f"{path}: unreadable journal of an earlier run ({error})"]) from error
    if record is None:
        return []
    if record.owner_alive():
        raise Refused([f"{record.describe()} is still running on this engine"])
    removed = remove(client, created_by(record, inventory(client)))
    removed += _leave_swarm_it_made(client, record)
    if record.scratch:
        shutil.rmtree(record.scratch, ignore_errors=True)
    record.discard()
    return [f"left by {record.describe()}: {what}" for what in removed]


# --- running ---------------------------------------------------------------------------------


class Tracker:
    """Keeps the journal of one run up to date: before each step and at the end."""

    def __init__(self, client: docker.DockerClient, record: Journal, page: Footprint) -> None:
        self.client, self.record, self.page = client, record, page

    def before_step(self, step: Snippet) -> None:
        self.note_created()
        self.record.step = str(step.path)
        budget = sum(step.timeout + step.poll for _ in step.commands)
        self.record.step_deadline = time.time() + budget + CLOCK_SLACK
        self.record.save()

    def note_created(self) -> list[Item]:
        """Record every object that appeared since the run started; return them."""
        items = inventory(self.client)
        new = [i for i in items if i.id not in self.record.before[i.kind]]
        for item in new:
            if item.id not in self.record.created[item.kind]:
                self.record.created[item.kind].append(item.id)
        if self.page.swarm_commands and not self.record.swarm_node:
            swarm = self.client.info().get("Swarm", {})
            if swarm.get("LocalNodeState") == "active":
                self.record.swarm_node = swarm.get("NodeID", "")
        return new

    def finish(self) -> list[str]:
        """Remove everything the run created; forget the journal once that worked."""
        self.note_created()
        self.record.save()
        removed = remove(self.client, created_by(self.record, inventory(self.client)))
        removed += _leave_swarm_it_made(self.client, self.record)
        shutil.rmtree(self.record.scratch, ignore_errors=True)
        self.record.discard()
        return removed


def run_then_clean_up(run: Callable[[], object], clean_up: Callable[[], object]) -> None:
    """``run``, then ``clean_up`` whatever happened.

    SIGTERM and SIGHUP stop ``run`` like Ctrl-C, raising ``macros.signals.Stopped`` (so the
    exit status says which signal); no signal cuts ``clean_up`` short: one that comes during it
    is swallowed, and raised once it is done if nothing stopped the run before.
    """
    with stops_like_ctrl_c():
        try:
            run()
        finally:
            with shielded():
                clean_up()


def run_on_host_engine(
    steps: list[Snippet],
    capabilities: Mapping[str, Capability],
    docker_host: str | None = None,
    update: bool = False,
    say: Callable[[str], None] = lambda line: None,
    shell_prefix: Sequence[str] = (),
) -> tuple[PageRun, str]:
    """Run ``steps`` against ``docker_host``, by default the engine the docker CLI would use.

    Raises :class:`Refused` before any step when the page is unsafe there, and
    :class:`EngineUnreachable` when no engine answers. ``say`` receives one line per object
    removed (a killed earlier run's leftovers, then this run's).
    Returns the finished run and the engine's version.
    """
    endpoint = Endpoint(docker_host, "docker_host") if docker_host else find_endpoint()
    client = connect(endpoint)
    info = client.info()
    engine = f"{endpoint.host} {info['ID']}"
    for line in recover(client, engine):
        say(f"removed {line}")
    page = footprint(steps)
    items = inventory(client)
    reasons = refusals(page, items, info.get("Swarm", {}))
    if reasons:
        raise Refused(reasons)
    ordinary = [step for step in steps if not step.teardown]
    record = Journal(
        engine=engine,
        page=str(steps[0].path.parent) if steps else "",
        pid=os.getpid(),
        started=time.time(),
        before={kind: [i.id for i in items if i.kind == kind] for kind in KINDS},
        names=sorted(page.names()),
        compose_projects=sorted(page.compose_projects),
        scratch=tempfile.mkdtemp(prefix="cnv-host-engine-"),
    )
    record.save()
    tracker = Tracker(client, record, page)
    environment = tuple(endpoint.shell_environment().items())
    shell = EngineHost("", record.scratch, tuple(shell_prefix), environment)
    run = PageRun(ordinary, {"node1": shell}, capabilities, update=update, progress=say)

    def clean_up() -> None:
        for line in tracker.finish():
            say(f"removed {line}")

    run_then_clean_up(lambda: run.run(before_step=tracker.before_step), clean_up)
    run.results += [
        StepResult(step, Status.NOT_RUN, TEARDOWN_REASON) for step in steps if step.teardown
    ]
    return run, client.version()["Version"]
