"""Both directions: every snippet is on a page, and every page command is a snippet."""

from __future__ import annotations

import re
from pathlib import Path

from macros.paths import SNIPPETS_DIR, relative
from macros.snippets.pages import (
    all_pages,
    all_snippet_files,
    load_page,
    orphan_snippets,
    page_includes,
)

COMMAND_FENCE = re.compile(r"^\s*(```|~~~)\s*\{?\s*\.?(bash|sh|shell|console|zsh)?\b", re.M)


def test_every_snippet_file_is_included_by_a_page() -> None:
    orphans = orphan_snippets(all_pages(), all_snippet_files())
    assert not orphans, "\n".join(orphans)


def test_an_orphan_snippet_is_reported_with_its_path(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text('{{ snippet("bridge/01-create-network.console") }}\n')
    included = SNIPPETS_DIR / "bridge" / "01-create-network.console"
    orphan = tmp_path / "lonely.console"
    orphan.write_text("$ true\n")
    assert orphan_snippets([page], [included, orphan]) == [
        f"{orphan}:1: snippet file is not included by any page, so it is never run"
    ]


def test_no_page_has_a_hand_written_code_block() -> None:
    offenders = []
    for page in all_pages():
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            if COMMAND_FENCE.match(line):
                offenders.append(f"{relative(page)}:{number}: {line.strip()}")
    assert not offenders, "code blocks must come from snippets/:\n" + "\n".join(offenders)


def test_every_page_loads_with_its_steps_checked() -> None:
    pages = [page for page in all_pages() if page_includes(page)]
    assert pages
    for page in pages:
        assert load_page(page)
