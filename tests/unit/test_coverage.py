"""Both directions: every snippet is on a page, and every page command is a snippet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.code_blocks import hand_written_code_blocks
from macros.paths import SNIPPETS_DIR
from macros.snippets.pages import (
    all_pages,
    all_snippet_files,
    load_page,
    orphan_snippets,
    page_includes,
)


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
    offenders = [found for page in all_pages() for found in hand_written_code_blocks(page)]
    assert not offenders, "code blocks must come from snippets/:\n" + "\n".join(offenders)


CODE_BLOCKS = {
    "backticks-bash": "```bash\ndocker ps\n```\n",
    "backticks-no-language": "```\ndocker ps\n```\n",
    "backticks-attribute-list": "``` { .sh .copy }\ndocker ps\n```\n",
    "backticks-yaml": "```yaml\ndocker ps\n```\n",
    "four-backticks": "````\ndocker ps\n````\n",
    "tildes": "~~~\ndocker ps\n~~~\n",
    "tildes-language": "~~~console\ndocker ps\n~~~\n",
    "indented": "Some prose.\n\n    docker ps\n",
    "indented-with-tab": "Some prose.\n\n\tdocker ps\n",
    "in-a-list": "1. Run this:\n\n    ```\n    docker ps\n    ```\n",
    "in-an-admonition": '!!! note "x"\n\n    ```sh\n    docker ps\n    ```\n',
    "html-pre": "<pre>docker ps</pre>\n",
}


@pytest.mark.parametrize("block", CODE_BLOCKS.values(), ids=CODE_BLOCKS)
def test_every_form_of_code_block_is_caught(tmp_path: Path, block: str) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"# Page\n\n{{{{ snippet('bridge/01-create-network.console') }}}}\n\n{block}")
    (found,) = hand_written_code_blocks(page)
    assert found.startswith(f"{page}:") and "docker ps" in found
    line = int(found.split(":")[1])
    assert "docker ps" in page.read_text().splitlines()[line - 1]


def test_snippets_inline_code_and_raw_blocks_are_not_code_blocks(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\nRun `docker ps`.\n\n{{ snippet('bridge/01-create-network.console') }}\n\n"
        "{% raw %}Go templates like `{{.Name}}` stay prose.{% endraw %}\n\n"
        '!!! note "x"\n\n    Indented admonition text is prose.\n'
    )
    assert hand_written_code_blocks(page) == []


def test_every_page_loads_with_its_steps_checked() -> None:
    pages = [page for page in all_pages() if page_includes(page)]
    assert pages
    for page in pages:
        assert load_page(page)


ASSIGNED_ON_DEFAULT_BRIDGE = re.compile(r"(?<!--ip )\b172\.17\.0\.(?:[2-9]|[1-9]\d+)\b")
"""An address the engine hands a container on the default bridge: it depends on what else
runs there, so a reader's engine may have given it to another container. (``--ip`` asks
for one, which is not the same.)"""


def test_no_command_names_an_address_the_engine_assigned() -> None:
    found = [
        f"{command.location}: {command.text}"
        for page in all_pages()
        for step in load_page(page)
        for command in step.commands
        if ASSIGNED_ON_DEFAULT_BRIDGE.search(command.text)
    ]
    assert not found, "capture the address (docker inspect) instead:\n" + "\n".join(found)


def test_the_address_rule_catches_a_recorded_address() -> None:
    assert ASSIGNED_ON_DEFAULT_BRIDGE.search("ping -c 1 172.17.0.3")
    assert not ASSIGNED_ON_DEFAULT_BRIDGE.search("-p 172.17.0.1:28081:80 172.17.0.0/16")
    assert not ASSIGNED_ON_DEFAULT_BRIDGE.search("docker run --ip 172.17.0.50 busybox true")
