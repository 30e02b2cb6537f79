"""Broken pages fail the strict build with a message naming the file and line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from macros.paths import ROOT

CONFIG = """\
site_name: broken
docs_dir: docs
strict: true
theme: {name: material, font: false}
plugins:
  - macros: {module_name: macros, on_error_fail: true, on_undefined: strict}
markdown_extensions: [attr_list, pymdownx.superfences, pymdownx.blocks.caption]
"""


def build(tmp_path: Path, page: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "macros").symlink_to(ROOT / "macros")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
        cwd=tmp_path,
        env=os.environ | {"PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            "# t\n\ntext\n\n{{ snippet('bridge/nope.console') }}\n",
            "index.md:5: included snippet 'bridge/nope.console' does not exist",
        ),
        ("# t\n\n{{ topology('nope') }}\n", "unknown topology 'nope'"),
        (
            "# t\n\n{{ snippet('bridge/01-create-network.console') }}\n"
            "{{ snippet('bridge/01-create-network.console') }}\n",
            "index.md:4: duplicate step name '01-create-network'",
        ),
        (
            "# t\n\nSome text.\n\n{{ undefined_thing }}\n",
            "index.md:5: '{{ undefined_thing }}' is not a call to a site macro",
        ),
        (
            "# t\n\nRun `docker inspect -f '{{.Name}}' web1`.\n",
            "index.md:3: '{{.Name}}' is not a call to a site macro",
        ),
        (
            "# t\n\nRun `docker inspect -f '{{json .}}' web1`.\n",
            "index.md:3: '{{json .}}' is not a call to a site macro",
        ),
    ],
    ids=[
        "missing-include",
        "unknown-topology",
        "duplicate-step",
        "jinja-undefined",
        "go-template-name",
        "go-template-json",
    ],
)
def test_broken_page_fails_the_build(tmp_path: Path, page: str, message: str) -> None:
    result = build(tmp_path, page)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
