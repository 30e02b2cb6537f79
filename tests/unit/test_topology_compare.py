"""Spec versus engine: the comparison's normalisation and its messages."""

from __future__ import annotations

from dataclasses import replace

from topology_fixtures import FIXTURE

from macros.topology.compare import compare, format_diff
from macros.topology.model import (
    Attachment,
    Container,
    Network,
    PublishedPort,
    Service,
    Topology,
)

SPEC = FIXTURE
ENGINE_DEFAULTS = (
    Network(
        "bridge",
        subnet="172.17.0.0/16",
        gateway="172.17.0.1",
        options=(("com.docker.network.bridge.name", "docker0"),),
        default=True,
    ),
    Network("host", driver="host", default=True),
    Network("none", driver="null", default=True),
)


def engine(**changes: object) -> Topology:
    """What a fresh engine shows once the fixture's containers run (as the live reader gives it)."""
    live = Topology(
        "live",
        "Live engine",
        networks=(
            *ENGINE_DEFAULTS,
            Network("shop-net", subnet="10.10.0.0/24", gateway="10.10.0.1"),
        ),
        containers=tuple(Container(c.name, attachments=c.attachments) for c in SPEC.containers),
    )
    return replace(live, **changes)  # type: ignore[arg-type]


def containers(**override: Container | None) -> tuple[Container, ...]:
    out = [override.get(c.name, c) for c in engine().containers]
    return tuple(c for c in out if c is not None)


def test_the_engine_after_the_page_matches_its_spec() -> None:
    assert compare(SPEC, engine()) == []
    assert format_diff([]) == "topology matches the engine"


def test_a_spec_matches_itself() -> None:
    assert compare(SPEC, SPEC) == []


def test_missing_container() -> None:
    assert compare(SPEC, engine(containers=containers(old2=None))) == [
        "container 'old2' is in the spec but not on the engine",
        "edge old1 → old2 (step 03-ping-old): old2 not on the engine",
    ]


def test_wrong_ip() -> None:
    front2 = Container("front2", attachments=(Attachment("shop-net", "10.10.0.4"),))
    assert compare(SPEC, engine(containers=containers(front2=front2))) == [
        "container 'front2': on network 'shop-net' expected 10.10.0.3, engine has 10.10.0.4"
    ]


def test_extra_network_and_extra_container() -> None:
    extra = Network("other-net", subnet="10.99.0.0/24")
    stray = Container("stray", attachments=(Attachment("other-net", "10.99.0.2"),))
    live = engine(networks=(*engine().networks, extra), containers=(*containers(), stray))
    assert compare(SPEC, live) == [
        "network 'other-net' exists on the engine but not in the spec",
        "container 'stray' exists on the engine but not in the spec",
    ]


def test_network_settings_are_compared_only_where_the_spec_gives_them() -> None:
    live = engine(
        networks=(
            *ENGINE_DEFAULTS,
            Network("shop-net", subnet="10.10.0.0/24", gateway="10.10.0.254", internal=True),
        )
    )
    assert compare(SPEC, live) == [
        "network 'shop-net': internal expected False, engine has True",
        "network 'shop-net': gateway expected 10.10.0.1, engine has 10.10.0.254",
    ]
    loose = replace(SPEC, networks=(SPEC.networks[0], Network("shop-net")))
    assert compare(loose, engine()) == []
    with_option = replace(
        SPEC,
        networks=(
            SPEC.networks[0],
            Network("shop-net", options=(("com.docker.network.driver.mtu", "1400"),)),
        ),
    )
    assert compare(with_option, engine()) == [
        "network 'shop-net': option com.docker.network.driver.mtu expected '1400', engine has none"
    ]


def test_default_networks_only_count_when_listed() -> None:
    only_demo = Topology(
        "demo",
        "t",
        networks=(Network("shop-net", subnet="10.10.0.0/24"),),
        containers=tuple(c for c in SPEC.containers if c.name.startswith("front")),
    )
    live = engine(containers=containers(old1=None, old2=None))
    assert compare(only_demo, live) == []
    wrong_default = replace(
        SPEC,
        networks=(
            replace(SPEC.networks[0], gateway="172.17.255.254"),
            SPEC.networks[1],
        ),
    )
    assert compare(wrong_default, engine()) == [
        "network 'bridge': gateway expected 172.17.255.254, engine has 172.17.0.1"
    ]


def test_attachments_aliases_ports_and_modes() -> None:
    spec = replace(
        SPEC,
        containers=(
            Container(
                "front1",
                attachments=(Attachment("shop-net", aliases=("www",)),),
                ports=(PublishedPort(0, 80),),
            ),
            *SPEC.containers[1:],
        ),
    )
    live_front1 = Container(
        "front1",
        attachments=(Attachment("shop-net", "10.10.0.2"), Attachment("bridge", "172.17.0.9")),
        ports=(PublishedPort(49153, 80), PublishedPort(8443, 443)),
    )
    assert compare(spec, engine(containers=containers(front1=live_front1))) == [
        "container 'front1': networks expected shop-net, engine has bridge, shop-net",
        "container 'front1': on network 'shop-net' aliases expected www, engine has none",
        "container 'front1': engine publishes 8443:443/tcp, not in the spec",
    ]
    host_mode = Container("front1", network_mode="host")
    diffs = compare(SPEC, engine(containers=containers(front1=host_mode)))
    assert diffs[:2] == [
        "container 'front1': network mode expected none, engine has host",
        "container 'front1': networks expected shop-net, engine has none",
    ]


def test_task_containers_belong_to_their_service() -> None:
    net = Network("app-net", driver="overlay", subnet="10.20.0.0/24")
    spec = Topology(
        "svc",
        "t",
        networks=(net,),
        containers=(),
        services=(Service("api", 2, networks=("app-net",)),),
    )
    task = Container("api.1.x", attachments=(Attachment("app-net", "10.20.0.5"),), service="api")
    live = Topology(
        "live",
        "t",
        networks=(net,),
        containers=(task,),
        services=(Service("api", 3, "dnsrr", ("app-net",)), Service("other")),
    )
    assert compare(spec, live) == [
        "service 'api': endpoint mode expected vip, engine has dnsrr",
        "service 'api': replicas expected 2, engine has 3",
        "service 'other' exists on the engine but not in the spec",
    ]


def test_format_diff_lists_every_line() -> None:
    text = format_diff(["a", "b"])
    assert text == "2 difference(s) between spec and engine:\n  - a\n  - b"


def test_a_pages_diagrams_are_compared_together() -> None:
    import pytest

    from macros.topology.compare import merge_specs
    from macros.topology.model import Attachment, Container, Network, Topology, TopologyError

    net = Network("n", subnet="10.1.0.0/24")
    a = Container("a", attachments=(Attachment("n", "10.1.0.2"),))
    b = Container("b", attachments=(Attachment("n", "10.1.0.3"),))
    first = Topology("one", "One", (net,), (a,))
    second = Topology("two", "Two", (net,), (a, b))
    merged = merge_specs([first, second])
    assert [c.name for c in merged.containers] == ["a", "b"]
    assert [n.name for n in merged.networks] == ["n"]
    other_a = Container("a", attachments=(Attachment("n", "10.1.0.9"),))
    with pytest.raises(TopologyError, match="define container 'a' differently"):
        merge_specs([first, Topology("three", "Three", (net,), (other_a,))])
