"""A one-node lab: a working engine of its own, no way out, fast failing DNS, no residue."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

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
                assert "Name:" not in lookup.output, lookup.output  # answered, not timed out
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
    assert_no_residue()


def test_client_reaches_nodes_and_has_no_engine(prefix: str) -> None:
    with Lab(nodes=1, prefix=prefix) as lab:
        client = lab.hosts["client"]
        assert client.docker_host is None
        with ShellSession(client.shell_argv()) as shell:
            assert shell.run("hostname", timeout=10).output == "client"
            assert shell.run('echo "${DOCKER_HOST-unset}"', timeout=10).output == "unset"
            ping = shell.run(f"busybox ping -c 1 -W 2 {lab.hosts['node1'].address}", timeout=10)
            assert ping.exit_status == 0, ping.output


def test_a_page_daemon_configuration_is_the_nodes_own_etc_docker(prefix: str) -> None:
    """The engine runs with it, the node's shell sees it, the machine's /etc/docker does not."""
    machine_before = sorted(p.name for p in Path("/etc/docker").iterdir())
    configs = {"node2": {"mtu": 1400}}
    with Lab(nodes=2, prefix=prefix, daemon_configs=configs) as lab:
        with ShellSession(lab.hosts["node2"].shell_argv()) as shell:
            shown = shell.run("cat /etc/docker/daemon.json", timeout=10).output
            assert json.loads(shown) == {"mtu": 1400}
            mtu = shell.run(
                "docker network inspect bridge "
                "--format '{{index .Options \"com.docker.network.driver.mtu\"}}'",
                timeout=30,
            )
            assert mtu.output == "1400", mtu.output
        with ShellSession(lab.hosts["node1"].shell_argv()) as shell:
            assert json.loads(shell.run("cat /etc/docker/daemon.json", timeout=10).output) == {}
    assert sorted(p.name for p in Path("/etc/docker").iterdir()) == machine_before
