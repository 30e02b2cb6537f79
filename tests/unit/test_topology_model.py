"""The topology model: validation messages name the spec, refused texts, and the registry."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from macros.record import spec_fingerprints
from macros.snippets.errors import SnippetError
from macros.topology import model as m
from macros.topology import specs as spec_registry
from macros.topology.model import Container, Edge, Network, Service, Topology, TopologyError
from macros.topology.specs import get_spec
from macros.topology.validate import RefusedText, problems_in, refused_reason

NET = Network("demo-net", subnet="10.10.0.0/24", gateway="10.10.0.1")


def web(ipv4: str | None = "10.10.0.2", network: str = "demo-net", **kw: object) -> Container:
    return Container("web1", attachments=(m.Attachment(network, ipv4=ipv4),), **kw)  # type: ignore[arg-type]


def topo(**kw: object) -> Topology:
    fields: dict[str, object] = {"title": "t", "networks": (NET,), "containers": (web(),)}
    fields.update(kw)
    return Topology("bridge", **fields)  # type: ignore[arg-type]


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
            {"containers": (web(ports=(m.PublishedPort(70000, 80),)),)},
            "topology 'bridge': container 'web1': port 70000:80 out of range",
        ),
        (
            {"services": (Service("api", networks=("nope",)),)},
            "topology 'bridge': service 'api' attaches to undefined network 'nope'",
        ),
        (
            {"services": (Service("api", endpoint_mode="dnsrr", ports=(m.ServicePort(80, 80),)),)},
            "topology 'bridge': service 'api': ingress-mode port 80 needs endpoint_mode vip",
        ),
        (
            {"edges": (Edge("web1", "web9", "ping", step="02-ping"),)},
            "topology 'bridge': edge web1 → web9 refers to undefined 'web9'",
        ),
        (
            {"edges": (Edge("web1", "web1", "ping", step="ping"),)},
            "topology 'bridge': edge web1 → web1: step 'ping' is not a step name",
        ),
        (
            {"edges": (Edge("web1", "web1", "ping ✓", step="02-ping"),)},
            "topology 'bridge': edge web1 → web1: label 'ping ✓' carries a ✓/✗ of its own",
        ),
        (
            {"clients": (m.Client("laptop", "not-an-ip"),)},
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
        hosts=(m.Host("node1", "192.168.50.11"),),
        clients=(m.Client("laptop", "192.168.50.100"),),
        services=(Service("api", replicas=3, endpoint_mode="dnsrr", networks=("demo-net",)),),
        edges=(
            Edge("laptop", "web1", "curl", step="03-curl"),
            Edge("web1", "api", "nslookup api", step="04-lookup"),
        ),
    )
    assert list(problems_in(spec)) == []


def test_an_overlay_network_is_swarm_scoped() -> None:
    assert Network("o", driver="overlay").scope == "swarm"
    assert Network("m", driver="macvlan", scope="swarm").scope == "swarm"
    assert Network("b").scope == "local"


def test_registry_keys_are_spec_names_and_unknown_names_list_the_known_ones() -> None:
    with pytest.raises(TopologyError, match=r"unknown topology 'nope'; known: .*bridge"):
        get_spec("nope")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"edges": (Edge("web1", "web1", "ping (needs IPVS)", step="02-ping"),)},
            "edge web1 → web1: label 'ping (needs IPVS)' speaks of one machine's kernel "
            "('needs IPVS')",
        ),
        (
            {"description": "The mesh does not work here."},
            "description 'The mesh does not work here.' speaks of one machine's kernel ('here')",
        ),
        (
            {"title": "Routed mode, not verified"},
            "title 'Routed mode, not verified' speaks of one machine's kernel ('not verified')",
        ),
        (
            {"description": "Skipped on the test kernel."},
            "speaks of one machine's kernel ('test kernel')",
        ),
    ],
    ids=["label", "description", "title", "test-kernel"],
)
def test_a_spec_text_about_one_machines_kernel_is_refused(
    fields: dict[str, object], message: str
) -> None:
    with pytest.raises(RefusedText) as error:
        topo(**fields)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "text", ["Where the packet goes: there", "Thereafter", "verified by the step", "IPVS balances"]
)
def test_words_that_only_look_alike_are_not_refused(text: str) -> None:
    assert refused_reason(text) is None


SPEC_HEADER = "from macros.topology.model import Container, Edge, Network, Topology\n"
REFUSED_LABEL = """SPEC = Topology(
    "x",
    "X",
    (Network("n"),),
    (Container("a"),),
    edges=(
        Edge("a", "a", "ping a", step="01-ping"),
        Edge("a", "a", "ping a (this machine)", step="02-ping"),
    ),
    description=(
        "A spec whose description "
        "runs over lines."
    ),
)
"""


@pytest.mark.parametrize(
    ("source", "line"),
    [
        (REFUSED_LABEL, 9),
        (REFUSED_LABEL.replace("(this machine)", "").replace("runs over", "runs here over"), 13),
    ],
    ids=["label", "second-line-of-a-description"],
)
def test_the_build_names_the_line_of_a_refused_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, line: int
) -> None:
    (tmp_path / "x.py").write_text(SPEC_HEADER + source)
    monkeypatch.setattr(spec_registry, "SPEC_DIR", tmp_path)
    with pytest.raises(SnippetError) as error:
        spec_registry.load_specs()
    assert str(error.value).startswith(f"{tmp_path / 'x.py'}:{line}: topology 'x': ")
    assert "speaks of one machine's kernel" in str(error.value)


def test_an_edited_spec_file_is_read_again_with_a_new_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = SPEC_HEADER + 'SPEC = Topology("x", "{}", (Network("n"),), ())\n'
    (tmp_path / "x.py").write_text(source.format("Before"))
    monkeypatch.setattr(spec_registry, "SPEC_DIR", tmp_path)
    before = spec_fingerprints(["x"])
    (tmp_path / "x.py").write_text(source.format("After"))
    assert get_spec("x").title == "After"
    assert spec_fingerprints(["x"]) != before
