"""Command line: ``cnv run|lab|draw|doctor ...`` (also ``python -m macros ...``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .uml.lane import KERNEL_HELP, KERNELS


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the sub-command; SIGTERM and SIGHUP stop it like Ctrl-C (see signals)."""
    from .signals import run_stoppable

    argv = sys.argv[1:] if argv is None else argv
    return run_stoppable(lambda: _dispatch(argv))


def _dispatch(argv: list[str]) -> int:
    if argv[:1] == ["lab"]:
        from .lab.cli import main as lab_main

        return lab_main(argv[1:])
    if argv[:1] == ["draw"]:
        from .topology.cli import main as draw_main

        return draw_main(argv[1:])
    if argv[:1] == ["doctor"]:
        from .doctor import main as doctor_main

        return doctor_main(argv[1:])
    parser = argparse.ArgumentParser(prog="cnv", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a page's steps and print what happened")
    run.add_argument(
        "page", type=Path, nargs="?", help="a page under docs/, e.g. docs/networks/bridge.md"
    )
    run.add_argument(
        "--host-engine",
        action="store_true",
        help="use your own engine (the one the docker CLI uses) instead of a disposable one",
    )
    run.add_argument(
        "--list",
        action="store_true",
        help="with --host-engine: which pages can run on a single engine, and why not the others",
    )
    run.add_argument(
        "--update",
        action="store_true",
        help="rewrite the snippets' expected output from this run and print the diff",
    )
    run.add_argument("--kernel", choices=KERNELS, default="auto", help=KERNEL_HELP)
    commands.add_parser("lab", help="bring a multi-host lab up or down (see: lab --help)")
    commands.add_parser("draw", help="draw the current engine's networks (see: draw --help)")
    commands.add_parser("doctor", help="the engine, the kernel's capabilities, the pages that run")
    args = parser.parse_args(argv)
    from .runner.cli import list_pages, run_page

    if args.list:
        return list_pages()
    if args.page is None:
        parser.error("run: give a page (or --host-engine --list)")
    return run_page(args.page, host_engine=args.host_engine, update=args.update, kernel=args.kernel)


if __name__ == "__main__":
    sys.exit(main())
