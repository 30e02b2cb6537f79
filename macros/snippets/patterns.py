"""Regular expressions from snippet files: checked when read, matched in bounded time.

The syntax is Python's (``re``); matching uses the ``regex`` library for its ``timeout``, so
a pattern that backtracks catastrophically fails its line after ``MATCH_TIMEOUT`` seconds
instead of hanging a build or a test run. ``regex`` expands counted repetitions when it
compiles, so ``(?:a{60000}){60000}`` would exhaust memory: the expanded size is measured on
``re``'s parse tree first and refused above ``MAX_EXPANDED``.
"""

from __future__ import annotations

import re
import re._parser as sre_parse

import regex

MATCH_TIMEOUT = 1.0
"""Seconds one pattern may take to match one output line."""
MAX_EXPANDED = 10_000
"""Largest pattern size after counted repetitions are expanded (``[0-9a-f]{64}`` is 64)."""


class PatternTimeout(Exception):
    """A pattern took longer than ``MATCH_TIMEOUT`` to match a line."""


def check_regex(pattern: str) -> str:
    """Why ``pattern`` cannot be used (an invalid regex, or one too large), or ``""``."""
    try:
        tree = sre_parse.parse(pattern)
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        return f"malformed regex {pattern!r}: {error}"
    size = _expanded_size(tree)
    if size > MAX_EXPANDED:
        return (
            f"regex {pattern!r} is too large: its repetitions expand to {size} items "
            f"(at most {MAX_EXPANDED})"
        )
    return ""


def fullmatch(pattern: str, line: str) -> regex.Match[str] | None:
    """``pattern`` matched against the whole of ``line``, in at most ``MATCH_TIMEOUT`` s."""
    try:
        return regex.fullmatch(pattern, line, timeout=MATCH_TIMEOUT)
    except TimeoutError:
        raise PatternTimeout(
            f"regex {pattern!r} took more than {MATCH_TIMEOUT:g} s to match {line[:80]!r}: "
            "it backtracks catastrophically (nested repetition like (a+)+); simplify it"
        ) from None


def _expanded_size(items: sre_parse.SubPattern | list) -> int:
    """How many items a parsed pattern has once counted repetitions are written out."""
    total = 0
    for op, value in items:
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT):
            low, high, inner = value
            count = max(low, 1) if high == sre_parse.MAXREPEAT else high
            total += count * _expanded_size(inner)
        else:
            nested = [part for part in _parts(value) if isinstance(part, sre_parse.SubPattern)]
            total += sum(_expanded_size(part) for part in nested) or 1
    return total


def _parts(value: object) -> list:
    if isinstance(value, sre_parse.SubPattern):
        return [value]
    if isinstance(value, tuple | list):
        return [part for item in value for part in _parts(item)]
    return []
