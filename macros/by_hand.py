"""How a reader follows a multi-host page by hand: the lab commands, shown on the page."""

from __future__ import annotations

from .paths import relative
from .runner.verify import lab_shape
from .snippets.daemon_config import page_config_files
from .snippets.model import Snippet


def lab_commands(steps: list[Snippet]) -> list[str]:
    """``cnv lab up ...`` for the page's lab, then a shell on each host its steps use.

    A page with its own ``daemon.json`` files gets ``--daemon-config snippets/<page>``, so the
    engines start with it, as when the tests run the page.
    """
    hosts = sorted({step.host for step in steps}, key=lambda host: (host == "client", host))
    shape = lab_shape(steps)
    up = f"cnv lab up --nodes {shape.nodes}" + (" --swarm" if shape.swarm else "")
    up += " --rootless" if shape.rootless else ""
    files = page_config_files(steps)
    if files:
        up += f" --daemon-config {relative(files[0].parent).as_posix()}"
    return [up, *(f"cnv lab shell {host}" for host in hosts)]


def by_hand_markdown(steps: list[Snippet]) -> str:
    """An admonition for pages whose steps run on more than one host ("" for one host)."""
    if {step.host for step in steps} <= {"node1"}:
        return ""
    up, *shells = lab_commands(steps)
    block = "\n".join(f"    {line}" for line in ["```console", up, *shells, "```"])
    return (
        '??? example "Follow this page by hand"\n\n'
        "    The steps below run on several hosts; the line above each block names its host.\n"
        "    On a Linux machine with this project checked out, as root, bring up the same lab\n"
        "    the tests use (disposable engines, no route out), then open one terminal per host:\n\n"
        f"{block}\n\n"
        "    `cnv lab down` removes the whole lab when you are done.\n\n"
    )
