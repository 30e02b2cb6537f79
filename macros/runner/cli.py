"""``python -m macros run PAGE``: verify one page from the command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..snippets.errors import SnippetError
from ..snippets.pages import load_page
from .page import Capability, StepResult
from .record import record


def run_page(page: Path, host_engine: bool = False, update: bool = False) -> int:
    """Run ``page`` and print one line per step; exit status 1 if anything failed."""
    try:
        steps = load_page(page)
    except (SnippetError, FileNotFoundError) as error:
        print(f"error: {error}")
        return 2
    if host_engine:
        from .host_engine import NameCollision, run_on_host_engine

        try:
            run, engine = run_on_host_engine(steps, local_capabilities(), update=update)
        except NameCollision as error:
            print(f"error: {error}")
            return 2
    else:
        from .verify import verify_page

        verification = verify_page(page, local_capabilities(), update=update, steps=steps)
        run, engine = verification.run, verification.engine_version
    results, failure = run.results, run.checkpoint_failure
    for result in results:
        print(_line(result))
    if update:
        print(record(results, run.captures, engine) or "snippets already match the real output")
    if failure:
        print(f"topology: {failure}")
    return 1 if failure or any(r.status == "failed" for r in results) else 0


def local_capabilities() -> dict[str, Capability]:
    """This kernel's capabilities when it can be probed (Linux, root); else none known.

    Without probes every step runs, and a missing feature shows up as that step's failure.
    """
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return {}
    from ..lab.probes import probe_all

    return {name: Capability(p.ok, p.detail) for name, p in probe_all().items()}


def _line(result: StepResult) -> str:
    reason = f"  {result.reason}" if result.reason else ""
    return f"{result.status:>8}  {result.step.path}  {result.seconds:.2f}s{reason}"
