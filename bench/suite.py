"""Whole test suite wall time, split by phase: provisioning, engines, steps, browser, rest.

Runs ``scripts/provision.sh`` and then pytest once (as ``scripts/test`` does), and reads the
phases from pytest's JUnit XML and from the verification report that run wrote.
Usage: ``.venv/bin/python bench/suite.py [extra pytest args]``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.report import load_report  # noqa: E402


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.monotonic()
    subprocess.run(argv, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
    return time.monotonic() - start


def junit_seconds(path: Path) -> dict[str, float]:
    """Seconds per test file, from pytest's JUnit XML."""
    per_file: dict[str, float] = {}
    for case in ET.parse(path).iter("testcase"):
        name = case.get("classname", "").replace(".", "/")
        per_file[name] = per_file.get(name, 0.0) + float(case.get("time", 0))
    return per_file


def main() -> None:
    provisioning = timed(["bash", "scripts/provision.sh"])
    with tempfile.TemporaryDirectory() as tmp:
        junit, report_path = Path(tmp) / "junit.xml", Path(tmp) / "report.json"
        env = os.environ | {"CNV_REPORT": str(report_path)}
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        total = timed([*pytest, f"--junitxml={junit}", *sys.argv[1:]], env=env)
        files = junit_seconds(junit)
        report = load_report(report_path)
    pages = report.pages.values() if report else []
    engines = sum(page.lab_up + page.lab_down for page in pages)
    steps = sum(step.seconds for page in pages for step in page.steps)
    browser = sum(s for name, s in files.items() if "test_browser" in name)
    rest = total - engines - steps - browser
    whole = provisioning + total
    print(f"{'phase':<28}{'seconds':>9}{'share':>8}")
    for phase, seconds in [
        ("provisioning (warm)", provisioning),
        ("page engines up + down", engines),
        ("page steps", steps),
        ("browser tests", browser),
        ("everything else in pytest", rest),
    ]:
        print(f"{phase:<28}{seconds:>9.1f}{seconds / whole:>8.0%}")
    print(f"{'whole suite':<28}{whole:>9.1f}   (target < 900 s cold, provisioning warm < 600 s)")


if __name__ == "__main__":
    main()
