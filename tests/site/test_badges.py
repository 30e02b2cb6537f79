"""Badges tell the truth: the report's numbers for the page as it is, never a fake green."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from macros.badge import CHANGED, NOT_VERIFIED, PROSE
from macros.paths import DOCS_DIR, ROOT
from macros.record import daemon_fingerprints, snippet_fingerprints, spec_fingerprints, step_order
from macros.report import Comparison, PageRecord, Status, StepRecord, save_pages
from macros.snippets.pages import load_page, topology_names


def page_html(site: Path, page: str) -> str:
    return (site / page.removesuffix(".md") / "index.html").read_text(encoding="utf-8")


def badge(html: str) -> tuple[str, str]:
    """The badge's kind (``ok``, ``changed``, ...) and text."""
    found = re.search(r'<a class="cnv-badge cnv-badge--(\w+)"[^>]*>(.*?)</a>', html)
    assert found, "no badge on the page"
    return found[1], found[2]


def verified_now(page: str) -> PageRecord:
    """A record of a run of ``page`` exactly as it is in the repository now."""
    path = DOCS_DIR / page
    page_steps = load_page(path)
    hashes = snippet_fingerprints(page_steps)
    steps = [
        StepRecord(snippet, "node1", Status.PASSED, sha=sha) for snippet, sha in hashes.items()
    ]
    steps[-1].status, steps[-1].missing = Status.SKIPPED, ("ipvs",)
    specs = spec_fingerprints(topology_names(path))
    topology = Comparison.MATCHED if specs else Comparison.NO_DIAGRAM
    return PageRecord(
        page,
        "2026-11-27",
        "28.5.2",
        "Linux 6.18",
        steps,
        topology,
        specs,
        daemon=daemon_fingerprints(page_steps),
        order=step_order(page_steps),
    )


def test_without_a_report_the_badge_says_not_verified(build_site, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CNV_REPORT", str(tmp_path / "no-report.json"))
    result = build_site(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert badge(page_html(tmp_path / "site", "networks/bridge.md")) == ("none", NOT_VERIFIED)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert NOT_VERIFIED in home


def test_a_snippet_edited_after_its_run_turns_the_badge(tmp_path: Path) -> None:
    """Record both pages as they are, edit one of the bridge page's snippets, then build."""
    project = tmp_path / "project"
    for folder in ("docs", "snippets", "macros"):
        shutil.copytree(
            ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "mkdocs.yml", project)
    report = tmp_path / "report.json"
    save_pages([verified_now("networks/bridge.md"), verified_now("networks/ipam.md")], report)
    with (project / "snippets" / "bridge" / "03-ping-by-name.console").open("a") as snippet:
        snippet.write("$ docker exec web1 ping -c 1 web1\n")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "CNV_REPORT": str(report), "CNV_NO_DIAGRAMS": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert badge(page_html(site, "networks/bridge.md")) == ("changed", f"{CHANGED} on 2026-11-27")
    unchanged = len(load_page(DOCS_DIR / "networks" / "ipam.md")) - 1
    assert badge(page_html(site, "networks/ipam.md")) == (
        "skipped",
        f"{unchanged} steps verified on Docker Engine 28.5.2, Linux 6.18 · 1 skipped: needs ipvs "
        "· 2026-11-27",
    )
    for home_and_record in (site / "index.html", site / "verification" / "index.html"):
        assert f"{CHANGED} on 2026-11-27" in home_and_record.read_text(encoding="utf-8")


def test_a_page_without_steps_says_nothing_on_it_is_verified(built_site) -> None:
    html = (built_site / "hosts" / "desktop" / "index.html").read_text(encoding="utf-8")
    assert badge(html) == ("prose", PROSE)
    home = (built_site / "index.html").read_text(encoding="utf-8")
    row = re.search(r"<tr>\s*<td><a href=\"hosts/desktop/\">.*?</tr>", home, re.S)
    assert row and PROSE in row[0], "the home page map does not call the page prose"
    assert NOT_VERIFIED not in row[0]
