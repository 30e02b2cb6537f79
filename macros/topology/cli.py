"""``python -m macros draw``: draw the engine you are using, or hold it to a page's spec."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Read the engine the docker CLI would use; write its diagram or print differences.

    The engine is found by ``find_endpoint`` (``DOCKER_HOST``, else the current Docker
    context, else the default socket); when none answers, one line says why (exit status 2).
    """
    parser = argparse.ArgumentParser(prog="python -m macros draw", description=__doc__)
    parser.add_argument("-o", "--output", type=Path, default=Path("topology.svg"))
    parser.add_argument(
        "--compare", metavar="SPEC", help="compare with a page's spec instead of drawing"
    )
    args = parser.parse_args(argv)

    import docker

    from ..runner.connect import EngineUnreachable, connect, find_endpoint
    from .compare import compare, format_diff
    from .live import topology_from_engine
    from .render import alt_text, render_svg
    from .specs import get_spec

    try:
        endpoint = find_endpoint()
        client = connect(endpoint)
    except (EngineUnreachable, docker.errors.DockerException) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        live = topology_from_engine(client)
    except docker.errors.DockerException as error:
        print(f"error: the engine at {endpoint.host} failed to answer: {error}", file=sys.stderr)
        return 2
    if args.compare:
        differences = compare(get_spec(args.compare), live)
        print(format_diff(differences))
        return 1 if differences else 0
    args.output.write_bytes(render_svg(live))
    print(f"wrote {args.output}: {alt_text(live)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
