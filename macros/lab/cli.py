"""``python -m macros lab up|shell|status|down|probes``: a lab to try things in by hand.

``lab up`` starts a small keeper process that owns the lab (so it is not mistaken for the
leftover of a crashed run) and returns once the lab is up; ``lab down`` asks the keeper to
take it down. A keeper gives up its lab after ``--hours`` (default 12) on its own.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

from . import state
from .names import LabNames, check_prefix, new_labid

UP_TIMEOUT = 180.0
DOWN_TIMEOUT = 60.0
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cnv lab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _lab_options(commands.add_parser("up", help="bring a lab up and leave it running"))
    shell = commands.add_parser("shell", help="a bash on a lab host (DOCKER_HOST set)")
    shell.add_argument("host", help="node1, node2, ... or client")
    shell.add_argument("--lab", help="lab name (needed when several labs run)")
    commands.add_parser("status", help="list running labs")
    down = commands.add_parser("down", help="take labs started with `lab up` down")
    down.add_argument("--lab", help="only this lab")
    commands.add_parser("probes", help="what this kernel can do")
    keep = commands.add_parser("_keep", help=argparse.SUPPRESS)
    keep.add_argument("--labid", required=True)
    _lab_options(keep)
    return parser


def _lab_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--swarm", action="store_true", help="form a swarm (node1 leads)")
    parser.add_argument("--managers", type=int, default=1)
    parser.add_argument(
        "--rootless", action="store_true", help="add the host rootless (dockerd-rootless.sh)"
    )
    parser.add_argument("--prefix", default="cnv", type=check_prefix)
    parser.add_argument("--hours", type=float, default=12.0, help="take the lab down after this")
    parser.add_argument(
        "--kernel",
        choices=("host", "uml"),
        default="host",
        help="uml: the whole lab inside a user-mode Linux guest (lab shell attaches its console)",
    )
    parser.add_argument(
        "--daemon-config",
        metavar="FOLDER",
        help="a page's snippet folder: its daemon.json (and daemon.nodeN.json) configure the "
        "engines, as when the tests run that page",
    )


def main(argv: list[str]) -> int:
    """Entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "probes":
        from .probes import format_table, probe_all

        print(format_table(probe_all()))
        return 0
    from ..snippets.errors import SnippetError
    from .lab import LabError, preflight

    try:
        preflight()
        return COMMANDS[args.command](args)
    except (LabError, ValueError, SnippetError) as error:
        print(f"lab: error: {error}", file=sys.stderr)
        return 2


def _up(args: argparse.Namespace) -> int:
    """Start a keeper and wait (bounded) until its lab is up, showing its progress as it goes."""
    from .lab import Lab

    Lab(args.nodes, args.swarm, args.managers, args.prefix, daemon_configs=_configs(args))
    names = LabNames(args.prefix, new_labid())  # bad numbers and configurations refused above
    argv = [sys.executable, "-m", "macros.lab.cli", "_keep", "--labid", names.labid]
    argv += ["--nodes", str(args.nodes), "--managers", str(args.managers)]
    if args.daemon_config:
        argv += ["--daemon-config", str(Path(args.daemon_config).resolve())]
    argv += ["--prefix", args.prefix, "--hours", str(args.hours)] + ["--swarm"] * args.swarm
    argv += ["--kernel", args.kernel] + ["--rootless"] * args.rootless
    keeper = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=PACKAGE_ROOT,
        env=os.environ | {"PYTHONPATH": str(PACKAGE_ROOT)},
        start_new_session=True,
    )
    try:
        timeout = UP_TIMEOUT * 4 if args.kernel == "uml" else UP_TIMEOUT
        return _wait_until_up(keeper, names, timeout)
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM or SIGHUP: the half-built lab comes down
        _stop_keeper(keeper, names)
        raise
    finally:
        if keeper.stdout:
            keeper.stdout.close()


def _stop_keeper(keeper: subprocess.Popen, names: LabNames) -> None:
    """Ask the keeper to take its lab down; if it does not within the time, remove the lab."""
    from .cleanup import remove_lab

    keeper.terminate()
    try:
        keeper.wait(DOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        keeper.kill()
        keeper.wait(10)
    remove_lab(names.name)


def _wait_until_up(keeper: subprocess.Popen, names: LabNames, timeout: float) -> int:
    """Wait (bounded) until the keeper's lab is up, passing on its progress as it comes."""
    assert keeper.stdout is not None
    pipe: list[IO[bytes]] = [keeper.stdout]  # until the keeper hands its output to its log
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        saved = state.read(names.state_file)
        mine = saved and saved["owner"]["pid"] == keeper.pid
        if mine and saved.get("phase") == "up" and saved.get("detached"):
            print(_describe(saved))
            return 0
        if keeper.poll() is not None:
            rest = keeper.stdout.read() if pipe else b""
            print(f"{rest.decode(errors='replace')}lab: the lab did not come up", file=sys.stderr)
            return 1
        if select.select(pipe, [], [], 0.1)[0]:
            chunk = os.read(keeper.stdout.fileno(), 65536)
            sys.stdout.write(chunk.decode(errors="replace"))  # progress: what it is waiting for
            sys.stdout.flush()
            pipe = pipe if chunk else []
        elif not pipe:
            time.sleep(0.1)
    _stop_keeper(keeper, names)
    print(f"lab: not up after {timeout:g}s", file=sys.stderr)
    return 1


def _keep(args: argparse.Namespace) -> int:
    """The keeper: own the lab until a signal arrives or ``--hours`` pass."""
    from .lab import Lab

    if args.kernel == "uml":
        from ..uml.keeper import keep_in_guest

        return keep_in_guest(args)

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    lab = Lab(
        args.nodes,
        args.swarm,
        args.managers,
        args.prefix,
        labid=args.labid,
        progress=_say,
        daemon_configs=_configs(args),
        rootless=args.rootless,
    )
    with lab:
        with open(lab.names.state_dir / "keeper.log", "ab") as log:
            for fd in (1, 2):  # `lab up` stops reading the pipe once the lab is up
                os.dup2(log.fileno(), fd)
        lab.annotate(detached=True)
        deadline = time.monotonic() + args.hours * 3600
        while time.monotonic() < deadline:
            time.sleep(min(60.0, max(0.0, deadline - time.monotonic())))
    return 0


def _say(line: str) -> None:
    print(line, flush=True)


def _configs(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """The engines' daemon.json objects from ``--daemon-config FOLDER`` (none without it)."""
    from ..snippets.daemon_config import daemon_configs

    if not args.daemon_config:
        return {}
    folder = Path(args.daemon_config)
    if not folder.is_dir():
        raise ValueError(f"--daemon-config {folder}: not a folder")
    return daemon_configs(folder, [f"node{i}" for i in range(1, args.nodes + 1)])


def _describe(saved: dict[str, Any]) -> str:
    """What is running and how to use it."""
    from .lab import hosts_from_state

    if saved.get("kind") == "uml":
        pick = "" if _single() else f" --lab {saved['name']}"
        hosts = ", ".join(saved["consoles"])
        return (
            f"lab {saved['guest_lab']} is up inside the user-mode Linux guest {saved['name']} "
            f"(hosts {hosts}; no route out)\n\n"
            f"  shell:  python -m macros lab shell node1{pick}   (detach: Ctrl-])\n"
            f"  stop:   python -m macros lab down{pick}"
        )

    kind = f"{sum(h.startswith('node') for h in saved['hosts'])} node(s)"
    kind += ", swarm" * bool(saved.get("swarm")) + ", rootless" * ("rootless" in saved["hosts"])
    lan = " and ".join(saved[key] for key in ("subnet", "subnet6") if saved.get(key))
    lines = [f"lab {saved['name']} is up: {kind}, LAN {lan}, no route out", ""]
    for host in hosts_from_state(saved).values():
        if host.docker_host:
            how = f"sudo ip netns exec {host.netns} env DOCKER_HOST={host.docker_host} docker ps"
        else:
            how = f"sudo ip netns exec {host.netns} sh    (runs the DNS sink: *.lab.internal)"
        lines.append(f"  {host.name:<7} {host.address:<12} {how}")
    pick = "" if _single() else f" --lab {saved['name']}"
    lines += [
        "",
        f"  shell:  cnv lab shell node1{pick}",
        f"  stop:   cnv lab down{pick}",
    ]
    return "\n".join(lines)


def _single() -> bool:
    return len(_running()) <= 1


def _running() -> list[dict[str, Any]]:
    return [s for s in state.all_states() if state.owner_alive(s)]


def _pick(name: str | None) -> dict[str, Any]:
    """The lab ``name``, else the one lab `lab up` started, else the one lab running."""
    running = _running()
    if name:
        running = [s for s in running if s["name"] == name]
    elif len(detached := [s for s in running if s.get("detached")]) == 1:
        running = detached
    if len(running) != 1:
        found = ", ".join(s["name"] for s in _running()) or "none"
        raise ValueError(f"pick one lab with --lab (running: {found})")
    return running[0]


def _shell(args: argparse.Namespace) -> int:
    from .lab import hosts_from_state

    saved = _pick(args.lab)
    if saved.get("kind") == "uml":
        from ..uml.console import attach

        consoles = saved.get("consoles", {})
        if not consoles.get(args.host):
            raise ValueError(f"no host {args.host!r} in {saved['name']}: {', '.join(consoles)}")
        return attach(consoles[args.host])
    hosts = hosts_from_state(saved)
    if args.host not in hosts:
        raise ValueError(f"no host {args.host!r} in {saved['name']}: {', '.join(hosts)}")
    argv = hosts[args.host].shell_argv()
    os.environ["PS1"] = f"[{saved['name']} {args.host}] \\w# "
    os.execvp(argv[0], argv)
    return 0  # not reached


def _status(args: argparse.Namespace) -> int:
    from .daemon import ping
    from .lab import hosts_from_state

    states = state.all_states()
    if not states:
        print("no labs")
    for saved in states:
        alive = state.owner_alive(saved)
        owner = saved["owner"]["pid"]
        how = "lab up" if saved.get("detached") else f"pid {owner}"
        print(
            f"{saved['name']}  {saved.get('phase')}  owner {how} ({'alive' if alive else 'gone'})"
        )
        for host in hosts_from_state(saved).values():
            engine = "-"
            if host.docker_host:
                sock = Path(host.docker_host.removeprefix("unix://"))
                engine = "engine answers" if ping(sock) else "engine DOWN"
            print(f"  {host.name:<7} {host.address:<12} {host.netns:<20} {engine}")
    return 0


def _down(args: argparse.Namespace) -> int:
    from .cleanup import cleanup_stale, remove_lab

    targets = [s for s in _running() if not args.lab or s["name"] == args.lab]
    if not targets:
        print(f"lab: no running lab {args.lab}" if args.lab else "lab: no lab started by `lab up`")
    status = 0
    for saved in targets:
        if not saved.get("detached"):
            if args.lab:
                pid = saved["owner"]["pid"]
                print(
                    f"lab: {saved['name']} belongs to pid {pid} (not `lab up`); stop that process"
                )
                status = 1
            continue
        start = time.monotonic()
        pid = saved["owner"]["pid"]
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + DOWN_TIMEOUT
        while state.owner_alive(saved) and time.monotonic() < deadline:
            time.sleep(0.05)
        problems = remove_lab(saved["name"])
        print(f"lab {saved['name']} down in {time.monotonic() - start:.2f}s")
        for problem in problems:
            print(f"  left: {problem}")
            status = 1
    prefixes = {s["prefix"] for s in targets} or {"cnv"}
    for prefix in sorted(prefixes):
        for name in cleanup_stale(prefix):
            print(f"removed leftovers of {name}")
    return status


COMMANDS = {"up": _up, "_keep": _keep, "shell": _shell, "status": _status, "down": _down}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
