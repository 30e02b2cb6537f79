"""A three-node swarm lab: overlay traffic between nodes, by name, over VXLAN; no residue."""

from __future__ import annotations

import time
from collections.abc import Callable

from macros.lab.counters import link_bytes
from macros.lab.lab import Lab
from macros.runner.session import ShellSession

DNS_WAIT = 40.0
PINGS, PAYLOAD = 5, 1000


def ok(shell: ShellSession, command: str, timeout: float = 60) -> str:
    """Run ``command``; it must succeed. Returns its output."""
    outcome = shell.run(command, timeout)
    assert outcome.exit_status == 0, f"{command}: {outcome.output}"
    return outcome.output


def counters(lab: Lab) -> dict[str, tuple[int, int]]:
    return {"vxlan": lab.vxlan_bytes("node1"), "eth0": link_bytes(lab.hosts["node1"].netns, "eth0")}


def test_three_node_swarm_overlay(prefix: str, assert_no_residue: Callable[[], None]) -> None:
    with Lab(nodes=3, swarm=True, prefix=prefix) as lab:
        node1, node2 = lab.hosts["node1"], lab.hosts["node2"]
        with ShellSession(node1.shell_argv()) as one, ShellSession(node2.shell_argv()) as two:
            nodes = ok(one, "docker node ls --format '{{.Hostname}} {{.Status}}'")
            assert sorted(nodes.splitlines()) == [f"node{i} Ready" for i in (1, 2, 3)]
            ids = {ok(shell, "docker info --format '{{.ID}}'") for shell in (one, two)}
            assert len(ids) == 2, "every engine must have its own ID"
            ok(one, "docker network create -d overlay --attachable ov")
            ok(one, "docker run -d --name alpha --network ov busybox sleep 600")
            ok(two, "docker run -d --name bravo --network ov busybox sleep 600")
            deadline = time.monotonic() + DNS_WAIT
            while True:
                reached = one.run("docker exec alpha ping -c 1 -W 1 bravo", timeout=15)
                if reached.exit_status == 0 or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert reached.exit_status == 0, (
                f"alpha (node1) cannot ping bravo (node2): {reached.output}"
            )
            before = counters(lab)
            ok(one, f"docker exec alpha ping -c {PINGS} -i 0.2 -s {PAYLOAD} bravo")
            after = counters(lab)
        for link in before:
            (rx0, tx0), (rx1, tx1) = before[link], after[link]
            assert rx1 - rx0 >= PINGS * PAYLOAD, f"{link} rx grew by only {rx1 - rx0} bytes"
            assert tx1 - tx0 >= PINGS * PAYLOAD, f"{link} tx grew by only {tx1 - tx0} bytes"
    assert_no_residue()
