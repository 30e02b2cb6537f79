"""Read a snippet file (``.console``) into a :class:`Snippet`.

The format, in one example::

    #| timeout: 20
    $ docker network create --subnet 10.10.0.0/24 demo-net
    0f3c9d2e...  (re: (?P<net_id>[0-9a-f]{64}))
    $ docker exec legacy1 ping -c1 -W1 legacy2
    ping: bad address 'legacy2'
    [1]

``#|`` lines before the first command are directives, ``$`` starts a command, ``>``
continues it, every other line is expected output: literal unless it ends in
``(re: ...)`` or ``(glob: ...)`` after two spaces, in which case the text before it is the
sample a real run printed. ``[N]`` as the last output line is the expected exit status. An
output line that starts with ``\\`` is output whatever follows (the backslash is dropped), so
recorded output can never be read back as a command, a directive or an exit status.
"""

from __future__ import annotations

import re
from pathlib import Path

from .capabilities import CAPABILITIES, HOST_PATTERN
from .errors import SnippetError, read_source
from .model import ESCAPE, Command, ExpectedLine, Location, Snippet
from .patterns import check_regex

PATTERN_SUFFIX = re.compile(r"^(?P<sample>(?:.*\S)?) {2,}\((?P<kind>re|glob): (?P<pattern>.*)\)$")
"""A pattern line; the last marker on the line counts, so a sample may itself end like one."""
ONE_SPACE_MARKER = re.compile(r"^(?:.*\S)? ?\((?:re|glob): .*\)$")
EXIT_STATUS = re.compile(r"^\[(\d+)\]$")
DIRECTIVE = re.compile(r"^#\|\s*(?P<key>[a-z-]+)\s*(?::\s*(?P<value>.*?))?\s*$")
FLAG_DIRECTIVES = {"teardown"}
VALUE_DIRECTIVES = {"host", "requires", "timeout", "poll", "recorded"}
NEAR_MISS_DIRECTIVE = re.compile(
    rf"^#(?:\s+\||\s*(?:{'|'.join(sorted(FLAG_DIRECTIVES | VALUE_DIRECTIVES))})\s*(?::|$))"
)
"""``# | teardown``, ``#teardown``: meant as a directive, read as a comment."""


def parse_snippet(path: Path, text: str | None = None, name: str | None = None) -> Snippet:
    """Parse the snippet at ``path`` (or ``text``, reported as ``path``)."""
    if text is None:
        text = read_source(path, "snippet file")
    lines = text.splitlines()
    header, first_command = _split_header(path, lines)
    directives = _parse_directives(path, header)
    commands = _parse_commands(path, lines, first_command)
    if not commands:
        raise SnippetError(path, len(lines) or 1, "snippet has no command (a line starting '$ ')")
    return Snippet(
        path=path,
        name=name or path.stem,
        header=tuple(header),
        commands=tuple(commands),
        host=directives.get("host", "node1"),
        requires=tuple(directives.get("requires", ())),
        timeout=directives.get("timeout", 30.0),
        poll=directives.get("poll", 0.0),
        teardown=directives.get("teardown", False),
        recorded=directives.get("recorded", ""),
    )


def _split_header(path: Path, lines: list[str]) -> tuple[list[str], int]:
    for index, line in enumerate(lines):
        if line.startswith("$ ") or line == "$":
            return lines[:index], index
        if line.strip() and not line.startswith("#"):
            raise SnippetError(path, index + 1, f"output line before any command: {line!r}")
    return lines, len(lines)


def _parse_directives(path: Path, header: list[str]) -> dict:
    values: dict = {}
    seen: dict[str, int] = {}
    for number, line in enumerate(header, start=1):
        if not line.startswith("#|"):
            if NEAR_MISS_DIRECTIVE.match(line):
                raise SnippetError(
                    path,
                    number,
                    f"{line.strip()!r} looks like a directive but is read as a comment: "
                    "directives start with '#|' (no space between)",
                )
            continue
        match = DIRECTIVE.match(line)
        key = match["key"] if match else line[2:].strip()
        if not match or key not in FLAG_DIRECTIVES | VALUE_DIRECTIVES:
            known = ", ".join(sorted(FLAG_DIRECTIVES | VALUE_DIRECTIVES))
            raise SnippetError(path, number, f"unknown directive {key!r} (known: {known})")
        if key in seen:
            raise SnippetError(path, number, f"directive {key!r} given twice")
        seen[key] = number
        values[key] = _directive_value(path, number, key, match["value"])
    return values


def _directive_value(path: Path, number: int, key: str, value: str | None):
    if key in FLAG_DIRECTIVES:
        if value:
            raise SnippetError(path, number, f"directive {key!r} takes no value")
        return True
    if not value:
        raise SnippetError(path, number, f"directive {key!r} needs a value")
    if key == "host":
        if not re.fullmatch(HOST_PATTERN, value):
            raise SnippetError(
                path,
                number,
                f"unknown host target {value!r} (use node1..node9, client or rootless)",
            )
        return value
    if key == "requires":
        names = [part.strip() for part in value.split(",") if part.strip()]
        for capability in names:
            if capability not in CAPABILITIES:
                known = ", ".join(sorted(CAPABILITIES))
                raise SnippetError(
                    path, number, f"unknown capability {capability!r} (known: {known})"
                )
        return names
    if key in {"timeout", "poll"}:
        try:
            seconds = float(value.removesuffix("s"))
        except ValueError:
            seconds = -1.0
        if not 0 < seconds <= 600:
            raise SnippetError(path, number, f"{key} must be seconds in (0, 600], got {value!r}")
        return seconds
    return value


def _parse_commands(path: Path, lines: list[str], start: int) -> list[Command]:
    commands: list[Command] = []
    index = start
    while index < len(lines):
        first = index
        source = [lines[index]]
        index += 1
        while index < len(lines) and (lines[index].startswith("> ") or lines[index] == ">"):
            source.append(lines[index])
            index += 1
        body_start = index
        while index < len(lines) and not (lines[index].startswith("$ ") or lines[index] == "$"):
            index += 1
        commands.append(_parse_command(path, first, source, lines[body_start:index], body_start))
    return commands


def _parse_command(
    path: Path, first: int, source: list[str], body: list[str], body_start: int
) -> Command:
    text = "\n".join(line[2:] for line in source)
    if not text.strip():
        raise SnippetError(path, first + 1, "empty command")
    while body and not body[-1].strip():
        body = body[:-1]
    exit_status = 0
    if body and (status := EXIT_STATUS.match(body[-1])):
        exit_status = int(status[1])
        if exit_status > 255:
            number = body_start + len(body)
            raise SnippetError(path, number, f"exit status {body[-1]} is out of range (0..255)")
        body = body[:-1]
    expected = [
        _parse_expected(path, body_start + offset + 1, line) for offset, line in enumerate(body)
    ]
    return Command(
        text=text,
        source_lines=tuple(source),
        expected=tuple(expected),
        exit_status=exit_status,
        location=Location(path, first + 1),
    )


def _parse_expected(path: Path, number: int, line: str) -> ExpectedLine:
    location = Location(path, number)
    if line.startswith(ESCAPE):
        line = line[len(ESCAPE) :]
    elif line.startswith("#|"):
        raise SnippetError(
            path,
            number,
            "directive after a command: directives go before the first command "
            f"(output that starts with '#|' is written '{ESCAPE}#|...')",
        )
    elif EXIT_STATUS.match(line):
        raise SnippetError(path, number, "exit status [N] must be the last output line")
    match = PATTERN_SUFFIX.match(line)
    if not match:
        if ONE_SPACE_MARKER.match(line):
            raise SnippetError(
                path,
                number,
                "a pattern marker needs two spaces between the sample and '(re: ...)' or "
                "'(glob: ...)'",
            )
        return ExpectedLine("literal", line, line, location)
    kind, pattern = match["kind"], match["pattern"]
    if not pattern:
        raise SnippetError(path, number, f"empty {kind} pattern")
    if kind == "re":
        problem = check_regex(pattern)
        if problem:
            raise SnippetError(path, number, problem)
    elif pattern.count("[") != pattern.count("]"):
        raise SnippetError(path, number, f"malformed glob {pattern!r}: unbalanced brackets")
    return ExpectedLine(kind, match["sample"], pattern, location)
