"""The host-engine lane's decisions without an engine: footprints, refusals, recovery, journal."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from docker_contexts import write_context

from macros.paths import DOCS_DIR
from macros.runner import cli, journal
from macros.runner.connect import DEFAULT_HOST, EngineUnreachable, find_endpoint
from macros.runner.footprint import footprint
from macros.runner.host_engine import Item, Refused, _epoch, created_by, recover, refusals
from macros.snippets import pages, parse_snippet
from macros.snippets.pages import load_page

COMPOSE_DEMO = {"com.docker.compose.project": "demo"}


def page(name: str):
    return footprint(load_page(next(DOCS_DIR.rglob(f"{name}.md"))))


def step(text: str, name: str = "01-x"):
    return parse_snippet(Path(f"snippets/t/{name}.console"), text)


def item(kind: str, id_: str, name: str, created: float = 0.0, **labels: str) -> Item:
    return Item(kind, id_, name, created, labels)


def test_what_real_pages_create_and_touch() -> None:
    troubleshooting = page("troubleshooting")
    assert troubleshooting.creates["containers"] == {"app", "db"}
    assert troubleshooting.creates["networks"] == {"front", "back"}
    assert troubleshooting.host_changes == [], "iptables -S only reads the firewall"
    assert page("compose").compose_projects == {"demo"}
    assert page("overlay").swarm_commands == {"init", "join", "join-token"}
    assert page("bridge").lab_only_reasons() == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("overlay", "runs on host 'node2'"),
        ("compose", "runs on host 'client'"),
        ("host-and-none", "`iptables -I INPUT -p tcp --dport 8090 -j DROP` changes this "
                          "machine's firewall"),
        ("port-publishing", "`iptables -I DOCKER-USER"),
        ("macvlan", "`ip link add mv-shim link eth0 type macvlan mode bridge` changes this "
                    "machine's network interfaces"),
        ("macvlan", "puts macvlan/ipvlan links on one of this machine's network interfaces"),
        ("ipvlan", "`ip route add 192.168.214.0/24 via 10.99.0.1`"),
        ("bridge-options", "13-prune.console:13: `docker network prune -f` removes every "
                           "network no container uses on the engine, yours included; pages "
                           "that act on the whole engine run only in the lab"),
    ],
)  # fmt: skip
def test_pages_that_need_the_lab_say_why(name: str, expected: str) -> None:
    reasons = page(name).lab_only_reasons()
    assert any(expected in reason for reason in reasons), reasons


@pytest.mark.parametrize(
    "command",
    [
        "sudo iptables -A INPUT -j DROP",
        "nft add rule inet filter input drop",
        "/usr/sbin/ip6tables -P FORWARD DROP",
        "true && ip -6 addr add fd00::1/64 dev eth0",
        "ip link set eth0 mtu 1400",
        "ip l add d0 type dummy",
        "ip -n ns1 link add d0 type dummy",
        "ip -netns ns1 a add 10.0.0.1/24 dev lo",
        "ip netns add ns1",
        "ip netns exec ns1 true",
        "ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1",
        "sysctl -w net.ipv4.ip_forward=1",
        "sysctl net.ipv4.ip_forward=0",
        "tc qdisc add dev eth0 root netem delay 100ms",
        "tc -n ns1 filter del dev eth0",
        "iptables-nft -A INPUT -j DROP",
        "ip6tables-nft-restore < rules",
        "iptables -L -Z",
        "nft -f rules.nft",
        "sudo -E iptables -F",
        "timeout -s KILL 5 iptables -F",
        "FOO=1 iptables -F",
        "if true; then iptables -F; fi",
        "(iptables -F)",
        "x=$(iptables -F)",
        "sh -c 'ip link set eth0 down'",
        "docker run -d --network host --cap-add NET_ADMIN busybox sleep 60",
        "docker run --rm --net=host --cap-add=net_admin,net_raw busybox true",
        "docker create --network=host --privileged busybox",
        "docker run --rm --network host --cap-add ALL busybox true",
        "echo 1 > /proc/sys/net/ipv4/ip_forward",
        "echo 0 >>/proc/sys/net/ipv4/conf/all/rp_filter",
        "echo 1 | sudo tee /proc/sys/net/ipv4/ip_forward",
        "nsenter -t 1 -n ip link show",
        "nsenter --target=1 --mount true",
        "nsenter -t1 -a true",
        "nsenter --net=/proc/1/ns/net true",
    ],
)
def test_host_changes_are_found_anywhere_in_a_command(command: str) -> None:
    changes = footprint([step(f"$ {command}\n")]).host_changes
    assert [c.location for c in changes] == ["snippets/t/01-x.console:1"], changes


@pytest.mark.parametrize(
    "command",
    [
        "iptables -S | grep DOCKER",
        "iptables -t nat -L -n -v",
        "nft list ruleset",
        "docker exec c1 iptables -A INPUT -j DROP",
        "ip link show eth0",
        "ip -4 -o addr show",
        "ip -br a",
        "ip netns",
        "ip -n ns1 link show",
        "ip xfrm policy",
        "ip route get 10.0.0.1",
        "ip monitor",
        "tc -s qdisc show dev eth0",
        "sysctl net.netfilter.nf_conntrack_udp_timeout",
        "iptables -t raw -nvL PREROUTING",
        "iptables-save",
        "nft -a list ruleset",
        "nft -c -f rules.nft",
        "command -v iptables",
        "unshare -n ip link add d0 type dummy",
        "docker run --rm --network host busybox ip -4 -o addr",
        "docker run --rm --cap-add NET_ADMIN busybox ip link add d0 type dummy",
        "docker run --rm --privileged busybox true",
        "echo 'iptables -F'",
        "echo 1 > /tmp/cnv-out.txt",
        "cat /proc/sys/net/ipv4/ip_forward",
        "tee out.txt < /proc/sys/net/ipv4/ip_forward",
        'nsenter -t "$pid" -n ip -br addr',
        "nsenter -t 12 -n true",
    ],
)
def test_reading_the_host_or_changing_a_container_is_not_a_host_change(command: str) -> None:
    assert not footprint([step(f"$ {command}\n")]).host_changes


def test_teardown_steps_add_names_but_create_nothing() -> None:
    """The lane never runs teardown steps, so what they would do to the engine is no reason."""
    teardown = "#| teardown\n$ docker rm -f app db\n$ iptables -D INPUT -j DROP\n"
    steps = [
        step("$ docker run -d --name app busybox sleep 1\n"),
        step(f"{teardown}$ docker network prune -f\n", "02-down"),
    ]
    found = footprint(steps)
    assert found.creates["containers"] == {"app"}
    assert found.names() == {"app", "db"}
    assert found.host_changes == []
    assert found.engine_wide == []


ENGINE_WIDE = [
    "docker system prune -af --volumes",
    "docker network prune -f",
    "echo y | docker container prune",
    "docker volume prune -af",
    "docker image prune -a -f",
    "docker builder prune -f",
    "docker -H unix:///run/other.sock system prune -f",
    "docker rm -f $(docker ps -aq)",
    "docker rm -f $(docker ps -aq --filter name=web) >/dev/null",
    "docker stop `docker ps -q`",
    'docker container kill "$(docker container ls -q)"',
    "docker network rm $(docker network ls -q)",
    "docker volume rm $(docker volume ls -q)",
    "docker rmi $(docker images -q)",
    "ids=$(docker ps -aq); docker rm -f $ids",
    'for c in $(docker ps -q); do docker stop "$c"; done',
    "docker ps -aq | xargs -r docker rm -f",
    "sh -c 'docker rm -f $(docker ps -aq)'",
]


@pytest.mark.parametrize("command", ENGINE_WIDE)
def test_engine_wide_commands_are_refused_naming_command_and_line(command: str) -> None:
    found = footprint([step(f"$ docker network create front\n$ {command}\n")])
    reasons = refusals(found, [], {"LocalNodeState": "inactive"})
    assert len(reasons) == 1, reasons
    assert reasons[0].startswith(f"snippets/t/01-x.console:2: `{command}` "), reasons
    assert "on the engine" in reasons[0] and "yours included" in reasons[0], reasons
    assert reasons[0].endswith("; pages that act on the whole engine run only in the lab")


@pytest.mark.parametrize(
    "command",
    [
        "docker rm -f $(docker run -d busybox true)",
        "docker inspect $(docker ps -q)",
        "echo $(docker ps -aq)",
        "docker ps -aq",
        "docker network ls -q && docker rm -f web1",
        "ids=$(docker ps -aq); docker rm -f web1",
        "docker compose down",
    ],
)
def test_acting_on_named_objects_or_only_listing_is_not_engine_wide(command: str) -> None:
    found = footprint([step(f"$ {command}\n")])
    assert found.engine_wide == [] and found.lab_only_reasons() == []


def test_an_expansion_is_never_a_name() -> None:
    assert footprint([step("$ docker rm -f $(docker ps -aq) web1\n")]).names() == {"web1"}


def test_the_list_says_why_an_engine_wide_page_needs_the_lab(monkeypatch, capsys) -> None:
    wipe = DOCS_DIR / "t" / "wipe.md"
    monkeypatch.setattr(pages, "all_pages", lambda: [wipe])
    monkeypatch.setattr(cli, "load_page", lambda _page: [step("$ docker system prune -f\n")])
    assert cli.list_pages() == 0
    listed = capsys.readouterr().out
    assert "docs/t/wipe.md" in listed and "lab only" in listed, listed
    assert "snippets/t/01-x.console:1: `docker system prune -f` removes every stopped " in listed


@pytest.mark.parametrize(
    ("text", "kind", "names"),
    [
        ("docker network create front >/dev/null", "networks", {"front"}),
        ("docker network create front --subnet 10.1.0.0/24", "networks", {"front"}),
        ("docker network create x && docker network ls", "networks", {"x"}),
        ("docker network create x || docker network ls; docker network ls", "networks", {"x"}),
        ("docker network create x | docker network ls", "networks", {"x"}),
        ("docker network create front 2>&1 > out.txt", "networks", {"front"}),
        ("docker network create --driver=bridge -o a=b --label l front", "networks", {"front"}),
        ("docker network create \\\n> --internal --subnet 10.2.0.0/24 back", "networks", {"back"}),
        ("docker --host unix:///x.sock network create front", "networks", {"front"}),
        ("docker network create --aux-addresses printer=10.0.0.5 typo", "networks", {"typo"}),
        ("docker volume create data --label a=b >/dev/null", "volumes", {"data"}),
        ("docker volume create --name data", "volumes", {"data"}),
        ("docker run -d -p 8080:80 --name web busybox", "containers", {"web"}),
        ("docker run -it --rm --name=probe busybox sh", "containers", {"probe"}),
        ("docker run -d busybox echo --name not-mine", "containers", set()),
        ("docker service create --name api --replicas 2 busybox", "services", {"api"}),
    ],
)  # fmt: skip
def test_names_are_read_as_docker_parses_its_words(text: str, kind: str, names: set) -> None:
    found = footprint([step(f"$ {text}\n")])
    assert found.creates[kind] == names
    assert found.names() == names


def test_a_write_into_proc_sys_is_blamed_on_its_own_command_only() -> None:
    text = "$ echo 1 > /proc/sys/net/ipv4/ip_forward\n$ docker ps\n$ true\n"
    changes = footprint([step(text)]).host_changes
    assert [c.location for c in changes] == ["snippets/t/01-x.console:1"], changes


@pytest.mark.parametrize(
    ("text", "projects"),
    [
        ("docker compose -p demo up -d", {"demo"}),
        ("docker compose --project-name=demo up -d", {"demo"}),
        ("docker compose -f compose.yaml -p 'demo' ps", {"demo"}),
        ("docker --context x compose -pdemo down", {"demo"}),
        ("COMPOSE_PROJECT_NAME=demo docker compose up -d", {"demo"}),
        ("export COMPOSE_PROJECT_NAME=demo; docker compose up -d", {"demo"}),
        ("docker compose up -d; docker run -d -p 80 busybox", set()),
        ("docker run -d -p 8080:80 --name web busybox", set()),
    ],
)
def test_compose_projects_are_read_from_the_commands(text: str, projects: set) -> None:
    assert footprint([step(f"$ {text}\n")]).compose_projects == projects


@pytest.mark.parametrize(
    ("text", "commands"),
    [
        ("docker swarm init --advertise-addr 10.99.0.1", {"init"}),
        ("docker -H unix:///x.sock swarm join --token t 10.99.0.1:2377", {"join"}),
        ("docker swarm join-token -q worker", {"join-token"}),
        ("echo docker swarm leave", set()),
        ("docker node ls", set()),
    ],
)
def test_swarm_commands_are_read_as_docker_parses_them(text: str, commands: set) -> None:
    assert footprint([step(f"$ {text}\n")]).swarm_commands == commands


def test_every_unsafe_engine_state_is_named() -> None:
    found = page("troubleshooting")
    items = [
        item("containers", "db0f" + "0" * 60, "readers-own"),
        item("containers", "1" * 64, "app"),
        item("networks", "2" * 64, "front"),
        item("containers", "3" * 64, "demo-web-1", **{"com.docker.compose.project": "demo"}),
    ]
    reasons = refusals(found, items, {"LocalNodeState": "inactive"})
    assert reasons == [
        "the page's name 'db' is also the start of the ID of container db0f00000000 "
        "(readers-own): a command naming it would act on that object if the page's own is "
        "not there",
        "container 'app' already exists (ID 111111111111)",
        "network 'front' already exists (ID 222222222222)",
    ]
    compose = page("compose")
    swarm = {"LocalNodeState": "active", "NodeID": "abcdefghijklmnop"}
    assert (
        "compose project 'demo' is already in use on the engine (container 333333333333 "
        "(demo-web-1))" in refusals(compose, items, swarm)
    )
    overlay = refusals(page("overlay"), [], swarm)
    assert any("already in a swarm (node abcdefghijkl, active)" in r for r in overlay), overlay
    assert refusals(page("bridge"), items, swarm) == []


def test_a_killed_runs_leftovers_are_what_it_recorded_or_made_in_its_last_step() -> None:
    start = time.time() - 100
    record = journal.Journal(
        engine="unix:///x ID",
        page="snippets/t",
        pid=0,
        started=start,
        before={"containers": ["old"], "networks": [], "volumes": [], "services": []},
        names=["web1", "web2"],
        compose_projects=["demo"],
        created={"containers": ["recorded"], "networks": [], "volumes": [], "services": []},
        step_deadline=start + 50,
    )
    items = [
        item("containers", "recorded", "anything", start + 10),
        item("containers", "inflight", "web2", start + 40),
        item("networks", "compose-net", "demo_default", start + 45, **COMPOSE_DEMO),
        item("containers", "old", "web1", start - 500),
        item("containers", "after", "web1", start + 90),
        item("containers", "unnamed", "eager_turing", start + 40),
    ]  # fmt: skip
    assert [i.id for i in created_by(record, items)] == ["recorded", "inflight", "compose-net"]


def test_journal_lives_in_the_users_state_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    record = journal.Journal("unix:///x ID", "p", os.getpid(), 1.0, {}, [], [])
    record.save()
    assert record.path.parent == tmp_path / "cnv" / "host-engine"
    assert journal.load("unix:///x ID") == record
    assert journal.load("unix:///other ID") is None
    assert not record.owner_alive(), "this process is not another run"
    record.discard()
    assert not record.path.exists()


def test_engine_timestamps() -> None:
    assert _epoch("1970-01-01T00:00:10.123456789Z") == pytest.approx(10.123456)
    assert _epoch("1970-01-01T00:00:10+00:00") == 10.0
    assert _epoch(None) == 0.0


def test_a_live_process_owns_its_journal() -> None:
    assert journal.Journal("e", "p", 1, 1.0, {}, [], []).owner_alive()


def test_the_engine_is_found_like_the_docker_cli_does(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / ".docker"
    config.mkdir()
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("DOCKER_CONFIG", raising=False)
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    assert find_endpoint().host == DEFAULT_HOST
    write_context(config, "desktop", "unix:///home/reader/.docker/run/docker.sock")
    write_context(config, "other", "tcp://10.0.0.5:2375")
    (config / "config.json").write_text(json.dumps({"currentContext": "desktop"}))
    current = find_endpoint()
    assert (current.host, current.source) == (
        "unix:///home/reader/.docker/run/docker.sock",
        "Docker context 'desktop'",
    )
    shell = current.shell_environment()
    assert shell["DOCKER_CONTEXT"] == "desktop" and shell["HOME"] == str(tmp_path)
    assert "DOCKER_HOST" not in shell
    monkeypatch.setenv("DOCKER_CONTEXT", "other")
    assert find_endpoint().host == "tcp://10.0.0.5:2375"
    monkeypatch.setenv("DOCKER_HOST", "unix:///tmp/x.sock")
    assert find_endpoint().shell_environment()["DOCKER_HOST"] == "unix:///tmp/x.sock"
    monkeypatch.delenv("DOCKER_HOST")
    monkeypatch.setenv("DOCKER_CONTEXT", "gone")
    with pytest.raises(EngineUnreachable, match="context 'gone' does not exist"):
        find_endpoint()


def test_a_run_still_going_or_an_unreadable_journal_refuses(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    journal.Journal("unix:///x ID", "snippets/bridge", 1, 0.0, {}, [], []).save()
    with pytest.raises(Refused, match=r"snippets/bridge started .* \(pid 1\) is still running"):
        recover(None, "unix:///x ID")
    journal.journal_path("unix:///x ID").write_text("{not json")
    with pytest.raises(Refused, match="unreadable journal of an earlier run"):
        recover(None, "unix:///x ID")


def test_flag_values_are_not_names() -> None:
    found = footprint([step("$ docker stop -t 10 --signal KILL web1 && docker kill -s 9 web2\n")])
    assert found.names() == {"web1", "web2"}
