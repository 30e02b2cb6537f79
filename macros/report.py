"""The verification record: what the test run did, per page and step, for the site to show.

The test run writes it; the build reads it. Without a report a page says so plainly
("not verified in this build") instead of showing a green it has not earned.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .paths import CACHE_DIR

REPORT_PATH = Path(os.environ.get("CNV_REPORT", CACHE_DIR / "verification" / "report.json"))


@dataclass
class StepRecord:
    """One step's outcome as the site shows it."""

    snippet: str
    host: str
    status: str
    reason: str = ""
    seconds: float = 0.0


@dataclass
class PageRecord:
    """One page's steps, the engine it ran on and whether its diagram matched."""

    page: str
    engine: str
    steps: list[StepRecord] = field(default_factory=list)
    topology: str = "not checked"
    lab_up: float = 0.0
    lab_down: float = 0.0

    def count(self, status: str) -> int:
        return sum(step.status == status for step in self.steps)


@dataclass
class Report:
    """Everything one test run verified."""

    date: str
    kernel: str
    pages: dict[str, PageRecord] = field(default_factory=dict)

    @classmethod
    def new(cls) -> Report:
        return cls(datetime.date.today().isoformat(), platform.release())

    def write(self, path: Path = REPORT_PATH) -> None:
        """Merge into the report at ``path`` (pages run earlier keep their records)."""
        merged = load_report(path) or Report(self.date, self.kernel)
        merged.pages.update(self.pages)
        merged.date, merged.kernel = self.date, self.kernel
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(merged), indent=2, sort_keys=True) + "\n")
        temporary.replace(path)


def load_report(path: Path = REPORT_PATH) -> Report | None:
    """The report at ``path``, or ``None`` when the suite has not run here."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    pages = {
        name: PageRecord(
            page["page"],
            page["engine"],
            [StepRecord(**step) for step in page["steps"]],
            page.get("topology", "not checked"),
            page.get("lab_up", 0.0),
            page.get("lab_down", 0.0),
        )
        for name, page in raw.get("pages", {}).items()
    }
    return Report(raw["date"], raw["kernel"], pages)
