"""Reading a topology from an engine, with a fake docker client (no engine needed)."""

from __future__ import annotations

from typing import Any

import pytest

from macros.topology.live import network_from_attrs, topology_from_engine
from macros.topology.model import PublishedPort, Service, ServicePort

WEB1_ID = "7d4b88f920e092f890c6c2a9623cff7950698a8b63c0d0386189f670d7315da7"
WEB2_ID = "32a7b1ec18a1fcfa35302836a9a506ba9f9787151095fa7e5b92bfbad6cdbab9"


class _Obj:
    def __init__(self, attrs: dict[str, Any]) -> None:
        self.attrs = attrs


class _Collection:
    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items

    def list(self, **_: Any) -> list[_Obj]:
        return [_Obj(a) for a in self.items]


class FakeClient:
    """Just what ``topology_from_engine`` uses of ``docker.DockerClient``."""

    def __init__(
        self,
        networks: list[dict[str, Any]],
        containers: list[dict[str, Any]],
        services: list[dict[str, Any]] | None = None,
    ) -> None:
        self.networks = _Collection(networks)
        self.containers = _Collection(containers)
        self.services = _Collection(services or [])
        self.manager = services is not None

    def info(self) -> dict[str, Any]:
        return {"Swarm": {"ControlAvailable": self.manager}}


def net(name: str, driver: str = "bridge", subnet: str = "", gateway: str = "", **kw: Any):
    config = [{"Subnet": subnet, "Gateway": gateway}] if subnet else None
    return {
        "Name": name,
        "Id": f"id-{name}",
        "Driver": driver,
        "Scope": kw.pop("Scope", "local"),
        "IPAM": {"Driver": "default", "Options": None, "Config": config},
        "Options": kw.pop("Options", {}),
        **kw,
    }


def ctr(name: str, cid: str, endpoints: dict[str, dict[str, Any]], mode: str = "", **kw: Any):
    return {
        "Id": cid,
        "Name": f"/{name}",
        "Config": {"Labels": kw.pop("labels", {})},
        "HostConfig": {"NetworkMode": mode or next(iter(endpoints), "none"), **kw.pop("hc", {})},
        "NetworkSettings": {"Networks": endpoints, "Ports": kw.pop("ports", {})},
    }


DEFAULTS = [
    net(
        "bridge",
        subnet="172.17.0.0/16",
        gateway="172.17.0.1",
        Options={"com.docker.network.bridge.default_bridge": "true"},
    ),
    net("host", "host"),
    net("none", "null"),
]


def test_api_1_51_engine_is_read_without_ids() -> None:
    client = FakeClient(
        [*DEFAULTS, net("demo-net", subnet="10.10.0.0/24", gateway="10.10.0.1")],
        [
            # API >= 1.44: Aliases holds only user aliases; DNSNames adds name and short ID.
            ctr(
                "web1",
                WEB1_ID,
                {
                    "demo-net": {
                        "IPAddress": "10.10.0.2",
                        "Aliases": ["www"],
                        "DNSNames": ["web1", WEB1_ID[:12], "www"],
                    }
                },
            ),
            ctr("legacy1", WEB2_ID, {"bridge": {"IPAddress": "172.17.0.2", "Aliases": None}}),
        ],
    )
    live = topology_from_engine(client)
    assert [n.name for n in live.networks if n.default] == ["bridge", "host", "none"]
    demo = live.network("demo-net")
    assert demo is not None and (demo.subnet, demo.gateway, demo.default) == (
        "10.10.0.0/24",
        "10.10.0.1",
        False,
    )
    web1 = live.container("web1")
    assert web1 is not None
    assert [(a.network, a.ipv4, a.aliases) for a in web1.attachments] == [
        ("demo-net", "10.10.0.2", ("www",))
    ]
    assert WEB1_ID[:12] not in repr(live)


def test_api_1_41_short_id_and_name_in_aliases_are_dropped() -> None:
    endpoint = {"IPAddress": "10.10.0.3", "Aliases": [WEB2_ID[:12], "web2", "api"]}
    client = FakeClient(
        [*DEFAULTS, net("demo-net", subnet="10.10.0.0/24")],
        [ctr("web2", WEB2_ID, {"demo-net": endpoint})],
    )
    (web2,) = topology_from_engine(client).containers
    assert web2.attachments[0].aliases == ("api",)


def test_ipv6_ipam_entries_and_null_sections_are_tolerated() -> None:
    attrs = net("dual", subnet="10.30.0.0/24", gateway="10.30.0.1")
    attrs["IPAM"]["Config"] = [
        {"Subnet": "fd00:30::/64", "Gateway": "fd00:30::1"},
        {"Subnet": "10.30.0.0/24", "IPRange": "10.30.0.128/25", "Gateway": "10.30.0.1"},
    ]
    attrs["Options"] = None
    network = network_from_attrs(attrs)
    assert network is not None
    assert (network.subnet, network.gateway, network.ip_range, network.options) == (
        "10.30.0.0/24",
        "10.30.0.1",
        "10.30.0.128/25",
        (),
    )
    assert network_from_attrs(net("none", "null")) is not None


def test_unknown_driver_networks_are_left_out_with_a_warning() -> None:
    client = FakeClient([*DEFAULTS, net("weave", "weavemesh")], [])
    with pytest.warns(UserWarning, match="driver 'weavemesh' is not modelled"):
        live = topology_from_engine(client)
    assert live.network("weave") is None


def test_network_modes_and_published_ports() -> None:
    ports = {
        "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}, {"HostIp": "::", "HostPort": "8080"}],
        "53/udp": [{"HostIp": "127.0.0.1", "HostPort": "5353"}],
        "9000/tcp": None,
    }
    client = FakeClient(
        DEFAULTS,
        [
            ctr("web", WEB1_ID, {"bridge": {"IPAddress": "172.17.0.2"}}, ports=ports),
            ctr("sidecar", WEB2_ID, {}, mode=f"container:{WEB1_ID}"),
            ctr("mon", "c" * 64, {"host": {"IPAddress": ""}}, mode="host"),
            ctr("off", "d" * 64, {"none": {"IPAddress": ""}}, mode="none"),
            ctr(
                "stopped",
                "e" * 64,
                {"bridge": {"IPAddress": ""}},
                hc={"PortBindings": {"81/tcp": [{"HostIp": "", "HostPort": "8081"}]}},
            ),
        ],
    )
    live = topology_from_engine(client)
    web = live.container("web")
    # 0.0.0.0 and :: bindings of one port are one published port; unbound 9000 is not one.
    assert web is not None and web.ports == (
        PublishedPort(5353, 53, "udp", "127.0.0.1"),
        PublishedPort(8080, 80, "tcp", ""),
    )
    modes = {c.name: (c.network_mode, c.attachments) for c in live.containers}
    assert modes["sidecar"] == ("container:web", ())
    assert modes["mon"] == ("host", ())
    assert modes["off"] == ("none", ())
    stopped = live.container("stopped")
    assert stopped is not None
    assert stopped.attachments[0].ipv4 is None
    assert stopped.ports == (PublishedPort(8081, 81),)


def test_several_engines_set_the_host_and_read_services_from_the_manager() -> None:
    overlay = net("app-net", "overlay", "10.20.0.0/24", "10.20.0.1", Scope="swarm")
    ingress = net("ingress", "overlay", "10.0.0.0/24", "10.0.0.1", Scope="swarm", Ingress=True)
    task = {"labels": {"com.docker.swarm.service.name": "api"}}
    service = {
        "Spec": {
            "Name": "api",
            "Mode": {"Replicated": {"Replicas": 2}},
            "TaskTemplate": {"Networks": [{"Target": "id-app-net"}]},
            "EndpointSpec": {"Mode": "dnsrr"},
        },
        "Endpoint": {
            "Ports": [
                {"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "host"}
            ]
        },
    }
    node1 = FakeClient(
        [*DEFAULTS, overlay, ingress],
        [ctr("api.1.x", "a" * 64, {"app-net": {"IPAddress": "10.20.0.5"}}, **task)],
        services=[service],
    )
    node2 = FakeClient(
        [*DEFAULTS, overlay],
        [
            ctr("api.2.y", "b" * 64, {"app-net": {"IPAddress": "10.20.0.6"}}, **task),
            ctr("tools", "c" * 64, {"bridge": {"IPAddress": "172.17.0.2"}}),
        ],
    )
    live = topology_from_engine({"node1": node1, "node2": node2})
    assert [h.name for h in live.hosts] == ["node1", "node2"]
    assert {c.name: (c.host, c.service) for c in live.containers} == {
        "api.1.x": ("node1", "api"),
        "api.2.y": ("node2", "api"),
        "tools": ("node2", None),
    }
    assert live.services == (
        Service(
            "api",
            replicas=2,
            endpoint_mode="dnsrr",
            networks=("app-net",),
            ports=(ServicePort(8080, 80, "tcp", "host"),),
        ),
    )
    ingress_net = live.network("ingress")
    assert ingress_net is not None and ingress_net.default


def test_same_container_name_on_two_engines_stays_unique() -> None:
    same = [ctr("web", "a" * 64, {"bridge": {"IPAddress": "172.17.0.2"}})]
    live = topology_from_engine(
        {"node1": FakeClient(DEFAULTS, same), "node2": FakeClient(DEFAULTS, same)}
    )
    assert [c.name for c in live.containers] == ["web", "web@node2"]
