"""What the published site needs: a repository and edit links, a full sitemap, dates."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml
from mkdocs.config import load_config

from macros.paths import DOCS_DIR, ROOT
from macros.snippets.pages import all_pages


def page_html(site: Path, page: Path) -> str:
    relative = page.relative_to(DOCS_DIR).with_suffix("")
    target = site / ("index.html" if relative.name == "index" else relative / "index.html")
    return target.read_text(encoding="utf-8")

CONFIG = load_config(str(ROOT / "mkdocs.yml"))


def test_every_page_links_the_repository_and_its_own_source(built_site: Path) -> None:
    for page in all_pages():
        text = page_html(built_site, page)
        source = page.relative_to(DOCS_DIR).as_posix()
        assert f'href="{CONFIG.repo_url}"' in text, page
        assert f'href="{CONFIG.repo_url}/edit/main/docs/{source}"' in text, page


def test_the_sitemap_lists_every_page_under_the_site_url(built_site: Path) -> None:
    listed = set(re.findall(r"<loc>(.*?)</loc>", (built_site / "sitemap.xml").read_text()))
    for page in all_pages():
        stem = page.relative_to(DOCS_DIR).with_suffix("").as_posix()
        path = "" if stem == "index" else f"{stem}/"
        assert CONFIG.site_url + path in listed, page
    assert len(listed) == len(all_pages())


def test_pages_say_when_they_last_changed(built_site: Path) -> None:
    bridge = page_html(built_site, DOCS_DIR / "networks/bridge.md")
    assert "git-revision-date-localized-plugin-date" in bridge


def test_the_repository_link_asks_no_other_host_for_facts(built_site: Path) -> None:
    assert 'data-md-component="source"' not in page_html(built_site, DOCS_DIR / "index.md")


def test_the_publishing_workflow_builds_with_the_repositorys_own_addresses() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text())
    env = workflow["jobs"]["publish"]["env"]
    assert {"CNV_SITE_URL", "CNV_REPO_URL"} <= set(env)


def test_the_publishing_build_script_builds_the_site(tmp_path: Path) -> None:
    """``scripts/build DIR``, as the workflow calls it (the README's test command is CI's)."""
    result = subprocess.run(
        ["bash", str(ROOT / "scripts/build"), str(tmp_path / "site")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "networks" / "bridge" / "index.html").is_file()


def test_the_home_map_lists_every_page_of_every_nav_section(built_site: Path) -> None:
    from macros.outline import nav_sections

    page = (built_site / "index.html").read_text(encoding="utf-8")
    home = page[page.index("<article") : page.index("</article>")]  # not the sidebar's nav
    sections = list(nav_sections(CONFIG["nav"]))
    assert sections, "the nav has no sections"
    for section, pages in sections:
        assert f">{section}<" in home, section
        for title, page in pages:
            link = Path(page).with_suffix("").as_posix() + "/"
            assert f'href="{link}"' in home, f"{section}: {title} ({page}) is not on the map"


def test_every_page_in_a_section_folder_is_in_the_nav() -> None:
    from macros.outline import nav_sections

    in_nav = {page for _, pages in nav_sections(CONFIG["nav"]) for _, page in pages}
    on_disk = {page.relative_to(DOCS_DIR).as_posix() for page in DOCS_DIR.glob("*/*.md")}
    assert on_disk == in_nav
