"""Go templates in page prose are refused before Jinja can eat them."""

from __future__ import annotations

import pytest

from macros.jinja_guard import check_expressions
from macros.snippets.errors import SnippetError

MACROS = {"snippet", "topology"}


def test_macro_calls_and_raw_blocks_pass() -> None:
    check_expressions(
        "p.md",
        "{{ snippet('a/b.console') }}\n{{topology(\"x\")}}\n{% raw %}{{.Name}}{% endraw %}\n",
        MACROS,
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [("a\n{{.Name}}\n", 2), ('x {{"literal"}}', 1), ("\n\n{{ range .Containers }}", 3)],
)
def test_other_expressions_name_file_and_line(text: str, line: int) -> None:
    with pytest.raises(SnippetError, match=rf"^docs/p.md:{line}: "):
        check_expressions("docs/p.md", text, MACROS)
