"""The page runner on plain bash (no Docker): shared state, captures, polls, teardown."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.report import Status
from macros.runner.page import Capability, PageRun
from macros.runner.session import ShellSession
from macros.snippets import parse_snippet


class LocalHost:
    """A host that is just a bash on this machine."""

    def shell_argv(self) -> list[str]:
        return ["bash", "--noprofile", "--norc"]


HOSTS = {"node1": LocalHost(), "node2": LocalHost()}


def step(name: str, text: str):
    return parse_snippet(Path(f"snippets/t/{name}.console"), text)


def test_session_keeps_state_and_merges_stderr() -> None:
    with ShellSession(LocalHost().shell_argv()) as shell:
        assert shell.run("cd /tmp && X=42", 5).exit_status == 0
        outcome = shell.run('echo "$PWD $X"; echo oops >&2; false', 5)
        assert (outcome.output, outcome.exit_status) == ("/tmp 42\noops", 1)
        assert shell.run("printf 'no newline'", 5).output == "no newline"


def test_a_command_reading_stdin_cannot_swallow_the_next() -> None:
    with ShellSession(LocalHost().shell_argv()) as shell:
        assert shell.run("cat", 5).output == ""
        assert shell.run("echo after", 5).output == "after"


def test_failure_stops_the_page_but_teardown_runs(tmp_path: Path) -> None:
    marker = tmp_path / "torn-down"
    steps = [
        step("01", "$ echo one\ntwo\n"),
        step("02", "$ echo never\nnever\n"),
        step("03", f"#| teardown\n$ touch {marker}\n"),
    ]
    results = PageRun(steps, HOSTS).run()
    assert [r.status for r in results] == [Status.FAILED, Status.NOT_RUN, Status.UNCHECKED]
    assert "snippets/t/01.console:1: output does not match" in results[0].reason
    assert "-two" in results[0].reason and "+one" in results[0].reason
    assert marker.exists()


def test_missing_capability_skips_with_reason() -> None:
    steps = [step("01", "#| requires: ipvs\n$ echo hi\nhi\n")]
    caps = {"ipvs": Capability(False, "Error talking to the kernel")}
    (result,) = PageRun(steps, HOSTS, caps).run()
    assert (result.status, result.missing) == (Status.SKIPPED, ("ipvs",))
    assert result.reason == "ipvs: Error talking to the kernel"


def test_a_hanging_step_fails_at_its_timeout_and_teardown_still_runs() -> None:
    steps = [
        step("01", "#| timeout: 1\n$ sleep 30\n"),
        step("02", "#| teardown\n$ echo cleaned\ncleaned\n"),
    ]
    results = PageRun(steps, HOSTS).run()
    assert [r.status for r in results] == [Status.FAILED, Status.UNCHECKED]
    assert results[0].reason.startswith("snippets/t/01.console:2: timed out: sleep 30 (after 1 s)")


def test_poll_is_bounded() -> None:
    steps = [step("01", "#| poll: 1\n$ echo not yet\nready\n")]
    (result,) = PageRun(steps, HOSTS).run()
    assert result.status == Status.FAILED and "polled for 1 s" in result.reason


def test_unknown_host_for_this_lab_fails_clearly() -> None:
    (result,) = PageRun([step("01", "#| host: node3\n$ true\n")], HOSTS).run()
    assert result.status == Status.FAILED and "no host 'node3'" in result.reason


def test_interrupt_still_runs_teardown(tmp_path: Path) -> None:
    marker = tmp_path / "torn-down"
    steps = [step("01", "$ true\n"), step("02", f"#| teardown\n$ touch {marker}\n")]

    def interrupt() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        PageRun(steps, HOSTS).run(checkpoint=interrupt)
    assert marker.exists()


def test_lab_shape_follows_the_steps() -> None:
    from macros.runner.verify import lab_shape

    single = [step("01", "$ docker ps\n")]
    assert lab_shape(single) == lab_shape(single).__class__(1, False)
    multi = [
        step("01", "#| requires: swarm\n$ docker service ls\n"),
        step("02", "#| host: node3\n$ docker ps\n"),
        step("03", "#| host: client\n$ true\n"),
    ]
    shape = lab_shape(multi)
    assert (shape.nodes, shape.swarm) == (3, True)
    own = [step("01", "#| requires: swarm\n$ docker swarm init --advertise-addr eth0\n")]
    assert lab_shape(own).swarm is False


def test_a_capture_from_a_skipped_step_fails_the_user_cleanly() -> None:
    steps = [
        step("01", "#| requires: ipvs\n$ echo abc\nabc  (re: (?P<vip>[a-z]+))\n"),
        step("02", "$ echo %{vip}\nabc\n"),
    ]
    caps = {"ipvs": Capability(False, "no IPVS")}
    skipped, failed = PageRun(steps, HOSTS, caps).run()
    assert skipped.status == Status.SKIPPED and failed.status == Status.FAILED
    assert failed.reason == (
        "snippets/t/02.console:1: capture %{vip} was not made in this run "
        "(the step that captures it was skipped or its output did not match)"
    )


@pytest.mark.parametrize(
    "texts",
    [
        [
            "$ ID=abc123; echo $ID\nabc123  (re: (?P<id>[a-z0-9]+))\n",
            "$ echo %{id} $ID\nabc123 abc123\n",
        ],
        ["$ N=0\n", "#| poll: 5\n$ N=$((N+1)); [ $N -ge 3 ] && echo ready\nready\n"],
        ["$ WHERE=one\n", '#| host: node2\n$ echo "[$WHERE]"\n[]\n'],
        ["$ printf 'default via 10.0.0.1 \\n'\ndefault via 10.0.0.1\n"],
    ],
    ids=[
        "steps share shell state and captures, in order",
        "a poll retries until the output matches",
        "each host has its own shell",
        "trailing spaces are invisible and ignored",
    ],
)
def test_a_page_that_passes(texts: list[str]) -> None:
    steps = [step(f"{number:02}", text) for number, text in enumerate(texts, start=1)]
    assert [r.status for r in PageRun(steps, HOSTS).run()] == [Status.PASSED] * len(texts)


def test_each_step_is_reported_as_it_finishes() -> None:
    steps = [step("01", "$ echo one\none\n"), step("02", "$ echo two\nthree\n")]
    lines: list[str] = []
    PageRun(steps, HOSTS, progress=lines.append).run()
    assert [line.split()[:2] for line in lines] == [
        ["passed", "snippets/t/01.console"],
        ["failed", "snippets/t/02.console"],
    ]


def test_recorded_output_that_looks_like_syntax_stays_output_and_is_never_run(
    tmp_path: Path,
) -> None:
    """The update mode escapes what a command printed; reading it back runs nothing new."""
    from macros.snippets.update import updated_text

    marker = tmp_path / "x"
    printed = [
        f"$ touch {marker}",
        f"> touch {marker}",
        "#| teardown",
        "[3]",
        "\\backslash",
        "ends like  (re: .*)",
        "one space (glob: *)",
        "%{not_a_capture}",
    ]
    quoted = " ".join(f"'{line}'" for line in printed).replace("%{", "%''{")  # not a capture
    script = "printf '%s\\n' " + quoted
    first = step("01", f"$ {script}\nstale\n")
    (result,) = PageRun([first], HOSTS, update=True).run()
    assert result.status == "updated" and not marker.exists()
    outputs = [(o.output, o.exit_status) for o in result.outcomes]
    text = updated_text(first, outputs, {}, "Docker Engine test, today")
    assert f"\\$ touch {marker}" in text.splitlines()
    reread = step("01", text)
    assert len(reread.commands) == 1 and not reread.teardown
    assert [line.sample for line in reread.commands[0].expected] == printed
    (rerun,) = PageRun([reread], HOSTS).run()
    assert rerun.status == "passed", rerun.reason
    assert not marker.exists()
    assert updated_text(reread, outputs, {}, "Docker Engine test, today") == text
