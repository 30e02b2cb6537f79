"""The rootless host kind without a machine: parsing, the lab's shape, the by-hand box, the
lab's names for it and the cleanup's view of users and subordinate ID lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.by_hand import lab_commands
from macros.lab import rootless
from macros.lab.lab import LabHost, hosts_from_state
from macros.lab.names import LabNames
from macros.runner.verify import lab_shape
from macros.snippets.capabilities import CAPABILITIES
from macros.snippets.errors import SnippetError
from macros.snippets.parse import parse_snippet

PAGE_STEP = "#| host: rootless\n#| requires: rootless\n$ docker info\n"


def test_a_step_may_run_on_the_rootless_host() -> None:
    step = parse_snippet(Path("snippets/x/01-a.console"), PAGE_STEP)
    assert (step.host, step.requires) == ("rootless", ("rootless",))
    assert "rootless" in CAPABILITIES
    with pytest.raises(SnippetError, match="client or rootless"):
        parse_snippet(Path("snippets/x/01-a.console"), "#| host: rootless2\n$ true\n")


def test_the_lab_gets_the_rootless_host_only_when_a_step_names_it() -> None:
    steps = [
        parse_snippet(Path("snippets/x/01-a.console"), PAGE_STEP),
        parse_snippet(Path("snippets/x/02-b.console"), "#| host: client\n$ true\n"),
    ]
    assert lab_shape(steps).rootless is True
    assert lab_shape(steps[1:]).rootless is False
    assert lab_commands(steps)[0] == "cnv lab up --nodes 1 --rootless"


def test_rootless_names_fit_their_limits() -> None:
    names = LabNames("cnvt", "3fa9c1")
    assert rootless.user_name(names) == "cnvt-3fa9c1-rootless"
    assert len(rootless.user_name(names)) <= 32
    assert names.switch_port("rootless") == "cnvt-3fa9c1-r"
    assert rootless.lab_of(names.netns("rootless")) == names


def test_hosts_from_state_order_nodes_then_rootless_then_client() -> None:
    def host(name: str) -> dict:
        return {"name": name, "netns": f"n-{name}", "address": "a", "docker_host": None}

    saved = {"hosts": {n: host(n) for n in ("client", "rootless", "node10", "node2", "node1")}}
    assert list(hosts_from_state(saved)) == ["node1", "node2", "node10", "rootless", "client"]


def test_the_rootless_shell_becomes_the_user_in_its_cgroup() -> None:
    names = LabNames("cnvt", "3fa9c1")
    host = LabHost(
        "rootless",
        names.netns("rootless"),
        "10.99.0.200",
        "unix:///run/x.sock",
        user="cnvt-3fa9c1-rootless",
        user_env=("HOME=/h",),
    )
    argv = host.shell_argv()
    assert argv[:2] == ["sh", "-c"] and "cnvt-3fa9c1-rootless/cgroup.procs" in argv[4]
    shell = ["env", "HOME=/h", "DOCKER_HOST=unix:///run/x.sock", "bash", "--noprofile", "--norc"]
    assert argv[-6:] == shell
    assert "cnvt-3fa9c1-rootless" in argv and names.netns("rootless") in argv


def test_lab_users_and_subid_lines_are_found_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subuid, subgid = tmp_path / "subuid", tmp_path / "subgid"
    for file in (subuid, subgid):
        file.write_text("alice:100000:65536\ncnvt-3fa9c1-rootless:165536:65536\n")
    monkeypatch.setattr(rootless, "SUBID_FILES", (subuid, subgid))
    lab = re.compile(r"cnvt-3fa9c1(?![0-9a-f])")
    assert rootless.subid_lines(lab) == 2
    assert "cnvt-3fa9c1-rootless" in rootless.lab_users(lab)
    rootless._drop_lines(subuid, "cnvt-3fa9c1-rootless")
    assert subuid.read_text() == "alice:100000:65536\n"


def test_a_guest_never_takes_its_hosts_lab_users_for_its_own(monkeypatch) -> None:
    """In a user-mode guest ``/etc`` is the host's, read-only: a host lab's user seen there
    is neither a stale lab of the guest's nor residue, so the guest's cleanup leaves it."""
    user = "cnv-abc123-rootless"
    entry = type("Entry", (), {"pw_name": user, "gr_name": user})()
    monkeypatch.setattr(rootless.pwd, "getpwall", lambda: [entry])
    monkeypatch.setattr(rootless.grp, "getgrall", lambda: [entry])
    lab = re.compile(r"(cnv-[0-9a-f]{6})")
    monkeypatch.setattr(rootless.os, "access", lambda path, mode: True)
    assert rootless.lab_users(lab) == [user]  # on the host: found, and so removed when stale
    monkeypatch.setattr(rootless.os, "access", lambda path, mode: False)
    assert rootless.lab_users(lab) == []
    assert rootless.remove_users(lab) == []
