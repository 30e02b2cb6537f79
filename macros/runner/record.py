"""Write real output back into snippet files (the update mode)."""

from __future__ import annotations

import datetime

from ..paths import ROOT
from ..snippets.errors import SnippetError
from ..snippets.model import Snippet
from ..snippets.pages import sample_captures
from ..snippets.update import unified_diff, updated_text
from .page import StepResult


def record(results: list[StepResult], captures: dict[str, str], engine_version: str) -> str:
    """Rewrite every step that ran from its real output; return the combined diff."""
    stamp = f"Docker Engine {engine_version}, {datetime.date.today().isoformat()}"
    keep_samples = samples_are_valid([result.step for result in results])
    diffs: list[str] = []
    for result in results:
        if result.status not in {"passed", "updated"} or not result.outcomes:
            continue
        path = ROOT / result.step.path
        old = path.read_text(encoding="utf-8")
        outputs = [(outcome.output, outcome.exit_status) for outcome in result.outcomes]
        new = updated_text(result.step, outputs, captures, stamp, keep_samples)
        if _without_stamp(new) != _without_stamp(old):
            path.write_text(new, encoding="utf-8")
            diffs.append(unified_diff(old, new, str(result.step.path)))
    return "".join(diffs)


def samples_are_valid(steps: list[Snippet]) -> bool:
    """Whether the page's recorded samples all match their patterns, consistently."""
    try:
        sample_captures(steps)
    except SnippetError:
        return False
    return True


def _without_stamp(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("#| recorded:"))
