"""A page run as JSON, written by the guest's agent and read back on the host."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..report import Status
from ..runner.page import PageRun, StepResult
from ..runner.session import Outcome
from ..runner.verify import PageVerification
from ..snippets.model import Snippet


def dump(verification: PageVerification) -> dict[str, Any]:
    """Everything the host needs to report the run and, in update mode, record it."""
    return {
        "page": str(verification.page),
        "engine": verification.engine_version,
        "kernel": verification.kernel,
        "lab_seconds": verification.lab_seconds,
        "captures": verification.run.captures,
        "checkpoint_failure": verification.run.checkpoint_failure,
        "checkpoint_ran": verification.run.checkpoint_ran,
        "topologies": verification.topologies,
        "results": [
            {
                "step": str(result.step.path),
                "status": result.status,
                "reason": result.reason,
                "seconds": result.seconds,
                "missing": list(result.missing),
                "outcomes": [[o.output, o.exit_status, o.seconds] for o in result.outcomes],
            }
            for result in verification.results
        ],
    }


def load(data: dict[str, Any], page: Path, steps: list[Snippet], update: bool) -> PageVerification:
    """The run ``dump`` described, tied to the host's own parse of the page's steps."""
    by_path = {str(step.path): step for step in steps}
    unknown = [r["step"] for r in data["results"] if r["step"] not in by_path]
    if unknown:
        raise ValueError(f"the guest ran steps this page does not include: {', '.join(unknown)}")
    run = PageRun(steps, {}, {}, update=update)
    run.captures = dict(data["captures"])
    run.checkpoint_failure = data["checkpoint_failure"]
    run.checkpoint_ran = data["checkpoint_ran"]
    run.results = [
        StepResult(
            by_path[r["step"]],
            Status(r["status"]),
            r["reason"],
            r["seconds"],
            [Outcome(output, status, seconds) for output, status, seconds in r["outcomes"]],
            tuple(r["missing"]),
        )
        for r in data["results"]
    ]
    return PageVerification(
        page, run, data["engine"], data["lab_seconds"], data["topologies"], data["kernel"]
    )
