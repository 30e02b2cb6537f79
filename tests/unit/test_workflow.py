"""The publishing workflow is valid, and every script it runs is one the tests run here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from macros.paths import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
LINT = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LINT, str(path)], capture_output=True, text=True, timeout=60)


def test_the_workflow_passes_the_linter() -> None:
    result = lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "site.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on:", "run-on:", 1))
    assert lint(broken).returncode != 0


@pytest.mark.parametrize("script", ["scripts/test", "scripts/build"])
def test_the_workflow_runs_the_projects_own_scripts(script: str) -> None:
    runs = [
        step["run"]
        for job in yaml.safe_load(WORKFLOW.read_text())["jobs"].values()
        for step in job["steps"]
        if "run" in step
    ]
    called = {match for run in runs for match in re.findall(r"scripts/\w+", run)}
    assert script in called
    assert called <= {"scripts/test", "scripts/build"}, called
    assert (ROOT / script).is_file()
