"""A one-node lab: a working engine of its own, no way out, fast failing DNS, no residue."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable

from macros.lab import netns
from macros.lab.lab import Lab
from macros.runner.session import ShellSession


def test_one_node_lab(prefix: str, assert_no_residue: Callable[[], None]) -> None:
    with Lab(nodes=1, prefix=prefix) as lab:
        node = lab.hosts["node1"]
        assert set(lab.hosts) == {"node1", "client"}
        with ShellSession(node.shell_argv()) as shell:
            hi = shell.run("docker run --rm busybox echo hi", timeout=60)
            assert (hi.output, hi.exit_status) == ("hi", 0)
            assert shell.run("docker info --format '{{.Name}}'", timeout=30).output == "node1"
            assert shell.run("hostname", timeout=10).output == "node1"
            assert shell.run("docker network create user-net", timeout=30).exit_status == 0
            for network in ("bridge", "user-net"):  # resolv.conf upstream / embedded DNS
                lookup = shell.run(
                    f"docker run --rm --network {network} busybox nslookup no-such-name.example",
                    timeout=30,
                )
                assert "NXDOMAIN" in lookup.output, lookup.output
                assert "Name:" not in lookup.output, lookup.output
                assert lookup.seconds < 3, f"{network}: the lookup took {lookup.seconds:.1f}s"
        routes = subprocess.run(
            ["ip", "netns", "exec", node.netns, "ip", "route"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        assert "default" not in routes, routes
        for name in [h.netns for h in lab.hosts.values()] + [lab.names.switch_netns]:
            assert netns.default_routes(name) == [], name
    assert lab.timings["down"] < 10
    assert_no_residue()


def test_client_reaches_nodes_and_has_no_engine(prefix: str) -> None:
    with Lab(nodes=1, prefix=prefix) as lab:
        client = lab.hosts["client"]
        assert client.docker_host is None
        with ShellSession(client.shell_argv()) as shell:
            assert shell.run("hostname", timeout=10).output == "client"
            assert shell.run('echo "${DOCKER_HOST-unset}"', timeout=10).output == "unset"
            start = time.monotonic()
            ping = shell.run(f"busybox ping -c 1 -W 2 {lab.hosts['node1'].address}", timeout=10)
            assert ping.exit_status == 0, ping.output
            assert time.monotonic() - start < 3
