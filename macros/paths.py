"""Where the project's sources live."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def is_checkout(folder: Path) -> bool:
    """``folder`` holds the site's sources (``mkdocs.yml`` beside ``snippets/``)."""
    return (folder / "mkdocs.yml").is_file() and (folder / "snippets").is_dir()


def find_root() -> Path:
    """The checkout whose pages and snippets the commands use: ``$CNV_ROOT``, else the one this
    package lives in (a clone, an editable install), else the nearest one at or above the
    working directory (a normal install, ``cnv`` run inside a clone); else the package's
    parent folder, where nothing is found and the commands say so."""
    if os.environ.get("CNV_ROOT"):
        return Path(os.environ["CNV_ROOT"]).resolve()
    if is_checkout(PACKAGE_DIR.parent):
        return PACKAGE_DIR.parent
    here = Path.cwd().resolve()
    return next(
        (folder for folder in (here, *here.parents) if is_checkout(folder)), PACKAGE_DIR.parent
    )


ROOT = find_root()
DOCS_DIR = ROOT / "docs"
SNIPPETS_DIR = ROOT / "snippets"
CACHE_DIR = ROOT / ".cache"


def relative(path: Path) -> Path:
    """``path`` relative to the project root when it is inside it, for messages."""
    try:
        return path.resolve().relative_to(ROOT)
    except ValueError:
        return path
