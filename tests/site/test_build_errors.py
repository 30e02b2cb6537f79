"""Broken pages fail the strict build with ``file:line: message``, loudly even under ``-q``,
and never with a traceback."""

from __future__ import annotations

import json
import os
import re
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
markdown_extensions: [attr_list, tables, pymdownx.superfences, pymdownx.blocks.caption]
"""


def build(
    tmp_path: Path, page: str | bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict -q`` of a one-page site whose page is ``page``."""
    (tmp_path / "docs").mkdir()
    index = tmp_path / "docs" / "index.md"
    if isinstance(page, bytes):
        index.write_bytes(page)
    else:
        index.write_text(page)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "macros").symlink_to(ROOT / "macros")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.yml"],
        cwd=tmp_path,
        env=os.environ | {"PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"} | (env or {}),
        capture_output=True,
        text=True,
        timeout=120,
    )


BROKEN_PAGES = {
    "missing-include": (
        "# t\n\ntext\n\n{{ snippet('bridge/nope.console') }}\n",
        "index.md:5: included snippet 'bridge/nope.console' does not exist",
    ),
    "unknown-topology": ("# t\n\n{{ topology('nope') }}\n", "index.md:3: unknown topology 'nope'"),
    "duplicate-step": (
        "# t\n\n{{ snippet('bridge/01-create-network.console') }}\n"
        "{{ snippet('bridge/01-create-network.console') }}\n",
        "index.md:4: duplicate step name '01-create-network'",
    ),
    "jinja-undefined": (
        "# t\n\nSome text.\n\n{{ undefined_thing }}\n",
        "index.md:5: '{{ undefined_thing }}' is not a call to a site macro",
    ),
    "go-template-name": (
        "# t\n\nRun `docker inspect -f '{{.Name}}' web1`.\n",
        "index.md:3: '{{.Name}}' is not a call to a site macro",
    ),
    "go-template-json": (
        "# t\n\nRun `docker inspect -f '{{json .}}' web1`.\n",
        "index.md:3: '{{json .}}' is not a call to a site macro",
    ),
    "block-in-prose": ("# t\n\nA {% %} in prose.\n", "index.md:3: '{% %}' is not a call"),
    "statement": (
        "# t\n\n{% for i in range(3) %}x{% endfor %}\n",
        "index.md:3: '{% for i in range(3) %}' is not a call",
    ),
    "filter": (
        "# t\n\n{{ topology('bridge') | safe }}\n",
        "index.md:3: \"{{ topology('bridge') | safe }}\" is not a call to a site macro",
    ),
    "path-outside-snippets": (
        "# t\n\n{{ snippet('../../../../../../etc/passwd') }}\n",
        "index.md:3: snippet path '../../../../../../etc/passwd' must name a .console file inside",
    ),
    "capture-message": (
        "# t\n\n{{ snippet('overlay/02-join-node2.console') }}\n",
        "overlay/02-join-node2.console:3: capture %{token} is used before it is defined",
    ),
    "invalid-utf8": (b"# t\n\nfine\n\xff\xfe\n", "index.md:4: not valid UTF-8 (byte 0xff"),
}


@pytest.mark.parametrize(("page", "message"), BROKEN_PAGES.values(), ids=BROKEN_PAGES)
def test_broken_page_fails_the_build(tmp_path: Path, page: str | bytes, message: str) -> None:
    result = build(tmp_path, page)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert message in output
    assert "Traceback" not in output
    assert "root:x:0" not in output  # a path outside snippets/ is never read, let alone shown


def test_a_malformed_report_fails_the_build_with_its_line(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text('{\n  "schema": 2,\n  "pages": oops\n}\n')
    result = build(tmp_path, "# t\n\n{{ verification_table() }}\n", {"CNV_REPORT": str(report)})
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "report.json:3: not a verification report" in output


def test_report_text_reaches_the_html_escaped(tmp_path: Path) -> None:
    attack = "<img src=x onerror=alert(1)> [click](javascript:alert(2)) *bold* | cell"
    step = {"snippet": "s.console", "host": "node1", "status": "skipped", "reason": attack}
    step |= {"seconds": 0.0, "missing": [], "sha": ""}
    page = {"page": "index.md", "date": "2026-11-28", "engine": "<b>28</b>"}
    page |= {"kernel": "6.1 <script>", "steps": [step], "topology": "no diagram", "specs": {}}
    page |= {"lab_up": 0.0, "lab_down": 0.0}
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"schema": 2, "pages": {"index.md": page}}))
    result = build(tmp_path, "# t\n\n{{ verification_table() }}\n", {"CNV_REPORT": str(report)})
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt; [click](javascript:alert(2)) *bold* | cell" in html
    assert "<img src=x" not in html and 'href="javascript' not in html
    assert "6.1 &lt;script&gt;" in html and "6.1 <script>" not in html


def test_a_diagram_whose_edge_names_no_step_of_the_page_fails_the_build(tmp_path: Path) -> None:
    result = build(tmp_path, "# t\n\n{{ topology('troubleshooting') }}\n")
    assert result.returncode != 0
    assert re.search(
        r"macros/topology/specs/troubleshooting\.py:\d+: edge app → db: "
        r"step '07-fix' is not a step of docs/index\.md",
        result.stdout + result.stderr,
    ), result.stderr
