"""Command line: ``python -m macros run|draw|lab ...`` (also installed as ``cnv``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the sub-command."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["lab"]:
        from .lab.cli import main as lab_main

        return lab_main(argv[1:])
    if argv[:1] == ["draw"]:
        from .topology.cli import main as draw_main

        return draw_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m macros", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a page's steps and print what happened")
    run.add_argument("page", type=Path, help="a page under docs/, e.g. docs/networks/bridge.md")
    run.add_argument(
        "--host-engine",
        action="store_true",
        help="use the engine DOCKER_HOST points at instead of a disposable one",
    )
    run.add_argument(
        "--update",
        action="store_true",
        help="rewrite the snippets' expected output from this run and print the diff",
    )
    commands.add_parser("lab", help="bring a multi-host lab up or down (see: lab --help)")
    commands.add_parser("draw", help="draw the current engine's networks (see: draw --help)")
    args = parser.parse_args(argv)
    from .runner.cli import run_page

    return run_page(args.page, host_engine=args.host_engine, update=args.update)


if __name__ == "__main__":
    sys.exit(main())
