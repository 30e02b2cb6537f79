"""Capability probes: every capability a page may need, probed quickly and functionally."""

from __future__ import annotations

from macros.lab.probes import format_table, probe_all
from macros.snippets.capabilities import CAPABILITIES


def test_probes_cover_every_capability() -> None:
    probe_all.cache_clear()
    probes = probe_all()
    assert set(CAPABILITIES) <= set(probes)
    table = format_table(probes)
    for name, probe in probes.items():
        assert probe.name == name
        assert name in table
        if not probe.ok:
            assert probe.detail and "(" in probe.detail, f"{name}: say why and what needs it"
    assert probe_all() is probes, "probes run once per process"
