"""Inside the guest: run the job the host wrote into the scratch folder, write the result.

    python -m macros.uml.agent SCRATCH

Jobs (``SCRATCH/job.json``):

- ``{"kind": "page", "page": "docs/...md", "update": false, "prefix": "cnv"}``: verify the
  page on a lab in this guest (its own probes decide what can run);
- ``{"kind": "probe"}``: run the lab's capability probes in the guest;
- ``{"kind": "lab", "nodes": 3, "swarm": true, "managers": 1, "prefix": "cnv",
  "hold": 3600}``: bring a lab up, say so in ``lab.json``, keep it until ``SCRATCH/stop``
  appears or ``hold`` seconds pass, take it down.

``SCRATCH/result.json`` holds ``ok``, ``error``, guest uptimes of the milestones and the
job's own result. Any exception ends up there too: the host never has to parse a console.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ENGINE_FLAGS = ("--ip6tables=false",)
"""No page that runs in the guest uses IPv6, and every ip6tables run costs a process start
(expensive under UML): the engines' start drops from about 70 s to about 11 s without them."""
PATIENCE = 6.0
"""Every time limit of the lab and of the steps is this many times longer in the guest: one
CPU, and each process start costs far more than on the host. A step still fails if its
command hangs; only slowness is forgiven."""
PROBE_TIMEOUT = 60.0
"""The probes run in parallel on the guest's one CPU: 5 s each, as on the host, is too short."""
STOP_POLL = 0.5


def uptime() -> float:
    """Seconds since the guest booted (its clock starts with the kernel)."""
    return float(Path("/proc/uptime").read_text().split()[0])


def write_json(path: Path, data: dict[str, Any]) -> None:
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(data, indent=1) + "\n")
    partial.rename(path)


def lab_options(scratch: Path) -> dict[str, Any]:
    """What the guest's labs get instead of the host engine's images and default flags."""
    tars = tuple(sorted((scratch / "images").glob("*.tar")))
    return {"image_tars": tars, "dockerd_flags": ENGINE_FLAGS, "patience": PATIENCE}


def run_page(job: dict[str, Any], scratch: Path, milestones: dict[str, float]) -> dict[str, Any]:
    from ..paths import ROOT
    from ..runner.page import probed_capabilities
    from ..runner.verify import verify_page
    from .wire import dump

    capabilities = probed_capabilities(PROBE_TIMEOUT)
    milestones["probed"] = uptime()
    verification = verify_page(
        ROOT / job["page"], capabilities, update=job["update"], **lab_options(scratch)
    )
    milestones["page done"] = uptime()
    return {"verification": dump(verification)}


def keep_lab(job: dict[str, Any], scratch: Path, milestones: dict[str, float]) -> dict[str, Any]:
    from ..lab.lab import Lab

    lab = Lab(job["nodes"], job["swarm"], job["managers"], job["prefix"], **lab_options(scratch))
    with lab:
        milestones["lab up"] = uptime()
        hosts = {name: [host.netns, host.docker_host] for name, host in lab.hosts.items()}
        consoles = open_consoles(lab.hosts) if job.get("consoles") else {}
        write_json(scratch / "lab.json", {"name": lab.name, "hosts": hosts, "consoles": consoles})
        deadline = time.monotonic() + job["hold"]
        while time.monotonic() < deadline and not (scratch / "stop").exists():
            time.sleep(STOP_POLL)
    milestones["lab down"] = uptime()
    return {"lab_seconds": dict(lab.timings)}


CONSOLE_WAIT = 10.0


def open_consoles(hosts: dict[str, Any]) -> dict[str, str]:
    """A shell for each lab host on the guest's consoles ``tty1``.. (the host boots them as
    host ptys); return host name -> the host pty the kernel assigned, from its log."""
    import re
    import subprocess

    for number, host in enumerate(hosts.values(), start=1):
        with open(f"/dev/tty{number}", "r+b", buffering=0) as tty:
            subprocess.Popen(
                ["setsid", "--ctty", *host.shell_argv()],
                stdin=tty,
                stdout=tty,
                stderr=tty,
                env=os.environ | {"TERM": "linux", "PS1": f"[{host.name}] \\w# "},
            )
    pattern = re.compile(r"console (\d+) assigned device '(/dev/pts/\d+)'")
    deadline = time.monotonic() + CONSOLE_WAIT
    found: dict[int, str] = {}
    while time.monotonic() < deadline and len(found) < len(hosts):
        log = subprocess.run(["dmesg"], capture_output=True, text=True, check=False).stdout
        found = {int(m[1]): m[2] for m in pattern.finditer(log)}
        time.sleep(0.2)
    return {name: found.get(number, "") for number, name in enumerate(hosts, start=1)}


def probe(job: dict[str, Any], scratch: Path, milestones: dict[str, float]) -> dict[str, Any]:
    """What this kernel can do, as the lab's probes see it."""
    import platform

    from ..lab.probes import probe_all

    found = {name: [p.ok, p.detail] for name, p in probe_all(PROBE_TIMEOUT).items()}
    milestones["probed"] = uptime()
    return {"release": platform.release(), "probes": found}


JOBS = {"page": run_page, "lab": keep_lab, "probe": probe}


def main(scratch: Path) -> int:
    milestones = {"init": float(os.environ.get("CNV_INIT_AT", "0")), "agent": uptime()}
    result: dict[str, Any] = {"ok": False, "error": "", "milestones": milestones}
    try:
        job = json.loads((scratch / "job.json").read_text())
        result |= JOBS[job["kind"]](job, scratch, milestones)
        result["ok"] = True
    except BaseException:
        result["error"] = traceback.format_exc()
    write_json(scratch / "result.json", result)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
