"""The snippet format: parsing, matching, rendering and updating, without Docker."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.report import Status, StepRecord
from macros.snippets import SnippetError, match_command, parse_snippet
from macros.snippets.pages import capture_sources, check_captures, sample_captures
from macros.snippets.render import commands_text, render_snippet
from macros.snippets.update import updated_text

NET = "0123456789ab" + "c" * 52


def parse(text: str, name: str = "step.console"):
    return parse_snippet(Path(name), text)


def test_literal_lines_exit_status_and_directives() -> None:
    step = parse(
        "#| host: node2\n#| requires: ipvs, esp\n#| timeout: 5\n#| poll: 10s\n#| teardown\n"
        "$ docker exec a ping -c1 b\nping: bad address 'b'\n[1]\n"
    )
    (command,) = step.commands
    assert (step.host, step.requires, step.timeout, step.poll, step.teardown) == (
        "node2",
        ("ipvs", "esp"),
        5.0,
        10.0,
        True,
    )
    assert command.exit_status == 1
    assert [line.sample for line in command.expected] == ["ping: bad address 'b'"]
    assert match_command(command, "ping: bad address 'b'", 1, {}).ok
    failed = match_command(command, "ping: bad address 'b'", 0, {})
    assert not failed.ok and "+ping: bad address 'b'" not in failed.diff and "-[1]" in failed.diff


def test_continuation_lines_join_one_command() -> None:
    step = parse("$ docker run --rm \\\n>   busybox echo hi\nhi\n")
    assert step.commands[0].text == "docker run --rm \\\n  busybox echo hi"


def test_regex_glob_and_named_capture() -> None:
    step = parse(
        f"$ docker network create n\n{NET}  (re: (?P<net>[0-9a-f]{{12}})[0-9a-f]{{52}})\n"
        "$ docker ps\nUp 3 seconds  (glob: Up * seconds)\n"
    )
    create, ps = step.commands
    result = match_command(create, "ffffffffffff" + "0" * 52, 0, {})
    assert result.ok and result.captures == {"net": "ffffffffffff"}
    assert match_command(ps, "Up 12 seconds", 0, {}).ok
    assert not match_command(ps, "Exited (0)", 0, {}).ok


def test_capture_reused_in_a_later_line_and_command() -> None:
    step = parse(
        f"$ docker network create n\n{NET}  (re: (?P<net>[0-9a-f]{{12}})[0-9a-f]{{52}})\n"
        "$ docker network inspect %{net} --format '{{.Name}}'\nn\n"
        "$ docker network ls -q\n%{net}\n"
    )
    captures = sample_captures([step])
    assert captures == {"net": "0123456789ab"}
    assert commands_text(step)[1] == "docker network inspect <net> --format '{{.Name}}'"
    assert match_command(step.commands[2], "0123456789ab", 0, captures).ok
    assert not match_command(step.commands[2], "ffffffffffff", 0, captures).ok


def test_mismatch_shows_a_unified_diff() -> None:
    step = parse("$ echo hi\nhello\n")
    result = match_command(step.commands[0], "hi", 0, {})
    assert not result.ok
    assert "$ echo hi" in result.diff and "-hello" in result.diff and "+hi" in result.diff


def test_rendering_hides_pattern_syntax_and_keeps_go_templates() -> None:
    step = parse(
        "$ docker inspect --format '{{.Name}} {{json .Config}} {{range .Mounts}}x{{end}}' a\n"
        "/a 12 ms  (re: /a \\d+ ms)\nplain\n[3]\n"
    )
    markdown = render_snippet(step, {})
    assert "{{.Name}} {{json .Config}} {{range .Mounts}}x{{end}}" in markdown
    assert "/a 12 ms\nplain\n```" in markdown
    assert "(re:" not in markdown and "[3]" not in markdown
    assert ".no-copy" in markdown.split("```")[3]


def test_required_capability_is_announced_on_the_page() -> None:
    markdown = render_snippet(parse("#| requires: ipvs\n$ true\n"), {})
    assert "needs ipvs" in markdown and "IPVS" in markdown


def test_update_keeps_patterns_and_rewrites_literals() -> None:
    step = parse(
        "#| timeout: 5\n"
        "$ docker network create n\nold  (re: (?P<net>[0-9a-f]{12})[0-9a-f]{52})\n"
        "$ docker network ls\nstale line\n"
    )
    new_id = "abcdefabcdef" + "1" * 52
    text = updated_text(step, [(new_id, 0), ("NAME\nn", 1)], {}, "Docker Engine 28.5.2, today")
    assert text.splitlines() == [
        "#| timeout: 5",
        "#| recorded: Docker Engine 28.5.2, today",
        "$ docker network create n",
        f"{new_id}  (re: (?P<net>[0-9a-f]{{12}})[0-9a-f]{{52}})",
        "$ docker network ls",
        "NAME",
        "n",
        "[1]",
    ]
    assert parse(text).recorded == "Docker Engine 28.5.2, today"


BAD_INPUTS = [
    ("#| colour: blue\n$ true\n", 1, "unknown directive 'colour'"),
    ("#| host: node12\n$ true\n", 1, "unknown host target 'node12'"),
    ("#| host: router\n$ true\n", 1, "unknown host target 'router'"),
    ("#| requires: quantum\n$ true\n", 1, "unknown capability 'quantum'"),
    ("#| timeout: soon\n$ true\n", 1, "timeout must be seconds"),
    ("#| poll: 9999\n$ true\n", 1, "poll must be seconds"),
    ("#| teardown: yes\n$ true\n", 1, "takes no value"),
    ("#| timeout: 3\n#| timeout: 4\n$ true\n", 2, "given twice"),
    ("#| host\n$ true\n", 1, "needs a value"),
    ("hello\n$ true\n", 1, "output line before any command"),
    ("$ true\nx  (re: ([a-z)\n", 2, "malformed regex"),
    ("$ true\nx  (glob: [ab)\n", 2, "malformed glob"),
    ("$ true\n[1]\nmore\n", 2, "exit status [N] must be the last output line"),
    ("# only a comment\n", 1, "no command"),
    ("$ \n", 1, "empty command"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_INPUTS)
def test_bad_input_names_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(SnippetError) as error:
        parse(text, "snippets/page/bad.console")
    assert str(error.value).startswith(f"snippets/page/bad.console:{line}: ")
    assert message in str(error.value)


def test_capture_used_before_it_is_defined() -> None:
    first = parse("$ docker ps -q\n%{cid}\n", "snippets/p/01.console")
    second = parse("$ docker run -d x\ny  (re: (?P<cid>[0-9a-f]+))\n", "snippets/p/02.console")
    with pytest.raises(SnippetError, match=r"^snippets/p/01.console:2: capture %\{cid\} is used"):
        check_captures([first, second])
    check_captures([second, first])


def test_command_may_not_reuse_a_capture_made_on_its_own_host() -> None:
    made = parse(
        "$ docker swarm join-token -q worker\nt  (re: (?P<token>\\S+))\n", "snippets/p/01.c"
    )
    same = parse("$ echo %{token}\n", "snippets/p/02.c")
    with pytest.raises(
        SnippetError,
        match=r"^snippets/p/02.c:1: command uses capture %\{token\} made on the same host",
    ):
        check_captures([made, same])
    other = parse(
        "#| host: node2\n$ docker swarm join --token %{token} 10.99.0.1:2377\n", "snippets/p/03.c"
    )
    check_captures([made, other])


def test_capture_from_another_host_renders_as_a_placeholder_to_fill_in() -> None:
    made = parse("$ docker swarm join-token -q worker\nSWMTKN-1-ab  (re: (?P<token>\\S+))\n")
    join = parse("#| host: node2\n$ docker swarm join --token %{token} 10.99.0.1:2377\n")
    steps = [made, join]
    markdown = render_snippet(join, sample_captures(steps), True, "", capture_sources(steps))
    assert "docker swarm join --token <token> 10.99.0.1:2377" in markdown
    assert "SWMTKN-1-ab 10.99" not in markdown
    note = markdown.split("```")[0]
    assert "`<token>`: what `docker swarm join-token -q worker` printed on node1" in note
    assert "(`SWMTKN-1-ab` in the recorded run)" in note
    assert commands_text(join) == ["docker swarm join --token <token> 10.99.0.1:2377"]


def test_sample_that_does_not_match_its_pattern_is_stale() -> None:
    step = parse("$ docker run -d x\nnot-hex  (re: [0-9a-f]{64})\n", "snippets/p/s.console")
    with pytest.raises(SnippetError, match=r"^snippets/p/s.console:2: sample 'not-hex'"):
        sample_captures([step])


def test_update_keeps_valid_samples_so_reruns_do_not_churn() -> None:
    step = parse("$ ping -c1 x\ntime=0.317 ms  (glob: time=* ms)\n")
    stamp = "Docker Engine 28.5.2, today"
    kept = updated_text(step, [("time=0.402 ms", 0)], {}, stamp, keep_samples=True)
    assert "time=0.317 ms  (glob: time=* ms)" in kept
    fresh = updated_text(step, [("time=0.402 ms", 0)], {}, stamp, keep_samples=False)
    assert "time=0.402 ms  (glob: time=* ms)" in fresh


def test_trailing_blank_lines_of_output_do_not_count() -> None:
    step = parse("$ printf 'a\\n\\n\\n'\na\n")
    assert match_command(step.commands[0], "a\n\n\n", 0, {}).ok


def test_a_skipped_step_says_why_on_the_page() -> None:
    step = parse("#| requires: ipvs\n$ docker service create --name web busybox\n")
    record = StepRecord(
        "snippets/t/01.console",
        "node1",
        Status.SKIPPED,
        "ipvs: Error talking to the kernel",
        missing=("ipvs",),
    )
    markdown = render_snippet(step, {}, skipped=record)
    assert "Not verified on the test host" in markdown
    assert "Error talking to the kernel" in markdown


def test_samples_are_refreshed_together_when_any_is_stale() -> None:
    from macros.runner.update import samples_are_valid

    good = parse(f"$ docker network create n\n{NET}  (re: (?P<net>[0-9a-f]{{12}})[0-9a-f]{{52}})\n")
    uses = parse("$ docker network ls -q\n0123456789ab  (re: %{net})\n", "b.console")
    stale = parse("$ docker network ls -q\nx  (re: %{net})\n", "c.console")
    assert samples_are_valid([good, uses])
    assert not samples_are_valid([good, stale])
