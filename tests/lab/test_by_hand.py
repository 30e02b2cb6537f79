"""A reader follows a multi-host page by hand with the commands the page prints."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from macros.by_hand import by_hand_markdown
from macros.paths import DOCS_DIR
from macros.snippets.pages import load_page

CNV = Path(sys.executable).with_name("cnv")


def printed_commands(page: Path) -> list[str]:
    """The console block of the page's "Follow this page by hand" box, line by line."""
    box = by_hand_markdown(load_page(page))
    block = re.search(r"```console\n(.*?)\n\s*```", box, re.S)
    assert block, box
    return [line.strip() for line in block.group(1).splitlines()]


def cnv(command: str, stdin: str = "", timeout: float = 240) -> subprocess.CompletedProcess[str]:
    argv = [str(CNV), *command.split()[1:]]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=timeout)


def test_the_printed_lab_commands_work(lab_machine: None) -> None:
    up, *shells = printed_commands(DOCS_DIR / "services" / "load-balancing.md")
    assert up == "cnv lab up --nodes 3 --swarm"
    assert "cnv lab shell node2" in shells
    started = cnv(up)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        shell = cnv("cnv lab shell node2", "hostname\ndocker info -f '{{.Swarm.LocalNodeState}}'\n")
        assert shell.returncode == 0, shell.stdout + shell.stderr
        assert shell.stdout.split() == ["node2", "active"]
    finally:
        lab = re.search(r"^lab (\S+) is up", started.stdout, re.M)
        down = cnv(f"cnv lab down --lab {lab.group(1)}" if lab else "cnv lab down", timeout=120)
        assert down.returncode == 0, down.stdout + down.stderr


def test_pages_on_one_host_print_no_lab_box() -> None:
    assert by_hand_markdown(load_page(DOCS_DIR / "networks" / "bridge.md")) == ""
