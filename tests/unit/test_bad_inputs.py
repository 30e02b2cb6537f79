"""Every malformed input of the issue's list gets ``file:line: message``, never a traceback.

Snippets and pages go through ``load_page`` and ``sample_captures`` (what the build and the
runner do with them), specs through ``load_specs``, reports through ``load_report``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from macros.paths import ROOT
from macros.report import load_report
from macros.snippets import pages
from macros.snippets.errors import SnippetError
from macros.topology import specs as spec_registry

CATASTROPHIC = "a" * 40 + "  (re: (a|aa)+b)"

BAD_PAGES = {
    # name: ({snippet path: content}, page text, "file:line", message)
    "directive-after-command": (
        {"p/01.console": "$ true\n#| teardown\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "directive after a command",
    ),
    "near-miss-directive": (
        {"p/01.console": "# | teardown\n$ true\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:1",
        "looks like a directive but is read as a comment",
    ),
    "near-miss-directive-no-bar": (
        {"p/01.console": "#| host: node2\n#timeout: 5\n$ true\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "looks like a directive",
    ),
    "one-space-marker": (
        {"p/01.console": "$ docker ps\nUp 3 s (glob: Up * s)\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "needs two spaces",
    ),
    "exit-status-out-of-range": (
        {"p/01.console": "$ false\n[256]\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "exit status [256] is out of range",
    ),
    "invalid-regex": (
        {"p/01.console": "$ true\nx  (re: (?P<x>[a-z)\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "malformed regex",
    ),
    "huge-repetition": (
        {"p/01.console": "$ true\nx  (re: a{4294967296})\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "the repetition number is too large",
    ),
    "nested-repetition": (
        {"p/01.console": "$ true\nx  (re: (?:(?:a{100}){100}){100})\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "is too large: its repetitions expand to 1000000 items",
    ),
    "catastrophic-pattern": (
        {"p/01.console": f"$ true\n{CATASTROPHIC}\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "backtracks catastrophically",
    ),
    "invalid-utf8-snippet": (
        {"p/01.console": b"$ echo hi\nh\xe9\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "not valid UTF-8 (byte 0xe9 at column 2)",
    ),
    "capture-defined-twice": (
        {
            "p/01.console": "$ docker run -d a\nabc  (re: (?P<cid>[a-z]+))\n",
            "p/02.console": "$ docker run -d b\ndef  (re: (?P<cid>[a-z]+))\n",
        },
        "{{ snippet('p/01.console') }}\n{{ snippet('p/02.console') }}",
        "p/02.console:2",
        "capture %{cid} is defined twice (first at ",
    ),
    "capture-defined-twice-in-one-regex": (
        {"p/01.console": "$ true\nab  (re: (?P<x>a)(?P<x>b))\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "redefinition of group name 'x'",
    ),
    "capture-only-in-teardown": (
        {
            "p/01.console": "$ true\n",
            "p/99.console": "#| teardown\n$ docker ps -q\nabc  (re: (?P<cid>[a-z]+))\n",
        },
        "{{ snippet('p/01.console') }}\n{{ snippet('p/99.console') }}",
        "p/99.console:3",
        "capture %{cid} is made in a teardown step",
    ),
    "capture-used-before-defined": (
        {"p/01.console": "$ docker rm %{cid}\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:1",
        "capture %{cid} is used before it is defined",
    ),
    "stale-sample": (
        {"p/01.console": "$ docker run -d x\nnot-hex  (re: [0-9a-f]{64})\n"},
        "{{ snippet('p/01.console') }}",
        "p/01.console:2",
        "does not match its own re pattern",
    ),
    "path-escapes-snippets": (
        {},
        "text\n{{ snippet('../outside/secret.console') }}",
        "page.md:2",
        "must name a .console file inside snippets/",
    ),
    "absolute-path": (
        {},
        "{{ snippet('/etc/passwd') }}",
        "page.md:1",
        "must name a .console file inside snippets/",
    ),
    "not-a-console-file": (
        {"p/notes.txt": "$ true\n"},
        "{{ snippet('p/notes.txt') }}",
        "page.md:1",
        "must name a .console file",
    ),
    "symlink-out-of-snippets": (
        {"p/link.console": Path("../../outside/secret.console")},
        "{{ snippet('p/link.console') }}",
        "page.md:1",
        "must name a .console file inside snippets/",
    ),
    "missing-snippet": (
        {},
        "{{ snippet('p/nope.console') }}",
        "page.md:1",
        "included snippet 'p/nope.console' does not exist",
    ),
    "jinja-statement-in-page": (
        {},
        "# p\n\n{% if true %}x{% endif %}",
        "page.md:3",
        "is not a call to a site macro",
    ),
}


@pytest.mark.parametrize(
    ("files", "page_text", "where", "message"), BAD_PAGES.values(), ids=BAD_PAGES
)
def test_bad_page_or_snippet_names_file_and_line(
    tmp_path: Path, monkeypatch, files: dict, page_text: str, where: str, message: str
) -> None:
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.console").write_text("$ cat\nTOP SECRET\n")
    for name, content in files.items():
        path = snippets / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            path.symlink_to(content)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    monkeypatch.setattr(pages, "SNIPPETS_DIR", snippets)
    page = tmp_path / "page.md"
    page.write_text(page_text)
    with pytest.raises(SnippetError) as error:
        pages.sample_captures(pages.load_page(page))
    assert f"{where}: " in str(error.value)
    assert message in str(error.value)
    assert "SECRET" not in str(error.value)


BAD_SPECS = {
    "syntax-error": ("SPEC = Topology(\n    name='x',\n    title='t'\n    networks=()\n)\n", 3),
    "model-error": (
        "SPEC = Topology(\n    name='x',\n    title='t',\n"
        "    networks=(Network('n'), Network('n')),\n)\n",
        1,
    ),
    "not-a-topology": ("SPEC = {'name': 'x'}\n", 1),
    "name-error": ("SPEC = Topology(\n    name=undefined_name,\n)\n", 2),
}
SPEC_HEADER = "from macros.topology.model import Network, Topology\n"


@pytest.mark.parametrize(("source", "line"), BAD_SPECS.values(), ids=BAD_SPECS)
def test_a_broken_spec_names_its_file_and_line(
    tmp_path: Path, monkeypatch, source: str, line: int
) -> None:
    (tmp_path / "broken.py").write_text(SPEC_HEADER + source)
    monkeypatch.setattr(spec_registry, "SPEC_DIR", tmp_path)
    with pytest.raises(SnippetError) as error:
        spec_registry.load_specs()
    assert str(error.value).startswith(f"{tmp_path / 'broken.py'}:{line + 1}: ")


BAD_REPORTS = {
    "invalid-json": ('{\n  "schema": 2,\n  oops\n}', 3, "not a verification report"),
    "missing-field": ('{"schema": 2}', 1, "KeyError"),
    "wrong-type": ('{"schema": 2, "pages": []}', 1, "AttributeError"),
    "bad-status": (
        '{"schema": 2, "pages": {"p": {"page": "p", "date": "d", "engine": "e", "kernel": "k", '
        '"topology": "matched", "steps": [{"snippet": "s", "host": "h", "status": "great"}]}}}',
        1,
        "ValueError",
    ),
    "bad-seconds": (
        '{"schema": 2, "pages": {"p": {"page": "p", "date": "d", "engine": "e", "kernel": "k", '
        '"topology": "matched", "steps": [{"snippet": "s", "host": "h", "status": "passed", '
        '"seconds": "fast"}]}}}',
        1,
        "ValueError",
    ),
}


@pytest.mark.parametrize(("text", "line", "message"), BAD_REPORTS.values(), ids=BAD_REPORTS)
def test_a_malformed_report_names_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    report = tmp_path / "report.json"
    report.write_text(text)
    with pytest.raises(SnippetError) as error:
        load_report(report)
    assert str(error.value).startswith(f"{report}:{line}: ")
    assert message in str(error.value)


def test_run_refuses_a_page_without_steps(tmp_path: Path) -> None:
    page = tmp_path / "empty.md"
    page.write_text("# Nothing to run\n\nJust prose.\n")
    result = subprocess.run(
        [sys.executable, "-m", "macros", "run", str(page)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"{page}:1: the page has no steps" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
