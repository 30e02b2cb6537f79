"""How fast disposable labs come up and go down, and that repeated cycles leave nothing behind.

Prints the median (and min/max) of ``rounds`` up and down times for a 1-node lab and a
3-node swarm lab, then runs ``cycles`` 1-node up/down cycles and prints the residue counts.
Needs root and dockerd. Usage: ``.venv/bin/python bench/lab.py [rounds] [cycles]``
(defaults 5 and 20). Labs use the prefix ``cnvb``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.lab.cleanup import cleanup_stale, residue  # noqa: E402
from macros.lab.lab import Lab  # noqa: E402
from macros.signals import stop_on_signals  # noqa: E402

PREFIX = "cnvb"


def cycle(**shape: object) -> tuple[float, float, dict[str, float]]:
    """One lab up and down: (up seconds, down seconds, phase timings)."""
    start = time.monotonic()
    lab = Lab(prefix=PREFIX, **shape).up()  # type: ignore[arg-type]
    up = time.monotonic() - start
    start = time.monotonic()
    lab.down()
    return up, time.monotonic() - start, lab.timings


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f}s (min {min(values):.2f}, max {max(values):.2f})"


def measure(label: str, rounds: int, **shape: object) -> None:
    ups, downs, phases = [], [], []
    for _ in range(rounds):
        up, down, timings = cycle(**shape)
        ups.append(up)
        downs.append(down)
        phases.append(timings)
    print(f"{label}: up {summary(ups)}; down {summary(downs)}")
    names = [n for n in phases[0] if n not in ("up", "down")]
    parts = ", ".join(f"{n} {statistics.median(p[n] for p in phases):.2f}s" for n in names)
    print(f"  up phases (median): {parts}")


def probes(rounds: int) -> None:
    """How long the capability probes take (run once per test session and per page run)."""
    from macros.lab.probes import probe_all

    seconds = []
    for _ in range(rounds):
        probe_all.cache_clear()
        start = time.monotonic()
        probe_all()
        seconds.append(time.monotonic() - start)
    print(f"capability probes: {summary(seconds)}")


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    cycles = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    stop_on_signals()  # SIGTERM takes the lab being measured down, like Ctrl-C
    cleanup_stale(PREFIX)
    probes(rounds)
    cycle(nodes=1)  # warm-up: fills the image cache, page cache
    measure("1 node", rounds, nodes=1)
    measure("3-node swarm", rounds, nodes=3, swarm=True)
    start = time.monotonic()
    for _ in range(cycles):
        cycle(nodes=1)
    left = residue(PREFIX)
    print(f"after {cycles} 1-node cycles ({time.monotonic() - start:.1f}s): residue {left}")
    return 1 if any(left.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
