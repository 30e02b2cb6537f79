"""Fixtures for tests that need real Docker engines."""

from __future__ import annotations

import pytest

from macros.runner.page import Capability


@pytest.fixture(scope="session")
def capabilities() -> dict[str, Capability]:
    """What this kernel can do, probed once; printed at the start of the run."""
    from macros.lab.probes import probe_all

    return {name: Capability(probe.ok, probe.detail) for name, probe in probe_all().items()}


@pytest.fixture(scope="session")
def guest_queue(capabilities, kernel: str, update_snippets: bool, request):
    """The pages of this session that run in a user-mode guest, started at once in the
    background (one at a time) while the host runs the others; ended at the session's end,
    Ctrl-C included."""
    from macros.snippets.pages import load_page
    from macros.uml.lane import GuestQueue, choose

    queue = GuestQueue()
    request.addfinalizer(queue.close)
    selected = {item.callspec.params["page"] for item in request.session.items if _is_page(item)}
    for page in sorted(selected):
        steps = load_page(page)
        if choose(kernel, steps, capabilities) == "uml":
            queue.submit(page, steps, update_snippets)
    return queue


def _is_page(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return item.originalname == "test_page" and callspec is not None and "page" in callspec.params

