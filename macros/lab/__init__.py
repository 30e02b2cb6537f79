"""Disposable Docker engines in network namespaces: the isolated lane of the snippet runner.

``Lab`` and ``LabHost`` (lab.py), ``cleanup_stale`` and ``residue`` (cleanup.py), ``probe_all``
(probes.py). Imported lazily, so ``python -m macros.lab.dns_sink`` starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Lab": "lab",
    "LabHost": "lab",
    "LabError": "lab",
    "cleanup_stale": "cleanup",
    "residue": "cleanup",
    "probe_all": "probes",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(name)
