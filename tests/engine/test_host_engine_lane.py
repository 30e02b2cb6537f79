"""The host-engine lane never touches what it did not create, even when interrupted.

A disposable lab engine plays the reader's: it holds "the reader's" own containers, swarm,
compose project and firewall rule, and every test compares IDs before and after. The lane's
shell runs in that engine's network namespace (the reader's machine), so a page that got past
a refusal could only ever touch the lab. Nothing in this module may send a packet out of the
machine's uplink; the last test reads the counter that proves it.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import docker
import pytest

from macros.lab import Lab
from macros.lab.netns import exec_argv
from macros.lab.proc import alive, children, run
from macros.lab.uplink import UplinkCounter
from macros.paths import DOCS_DIR, ROOT
from macros.report import Status
from macros.runner.host_engine import Refused, run_on_host_engine, snapshot
from macros.snippets.model import Snippet
from macros.snippets.pages import load_page

BRIDGE = DOCS_DIR / "networks" / "bridge.md"
OVERLAY = DOCS_DIR / "networks" / "overlay.md"
TROUBLESHOOTING = DOCS_DIR / "networks" / "troubleshooting.md"
COMPOSE = DOCS_DIR / "services" / "compose.md"
HOST_AND_NONE = DOCS_DIR / "networks" / "host-and-none.md"
MACVLAN = DOCS_DIR / "networks" / "macvlan.md"


@pytest.fixture(scope="module")
def uplink() -> Iterator[UplinkCounter]:
    """Counts every packet this module's processes send out of the machine's uplink."""
    with UplinkCounter() as counter:
        assert counter.control() >= 1, "the counter does not see this process's packets"
        yield counter
        assert counter.uplink_packets() == 0, "packets left through the machine's uplink"


@pytest.fixture(scope="module")
def reader_lab(uplink: UplinkCounter) -> Iterator[Lab]:
    """One disposable engine (DNS: the lab's sink, no route out) playing the reader's."""
    with Lab(nodes=1, prefix="cnvh") as lab:
        yield lab


@pytest.fixture
def reader(reader_lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The reader's engine, left exactly as found by each test; journals go to ``tmp_path``."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    client = reader_lab.hosts["node1"].client()
    found = snapshot(client)
    yield client
    assert snapshot(client) == found, "the test left objects on the reader's engine"
    assert not list((tmp_path / "state").glob("cnv/host-engine/*")), "a journal was left"
    client.close()


@pytest.fixture
def theirs(reader: docker.DockerClient) -> Iterator:
    """Makes containers that stand for the reader's own; removes them afterwards."""
    made: list = []

    def make(name: str | None = None, labels: dict[str, str] | None = None):
        container = reader.containers.create(
            "busybox", ["sleep", "600"], name=name, labels=labels or {}, network_mode="none"
        )
        made.append(container)
        return container

    yield make
    for container in made:
        container.remove(force=True)


def lane(lab: Lab, page: Path | list[Snippet], **options):
    """Run ``page`` in the host-engine lane against the reader's engine, from its netns."""
    node = lab.hosts["node1"]
    return run_on_host_engine(
        load_page(page) if isinstance(page, Path) else page,
        {},
        docker_host=node.docker_host,
        shell_prefix=exec_argv(node.netns),
        **options,
    )


def test_colliding_name_is_refused_and_left_untouched(reader_lab, reader, theirs) -> None:
    mine = theirs("web1")
    before = snapshot(reader)
    with pytest.raises(Refused, match="container 'web1' already exists"):
        lane(reader_lab, BRIDGE)
    assert snapshot(reader) == before
    assert reader.containers.get("web1").id == mine.id


def test_readers_swarm_survives_the_overlay_page(reader_lab, reader) -> None:
    """The overlay page's teardown ran ``docker swarm leave --force`` on the reader's swarm."""
    node = reader_lab.hosts["node1"]
    found = snapshot(reader)
    reader.swarm.init(advertise_addr=node.address, listen_addr=f"{node.address}:2377")
    try:
        network = reader.networks.create("readers-overlay", driver="overlay", attachable=True)
        service = reader.services.create(
            "busybox", ["sleep", "600"], name="readers-service", networks=["readers-overlay"]
        )
        assert _wait_until(lambda: _task_states(service) == ["running"]), _task_states(service)
        node_id = reader.info()["Swarm"]["NodeID"]
        before = snapshot(reader)
        with pytest.raises(Refused) as refused:
            lane(reader_lab, OVERLAY)
        assert any("already in a swarm" in reason for reason in refused.value.reasons)
        assert any("host 'node2'" in reason for reason in refused.value.reasons)
        assert snapshot(reader) == before
        assert reader.info()["Swarm"]["NodeID"] == node_id
        assert reader.services.get(service.id).name == "readers-service"
        assert reader.networks.get(network.id).name == "readers-overlay"
        assert _task_states(service) == ["running"]
    finally:
        _leave_swarm(reader, found)


def _task_states(service) -> list[str]:
    return [task["Status"]["State"] for task in service.tasks()]


def _leave_swarm(client: docker.DockerClient, found: dict[str, set[str]]) -> None:
    """Leave the test's swarm and wait (bounded) until what it made is gone again."""
    client.swarm.leave(force=True)
    assert _wait_until(lambda: snapshot(client)["containers"] <= found["containers"])
    for network in client.networks.list():  # docker_gwbridge stays after leaving
        if network.id not in found["networks"]:
            network.remove()


def test_container_whose_id_starts_with_a_page_name_survives(reader_lab, reader, theirs) -> None:
    """The troubleshooting page's teardown ``docker rm -f app db``, with no container ``db``,
    removes a container whose ID starts with ``db``. IDs are random, so the page's ``db`` is
    renamed here to the first two characters of the reader's container's ID."""
    mine = theirs("readers-container")
    steps = renamed(load_page(TROUBLESHOOTING), "db", mine.id[:2])
    before = snapshot(reader)
    with pytest.raises(Refused, match=rf"is also the start of the ID of container {mine.id[:12]}"):
        lane(reader_lab, steps)
    assert snapshot(reader) == before
    assert reader.containers.get(mine.id).name == "readers-container"


def renamed(steps: list[Snippet], old: str, new: str) -> list[Snippet]:
    """``steps`` with the word ``old`` replaced by ``new`` in every command."""
    word = re.compile(rf"\b{re.escape(old)}\b")
    return [
        replace(
            step,
            commands=tuple(replace(c, text=word.sub(new, c.text)) for c in step.commands),
        )
        for step in steps
    ]


def test_readers_compose_project_survives(reader_lab, reader, theirs) -> None:
    mine = theirs("demo-web-1", labels={"com.docker.compose.project": "demo"})
    mine.start()
    before = snapshot(reader)
    with pytest.raises(Refused, match="compose project 'demo' is already in use"):
        lane(reader_lab, COMPOSE)
    assert snapshot(reader) == before
    mine.reload()
    assert mine.status == "running"


def test_pages_that_change_the_host_run_only_in_the_lab(reader_lab, reader) -> None:
    """The reader's own INPUT rule, the same as the page's, survives; no link is added."""
    netns = reader_lab.hosts["node1"].netns
    rule = ["INPUT", "-p", "tcp", "--dport", "8090", "-j", "DROP"]
    run(exec_argv(netns, "iptables", "-w", "-I", *rule))
    try:
        firewall = run(exec_argv(netns, "iptables", "-w", "-S", "INPUT")).stdout
        links = run(["ip", "-n", netns, "-o", "link"]).stdout
        before = snapshot(reader)
        for page, change in ((HOST_AND_NONE, "firewall"), (MACVLAN, "network interfaces")):
            with pytest.raises(Refused, match=f"changes this machine's {change}.*only in the lab"):
                lane(reader_lab, page)
        assert run(exec_argv(netns, "iptables", "-w", "-S", "INPUT")).stdout == firewall
        assert "-A INPUT -p tcp -m tcp --dport 8090 -j DROP" in firewall
        assert run(["ip", "-n", netns, "-o", "link"]).stdout == links
        assert snapshot(reader) == before
    finally:
        run(exec_argv(netns, "iptables", "-w", "-D", *rule))


def _start_cli(lab: Lab, page: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "macros", "run", str(page), "--host-engine"],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT), "DOCKER_HOST": lab.hosts["node1"].docker_host},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_until(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _exists(client: docker.DockerClient, name: str) -> bool:
    return bool(client.containers.list(all=True, filters={"name": f"^{name}$"}))


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_stopped_mid_page_leaves_no_residue(reader_lab, reader, stop) -> None:
    before = snapshot(reader)
    process = _start_cli(reader_lab, BRIDGE)
    try:
        assert _wait_until(lambda: _exists(reader, "web1")), "the page never reached step 2"
        process.send_signal(stop)
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 128 + stop, output  # 130, 143, 129: says which signal
    assert snapshot(reader) == before, output
    assert "removed container" in output


def test_next_run_removes_a_killed_runs_leftovers_then_only_its_own(
    reader_lab, reader, theirs
) -> None:
    """SIGKILL mid-run leaves the page's objects; the next run removes exactly those, runs
    the page and removes what it made, by ID; the reader's container keeps running."""
    mine = theirs("readers-own-container")
    mine.start()
    before = snapshot(reader)
    process = _start_cli(reader_lab, BRIDGE)
    try:
        assert _wait_until(lambda: _exists(reader, "web2")), "the page never reached web2"
        shells = children(process.pid)
        process.kill()
        process.communicate(timeout=30)
        assert _wait_until(lambda: not any(alive(pid) for pid in shells))
    finally:
        process.kill()
    after_kill = snapshot(reader)
    leftovers = {i for kind in after_kill for i in after_kill[kind] - before[kind]}
    assert leftovers, "the killed run left nothing to clean up"
    said: list[str] = []
    run, _engine = lane(reader_lab, BRIDGE, say=said.append)
    recovered = {line.split()[-2] for line in said if " left by " in line}
    assert recovered == {i[:12] for i in leftovers}, said
    ordinary = [r for r in run.results if not r.step.teardown]
    assert [r.status for r in ordinary] == [Status.PASSED] * len(ordinary), run.results
    assert {r.status for r in run.results if r.step.teardown} == {Status.NOT_RUN}
    assert snapshot(reader) == before
    mine.reload()
    assert mine.status == "running"


@pytest.fixture
def docker_group_user() -> Iterator[pwd.struct_passwd]:
    """A user of this machine in the docker group, not root; removed with its home after."""
    name = f"cnvreader{os.getpid() % 100000}"
    home = Path(tempfile.mkdtemp(prefix="cnv-reader-home-"))
    run(["useradd", "--home-dir", str(home), "--groups", "docker", "--shell", "/bin/sh", name])
    try:
        user = pwd.getpwnam(name)
        os.chown(home, user.pw_uid, user.pw_gid)
        yield user
    finally:
        run(["userdel", name])
        shutil.rmtree(home)


def _as_user(user: pwd.struct_passwd, argv: list[str]) -> subprocess.CompletedProcess:
    """Run ``argv`` as ``user`` with a login-like environment (no DOCKER_HOST)."""
    site = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"))
    env = {
        "HOME": user.pw_dir,
        "USER": user.pw_name,
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "PYTHONPATH": f"{ROOT}:{site}",
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        argv,
        user=user.pw_uid,
        group=user.pw_gid,
        extra_groups=[grp.getgrnam("docker").gr_gid],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_docker_group_user_runs_the_bridge_page_through_their_context(
    reader_lab, reader, docker_group_user
) -> None:
    """Not root, no DOCKER_HOST: the lane follows the user's current Docker context."""
    socket = reader_lab.hosts["node1"].docker_host
    context = ["docker", "context", "create", "reader-lab", "--docker", f"host={socket}"]
    for argv in (context, ["docker", "context", "use", "reader-lab"]):
        done = _as_user(docker_group_user, argv)
        assert done.returncode == 0, done.stderr
    before = snapshot(reader)
    python = shutil.which("python3", path="/usr/bin:/bin") or sys.executable
    command = [python, "-m", "macros", "run", str(BRIDGE), "--host-engine"]
    done = _as_user(docker_group_user, command)
    assert done.returncode == 0, done.stdout + done.stderr
    steps = load_page(BRIDGE)
    assert done.stdout.count("  passed  ") == sum(not s.teardown for s in steps), done.stdout
    assert "removed container" in done.stdout
    assert snapshot(reader) == before


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DOCKER_HOST": "unix:///nonexistent/docker.sock"}, "the socket does not exist"),
        ({"DOCKER_HOST": "tcp://127.0.0.1:9"}, "Connection refused"),
        ({"DOCKER_HOST": "", "DOCKER_CONTEXT": "no-such-context"}, "does not exist"),
    ],
)
def test_an_unreachable_engine_is_one_clear_line(environment, message) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "macros", "run", str(BRIDGE), "--host-engine"],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)} | environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout.startswith("error: ") and message in done.stdout, done.stdout
    assert len(done.stdout.splitlines()) == 1 and not done.stderr, done.stdout + done.stderr


def test_no_packet_left_through_the_uplink(uplink: UplinkCounter) -> None:
    """Everything above ran inside this module's counted cgroup; none of it left the box."""
    assert uplink.uplinks, "no default route: nothing to count"
    assert uplink.uplink_packets() == 0
