"""Form a swarm from lab engines: init on node1, join the rest, wait until all are Ready."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

READY_TIMEOUT = 30.0
PORT = 2377


class SwarmError(RuntimeError):
    """The swarm did not form in time; the message lists the nodes' states."""


def form(
    docker_hosts: dict[str, str],
    addresses: dict[str, str],
    managers: int = 1,
    timeout: float = READY_TIMEOUT,
) -> None:
    """Make ``node1`` the first manager, join ``node2..`` (the first ``managers`` as managers).

    Managers join one after another (raft membership changes are serialised anyway);
    workers join in parallel.
    """
    import docker

    first, *others = sorted(docker_hosts, key=lambda node: int(node.removeprefix("node")))
    with docker.APIClient(base_url=docker_hosts[first], timeout=60) as api:
        api.init_swarm(advertise_addr=addresses[first], listen_addr=f"{addresses[first]}:{PORT}")
        tokens = api.inspect_swarm()["JoinTokens"]

    def join(node: str, token: str) -> None:
        with docker.APIClient(base_url=docker_hosts[node], timeout=60) as api:
            api.join_swarm(
                [f"{addresses[first]}:{PORT}"],
                token,
                listen_addr=f"{addresses[node]}:{PORT}",
                advertise_addr=addresses[node],
            )

    extra_managers, workers = others[: managers - 1], others[managers - 1 :]
    for node in extra_managers:
        join(node, tokens["Manager"])
    with ThreadPoolExecutor(max_workers=max(1, len(workers))) as pool:
        list(pool.map(lambda node: join(node, tokens["Worker"]), workers))
    wait_ready(docker_hosts[first], len(docker_hosts), timeout)


def wait_ready(manager: str, expected: int, timeout: float = READY_TIMEOUT) -> None:
    """Poll the manager (bounded) until ``expected`` nodes are Ready."""
    import docker

    deadline = time.monotonic() + timeout
    states: list[str] = []
    with docker.APIClient(base_url=manager, timeout=30) as api:
        while time.monotonic() < deadline:
            nodes = api.nodes()
            states = [
                f"{n.get('Description', {}).get('Hostname', n['ID'][:12])}={n['Status']['State']}"
                for n in nodes
            ]
            if sum(n["Status"]["State"] == "ready" for n in nodes) >= expected:
                return
            time.sleep(0.1)
    raise SwarmError(f"waited {timeout:g}s for {expected} Ready nodes; got: {', '.join(states)}")
