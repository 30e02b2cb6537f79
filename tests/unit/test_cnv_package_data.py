"""A built wheel ships every file the package reads besides its modules (``guest-init.sh``)."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from macros.paths import PACKAGE_DIR


def data_files() -> list[str]:
    """The package's files that are not Python modules, as a wheel names them."""
    return sorted(
        path.relative_to(PACKAGE_DIR.parent).as_posix()
        for path in PACKAGE_DIR.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    )


@pytest.fixture(scope="module")
def wheel(built_wheel: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(built_wheel)


def test_the_package_reads_guest_init_from_its_own_folder() -> None:
    from macros.uml.guest import INIT

    assert INIT.parent == PACKAGE_DIR / "uml" and INIT.is_file()
    assert "macros/uml/guest-init.sh" in data_files()


def test_the_wheel_ships_every_data_file(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    missing = [name for name in data_files() if name not in names]
    assert not missing, f"add them to [tool.setuptools.package-data] in pyproject.toml: {missing}"


def test_guest_init_stays_executable(wheel: zipfile.ZipFile) -> None:
    mode = wheel.getinfo("macros/uml/guest-init.sh").external_attr >> 16
    assert mode & stat.S_IXUSR, "the UML kernel runs it as init: it must be executable"
