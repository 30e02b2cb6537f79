"""The built site: strict build, diagrams, and commands that survive Jinja untouched."""

from __future__ import annotations

import html
import re
from pathlib import Path

from macros.paths import DOCS_DIR
from macros.snippets.pages import all_pages, load_page, sample_captures
from macros.snippets.render import commands_text

CODE_BLOCK = re.compile(r'<div class="[^"]*cnv-command[^"]*">.*?<code>(.*?)</code>', re.S)


def page_html(site: Path, page: Path) -> str:
    relative = page.relative_to(DOCS_DIR).with_suffix("")
    target = site / ("index.html" if relative.name == "index" else relative / "index.html")
    return target.read_text(encoding="utf-8")


def text_of(code_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", code_html))


def test_every_command_renders_exactly_as_its_snippet(built_site: Path) -> None:
    """Round trip: Go templates such as {{.Name}} and {{json .}} reach the reader intact."""
    checked = 0
    for page in all_pages():
        steps = load_page(page)
        if not steps:
            continue
        expected = [command for step in steps for command in commands_text(step)]
        shown = "\n".join(
            text_of(block) for block in CODE_BLOCK.findall(page_html(built_site, page))
        )
        for command in expected:
            assert command in shown, f"{page}: command not shown verbatim: {command}"
            checked += 1
    assert checked >= 10


def test_go_templates_are_on_the_bridge_page(built_site: Path) -> None:
    text = text_of(page_html(built_site, DOCS_DIR / "networks/bridge.md"))
    assert "{{range .IPAM.Config}}{{.Subnet}}" in text
    assert "{{json .IPAM.Config}}" in text


def test_diagrams_are_self_contained_svgs(built_site: Path) -> None:
    svgs = list((built_site / "assets/diagrams").glob("*.svg"))
    assert svgs, "no diagram was published"
    for svg in svgs:
        data = svg.read_text(encoding="utf-8")
        assert data.lstrip().startswith(("<?xml", "<svg"))
        assert 'href="/' not in data and "file:" not in data, svg.name
        assert svg.stat().st_size < 150_000, svg.name
    bridge = page_html(built_site, DOCS_DIR / "networks/bridge.md")
    sources = set(re.findall(r'<img[^>]+src="([^"]+\.svg)"', bridge))
    assert len(sources) == 2
    for src in sources:
        assert (built_site / "networks/bridge" / src).resolve().is_file(), src


def test_no_output_or_prompt_in_copyable_blocks(built_site: Path) -> None:
    bridge = page_html(built_site, DOCS_DIR / "networks/bridge.md")
    for block in CODE_BLOCK.findall(bridge):
        for line in text_of(block).splitlines():
            assert not line.startswith("$ "), line
    assert "(re:" not in bridge and "(glob:" not in bridge
