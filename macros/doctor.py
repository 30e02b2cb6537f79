"""``cnv doctor``: the engine you use, what this kernel can do, and which pages run here."""

from __future__ import annotations

import os
import sys

from .paths import DOCS_DIR, relative
from .snippets.errors import SnippetError
from .snippets.pages import all_pages, load_page

NO_ENGINE = "engine:   none: "
"""How the report's first line starts when no engine answers (then the reason, one line)."""


def engine_lines() -> list[str]:
    """The engine the docker CLI would use (``find_endpoint``): version, firewall backend."""
    import docker

    from .runner.connect import EngineUnreachable, connect, find_endpoint

    try:
        endpoint = find_endpoint()
        client = connect(endpoint, timeout=10)
    except (EngineUnreachable, docker.errors.DockerException) as error:
        return [f"{NO_ENGINE}{error}"]
    try:
        info = client.info()
        version = client.version()["Version"]
    except docker.errors.DockerException as error:
        return [f"{NO_ENGINE}the engine at {endpoint.host} failed to answer: {error}"]
    backend = (info.get("FirewallBackend") or {}).get("Driver", "not reported by this engine")
    return [
        f"engine:   Docker Engine {version} at {endpoint.host} ({endpoint.source})",
        f"firewall: {backend}",
        f"kernel:   {info.get('KernelVersion', '?')} ({info.get('OperatingSystem', '?')})",
    ]


def probe_lines() -> tuple[list[str], set[str] | None]:
    """The capability probes (root on Linux only) and the set of what works, if known."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return ["probes:   not run (they need root on Linux)"], None
    from .lab.probes import format_table, probe_all

    probes = probe_all()
    table = ["probes:", *(f"  {line}" for line in format_table(probes).splitlines())]
    return table, {name for name, probe in probes.items() if probe.ok}


def page_lines(available: set[str] | None) -> list[str]:
    """Per page: whether every step can run in the lab on this kernel, or what is missing."""
    lines = ["pages (in the lab, as root):"]
    for page in all_pages():
        try:
            steps = load_page(page)
        except SnippetError as error:
            lines.append(f"  {relative(page)}: {error}")
            continue
        if not steps:
            continue
        needs = sorted({need for step in steps for need in step.requires})
        missing = [need for need in needs if available is not None and need not in available]
        if available is None:
            verdict = f"needs {', '.join(needs)}" if needs else "needs nothing special"
        elif missing:
            verdict = f"{len(missing)} missing: {', '.join(missing)} (those steps are skipped)"
        else:
            verdict = "runs every step"
        lines.append(f"  {page.relative_to(DOCS_DIR)}: {len(steps)} steps, {verdict}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the report; exit status 1 when no engine answers."""
    engine = engine_lines()
    probes, available = probe_lines()
    print("\n".join([*engine, *probes, *page_lines(available)]))
    return 1 if engine[0].startswith(NO_ENGINE) else 0
