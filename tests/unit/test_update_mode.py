"""The update mode and the report, end to end through pytest itself (``pytester``).

Each inner session runs two small "pages" on plain bash and hands them to the page plugin,
exactly as ``tests/engine/test_pages.py`` hands over the engine runs.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

INNER_TESTS = """
from pathlib import Path

import pytest

from macros.runner.page import PageRun
from macros.runner.verify import PageVerification
from macros.snippets.parse import parse_snippet

HERE = Path(__file__).parent


class Bash:
    def shell_argv(self):
        return ["bash", "--noprofile", "--norc"]


@pytest.mark.parametrize("page", ["demo", "other"])
def test_page(page, finished_pages, update_snippets):
    paths = sorted((HERE / "snippets" / page).glob("*.console"))
    steps = [parse_snippet(path, path.read_text()) for path in paths]
    run = PageRun(steps, {"node1": Bash()}, update=update_snippets)
    run.run()
    finished_pages.append(PageVerification(HERE / f"{page}.md", run, "test-engine"))
    assert all(result.status.verified for result in run.results), run.results
"""

STALE = "$ echo hello; echo id-42\nstale sample\nid-7  (re: id-(?P<num>\\d+))\n"
USES_CAPTURE = "#| recorded: Docker Engine 27.0.0, 2020-01-01\n$ echo got-%{num}\ngot-%{num}\n"
UNSTAMPED = "$ echo ok\nok\n"


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """Two pages of snippets, the inner test module, and a report of their own."""
    pytester.makepyfile(test_inner=INNER_TESTS)
    for page, texts in {"demo": [STALE, USES_CAPTURE], "other": [UNSTAMPED]}.items():
        folder = pytester.path / "snippets" / page
        folder.mkdir(parents=True)
        for number, text in enumerate(texts, start=1):
            (folder / f"0{number}-step.console").write_text(text)
    monkeypatch.setenv("CNV_REPORT", str(pytester.path / "report.json"))
    return pytester


def report_pages(project: pytest.Pytester) -> dict[str, dict]:
    raw = json.loads((project.path / "report.json").read_text())
    return {Path(name).stem: page for name, page in raw["pages"].items()}


def test_a_stale_sample_is_rewritten_keeping_patterns_and_captures(project) -> None:
    result = project.runpytest("-p", "macros.runner.pytest_plugin", "--update-snippets")
    result.assert_outcomes(passed=2)
    first = (project.path / "snippets" / "demo" / "01-step.console").read_text()
    assert first.splitlines()[1:] == [
        "$ echo hello; echo id-42",
        "hello",
        r"id-7  (re: id-(?P<num>\d+))",
    ]
    assert first.startswith("#| recorded: Docker Engine test-engine, ")
    second = (project.path / "snippets" / "demo" / "02-step.console").read_text()
    assert second == USES_CAPTURE  # matched and stamped already: the file stays as it was
    result.stdout.fnmatch_lines(["*= update mode =*", "-stale sample", "+hello"])
    never_stamped = (project.path / "snippets" / "other" / "01-step.console").read_text()
    assert never_stamped.startswith("#| recorded: Docker Engine test-engine, ")
    assert never_stamped.splitlines()[1:] == UNSTAMPED.splitlines()  # only the stamp added
    steps = report_pages(project)["demo"]["steps"]
    assert [step["status"] for step in steps] == ["updated", "passed"]


def test_a_rerun_that_matches_changes_no_file(project) -> None:
    project.runpytest("-p", "macros.runner.pytest_plugin", "--update-snippets")
    folder = project.path / "snippets"
    before = {path: path.read_text() for path in folder.rglob("*.console")}
    result = project.runpytest("-p", "macros.runner.pytest_plugin", "--update-snippets")
    result.assert_outcomes(passed=2)
    assert {path: path.read_text() for path in folder.rglob("*.console")} == before
    result.stdout.fnmatch_lines(["*other.md: snippets already match the real output"])


def test_a_partial_run_leaves_the_other_pages_dates(project) -> None:
    project.runpytest("-p", "macros.runner.pytest_plugin").assert_outcomes(passed=1, failed=1)
    report = project.path / "report.json"
    raw = json.loads(report.read_text())
    for page in raw["pages"].values():
        page["date"] = "2020-01-01"
    report.write_text(json.dumps(raw))
    project.runpytest("-p", "macros.runner.pytest_plugin", "-k", "other").assert_outcomes(passed=1)
    dates = {name: page["date"] for name, page in report_pages(project).items()}
    assert dates == {"demo": "2020-01-01", "other": datetime.date.today().isoformat()}
