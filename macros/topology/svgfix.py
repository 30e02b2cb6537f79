"""Make Graphviz's SVG self-contained and byte-stable.

Graphviz links each icon by absolute file path, which an ``<img>``-embedded SVG never
loads. Each distinct PNG is embedded once as a ``data:`` URI inside a ``<symbol>`` and
every icon becomes a ``<use>`` of it, so a diagram with ten containers carries the Docker
icon once. Comments (tool version, title, node ids) are dropped.
"""

from __future__ import annotations

import base64
import re
import struct
from pathlib import Path

IMAGE = re.compile(
    r'<image xlink:href="(?P<href>[^"]+)" width="(?P<w>[\d.]+)(?:px)?" '
    r'height="(?P<h>[\d.]+)(?:px)?" preserveAspectRatio="(?P<par>[^"]+)" '
    r'x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)"/>'
)
COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
SVG_OPEN = re.compile(r"<svg\b[^>]*>\n?")


class SvgError(RuntimeError):
    """Graphviz produced an SVG this module does not know how to make self-contained."""


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SvgError("icon is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def make_self_contained(svg: str) -> str:
    """Inline every icon once, drop comments; raise ``SvgError`` if a file link remains."""
    symbols: dict[str, str] = {}
    defs: list[str] = []

    def use(match: re.Match[str]) -> str:
        href = match["href"]
        if href not in symbols:
            symbols[href] = _symbol_id(href, symbols.values())
            defs.append(_symbol(symbols[href], Path(href).read_bytes(), match["par"]))
        return (
            f'<use xlink:href="#{symbols[href]}" x="{match["x"]}" y="{match["y"]}" '
            f'width="{match["w"]}" height="{match["h"]}"/>'
        )

    svg = IMAGE.sub(use, COMMENT.sub("", svg))
    if "<image" in svg or "file:" in svg:
        raise SvgError("an image reference was left unresolved in the SVG")
    if defs:
        opening = SVG_OPEN.search(svg)
        if opening is None:
            raise SvgError("no <svg> element in Graphviz output")
        block = "<defs>\n" + "\n".join(defs) + "\n</defs>\n"
        svg = svg[: opening.end()] + block + svg[opening.end() :]
    return svg


def _symbol_id(href: str, taken: object) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", Path(href).stem.lower()).strip("-") or "icon"
    candidate, n = f"icon-{stem}", 1
    while candidate in taken:  # type: ignore[operator]
        n += 1
        candidate = f"icon-{stem}-{n}"
    return candidate


def _symbol(symbol_id: str, png: bytes, aspect: str) -> str:
    width, height = png_size(png)
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<symbol id="{symbol_id}" viewBox="0 0 {width} {height}" preserveAspectRatio="{aspect}">'
        f'<image width="{width}" height="{height}" xlink:href="data:image/png;base64,{data}"/>'
        "</symbol>"
    )
