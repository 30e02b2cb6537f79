"""Diagrams are rendered once: a warm build draws nothing and publishes the same bytes."""

from __future__ import annotations

import re
from pathlib import Path


def test_warm_build_renders_zero_diagrams_and_identical_svgs(
    built_site: Path, build_site, tmp_path: Path
) -> None:
    result = build_site(tmp_path / "again")
    assert result.returncode == 0, result.stderr
    stats = re.search(r"diagrams: (\d+) rendered, (\d+) from cache", result.stderr)
    assert stats, result.stderr
    rendered, cached = map(int, stats.groups())
    assert rendered == 0 and cached >= 1
    first = {p.name: p.read_bytes() for p in (built_site / "assets/diagrams").glob("*.svg")}
    second = {p.name: p.read_bytes() for p in (tmp_path / "again/assets/diagrams").glob("*.svg")}
    assert first and first == second
