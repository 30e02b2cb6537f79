"""A page's daemon configuration: ``daemon.json`` files next to its steps.

A page whose steps need daemon-level settings (``bip``, ``mtu``, ``dns``,
``default-address-pools``...) puts them in its snippet folder:

- ``snippets/<page>/daemon.json``: the lab starts every node's engine with it;
- ``snippets/<page>/daemon.<host>.json`` (e.g. ``daemon.node2.json``): merged over it, key by
  key, for that node only.

The lab writes the merged object as the node's ``/etc/docker/daemon.json``, where a reader's
engine reads it too, so a step can show it with ``cat /etc/docker/daemon.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..paths import ROOT, relative
from .errors import SnippetError
from .model import Snippet

PER_HOST = re.compile(r"daemon\.(?P<host>node[1-9])\.json")


def page_folder(steps: list[Snippet]) -> Path | None:
    """The snippet folder of a page's steps (the folder of its first step)."""
    return (ROOT / steps[0].path).parent if steps else None


def config_files(folder: Path | None) -> list[Path]:
    """The daemon configuration files in ``folder``: ``daemon.json`` and every
    ``daemon.<host>.json`` (a misnamed one included: ``daemon_configs`` refuses it)."""
    if folder is None or not folder.is_dir():
        return []
    return sorted({*folder.glob("daemon.json"), *folder.glob("daemon.*.json")})


def page_config_files(steps: list[Snippet]) -> list[Path]:
    """The daemon configuration files of the page made of ``steps`` (see ``config_files``)."""
    return config_files(page_folder(steps))


def read_config(path: Path) -> dict[str, Any]:
    """One ``daemon.json`` file: a JSON object, or a ``file:line: message``."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise SnippetError(relative(path), error.lineno, f"not valid JSON: {error.msg}") from None
    if not isinstance(value, dict):
        raise SnippetError(relative(path), 1, "a daemon configuration must be a JSON object")
    return value


def daemon_configs(folder: Path | None, nodes: list[str]) -> dict[str, dict[str, Any]]:
    """The configuration of each of ``nodes`` that ``folder`` asks for (only nodes with one).

    A ``daemon.<host>.json`` for a node the lab does not have is an error, not ignored.
    """
    files = config_files(folder)
    shared = next((read_config(path) for path in files if path.name == "daemon.json"), {})
    own: dict[str, dict[str, Any]] = {}
    for path in files:
        if path.name == "daemon.json":
            continue
        found = PER_HOST.fullmatch(path.name)
        if not found:
            raise SnippetError(relative(path), 1, "name it daemon.json or daemon.nodeN.json")
        if found["host"] not in nodes:
            raise SnippetError(
                relative(path), 1, f"the page's lab has no {found['host']} ({', '.join(nodes)})"
            )
        own[found["host"]] = read_config(path)
    configs = {node: shared | own.get(node, {}) for node in nodes}
    return {node: config for node, config in configs.items() if config}
