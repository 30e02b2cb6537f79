"""The mkdocs-macros entry point: ``snippet()`` and ``topology()`` for the pages.

Kept thin on purpose: parsing, rendering and diagrams live in plain modules so they do not
depend on the site generator. Each build's state is one ``SiteBuild``, made by ``define_env``
and kept on the plugin's ``env`` for the hooks below.
"""

from __future__ import annotations

from typing import Any

BUILD_ATTRIBUTE = "cnv_build"


def define_env(env: Any) -> None:
    """Register the macros (called by mkdocs-macros at the start of every build)."""
    from .site import register

    setattr(env, BUILD_ATTRIBUTE, register(env))


def on_pre_page_macros(env: Any) -> None:
    """Before Jinja runs on a page: refuse anything but macro calls and malformed "not
    verified here" notes, render every call."""
    getattr(env, BUILD_ATTRIBUTE).prepare(env.page)


def on_post_page_macros(env: Any) -> None:
    """After Jinja ran on a page, add its verification badge."""
    getattr(env, BUILD_ATTRIBUTE).add_badge()


def on_post_build(env: Any) -> None:
    """Say how many diagrams this build drew and how many came from the cache."""
    getattr(env, BUILD_ATTRIBUTE).log_diagram_stats()
