"""A page's record: built from a finished run, and checked against the page as it is now.

Both sides come from ``page_state``, so what a run records is exactly what a build compares:
the snippets, the daemon configurations of the page's folder, the specs and the step order.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import DOCS_DIR, ROOT, relative
from .report import Comparison, PageRecord, PageState, StepRecord, fingerprint
from .snippets.daemon_config import page_config_files

if TYPE_CHECKING:
    from .runner.verify import PageVerification
    from .snippets.model import Snippet


def page_key(page: Path) -> str:
    """How the report and the site name a page: its path under ``docs/``."""
    try:
        return page.resolve().relative_to(DOCS_DIR).as_posix()
    except ValueError:
        return str(page)


def snippet_fingerprints(steps: list[Snippet]) -> dict[str, str]:
    """``fingerprint`` of each step's snippet file as it is on disk now, by its path."""
    return {str(step.path): fingerprint((ROOT / step.path).read_text("utf-8")) for step in steps}


def daemon_fingerprints(steps: list[Snippet]) -> dict[str, str]:
    """``fingerprint`` of each daemon configuration file (``daemon.json``,
    ``daemon.<host>.json``) in the page's snippet folder, by path."""
    return {
        str(relative(path)): fingerprint(path.read_text("utf-8", errors="backslashreplace"))
        for path in page_config_files(steps)
    }


def step_order(steps: list[Snippet]) -> list[str]:
    """The snippet paths of ``steps`` in the page's order, which decides the run order."""
    return [str(step.path) for step in steps]


def page_state(steps: list[Snippet], specs: list[str]) -> PageState:
    """The page made of ``steps`` and drawing ``specs``, as it is on disk now."""
    return PageState(
        snippets=snippet_fingerprints(steps),
        specs=spec_fingerprints(specs),
        daemon=daemon_fingerprints(steps),
        order=step_order(steps),
    )


def spec_fingerprints(names: list[str]) -> dict[str, str]:
    """``fingerprint`` of each named topology spec as it is defined now."""
    from .topology.specs import get_spec

    return {name: fingerprint(repr(get_spec(name))) for name in names}


def page_record(verification: PageVerification) -> PageRecord:
    """The report entry for a finished run, dated today.

    Call it after the update mode wrote its files: the fingerprints are those of the
    snippets as they are on disk, so a page the update mode just recorded is not "changed".
    """
    run = verification.run
    state = page_state(run.steps, verification.topologies)
    steps = [
        StepRecord(
            snippet=str(result.step.path),
            host=result.step.host,
            status=result.status,
            reason=result.reason,
            seconds=round(result.seconds, 3),
            missing=result.missing,
            sha=state.snippets[str(result.step.path)],
        )
        for result in run.results
    ]
    return PageRecord(
        page=page_key(verification.page),
        date=datetime.date.today().isoformat(),
        engine=verification.engine_version,
        kernel=verification.kernel,
        steps=steps,
        topology=comparison(verification),
        specs=state.specs,
        lab_up=round(verification.lab_seconds.get("up", 0.0), 3),
        lab_down=round(verification.lab_seconds.get("down", 0.0), 3),
        daemon=state.daemon,
        order=state.order,
    )


def comparison(verification: PageVerification) -> Comparison:
    """``matched`` or ``differs`` only when the comparison ran; ``not compared`` otherwise."""
    run = verification.run
    if not verification.topologies:
        return Comparison.NO_DIAGRAM
    if not run.checkpoint_ran:
        return Comparison.NOT_COMPARED
    return Comparison.DIFFERS if run.checkpoint_failure else Comparison.MATCHED


def changes_since_verified(record: PageRecord, page: Path) -> list[str]:
    """What was edited on ``page`` (snippets, their order, daemon configurations, specs)
    since ``record`` was made."""
    from .snippets.pages import load_page, topology_names

    if not page.is_file():
        return ["the page was removed"]
    return record.changes(page_state(load_page(page), topology_names(page)))
