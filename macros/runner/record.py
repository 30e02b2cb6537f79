"""Write real output back into snippet files (the update mode)."""

from __future__ import annotations

import datetime

from ..paths import ROOT
from ..snippets.update import unified_diff, updated_text
from .page import StepResult


def record(results: list[StepResult], captures: dict[str, str], engine_version: str) -> str:
    """Rewrite every step that ran from its real output; return the combined diff."""
    stamp = f"Docker Engine {engine_version}, {datetime.date.today().isoformat()}"
    diffs: list[str] = []
    for result in results:
        if result.status not in {"passed", "updated"} or not result.outcomes:
            continue
        path = ROOT / result.step.path
        old = path.read_text(encoding="utf-8")
        outputs = [(outcome.output, outcome.exit_status) for outcome in result.outcomes]
        new = updated_text(result.step, outputs, captures, stamp)
        if _without_stamp(new) != _without_stamp(old):
            path.write_text(new, encoding="utf-8")
            diffs.append(unified_diff(old, new, str(result.step.path)))
    return "".join(diffs)


def _without_stamp(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("#| recorded:"))
