"""Snippet files: parse, match, render and update the steps a page shows and the tests run."""

from .errors import SnippetError
from .match import MatchResult, match_command
from .model import Command, ExpectedLine, Snippet
from .parse import parse_snippet

__all__ = [
    "Command",
    "ExpectedLine",
    "MatchResult",
    "Snippet",
    "SnippetError",
    "match_command",
    "parse_snippet",
]
