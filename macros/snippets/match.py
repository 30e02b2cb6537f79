"""Compare what a command printed with what its snippet expects."""

from __future__ import annotations

import difflib
import fnmatch
import re
from dataclasses import dataclass, field

from .errors import SnippetError
from .model import CAPTURE_REF, Command, ExpectedLine
from .patterns import PatternTimeout, fullmatch


class MissingCapture(KeyError):
    """A ``%{name}`` whose capture this run never made (its step was skipped or failed)."""

    def __str__(self) -> str:
        return (
            f"capture %{{{self.args[0]}}} was not made in this run "
            "(the step that captures it was skipped or its output did not match)"
        )


@dataclass
class MatchResult:
    """The outcome of one command: ok or a readable diff, plus the captures it made."""

    ok: bool
    captures: dict[str, str] = field(default_factory=dict)
    diff: str = ""


def fill_references(text: str, captures: dict[str, str], escape: bool = False) -> str:
    """Replace ``%{name}`` with the captured value (regex-escaped when ``escape``)."""

    def value(match: re.Match[str]) -> str:
        if match[1] not in captures:
            raise MissingCapture(match[1])
        captured = captures[match[1]]
        return re.escape(captured) if escape else captured

    return CAPTURE_REF.sub(value, text)


def output_lines(output: str) -> list[str]:
    """A command's output lines without trailing whitespace or trailing blank lines.

    Neither shows on a page, and editors strip them from snippet files.
    """
    lines = [line.rstrip() for line in output.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def match_line(expected: ExpectedLine, actual: str, captures: dict[str, str]) -> dict | None:
    """Return the captures this line makes if it matches ``actual``, else ``None``.

    A regex that takes too long raises ``SnippetError`` naming its line.
    """
    if expected.kind == "literal":
        return {} if fill_references(expected.sample, captures).rstrip() == actual else None
    if expected.kind == "glob":
        pattern = fill_references(expected.pattern, captures)
        return {} if fnmatch.fnmatchcase(actual, pattern) else None
    try:
        found = fullmatch(fill_references(expected.pattern, captures, escape=True), actual)
    except PatternTimeout as error:
        location = expected.location
        raise SnippetError(location.path, location.line, str(error)) from None
    if found is None:
        return None
    return {name: value for name, value in found.groupdict().items() if value is not None}


def match_command(
    command: Command, output: str, exit_status: int, captures: dict[str, str]
) -> MatchResult:
    """Match every line one to one, and the exit status; diff against the expectation."""
    actual = output_lines(output)
    made: dict[str, str] = {}
    shown: list[str] = []
    ok = len(actual) == len(command.expected)
    for index, expected in enumerate(command.expected):
        line = actual[index] if index < len(actual) else None
        found = None if line is None else match_line(expected, line, captures | made)
        if found is None:
            ok = False
            shown.append(expected.to_text())
        else:
            made.update(found)
            shown.append(line)
    ok = ok and exit_status == command.exit_status
    if ok:
        return MatchResult(True, made)
    expected_text = [*shown, *([f"[{command.exit_status}]"] if command.exit_status else [])]
    actual_text = [*actual, *([f"[{exit_status}]"] if exit_status else [])]
    diff = "\n".join(
        difflib.unified_diff(
            expected_text, actual_text, "expected", "actual", lineterm="", n=len(actual) + 5
        )
    )
    return MatchResult(False, made, f"$ {command.text}\n{diff}")
