"""``python -m macros run PAGE``: verify one page from the command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..paths import relative
from ..report import Status
from ..snippets.daemon_config import page_config_files
from ..snippets.errors import SnippetError
from ..snippets.model import Snippet
from ..snippets.pages import load_page
from ..topology.model import TopologyError
from .page import Capability, probed_capabilities
from .update import finish_runs, write_samples


def run_page(
    page: Path, host_engine: bool = False, update: bool = False, kernel: str = "auto"
) -> int:
    """Run ``page``, printing each step as it finishes; exit status 1 if anything failed.

    A run in a disposable lab is a verification: it writes the page's record into the
    report, as the test suite does. A run on the reader's own engine records nothing.
    ``kernel`` (``auto``, ``host``, ``uml``) says where the lab runs (``macros.uml.lane``).
    """
    try:
        steps = load_page(page)
    except SnippetError as error:
        print(f"error: {error}")
        return 2
    if not steps:
        print(f"error: {relative(page)}:1: the page has no steps (no {{{{ snippet(...) }}}})")
        return 2
    if host_engine:
        import docker

        from .connect import EngineUnreachable
        from .host_engine import Refused, run_on_host_engine

        reason = daemon_config_reason(steps)
        if reason:
            print(f"error: {page} {reason}: run it in the lab (without --host-engine)")
            return 2

        try:
            run, engine = run_on_host_engine(steps, local_capabilities(), update=update, say=_say)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            raise
        except Refused as error:
            print(f"error: {page}: {error}")
            return 2
        except EngineUnreachable as error:
            print(f"error: {error}")
            return 2
        except docker.errors.DockerException as error:
            print(f"error: the Docker engine failed while {page} ran: {error}")
            return 2
    else:
        from ..uml.guest import GuestError
        from ..uml.lane import verify

        try:
            verification = verify(
                page, local_capabilities(), kernel, update=update, steps=steps, progress=_say
            )
        except (SnippetError, TopologyError) as error:
            print(f"error: {error}")
            return 2
        except GuestError as error:
            print(f"error: {error}")
            return 1
        run = verification.run
        print(f"ran on {verification.kernel}, Docker Engine {verification.engine_version}")
        diffs, _records = finish_runs([verification], update)
        print("".join(diffs), end="")
    if host_engine and update:
        print(write_samples(run, engine) or "snippets already match the real output")
    if run.checkpoint_failure:
        print(f"topology: {run.checkpoint_failure}")
    elif run.checkpoint_ran:
        print("topology: the engine matches the page's diagrams")
    failed = any(result.status == Status.FAILED for result in run.results)
    return 1 if run.checkpoint_failure or failed else 0


def _say(line: str) -> None:
    print(line, flush=True)


def daemon_config_reason(steps: list[Snippet]) -> str:
    """Why one engine (``--host-engine``) cannot run the page's own daemon.json ("" if none)."""
    files = page_config_files(steps)
    if not files:
        return ""
    names = ", ".join(relative(path).as_posix() for path in files)
    return f"needs its own daemon configuration ({names}), which the host engine does not have"


LISTED_REASONS = 2


def list_pages() -> int:
    """Print which pages can run on a single engine (``--host-engine``) and why not the rest."""
    from ..snippets.pages import all_pages
    from .footprint import footprint

    print("Pages that can run on your own engine (cnv run PAGE --host-engine);")
    print("the engine's state is checked again when a page runs.")
    for page in all_pages():
        try:
            steps = load_page(page)
        except SnippetError as error:
            print(f"  {relative(page)}: error: {error}")
            continue
        if not steps:
            continue
        own_config = daemon_config_reason(steps)
        reasons = ([own_config] if own_config else []) + footprint(steps).lab_only_reasons()
        where = "lab only" if reasons else "one engine"
        print(f"  {relative(page)!s:<40} {where}")
        for reason in reasons[:LISTED_REASONS]:
            print(f"      {reason}")
        if len(reasons) > LISTED_REASONS:
            print(f"      ... and {len(reasons) - LISTED_REASONS} more")
    return 0


def local_capabilities() -> dict[str, Capability]:
    """This kernel's capabilities when it can be probed (Linux, root); else none known.

    Without probes every step runs, and a missing feature shows up as that step's failure.
    """
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return {}
    return probed_capabilities()
