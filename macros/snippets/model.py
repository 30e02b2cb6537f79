"""The parsed form of a snippet file: one page step, its commands and what they print."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ESCAPE = "\\"
"""First on an output line: the rest is output, never a command, directive or exit status."""
SYNTAX_START = re.compile(r"^(?:[$>](?: |$)|#\||\\|\[\d+\]$)")
"""How a line starts when it would read as a command, continuation, directive, escape or
exit status."""
CAPTURE_REF = re.compile(r"%\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""A reference to a named capture, e.g. ``%{net_id}``, in a command or an expected line."""


@dataclass(frozen=True)
class Location:
    """A file and a 1-based line number, for error messages."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class ExpectedLine:
    """One line of expected output.

    ``kind`` is ``literal`` (compared as is, after capture references are filled in),
    ``re`` (a Python regular expression that must match the whole line; named groups
    become captures) or ``glob`` (``*`` and ``?`` wildcards). ``sample`` is the line a
    real run printed (taken as it is: capture references are filled in literal lines only);
    it is what the page shows, so readers never see pattern syntax.
    """

    kind: str
    sample: str
    pattern: str
    location: Location

    @property
    def is_pattern(self) -> bool:
        return self.kind != "literal"

    def to_text(self) -> str:
        """The line as it is written in the snippet file."""
        if self.kind == "literal":
            return escaped(self.sample)
        return escaped(f"{self.sample}  ({self.kind}: {self.pattern})")


def escaped(text: str) -> str:
    """``text`` as an output line of a snippet file: behind ``ESCAPE`` if it starts like syntax."""
    return ESCAPE + text if SYNTAX_START.match(text) else text


@dataclass(frozen=True)
class Command:
    """A shell command (possibly continued over several ``>`` lines) and its expectation."""

    text: str
    source_lines: tuple[str, ...]
    expected: tuple[ExpectedLine, ...]
    exit_status: int
    location: Location


@dataclass(frozen=True)
class Snippet:
    """One step of a page: the unit that is both included by the page and run by the tests."""

    path: Path
    name: str
    header: tuple[str, ...]
    commands: tuple[Command, ...]
    host: str = "node1"
    requires: tuple[str, ...] = ()
    timeout: float = 30.0
    poll: float = 0.0
    teardown: bool = False
    recorded: str = ""
