"""``python -m macros draw``: draw the engine you are using, or hold it to a page's spec."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Read the engine ``DOCKER_HOST`` points at; write its diagram or print differences."""
    parser = argparse.ArgumentParser(prog="python -m macros draw", description=__doc__)
    parser.add_argument("-o", "--output", type=Path, default=Path("topology.svg"))
    parser.add_argument(
        "--compare", metavar="SPEC", help="compare with a page's spec instead of drawing"
    )
    args = parser.parse_args(argv)

    import docker

    from .compare import compare, format_diff
    from .live import topology_from_engine
    from .render import alt_text, render_svg
    from .specs import get_spec

    try:
        client = docker.from_env()
        client.ping()
    except docker.errors.DockerException as error:
        where = os.environ.get("DOCKER_HOST", "the default socket /var/run/docker.sock")
        print(f"error: no Docker engine answers at {where} ({error})", file=sys.stderr)
        return 2
    live = topology_from_engine(client)
    if args.compare:
        differences = compare(get_spec(args.compare), live)
        print(format_diff(differences))
        return 1 if differences else 0
    args.output.write_bytes(render_svg(live))
    print(f"wrote {args.output}: {alt_text(live)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
