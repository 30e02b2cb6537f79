"""The update mode: rewrite a snippet's expected output from a real run.

Commands and directives stay as written. For every command the real output replaces the
expected lines, except that a pattern or capture line which matches a real line is kept
(with that real line as its new sample), so captures and patterns survive updates.
"""

from __future__ import annotations

import difflib
import re

from .match import match_line, output_lines
from .model import CAPTURE_REF, Command, ExpectedLine, Snippet, escaped
from .parse import ONE_SPACE_MARKER, PATTERN_SUFFIX


def updated_text(
    step: Snippet,
    outputs: list[tuple[str, int]],
    captures: dict[str, str],
    recorded: str,
    keep_samples: bool = False,
) -> str:
    """The new file text; ``outputs`` holds (output, exit status) per command run.

    With ``keep_samples`` (the page's recorded samples are all still valid and consistent)
    matched pattern lines keep their sample, so reruns do not churn; otherwise every sample
    is taken from this run, so all samples on a page always come from one and the same run.
    """
    header = [line for line in step.header if not line.startswith("#| recorded:")]
    lines = [*header[: _directive_end(header)], f"#| recorded: {recorded}"]
    lines += header[_directive_end(header) :]
    known = dict(captures)
    for index, command in enumerate(step.commands):
        lines += command.source_lines
        if index >= len(outputs):
            lines += [line.to_text() for line in command.expected]
            lines += [f"[{command.exit_status}]"] if command.exit_status else []
            continue
        output, status = outputs[index]
        lines += _updated_output(command, output_lines(output), known, keep_samples)
        lines += [f"[{status}]"] if status else []
    return "\n".join(lines) + "\n"


def unified_diff(old: str, new: str, name: str) -> str:
    """A unified diff between two versions of a snippet file."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), name, name
        )
    )


def _directive_end(header: list[str]) -> int:
    index = 0
    while index < len(header) and header[index].startswith("#|"):
        index += 1
    return index


def _updated_output(
    command: Command, actual: list[str], captures: dict[str, str], keep_samples: bool
) -> list[str]:
    """Align greedily: each real line keeps the next expected pattern line it matches."""
    result: list[str] = []
    pointer = 0
    for line in actual:
        for candidate in range(pointer, len(command.expected)):
            expected = command.expected[candidate]
            found = match_line(expected, line, captures)
            if found is not None and _is_managed(expected):
                captures.update(found)
                result.append(_kept(expected, line, keep_samples))
                pointer = candidate + 1
                break
        else:
            result.append(recorded_line(line))
    return result


def recorded_line(line: str) -> str:
    """A real output line as the update mode writes it, so it reads back as exactly itself.

    A line that starts like syntax goes behind the escape; one that ends like a pattern
    marker or holds a ``%{name}`` becomes a regex line matching exactly that text.
    """
    if PATTERN_SUFFIX.match(line) or ONE_SPACE_MARKER.match(line) or CAPTURE_REF.search(line):
        return escaped(f"{line}  (re: {re.escape(line)})")
    return escaped(line)


def _kept(expected: ExpectedLine, actual: str, keep_sample: bool) -> str:
    """A matched line as it stays in the file, with its old sample or the real line."""
    if not expected.is_pattern or keep_sample:
        return expected.to_text()
    return ExpectedLine(expected.kind, actual, expected.pattern, expected.location).to_text()


def _is_managed(expected: ExpectedLine) -> bool:
    """Lines the update keeps: patterns, and literal lines that refer to a capture."""
    return expected.is_pattern or "%{" in expected.sample
