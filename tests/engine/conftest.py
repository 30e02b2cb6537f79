"""Fixtures for tests that need real Docker engines."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

import pytest

from macros.runner.page import Capability, probed_capabilities


@pytest.fixture(scope="session")
def capabilities() -> dict[str, Capability]:
    """What this kernel can do, probed once; printed at the start of the run."""
    return probed_capabilities()


GUEST_PAGES = pytest.StashKey[dict[Path, list]]()
"""The collected pages ``--kernel`` puts in a guest, with their steps, longest first."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The pages that run in a user-mode guest go last, in the order the guests take them:
    their guests start with the first engine test (``guest_queue``) and run beside every
    other test of the session, instead of holding up the host's pages while one runs."""
    kernel = str(config.getoption("--kernel"))
    pages = {_page(item): item for item in items if _is_page(item)}
    capabilities = probed_capabilities() if kernel == "auto" and pages else {}
    config.stash[GUEST_PAGES] = _for_the_guest(pages, kernel, capabilities)
    guest = [pages[page] for page in config.stash[GUEST_PAGES]]
    if guest:
        moved = set(guest)
        items[:] = [item for item in items if item not in moved] + guest


@pytest.fixture(scope="session", autouse=True)
def guest_queue(update_snippets: bool, request: pytest.FixtureRequest):
    """The pages of this session that run in a user-mode guest, started in the background
    when the first engine test starts (see ``GuestQueue`` for how many at once) while the
    host runs everything else; ended at the session's end, Ctrl-C included."""
    from macros.uml.lane import GuestQueue

    queue = GuestQueue()
    request.addfinalizer(queue.close)
    selected = {_page(item) for item in request.session.items if _is_page(item)}
    for page, steps in request.config.stash.get(GUEST_PAGES, {}).items():
        if page in selected:  # ``-k`` may have deselected it after collection
            queue.submit(page, steps, update_snippets)
    return queue


def _for_the_guest(pages: Iterable[Path], kernel: str, capabilities) -> dict[Path, list]:
    """The pages ``kernel`` puts in a guest, with their steps, longest first; a page that does
    not load stays out (its own test reports why)."""
    from macros.snippets.errors import SnippetError
    from macros.snippets.pages import load_page
    from macros.uml.lane import choose, longest_first

    guest = {}
    for page in pages:
        with contextlib.suppress(SnippetError):
            steps = load_page(page)
            if choose(kernel, steps, capabilities) == "uml":
                guest[page] = steps
    return {page: guest[page] for page in longest_first(guest)}


def _is_page(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return item.originalname == "test_page" and callspec is not None and "page" in callspec.params


def _page(item: pytest.Item) -> Path:
    return item.callspec.params["page"]
