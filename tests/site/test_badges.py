"""Badges tell the truth: the report's numbers when there is one, never a fake green."""

from __future__ import annotations

import os
import re
from pathlib import Path

from macros.badge import NOT_VERIFIED
from macros.report import PageRecord, Report, StepRecord


def bridge_html(site: Path) -> str:
    return (site / "networks" / "bridge" / "index.html").read_text(encoding="utf-8")


def badge_text(html: str) -> str:
    found = re.search(r'<a class="cnv-badge[^"]*"[^>]*>(.*?)</a>', html)
    assert found, "no badge on the page"
    return found[1]


def test_without_a_report_the_badge_says_not_verified(build_site, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CNV_REPORT", str(tmp_path / "no-report.json"))
    result = build_site(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert badge_text(bridge_html(tmp_path / "site")) == NOT_VERIFIED
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert NOT_VERIFIED in home


def test_the_badge_shows_the_reports_numbers(build_site, tmp_path, monkeypatch) -> None:
    report_path = tmp_path / "report.json"
    steps = [StepRecord(f"snippets/bridge/{n}.console", "node1", "passed") for n in range(4)]
    steps.append(StepRecord("snippets/bridge/x.console", "node1", "skipped", "needs ipvs (...)"))
    report = Report("2026-11-27", "6.18", {})
    report.pages["networks/bridge.md"] = PageRecord("networks/bridge.md", "28.5.2", steps)
    report.write(report_path)
    monkeypatch.setenv("CNV_REPORT", str(report_path))
    result = build_site(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert badge_text(bridge_html(tmp_path / "site")) == (
        "4 steps verified on Docker Engine 28.5.2 · 1 skipped: needs ipvs · 2026-11-27"
    )
    assert os.environ["CNV_REPORT"] == str(report_path)
