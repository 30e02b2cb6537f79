"""The one error type of the snippet engine: it always names a file and a line."""

from __future__ import annotations

from pathlib import Path


class SnippetError(Exception):
    """A problem in a snippet file or in the page that includes it."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}")
