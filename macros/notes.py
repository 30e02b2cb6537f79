"""Hold every "not verified here" note to one form, so readers can trust the label.

A claim the site cannot run (another engine version, Docker Desktop) goes in an admonition
of its own type, the same way on every page::

    !!! not-verified "Engine 29: not verified here"
        What changes, in a sentence or two.

        Source: [moby/moby#49981](https://github.com/moby/moby/pull/49981)

The title names what it is about and ends in ``: not verified here``; the body has a
``Source:`` line with at least one link. An admonition of another type whose title names
Engine 29 is refused, so the label cannot drift into plain notes.
"""

from __future__ import annotations

import re

from .snippets.errors import SnippetError

KIND = "not-verified"
TITLE_SUFFIX = ": not verified here"
ADMONITION = re.compile(r'^!!! (?P<kind>[\w-]+)(?: +"(?P<title>[^"]*)")?\s*$')
SOURCE_LINE = re.compile(r"^Source: .*\[[^\]]+\]\([^)]+\)")


def check_notes(source: str, text: str) -> None:
    """Raise naming ``source`` and the line of the first malformed not-verified note."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        found = ADMONITION.match(line)
        if not found:
            continue
        title = found["title"] or ""
        if found["kind"] != KIND:
            if "Engine 29" in title:
                raise SnippetError(
                    source, index + 1, f'a note about Engine 29 must be a "!!! {KIND}" note'
                )
            continue
        if not title.endswith(TITLE_SUFFIX) or len(title) == len(TITLE_SUFFIX):
            raise SnippetError(
                source,
                index + 1,
                f'a {KIND} note needs a title "<what>{TITLE_SUFFIX}", not {title!r}',
            )
        if not any(SOURCE_LINE.match(body.strip()) for body in _body(lines, index + 1)):
            raise SnippetError(
                source, index + 1, f"a {KIND} note needs a 'Source: [name](link)' line"
            )


def _body(lines: list[str], start: int) -> list[str]:
    """The indented (or blank) lines that follow an admonition line."""
    body: list[str] = []
    for line in lines[start:]:
        if line.strip() and not line.startswith("    "):
            break
        body.append(line)
    return body
