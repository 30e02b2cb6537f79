"""The course outline the site grew from, as a map of pages with their verified status."""

from __future__ import annotations

import os

from .badge import status_text
from .paths import DOCS_DIR
from .report import Report

OUTLINE: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Network types",
        (
            ("Bridge", "networks/bridge.md"),
            ("Port publishing", "networks/port-publishing.md"),
            ("Host and none", "networks/host-and-none.md"),
            ("IP address management", "networks/ipam.md"),
            ("Overlay", "networks/overlay.md"),
            ("Encrypted overlay", "networks/encrypted-overlay.md"),
            ("MACVLAN", "networks/macvlan.md"),
            ("IPvlan", "networks/ipvlan.md"),
        ),
    ),
    (
        "Network services",
        (
            ("Service discovery", "services/service-discovery.md"),
            ("Load balancing", "services/load-balancing.md"),
            ("Compose networks", "services/compose.md"),
        ),
    ),
    ("When it breaks", (("Troubleshooting", "networks/troubleshooting.md"),)),
)


def outline_markdown(report: Report | None, from_page: str) -> str:
    """One table per part of the outline: topic, page, and what the last test run verified."""
    parts = []
    for part, topics in OUTLINE:
        rows = [f"### {part}\n", "| topic | verified |", "|---|---|"]
        for title, page in topics:
            if not (DOCS_DIR / page).is_file():
                rows.append(f"| {title} | *page not written yet* |")
                continue
            link = os.path.relpath(page, os.path.dirname(from_page))
            rows.append(f"| [{title}]({link}) | {status_text(report, page)} |")
        parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"
