"""Fixtures for the lab tests: they need root and dockerd, and fail (not skip) without them."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator

import pytest

from macros.lab.cleanup import cleanup_stale, residue
from macros.lab.proc import PATH

PREFIX = os.environ.get("CNV_TEST_LAB_PREFIX", "cnvt")
"""The tests' own prefix, so a lab the runner has up at the same time does not count (another
value keeps a second test run on the same machine out of this one's residue checks)."""


def _assert_no_residue() -> None:
    left = residue(PREFIX)
    assert not any(left.values()), f"left behind: {left}"


@pytest.fixture(scope="session")
def lab_machine() -> Iterator[None]:
    """Refuse clearly when the lab cannot run here; clear leftovers of earlier runs."""
    if not sys.platform.startswith("linux"):
        pytest.fail(f"the lab tests need Linux, not {sys.platform}")
    if os.geteuid() != 0:
        pytest.fail("the lab tests need root (run scripts/test as root)")
    if not shutil.which("dockerd", path=f"{os.environ.get('PATH', '')}:{PATH}"):
        pytest.fail("no dockerd: run scripts/provision.sh first")
    cleanup_stale(PREFIX)
    yield
    _assert_no_residue()


@pytest.fixture
def prefix(lab_machine: None) -> str:
    """Name prefix of the tests' labs."""
    return PREFIX


@pytest.fixture
def assert_no_residue() -> Callable[[], None]:
    """Asserts that nothing of any lab of the tests' prefix is left on the machine."""
    return _assert_no_residue
