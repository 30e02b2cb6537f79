"""The "not verified here" notes keep one form on every page."""

from __future__ import annotations

import pytest

from macros.notes import check_notes
from macros.snippets.errors import SnippetError

GOOD = """Text.

!!! not-verified "Engine 29: not verified here"
    What changes.

    Source: [moby/moby#50929](https://github.com/moby/moby/pull/50929)

More text.
"""


def test_a_well_formed_note_passes() -> None:
    check_notes("docs/p.md", GOOD)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (GOOD.replace(": not verified here", ""), 3, "needs a title"),
        (
            GOOD.replace("Source: [moby/moby#50929](https://github.com/moby/moby/pull/50929)", "x"),
            3,
            "needs a 'Source: [name](link)' line",
        ),
        ('a\n\n!!! note "Engine 29 changes this"\n    x\n', 3, 'must be a "!!! not-verified"'),
    ],
)
def test_malformed_notes_name_the_page_line(text: str, line: int, message: str) -> None:
    with pytest.raises(SnippetError) as error:
        check_notes("docs/p.md", text)
    assert str(error.value).startswith(f"docs/p.md:{line}: ")
    assert message in str(error.value)
