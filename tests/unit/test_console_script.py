"""``cnv`` from a normal (not editable) install finds the checkout it is run in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from macros.paths import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, built_wheel: Path) -> Path:
    """``pip install --target`` of the package's wheel (a normal, not editable, install)."""
    target = tmp_path_factory.mktemp("installed")
    argv = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    argv += ["--no-deps", "--target", str(target), str(built_wheel)]
    subprocess.run(argv, check=True, capture_output=True, timeout=300)
    return target


def cnv(installed: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    env.pop("CNV_ROOT", None)
    argv = [str(installed / "bin" / "cnv"), *args]
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_installed_package_is_the_one_that_runs(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    where = subprocess.run(
        [sys.executable, "-c", "import macros; print(macros.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(installed)), where


def test_cnv_inside_a_checkout_finds_its_pages(installed: Path) -> None:
    doctor = cnv(installed, "doctor", cwd=ROOT / "docs" / "networks")
    assert "networks/bridge.md:" in doctor.stdout, doctor.stdout + doctor.stderr


def test_cnv_outside_a_checkout_still_answers(installed: Path, tmp_path: Path) -> None:
    helped = cnv(installed, "--help", cwd=tmp_path)
    assert helped.returncode == 0
    assert "doctor" in helped.stdout and helped.stdout.startswith("usage: cnv")
    doctor = cnv(installed, "doctor", cwd=tmp_path)
    assert "networks/bridge.md" not in doctor.stdout
