"""Clean-up blocks work after a partial run: every page's teardown steps, run on a lab where
none of the page's steps ran, exit 0 and print no error other than ``docker rm -f``'s
notice for a container that does not exist."""

from __future__ import annotations

import os

from macros.report import Status
from macros.runner.page import PageRun
from macros.snippets.pages import all_pages, load_page, page_includes

HARMLESS = "No such container"
"""``docker rm -f`` exits 0 for a missing container and only says so."""


def teardown_steps() -> list:
    """Every page's teardown steps, the ones that leave the swarm last."""
    steps = [
        step
        for page in all_pages()
        if page_includes(page)
        for step in load_page(page)
        if step.teardown
    ]
    leaves = [step for step in steps if "swarm leave" in step.commands[-1].text]
    return [step for step in steps if step not in leaves] + leaves


def test_every_clean_up_step_runs_clean_on_an_untouched_lab(capabilities) -> None:
    from macros.lab.lab import Lab

    prefix = os.environ.get("CNV_LAB_PREFIX", "cnv")
    problems: list[str] = []
    ran = 0
    with Lab(nodes=3, swarm=True, prefix=prefix) as lab:
        run = PageRun([], lab.hosts, capabilities)
        try:
            for step in teardown_steps():
                result = run.run_step(step, check=False)
                if result.status is Status.SKIPPED:
                    continue
                for command, outcome in zip(step.commands, result.outcomes, strict=False):
                    ran += 1
                    noise = [
                        line
                        for line in outcome.output.splitlines()
                        if HARMLESS not in line
                        and any(word in line.lower() for word in ("error", "not found", "cannot"))
                    ]
                    if outcome.exit_status or noise or len(result.outcomes) < len(step.commands):
                        problems.append(
                            f"{command.location}: exit {outcome.exit_status}: {outcome.output!r}"
                        )
        finally:
            run.close()
    assert ran >= 20
    assert not problems, "\n".join(problems)
