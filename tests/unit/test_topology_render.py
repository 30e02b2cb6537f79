"""Rendering: self-contained, byte-stable SVGs, alt text, and the content-hash cache.

These tests need Graphviz's ``dot``. They fail (not skip) without it: provisioning
(scripts/provision.sh) installs it, and a silently skipped renderer would ship broken pages.
"""

from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from topology_fixtures import FIXTURE, RICH

from macros.topology import render
from macros.topology.describe import alt_text, caption
from macros.topology.model import Topology
from macros.topology.render import GraphvizMissing, render_cached, render_svg, spec_hash
from macros.topology.specs import SPECS, get_spec

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _needs_dot() -> None:
    if shutil.which("dot") is None:
        pytest.fail("Graphviz 'dot' is not installed: run scripts/provision.sh (apt graphviz)")


@pytest.fixture(scope="module")
def fixture_svg() -> bytes:
    return render_svg(FIXTURE)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_spec_renders_self_contained(name: str) -> None:
    svg = render_svg(get_spec(name)).decode()
    assert "file:" not in svg
    assert 'xlink:href="/' not in svg and 'href="/' not in svg
    assert "<image" in svg and "data:image/png;base64," in svg
    assert "<!--" not in svg
    assert str(Path.home()) not in svg and "/tmp" not in svg and "site-packages" not in svg


def test_svg_is_well_formed_and_every_icon_reference_resolves(fixture_svg: bytes) -> None:
    root = ET.fromstring(fixture_svg)
    xlink = "{http://www.w3.org/1999/xlink}href"
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    uses = [el.get(xlink) for el in root.iter(f"{SVG}use")]
    assert len(uses) == 6  # 2 networks + 4 containers
    assert all(ref and ref[1:] in ids for ref in uses)
    assert {ref for ref in uses} == {"#icon-docker", "#icon-cisco-switch-l2"}


def test_same_spec_gives_the_same_bytes(fixture_svg: bytes) -> None:
    assert render_svg(FIXTURE) == fixture_svg
    assert render_svg(RICH) == render_svg(RICH)


def test_labels_and_sizes_are_legible(fixture_svg: bytes) -> None:
    svg = fixture_svg.decode()
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes and min(sizes) >= 13
    width = float(re.search(r'<svg width="([\d.]+)pt"', svg)[1])  # type: ignore[index]
    assert width <= 760, "the fixture diagram should fit a ~700 px column without shrinking"
    assert len(fixture_svg) < 150_000
    texts = [el.text or "" for el in ET.fromstring(fixture_svg).iter(f"{SVG}text")]
    for text in (
        "shop-net",
        "10.10.0.0/24",
        "10.10.0.3",
        "172.17.0.2",
        "old2",
        "(by name)",
    ):
        assert any(text in shown for shown in texts), text


def test_every_kind_of_node_renders(tmp_path: Path) -> None:
    svg = html.unescape(render_svg(RICH).decode())
    for text in ("laptop", "api", "monitor", "--network host", "node1 · 192.168.50.11", "proxy"):
        assert text in svg
    assert "ingress" not in svg  # an unused predefined network is not drawn
    assert len(svg) < 150_000


def test_alt_text_mentions_every_network_and_container() -> None:
    for spec in [*SPECS.values(), RICH]:
        text = alt_text(spec)
        assert text.endswith(".") and "\n" not in text and "[" not in text
        for network in spec.networks:
            assert network.name in text and network.driver in text
            if network.subnet:
                assert network.subnet in text
        for container in spec.containers:
            assert container.name in text
            for attachment in container.attachments:
                if attachment.ipv4:
                    assert f"{container.name} ({attachment.ipv4})" in text
    bridge = alt_text(FIXTURE)
    assert "network shop-net (bridge, 10.10.0.0/24) with front1 (10.10.0.2) and front2" in bridge


def test_caption_is_title_and_description() -> None:
    spec = FIXTURE
    assert caption(spec).startswith("A shop network next to the default bridge. ")
    assert caption(RICH) == "Every kind of node"


def test_cache_hit_on_the_second_call(tmp_path: Path) -> None:
    spec = FIXTURE
    path, hit = render_cached(spec, tmp_path / "cache")
    assert (path.name, hit) == (f"fixture-{spec_hash(spec)}.svg", False)
    assert path.read_bytes() == render_svg(spec)
    again, hit = render_cached(spec, tmp_path / "cache")
    assert (again, hit) == (path, True)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp files left


def test_hash_follows_the_spec_and_stale_renderings_are_pruned(tmp_path: Path) -> None:
    spec = FIXTURE
    assert re.fullmatch(r"[0-9a-f]{12}", spec_hash(spec))
    changed = Topology(**{**spec.__dict__, "title": "Another title"})
    assert spec_hash(changed) != spec_hash(spec)
    old, _ = render_cached(spec, tmp_path)
    other, _ = render_cached(RICH, tmp_path)
    new, hit = render_cached(changed, tmp_path)
    assert not hit and new != old
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([new.name, other.name])


def test_missing_dot_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda _: None)
    with pytest.raises(GraphvizMissing, match="Graphviz 'dot' is not on PATH"):
        render_svg(FIXTURE)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_site_diagram_is_legible_in_the_content_column(name: str) -> None:
    """Scaled into a 760 px column, the smallest label is still at least 11 px tall."""
    svg = render_svg(SPECS[name]).decode()
    width_px = float(re.search(r'<svg[^>]*width="([\d.]+)pt"', svg)[1]) * 96 / 72
    smallest_pt = min(float(size) for size in re.findall(r'font-size="([\d.]+)"', svg))
    displayed = smallest_pt * 96 / 72 * min(1.0, 760 / width_px)
    assert displayed >= 11, f"{name}: smallest label {displayed:.1f} px in a 760 px column"
