"""The mkdocs-macros entry point: ``snippet()`` and ``topology()`` for the pages.

Kept thin on purpose: parsing, rendering and diagrams live in plain modules so they do not
depend on the site generator.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any


def _reload_project_modules() -> None:
    """Let ``mkdocs serve`` pick up edits: drop cached ``macros.*`` submodules."""
    for name in [name for name in sys.modules if name.startswith("macros.")]:
        del sys.modules[name]


def define_env(env: Any) -> None:
    """Register the macros (called by mkdocs-macros on every build)."""
    _reload_project_modules()
    site = importlib.import_module("macros.site")
    site.register(env)


def on_pre_page_macros(env: Any) -> None:
    """Before Jinja runs on a page, refuse ``{{ }}`` that is not a macro call."""
    guard = importlib.import_module("macros.jinja_guard")
    site = importlib.import_module("macros.site")
    guard.check_expressions(env.page.file.src_uri, env.markdown, site.MACROS)


def on_post_page_macros(env: Any) -> None:
    """After Jinja ran on a page, add its verification badge."""
    importlib.import_module("macros.site").add_badge(env)


def on_post_build(env: Any) -> None:
    """Say how many diagrams this build drew and how many came from the cache."""
    importlib.import_module("macros.site").log_diagram_stats()
