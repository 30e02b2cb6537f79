"""The registry of topology specs, keyed by the name pages pass to ``topology()``.

Every module in this package that defines ``SPEC`` is a spec; adding a page's spec is adding
its module, nothing to register by hand.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..model import Topology, TopologyError


def _discover() -> dict[str, Topology]:
    specs: dict[str, Topology] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        spec = getattr(importlib.import_module(f"{__name__}.{module.name}"), "SPEC", None)
        if spec is None:
            continue
        if spec.name in specs:
            raise TopologyError(f"topology {spec.name!r} is defined twice (in {module.name})")
        specs[spec.name] = spec
    return specs


SPECS: dict[str, Topology] = _discover()


def get_spec(name: str) -> Topology:
    """The spec called ``name``; ``TopologyError`` listing the known names otherwise."""
    try:
        return SPECS[name]
    except KeyError:
        known = ", ".join(sorted(SPECS))
        raise TopologyError(f"unknown topology {name!r}; known: {known}") from None


__all__ = ["SPECS", "get_spec"]
