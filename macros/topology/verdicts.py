"""What each traffic edge of a diagram shows: works, refused, or not verified.

An edge names the step that proves it. The verdict comes from that step's record in the
last run (it must have passed) and the exit status its command expects (0: the traffic
works; anything else: it is refused). Nothing is read from the label's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

from ..paths import ROOT
from .model import Edge, Topology, TopologyError

if TYPE_CHECKING:
    from ..report import PageRecord
    from ..snippets.model import Command, Snippet


class Verdict(StrEnum):
    """How an edge is drawn."""

    WORKS = "works"
    REFUSED = "refused"
    UNVERIFIED = "unverified"


def proving_commands(spec: Topology, steps: list[Snippet], page: str) -> dict[Edge, Command]:
    """The command that proves each edge of ``spec``, drawn on ``page`` whose steps are ``steps``.

    Raises ``TopologyError`` for an edge whose step is not on the page, whose ``command``
    matches no command or several, or whose step both succeeds and fails without a
    ``command`` saying which command the edge is about.
    """
    by_name = {step.name: step for step in steps}
    proving: dict[Edge, Command] = {}
    for edge in spec.edges:
        where = f"{_where(spec, edge)}: edge {edge.src} → {edge.dst}"
        step = by_name.get(edge.step)
        if step is None:
            raise TopologyError(f"{where}: step {edge.step!r} is not a step of {page}")
        if edge.command:
            found = [c for c in step.commands if edge.command in c.text]
            if len(found) != 1:
                raise TopologyError(
                    f"{where}: command {edge.command!r} matches {len(found)} commands "
                    f"of {step.path}, not one"
                )
            proving[edge] = found[0]
            continue
        if len({c.exit_status == 0 for c in step.commands}) > 1:
            raise TopologyError(
                f"{where}: {step.path} has commands that succeed and commands that fail; "
                "say which one shows this traffic with command=..."
            )
        proving[edge] = next((c for c in step.commands if c.exit_status), step.commands[-1])
    return proving


def _where(spec: Topology, edge: Edge) -> str:
    """``file:line`` of the edge in its spec module, or the spec's name (merged, unit tests)."""
    from .specs import SPECS, spec_file

    if SPECS.get(spec.name) != spec:
        return f"topology {spec.name!r}"
    path = spec_file(spec.name)
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    step = f'"{edge.step}"'
    line = next((n for n, text in enumerate(lines, start=1) if step in text), 1)
    return f"{path}:{line}"


def edge_verdicts(
    spec: Topology, steps: list[Snippet], page: str, record: PageRecord | None
) -> dict[Edge, Verdict]:
    """The verdict of every edge; all unverified without a record of the page as it is."""
    proving = proving_commands(spec, steps, page)
    verdicts: dict[Edge, Verdict] = {}
    for edge, command in proving.items():
        step = record.step(edge.step) if record else None
        if step is None or not step.status.verified:
            verdicts[edge] = Verdict.UNVERIFIED
        else:
            verdicts[edge] = Verdict.REFUSED if command.exit_status else Verdict.WORKS
    return verdicts


def verdict_key(verdicts: Mapping[Edge, Verdict]) -> str:
    """The verdicts as text, for the diagram cache key."""
    return ";".join(f"{e.src}>{e.dst}={v}" for e, v in verdicts.items())
