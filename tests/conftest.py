"""Shared pytest options and fixtures."""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snippets",
        action="store_true",
        help="rerun page steps and rewrite the snippets' expected output from the real run",
    )


@pytest.fixture(scope="session")
def update_snippets(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snippets"))


def pytest_report_header(config: pytest.Config) -> list[str]:
    if os.geteuid() != 0:
        return ["capability probes: not root, engine tests will fail"]
    from macros.lab.probes import format_table, probe_all

    return ["capability probes:", *format_table(probe_all()).splitlines()]
