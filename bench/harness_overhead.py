"""How much the snippet runner adds over running the same commands as a plain bash script.

Runs the bridge page's commands N times each way against the same engine (``DOCKER_HOST``
or the local socket) and prints the median wall times and the ratio runner/raw.
Usage: ``.venv/bin/python bench/harness_overhead.py [rounds]``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.report import Status  # noqa: E402
from macros.runner.host_engine import EngineHost  # noqa: E402
from macros.runner.page import PageRun  # noqa: E402
from macros.snippets.match import fill_references  # noqa: E402
from macros.snippets.pages import load_page, sample_captures  # noqa: E402

PAGE = ROOT / "docs" / "networks" / "bridge.md"


def raw_script(steps) -> str:
    """The page's commands as one bash script, in order, teardown last."""
    captures = sample_captures(steps)
    ordered = [s for s in steps if not s.teardown] + [s for s in steps if s.teardown]
    lines = [fill_references(c.text, captures) for s in ordered for c in s.commands]
    return "\n".join(lines) + "\n"


def time_raw(script: str, docker_host: str) -> float:
    start = time.monotonic()
    subprocess.run(
        ["bash", "--noprofile", "--norc"],
        input=script,
        text=True,
        capture_output=True,
        env={"DOCKER_HOST": docker_host, "PATH": "/usr/local/bin:/usr/bin:/bin"},
        check=False,
    )
    return time.monotonic() - start


def time_runner(steps, docker_host: str) -> float:
    start = time.monotonic()
    run = PageRun(steps, {"node1": EngineHost(docker_host)})
    results = run.run()
    elapsed = time.monotonic() - start
    failed = [r for r in results if r.status != Status.PASSED]
    if failed:
        raise SystemExit(f"runner failed: {failed[0].reason}")
    return elapsed


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    docker_host = "unix:///var/run/docker.sock"
    steps = load_page(PAGE)
    script = raw_script(steps)
    raw, runner = [], []
    for _ in range(rounds):
        raw.append(time_raw(script, docker_host))
        runner.append(time_runner(steps, docker_host))
    raw_median, runner_median = statistics.median(raw), statistics.median(runner)
    print(f"page: {PAGE.relative_to(ROOT)}  rounds: {rounds}")
    print(f"plain bash script  median {raw_median:.3f} s")
    print(f"snippet runner     median {runner_median:.3f} s")
    print(f"ratio runner/raw   {runner_median / raw_median:.3f}  (target <= 1.10)")


if __name__ == "__main__":
    main()
