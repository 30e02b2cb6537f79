"""Pages with their own daemon.json: the by-hand box starts the lab with it, and
``cnv run --host-engine`` (its listing and its run) says the host engine cannot run them."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros import snippets
from macros.by_hand import by_hand_markdown, lab_commands
from macros.lab.cli import _configs, _parser
from macros.paths import DOCS_DIR, ROOT
from macros.runner import cli
from macros.snippets import parse_snippet
from macros.snippets.pages import load_page

OWN_CONFIG = {
    "networks/gateway-modes.md": "gateway-modes",
    "networks/mtu.md": "mtu",
    "networks/bridge-options.md": "bridge-options",
}


@pytest.mark.parametrize(("page", "folder"), OWN_CONFIG.items())
def test_the_by_hand_box_starts_the_lab_with_the_pages_daemon_config(
    page: str, folder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = load_page(DOCS_DIR / page)
    up = lab_commands(steps)[0]
    assert up.startswith("cnv lab up --nodes ")
    assert up.endswith(f" --daemon-config snippets/{folder}")
    assert up in by_hand_markdown(steps)
    monkeypatch.chdir(ROOT)  # the box's commands run in the checkout
    args = _parser().parse_args(up.split()[2:])
    assert _configs(args), f"{up}: the lab finds no daemon configuration there"


def test_pages_without_their_own_daemon_config_get_no_flag() -> None:
    up = lab_commands(load_page(DOCS_DIR / "networks" / "overlay.md"))[0]
    assert up == "cnv lab up --nodes 3"


def listing(capsys: pytest.CaptureFixture[str]) -> dict[str, tuple[str, list[str]]]:
    """``cnv run --host-engine --list`` as {page: (where, reasons)}."""
    assert cli.list_pages() == 0
    pages: dict[str, tuple[str, list[str]]] = {}
    page = ""
    for line in capsys.readouterr().out.splitlines()[2:]:
        if line.startswith("      "):
            pages[page][1].append(line.strip())
        else:
            page, _, where = line.strip().partition(" ")
            pages[page] = (where.strip(), [])
    return pages


def test_the_listing_says_which_pages_need_their_own_daemon_config(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pages = listing(capsys)
    for page, folder in OWN_CONFIG.items():
        where, reasons = pages[f"docs/{page}"]
        assert where == "lab only"
        assert reasons[0].startswith(
            f"needs its own daemon configuration (snippets/{folder}/daemon"
        ), reasons
    assert pages["docs/networks/bridge.md"] == ("one engine", [])


@pytest.fixture
def solo_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-host page of one harmless step, listed alone; returns its snippet folder."""
    folder = tmp_path / "solo"
    folder.mkdir()
    page = tmp_path / "solo.md"
    steps = [parse_snippet(folder / "01-ls.console", "$ docker network ls\n")]
    monkeypatch.setattr(snippets.pages, "all_pages", lambda: [page])
    monkeypatch.setattr(cli, "load_page", lambda path: steps)
    return folder


def test_a_daemon_json_alone_makes_a_page_lab_only(
    solo_page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert listing(capsys) == {str(solo_page.parent / "solo.md"): ("one engine", [])}
    (solo_page / "daemon.json").write_text('{"mtu": 1400}\n')
    where, reasons = listing(capsys)[str(solo_page.parent / "solo.md")]
    assert where == "lab only"
    assert reasons == [
        f"needs its own daemon configuration ({solo_page}/daemon.json), "
        "which the host engine does not have"
    ]


def test_a_host_engine_run_refuses_it_with_the_same_reason(
    solo_page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (solo_page / "daemon.node1.json").write_text('{"mtu": 1400}\n')
    assert cli.run_page(solo_page.parent / "solo.md", host_engine=True) == 2
    reason = cli.daemon_config_reason(cli.load_page(solo_page))
    assert "daemon.node1.json" in reason
    page = solo_page.parent / "solo.md"
    assert capsys.readouterr().out == (
        f"error: {page} {reason}: run it in the lab (without --host-engine)\n"
    )
