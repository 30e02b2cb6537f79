"""Catch ``{{ ... }}`` in page prose that Jinja would evaluate but the author meant literally.

Docker's Go templates (``{{.Name}}``, ``{{json .}}``) look like Jinja expressions. In a
snippet they are safe (the macro's output is not rendered again); typed into a page they
are eaten or break the page. Every ``{{ }}`` in a page must call one of the site's macros.
"""

from __future__ import annotations

import re

from .snippets.errors import SnippetError

EXPRESSION = re.compile(r"\{\{-?(?P<body>.*?)-?\}\}", re.S)
RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.S)


def check_expressions(source: str, text: str, macros: set[str]) -> None:
    """Raise naming ``source`` and the line of the first expression that is not a macro call."""
    blanked = RAW_BLOCK.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)
    for found in EXPRESSION.finditer(blanked):
        call = re.match(r"\s*([A-Za-z_]\w*)\s*\(", found["body"])
        if call and call[1] in macros:
            continue
        line = blanked.count("\n", 0, found.start()) + 1
        raise SnippetError(
            source,
            line,
            f"{found[0]!r} is not a call to a site macro ({', '.join(sorted(macros))}); a Go "
            "template would be eaten by Jinja: put the command in snippets/ or wrap it "
            "in {% raw %}...{% endraw %}",
        )
