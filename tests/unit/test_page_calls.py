"""One page model: a page's macro calls read from Jinja's parse tree, and nothing else allowed."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from macros.jinja_guard import check_page
from macros.page_calls import MACROS, MacroCall, page_calls
from macros.paths import DOCS_DIR
from macros.snippets.errors import SnippetError
from macros.snippets.pages import page_includes, page_topologies


def test_calls_keyword_arguments_raw_blocks_and_comments() -> None:
    text = (
        "# t\n{{ snippet('a/b.console') }} and {{topology(name=\"x\")}}\n"
        "{% raw %}{{.Name}} {% if %}{% endraw %}\n{# a comment #}\n{{- site_outline() -}}\n"
    )
    assert page_calls("p.md", text) == [
        MacroCall("snippet", ("a/b.console",), 2),
        MacroCall("topology", ("x",), 2),
        MacroCall("site_outline", (), 5),
    ]


def test_runner_and_site_read_keyword_calls_alike(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text(
        '{{ topology(name="bridge") }}\n{{ snippet(target="bridge/01-create-network.console") }}\n'
    )
    assert [call.arguments for call in page_topologies(page)] == [("bridge",)]
    assert [include.target for include in page_includes(page)] == [
        "bridge/01-create-network.console"
    ]


def test_a_keyword_topology_is_compared_like_a_positional_one(tmp_path: Path) -> None:
    from macros.runner.verify import page_specs

    keyword, positional, unknown = (tmp_path / name for name in ("k.md", "p.md", "u.md"))
    keyword.write_text('# k\n\n{{ topology(name="bridge") }}\n')
    positional.write_text('# p\n\n{{ topology("bridge") }}\n')
    unknown.write_text('# u\n\n{{ topology(name="nope") }}\n')
    assert page_specs(keyword) == page_specs(positional) != []
    with pytest.raises(SnippetError, match=r"u.md:3: unknown topology 'nope'"):
        page_specs(unknown)


def test_the_site_defines_exactly_the_macros_the_page_model_knows() -> None:
    from macros.site import register

    class Env:
        def __init__(self) -> None:
            self.macros: dict = {}
            self.conf = {"docs_dir": str(DOCS_DIR)}

        def macro(self, function):
            self.macros[function.__name__] = function
            return function

    env = Env()
    register(env)
    assert {
        name: tuple(inspect.signature(function).parameters) for name, function in env.macros.items()
    } == MACROS


def test_every_page_of_the_site_reads_cleanly() -> None:
    pages = sorted(DOCS_DIR.rglob("*.md"))
    assert pages
    for page in pages:
        check_page(page, page.read_text(encoding="utf-8"))


REFUSED = [
    ("a\n{{.Name}}\n", 2, "'{{.Name}}' is not a call to a site macro"),
    ("Run `docker inspect -f '{{json .}}' web1`.\n", 1, "'{{json .}}'"),
    ("\n\n{{ range .Containers }}", 3, "'{{ range .Containers }}'"),
    ('x {{"literal"}}', 1, "const expression"),
    ("{{ undefined_thing }}", 1, "name expression"),
    ("{{ page.title }}", 1, "getattr expression"),
    ("{{ x | upper }}", 1, "filter expression"),
    ("{{ topology('bridge') | safe }}", 1, "filter expression"),
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", 1, "call expression"),
    ("{{ snippet('a' ~ 'b') }}", 1, "is not a plain string"),
    ("{{ snippet(1) }}", 1, "is not a plain string"),
    ("{{ snippet('x') + topology('y') }}", 1, "add expression"),
    ("{{ lipsum() }}", 1, "lipsum() is not a site macro"),
    ("{{ snippet() }}", 1, "snippet() needs target"),
    ("{{ snippet('a', 'b') }}", 1, "takes 1 argument"),
    ("{{ snippet(path='a') }}", 1, "has no argument 'path'"),
    ("{{ snippet('a', target='b') }}", 1, "got 'target' twice"),
    ("{{ snippet(*names) }}", 1, "*args or **kwargs"),
    ("text\n{% if x %}y{% endif %}", 2, "'{% if x %}'"),
    ("{% set x = 1 %}", 1, "{% assign %} statement"),
    ("{% include 'secrets.md' %}", 1, "{% include %} statement"),
    ("{% for i in range(9) %}x{% endfor %}", 1, "{% for %} statement"),
    ("prose with {% %} in it\n", 1, "'{% %}'"),
    ("{% raw %}never closed\n", 1, "is not a call to a site macro"),
]


@pytest.mark.parametrize(("text", "line", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_anything_but_a_macro_call_is_refused_with_file_and_line(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(SnippetError) as error:
        check_page("docs/p.md", text)
    assert str(error.value).startswith(f"docs/p.md:{line}: ")
    assert message in str(error.value)
