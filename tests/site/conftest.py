"""Build the site once per test session, strictly, into a temporary folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from macros.paths import ROOT


def mkdocs_build(site_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` the way a reader would."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def build_site():
    """``mkdocs build --strict`` into a given folder, for tests that build more than once."""
    return mkdocs_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    result = mkdocs_build(site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir
