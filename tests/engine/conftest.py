"""Fixtures for tests that need real Docker engines: capabilities and the run report."""

from __future__ import annotations

import os

import pytest

from macros.runner.page import Capability


@pytest.fixture(scope="session")
def capabilities() -> dict[str, Capability]:
    """What this kernel can do, probed once; printed at the start of the run."""
    from macros.lab.probes import probe_all

    return {name: Capability(probe.ok, probe.detail) for name, probe in probe_all().items()}


def pytest_report_header(config: pytest.Config) -> list[str]:
    if os.geteuid() != 0:
        return ["capability probes: not root, engine tests will fail"]
    from macros.lab.probes import format_table, probe_all

    return ["capability probes:", *format_table(probe_all()).splitlines()]
