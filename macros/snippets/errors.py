"""The one error type of the snippet engine: it always names a file and a line."""

from __future__ import annotations

from pathlib import Path


class SnippetError(Exception):
    """A problem in a project source (a snippet, a page, a spec), named by file and line."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}")


def read_source(path: Path, what: str = "file", shown_as: Path | str | None = None) -> str:
    """The UTF-8 text of ``path``; a missing file or invalid UTF-8 is a ``SnippetError``."""
    shown = path if shown_as is None else shown_as
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SnippetError(shown, 1, f"{what} does not exist") from None
    except OSError as error:
        raise SnippetError(shown, 1, f"{what} cannot be read: {error.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise SnippetError(
            shown, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x} at column {column})"
        ) from None
