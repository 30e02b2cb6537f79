"""Shared pytest hooks (the page-run plugin is loaded by ``addopts`` in pyproject.toml)."""

from __future__ import annotations

import os

import pytest

from macros.signals import Stopped, exit_status, stop_on_signals


def pytest_report_header(config: pytest.Config) -> list[str]:
    if os.geteuid() != 0:
        return ["capability probes: not root, engine tests will fail"]
    from macros.lab.probes import format_table, probe_all

    return ["capability probes:", *format_table(probe_all()).splitlines()]


class StopStatus:
    """Makes pytest's exit status say which signal stopped the run."""

    def __init__(self) -> None:
        self.stopped: Stopped | None = None

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        if isinstance(excinfo.value, Stopped):
            self.stopped = excinfo.value

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.stopped:
            session.exitstatus = exit_status(self.stopped)


def pytest_configure(config: pytest.Config) -> None:
    """SIGTERM and SIGHUP stop the run like Ctrl-C: fixtures and teardown steps run, labs come
    down, and the exit status is 128 + the signal."""
    stop_on_signals()
    config.pluginmanager.register(StopStatus(), "cnv-stop-status")
