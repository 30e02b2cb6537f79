"""The topology model: validation messages name the spec, and the registry."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from macros.topology.model import (
    Attachment,
    Client,
    Container,
    Edge,
    Host,
    Network,
    PublishedPort,
    Service,
    ServicePort,
    Topology,
    TopologyError,
)
from macros.topology.specs import SPECS, get_spec

NET = Network("demo-net", subnet="10.10.0.0/24", gateway="10.10.0.1")


def web(ipv4: str | None = "10.10.0.2", network: str = "demo-net", **kw: object) -> Container:
    return Container("web1", attachments=(Attachment(network, ipv4=ipv4),), **kw)  # type: ignore[arg-type]


def topo(**kw: object) -> Topology:
    fields: dict[str, object] = {"networks": (NET,), "containers": (web(),)}
    fields.update(kw)
    return Topology("bridge", "t", **fields)  # type: ignore[arg-type]


def test_a_valid_topology_is_frozen() -> None:
    spec = topo()
    assert spec.container("web1") == web()
    assert spec.network("demo-net") == NET
    assert spec.container("nope") is None
    with pytest.raises(FrozenInstanceError):
        spec.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"containers": (web(network="nope"),)},
            "topology 'bridge': container 'web1' attaches to undefined network 'nope'",
        ),
        (
            {"networks": (NET, NET)},
            "topology 'bridge': duplicate network 'demo-net' (2 times)",
        ),
        (
            {"containers": (web(), web())},
            "topology 'bridge': duplicate name 'web1' (2 times)",
        ),
        (
            {"containers": (web("10.20.0.2"),)},
            "topology 'bridge': container 'web1': 10.20.0.2 is outside network 'demo-net' "
            "subnet 10.10.0.0/24",
        ),
        (
            {"containers": (web("10.10.0.1"),)},
            "topology 'bridge': container 'web1': 10.10.0.1 is the gateway of network 'demo-net'",
        ),
        (
            {"containers": (web("10.10.0.999"),)},
            "topology 'bridge': container 'web1': invalid IPv4 address '10.10.0.999'",
        ),
        (
            {"networks": (Network("demo-net", subnet="10.10.0.0/24", gateway="10.9.0.1"),)},
            "topology 'bridge': network 'demo-net': gateway 10.9.0.1 is outside subnet",
        ),
        (
            {"networks": (Network("demo-net", subnet="10.10.0.0/24", ip_range="10.11.0.0/25"),)},
            "topology 'bridge': network 'demo-net': ip_range 10.11.0.0/25 is outside subnet",
        ),
        (
            {"networks": (Network("demo-net", driver="weave"),)},
            "topology 'bridge': network 'demo-net': unknown driver 'weave'",
        ),
        (
            {"networks": (Network("demo-net", subnet="10.10.0.1/24"),)},
            "topology 'bridge': network 'demo-net': invalid subnet '10.10.0.1/24'",
        ),
        (
            {"containers": (web(host="node9"),)},
            "topology 'bridge': container 'web1' runs on undefined host 'node9'",
        ),
        (
            {"containers": (Container("web1", network_mode="container:ghost"),)},
            "topology 'bridge': container 'web1': network_mode 'container:ghost' is not host",
        ),
        (
            {"containers": (web(network_mode="host"),)},
            "topology 'bridge': container 'web1': network_mode 'host' cannot be combined",
        ),
        (
            {"containers": (web(ports=(PublishedPort(70000, 80),)),)},
            "topology 'bridge': container 'web1': port 70000:80 out of range",
        ),
        (
            {"services": (Service("api", networks=("nope",)),)},
            "topology 'bridge': service 'api' attaches to undefined network 'nope'",
        ),
        (
            {"services": (Service("api", endpoint_mode="dnsrr", ports=(ServicePort(80, 80),)),)},
            "topology 'bridge': service 'api': ingress-mode port 80 needs endpoint_mode vip",
        ),
        (
            {"edges": (Edge("web1", "web9", "ping"),)},
            "topology 'bridge': edge web1 → web9 refers to undefined 'web9'",
        ),
        (
            {"clients": (Client("laptop", "not-an-ip"),)},
            "topology 'bridge': 'laptop' has an invalid address 'not-an-ip'",
        ),
        (
            {"containers": [web()]},
            "topology 'bridge': containers must be a tuple, got list",
        ),
    ],
)
def test_each_inconsistency_is_reported_with_the_spec_name(
    fields: dict[str, object], message: str
) -> None:
    with pytest.raises(TopologyError) as error:
        topo(**fields)
    assert str(error.value).startswith(message)
    assert isinstance(error.value, ValueError)


def test_topology_name_must_be_usable_as_a_file_name() -> None:
    with pytest.raises(TopologyError, match=r"topology '\.\./x': name '\.\./x' is not a valid"):
        Topology("../x", "t", (), ())


def test_hosts_clients_services_and_edges_to_them_validate() -> None:
    spec = topo(
        containers=(web(host="node1"),),
        hosts=(Host("node1", "192.168.50.11"),),
        clients=(Client("laptop", "192.168.50.100"),),
        services=(Service("api", replicas=3, endpoint_mode="dnsrr", networks=("demo-net",)),),
        edges=(Edge("laptop", "web1", "curl ✓"), Edge("web1", "api", "nslookup api")),
    )
    assert spec.hosts[0].address == "192.168.50.11"


def test_an_overlay_network_is_swarm_scoped() -> None:
    assert Network("o", driver="overlay").scope == "swarm"
    assert Network("m", driver="macvlan", scope="swarm").scope == "swarm"
    assert Network("b").scope == "local"


def test_registry_keys_are_spec_names_and_unknown_names_list_the_known_ones() -> None:
    assert all(name == spec.name for name, spec in SPECS.items())
    with pytest.raises(TopologyError, match=r"unknown topology 'nope'; known: .*bridge"):
        get_spec("nope")
