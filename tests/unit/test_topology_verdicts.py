"""Traffic edges: proven by a named step, drawn from its record, held to the live state."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from topology_fixtures import FIXTURE

from macros.paths import relative
from macros.report import PageRecord, Status, StepRecord
from macros.snippets import parse_snippet
from macros.snippets.pages import all_pages, load_page, topology_names
from macros.topology import model as m
from macros.topology.compare import compare, merge_specs
from macros.topology.model import Container, Edge, Network, Topology
from macros.topology.render import render_svg
from macros.topology.specs import get_spec
from macros.topology.verdicts import Verdict, edge_verdicts, proving_commands

STEPS = [
    parse_snippet(Path("snippets/f/01-start.console"), "$ docker run -d --name front1 x\n"),
    parse_snippet(Path("snippets/f/02-ping-front.console"), "$ docker exec front1 ping front2\n"),
    parse_snippet(
        Path("snippets/f/03-ping-old.console"),
        "#| requires: ipvs\n$ docker exec old1 ping old2\nping: bad address 'old2'\n[1]\n",
    ),
]


def run_record(**statuses: Status) -> PageRecord:
    steps = [StepRecord(str(s.path), "node1", statuses.get(s.name, Status.PASSED)) for s in STEPS]
    return PageRecord("f.md", "2026-11-28", "28.5.2", "Linux 6.18", steps)


def verdicts(record: PageRecord | None) -> dict[str, Verdict]:
    found = edge_verdicts(FIXTURE, STEPS, "docs/f.md", record)
    return {edge.step: verdict for edge, verdict in found.items()}


def test_the_verdict_comes_from_the_steps_record_and_exit_status() -> None:
    assert verdicts(run_record()) == {
        "02-ping-front": Verdict.WORKS,
        "03-ping-old": Verdict.REFUSED,
    }


def test_an_edge_whose_step_was_skipped_or_never_ran_is_unverified() -> None:
    skipped = run_record(**{"03-ping-old": Status.SKIPPED, "02-ping-front": Status.NOT_RUN})
    assert set(verdicts(skipped).values()) == {Verdict.UNVERIFIED}
    assert set(verdicts(None).values()) == {Verdict.UNVERIFIED}


def test_an_unverified_edge_is_drawn_grey_and_dotted() -> None:
    skipped = edge_verdicts(
        FIXTURE, STEPS, "docs/f.md", run_record(**{"03-ping-old": Status.SKIPPED})
    )
    svg = render_svg(FIXTURE, skipped).decode()
    assert "? not verified" in svg and "✓ works" in svg
    assert 'stroke="#78909c" stroke-width="2" stroke-dasharray="1,5"' in svg
    assert "✗ refused" not in svg


def test_an_edge_must_name_a_step_of_its_page() -> None:
    wrong = replace(FIXTURE, edges=(Edge("front1", "front2", "ping", step="09-nope"),))
    with pytest.raises(m.TopologyError, match=r"step '09-nope' is not a step of docs/f\.md"):
        proving_commands(wrong, STEPS, "docs/f.md")


def test_a_step_that_succeeds_and_fails_needs_the_command_named() -> None:
    mixed = [
        parse_snippet(
            Path("snippets/f/02-ping-front.console"),
            "$ ping -c1 front2\n$ ping -c1 old2\nping: bad address 'old2'\n[1]\n",
        )
    ]
    spec = replace(FIXTURE, edges=(Edge("front1", "front2", "ping", step="02-ping-front"),))
    with pytest.raises(m.TopologyError, match="say which one shows this traffic"):
        proving_commands(spec, mixed, "docs/f.md")
    named = replace(spec, edges=(replace(spec.edges[0], command="ping -c1 old2"),))
    (command,) = proving_commands(named, mixed, "docs/f.md").values()
    assert command.exit_status == 1


@pytest.mark.parametrize(
    "page", [p for p in all_pages() if topology_names(p)], ids=lambda p: p.name
)
def test_every_edge_of_a_site_diagram_names_one_step_of_its_page(page: Path) -> None:
    spec = merge_specs([get_spec(name) for name in topology_names(page)])
    proving = proving_commands(spec, load_page(page), str(relative(page)))
    assert set(proving) == set(spec.edges)


def live(*containers: Container, clients: tuple[m.Client, ...] = ()) -> Topology:
    networks = (
        Network("bridge", subnet="172.17.0.0/16", gateway="172.17.0.1", default=True),
        Network("shop-net", subnet="10.10.0.0/24", gateway="10.10.0.1"),
    )
    return Topology("live", "Live", networks, containers, clients=clients)


ENGINE = [Container(c.name, attachments=c.attachments) for c in FIXTURE.containers]


def test_an_edge_between_containers_on_different_networks_fails_the_comparison() -> None:
    spec = replace(FIXTURE, edges=(Edge("front1", "old1", "ping old1", step="02-ping-front"),))
    assert compare(spec, live(*ENGINE)) == [
        "edge front1 → old1 (step 02-ping-front): no network in common and nothing "
        "published for front1 to reach old1"
    ]
    assert compare(spec, live(*ENGINE), refused=spec.edges) == []


def test_an_outside_client_needs_a_published_port() -> None:
    client = m.Client("laptop", "10.99.0.100")
    spec = replace(
        FIXTURE,
        clients=(client,),
        edges=(Edge("laptop", "front1", "curl :8080", step="02-ping-front"),),
    )
    published = Container(
        "front1", attachments=ENGINE[0].attachments, ports=(m.PublishedPort(8080, 80),)
    )
    assert (
        compare(
            replace(spec, containers=(published, *FIXTURE.containers[1:])),
            live(published, *ENGINE[1:], clients=(client,)),
        )
        == []
    )
    assert compare(spec, live(*ENGINE, clients=(client,))) == [
        "edge laptop → front1 (step 02-ping-front): no network in common and nothing "
        "published for laptop to reach front1"
    ]


def test_the_hosts_and_clients_a_spec_draws_must_be_in_the_lab() -> None:
    spec = replace(
        FIXTURE,
        containers=tuple(replace(c, host="node1") for c in FIXTURE.containers),
        hosts=(m.Host("node1", "10.99.0.1"),),
        clients=(m.Client("laptop", "10.99.0.100"),),
        edges=(),
    )
    lab = replace(
        live(*ENGINE),
        containers=tuple(replace(c, host="node1") for c in ENGINE),
        hosts=(m.Host("node1", "10.99.0.7"),),
    )
    assert compare(spec, lab) == [
        "host 'node1': address expected 10.99.0.1, lab has 10.99.0.7",
        "client 'laptop' is in the spec but not in the lab",
    ]


def test_a_container_sharing_anothers_namespace_shares_its_networks() -> None:
    sidecar = Container("sidecar", network_mode="container:front1")
    spec = replace(
        FIXTURE,
        containers=(*FIXTURE.containers, sidecar),
        edges=(Edge("sidecar", "front2", "ping", step="02-ping-front"),),
    )
    assert compare(spec, live(*ENGINE, sidecar)) == []


def test_a_container_reaches_an_outside_client_unless_only_on_internal_networks() -> None:
    client = m.Client("laptop", "10.99.0.100")
    spec = replace(
        FIXTURE,
        clients=(client,),
        edges=(Edge("front1", "laptop", "wget laptop", step="02-ping-front"),),
    )
    assert compare(spec, live(*ENGINE, clients=(client,))) == []
    walled = replace(spec, networks=tuple(replace(n, internal=True) for n in FIXTURE.networks))
    lab = replace(live(*ENGINE, clients=(client,)), networks=walled.networks)
    assert compare(walled, lab) == [
        "edge front1 → laptop (step 02-ping-front): no network in common and nothing "
        "published for front1 to reach laptop"
    ]


def test_a_lab_machine_is_matched_by_the_address_a_spec_draws_it_with() -> None:
    from types import SimpleNamespace

    from macros.runner.verify import _as_drawn

    machine = SimpleNamespace(address="10.99.0.100", address6="fd00:99::100", docker_host=None)
    assert _as_drawn("client", machine, {"fd00:99::100": "client"}) == ("client", "fd00:99::100")
    assert _as_drawn("client", machine, {"10.99.0.100": "client.lab"}) == (
        "client.lab",
        "10.99.0.100",
    )
    assert _as_drawn("client", machine, {}) == ("client", "10.99.0.100")


def test_an_outside_client_reaches_a_container_on_a_routed_or_unprotected_bridge() -> None:
    client = m.Client("laptop", "10.99.0.100")
    spec = replace(
        FIXTURE,
        clients=(client,),
        edges=(Edge("laptop", "front1", "curl front1", step="02-ping-front"),),
    )
    mode = "com.docker.network.bridge.gateway_mode_ipv4"
    for value, problems in (("routed", 0), ("nat-unprotected", 0), ("nat", 1)):
        networks = tuple(replace(n, options=((mode, value),)) for n in FIXTURE.networks)
        lab = replace(live(*ENGINE, clients=(client,)), networks=networks)
        assert len(compare(replace(spec, networks=networks), lab)) == problems, value
