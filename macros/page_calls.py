"""A page's macro calls, read from Jinja's own parse tree.

The one reading of a page that the site, the runner and the Jinja guard share. A page is
prose plus ``{{ macro("plain string", key="plain string") }}`` calls of the site's macros,
and nothing else: no statements (``{% %}``), no variables, attributes, filters or calls
inside expressions. Anything else is refused with the file and line, so a page cannot run
code at build time, and a call the site renders is always a call the runner sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError, nodes

from .snippets.errors import SnippetError

MACROS: dict[str, tuple[str, ...]] = {
    "snippet": ("target",),
    "topology": ("name",),
    "verification_table": (),
    "site_outline": (),
}
"""Every macro a page may call, with its parameters (all strings) in order."""

EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{\{.*|\{%.*")
RAW_HINT = (
    "a Go template would be eaten by Jinja: put the command in snippets/ or wrap it in "
    "{% raw %}...{% endraw %}"
)


@dataclass(frozen=True)
class MacroCall:
    """One macro call on a page: its name, its arguments in parameter order, its line."""

    name: str
    arguments: tuple[str, ...]
    line: int


class _Refused(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def page_calls(source: Path | str, text: str) -> list[MacroCall]:
    """The macro calls in ``text`` (the page ``source``), in reading order.

    Raises ``SnippetError`` naming the line of the first thing that is not a plain call.
    """
    try:
        return _calls(text)
    except TemplateSyntaxError as error:
        line = error.lineno or 1
        raise SnippetError(source, line, _refusal(text, line, error.message or "")) from None
    except _Refused as refused:
        message = _refusal(text, refused.line, refused.reason)
        raise SnippetError(source, refused.line, message) from None


def _calls(text: str) -> list[MacroCall]:
    calls: list[MacroCall] = []
    for statement in Environment().parse(text).body:
        if not isinstance(statement, nodes.Output):
            kind = type(statement).__name__.lower()
            raise _Refused(statement.lineno, f"{{% {kind} %}} statement")
        for node in statement.nodes:
            if not isinstance(node, nodes.TemplateData):
                calls.append(_macro_call(node))
    return calls


def _macro_call(node: nodes.Node) -> MacroCall:
    if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name)):
        raise _Refused(node.lineno, f"{type(node).__name__.lower()} expression")
    name = node.node.name
    if name not in MACROS:
        raise _Refused(node.lineno, f"{name}() is not a site macro")
    if node.dyn_args or node.dyn_kwargs:
        raise _Refused(node.lineno, f"{name}() called with *args or **kwargs")
    parameters = MACROS[name]
    if len(node.args) > len(parameters):
        raise _Refused(node.lineno, f"{name}() takes {len(parameters)} argument(s)")
    given = list(zip(parameters, node.args, strict=False))
    for keyword in node.kwargs:
        if keyword.key not in parameters:
            raise _Refused(node.lineno, f"{name}() has no argument {keyword.key!r}")
        given.append((keyword.key, keyword.value))
    values: dict[str, str] = {}
    for key, value in given:
        if key in values:
            raise _Refused(node.lineno, f"{name}() got {key!r} twice")
        if not (isinstance(value, nodes.Const) and isinstance(value.value, str)):
            raise _Refused(node.lineno, f"{name}({key}=...) is not a plain string")
        values[key] = value.value
    missing = [key for key in parameters if key not in values]
    if missing:
        raise _Refused(node.lineno, f"{name}() needs {', '.join(missing)}")
    return MacroCall(name, tuple(values[key] for key in parameters), node.lineno)


def _refusal(text: str, line: int, reason: str) -> str:
    """The message for a refused line: what is on it, why, and what is allowed."""
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    found = _first_refused_expression(source)
    shown = repr(found) if found else "this line"
    allowed = ", ".join(f"{name}()" for name in sorted(MACROS))
    return (
        f"{shown} is not a call to a site macro ({allowed}) with plain string arguments "
        f"({reason}); {RAW_HINT}"
    )


def _first_refused_expression(line: str) -> str:
    """The first ``{{ }}`` or ``{% %}`` on ``line`` that is not a plain macro call."""
    for found in EXPRESSION.finditer(line):
        try:
            _calls(found[0])
        except (TemplateSyntaxError, _Refused):
            return found[0]
    return ""


def page_prose(source: Path | str, text: str) -> str:
    """The page's Markdown with its macro calls left out (raw blocks kept as their text).

    Read from the parse tree, never by running Jinja: the page is checked first.
    """
    page_calls(source, text)
    return "".join(
        node.data
        for statement in Environment().parse(text).body
        for node in getattr(statement, "nodes", ())
        if isinstance(node, nodes.TemplateData)
    )
