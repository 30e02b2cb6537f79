"""Shared pytest options and fixtures."""

from __future__ import annotations

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
