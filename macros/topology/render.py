"""Render a topology to a self-contained, byte-stable SVG, cached by content hash."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from .describe import alt_text, caption
from .draw import draw
from .model import Edge, Topology
from .svgfix import make_self_contained
from .verdicts import Verdict, verdict_key

RENDERER_VERSION = "2"
"""Bump to force every cached diagram to be redrawn (the renderer's sources count too)."""

_SOURCES = ("draw.py", "svgfix.py", "render.py")
Verdicts = Mapping[Edge, Verdict]


class GraphvizMissing(RuntimeError):
    """Graphviz's ``dot`` is not on PATH."""


def render_svg(topo: Topology, verdicts: Verdicts | None = None) -> bytes:
    """Draw ``topo`` and return the SVG: icons inlined, no file paths, same bytes every time.

    ``verdicts`` colours the traffic edges (see ``verdicts.edge_verdicts``).
    """
    if shutil.which("dot") is None:
        raise GraphvizMissing(
            "Graphviz 'dot' is not on PATH; install it with scripts/provision.sh "
            "(Debian: apt-get install graphviz)"
        )
    with tempfile.TemporaryDirectory(prefix="cnv-topology-") as tmp:
        svg = draw(topo, Path(tmp) / "topology", verdicts).read_text(encoding="utf-8")
    return make_self_contained(svg).encode("utf-8")


def spec_hash(topo: Topology, verdicts: Verdicts | None = None) -> str:
    """12 hex digits identifying the spec, its edges' verdicts and the renderer."""
    digest = hashlib.sha256()
    digest.update(f"{RENDERER_VERSION}\n{version('diagrams')}\n{topo!r}\n".encode())
    digest.update(verdict_key(verdicts or {}).encode())
    here = Path(__file__).parent
    for source in _SOURCES:
        digest.update((here / source).read_bytes())
    return digest.hexdigest()[:12]


def render_cached(
    topo: Topology, cache_dir: Path, verdicts: Verdicts | None = None
) -> tuple[Path, bool]:
    """``cache_dir/<name>-<hash>.svg`` and whether it was already there (a cache hit)."""
    target = cache_dir / f"{topo.name}-{spec_hash(topo, verdicts)}.svg"
    if target.is_file():
        return target, True
    svg = render_svg(topo, verdicts)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=cache_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(svg)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _prune(cache_dir, topo.name, keep=target)
    return target, False


def _prune(cache_dir: Path, name: str, keep: Path) -> None:
    """Remove older renderings of the same spec so the cache does not grow on every edit."""
    stale = re.compile(rf"^{re.escape(name)}-[0-9a-f]{{12}}\.svg$")
    for path in cache_dir.iterdir():
        if path != keep and stale.match(path.name):
            path.unlink(missing_ok=True)


__all__ = [
    "RENDERER_VERSION",
    "GraphvizMissing",
    "alt_text",
    "caption",
    "render_cached",
    "render_svg",
    "spec_hash",
]
