"""The registry of topology specs, keyed by the name pages pass to ``topology()``."""

from __future__ import annotations

from ..model import Topology, TopologyError
from . import bridge

SPECS: dict[str, Topology] = {spec.name: spec for spec in (bridge.SPEC,)}


def get_spec(name: str) -> Topology:
    """The spec called ``name``; ``TopologyError`` listing the known names otherwise."""
    try:
        return SPECS[name]
    except KeyError:
        known = ", ".join(sorted(SPECS))
        raise TopologyError(f"unknown topology {name!r}; known: {known}") from None


__all__ = ["SPECS", "get_spec"]
