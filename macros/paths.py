"""Where the project's sources live."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "docs"
SNIPPETS_DIR = ROOT / "snippets"
CACHE_DIR = ROOT / ".cache"


def relative(path: Path) -> Path:
    """``path`` relative to the project root when it is inside it, for messages."""
    try:
        return path.resolve().relative_to(ROOT)
    except ValueError:
        return path
