"""Both directions: every snippet is on a page, and every page command is a snippet."""

from __future__ import annotations

import re

from macros.paths import relative
from macros.snippets.pages import all_pages, all_snippet_files, load_page, page_includes

COMMAND_FENCE = re.compile(r"^\s*(```|~~~)\s*\{?\s*\.?(bash|sh|shell|console|zsh)?\b", re.M)


def test_every_snippet_file_is_included_by_a_page() -> None:
    included = {include.path.resolve() for page in all_pages() for include in page_includes(page)}
    orphans = [
        str(relative(path)) for path in all_snippet_files() if path.resolve() not in included
    ]
    assert not orphans, f"snippet files no page includes: {orphans}"


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
