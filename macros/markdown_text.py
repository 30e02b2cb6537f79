"""Text from outside the sources (a test report, an engine's message) placed into Markdown.

Such text is shown, never interpreted: HTML is escaped by ``html.escape``, Markdown's own
punctuation by a backslash (Python-Markdown's escapes), and line breaks become spaces, so a
reason holding ``<img onerror=...>`` or ``[x](javascript:...)`` renders as those characters.
"""

from __future__ import annotations

import html
import re

MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()!|])")
"""The characters that mean something inline (emphasis, code, links, images, attribute lists,
table cells); the text is never placed at the start of a line, where ``#``, ``-`` and
``1.`` would."""


def literal(text: object) -> str:
    """``text`` as inline Markdown that renders exactly as these characters."""
    flat = " ".join(str(text).splitlines())
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(flat, quote=False))
