"""Find and reach a reader's Docker engine the way the docker CLI does.

``DOCKER_HOST`` (with ``DOCKER_TLS_VERIFY``/``DOCKER_CERT_PATH``), else the context named by
``DOCKER_CONTEXT`` or the config's ``currentContext`` (Docker Desktop, remote engines), else the
default socket. Contexts are read with the docker SDK's own ``ContextAPI``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import docker
from docker.context import ContextAPI
from docker.context.config import get_current_context_name

DEFAULT_HOST = "unix:///var/run/docker.sock"
READER_VARIABLES = ("HOME", "USER", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")
"""The reader's own variables the steps' shell keeps (the CLI reads its config from them)."""
OS_REASON = re.compile(r"\[Errno -?\d+\] ([^'\"()]+)")
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class EngineUnreachable(RuntimeError):
    """No engine answers where the reader's settings point; the message says where and why."""


@dataclass(frozen=True)
class Endpoint:
    """Where the engine is, and which setting said so."""

    host: str
    source: str
    context: str = ""
    tls: docker.tls.TLSConfig | bool = False

    def shell_environment(self, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
        """Variables for the steps' shell: the reader's own, and what points the CLI here."""
        kept = {name: environ[name] for name in READER_VARIABLES if name in environ}
        kept["PATH"] = ":".join(filter(None, [environ.get("PATH", ""), SYSTEM_PATH]))
        if self.context:
            return kept | {"DOCKER_CONTEXT": self.context}
        return kept | {"DOCKER_HOST": self.host}


def find_endpoint(environ: Mapping[str, str] = os.environ) -> Endpoint:
    """The engine the docker CLI would use with ``environ``."""
    if environ.get("DOCKER_HOST"):
        settings = docker.utils.kwargs_from_env(environment=dict(environ))
        return Endpoint(settings["base_url"], "DOCKER_HOST", tls=settings.get("tls", False))
    name = environ.get("DOCKER_CONTEXT") or get_current_context_name()
    if name and name != "default":
        context = ContextAPI.get_context(name)
        if context is None:
            raise EngineUnreachable(
                f"the Docker context {name!r} does not exist (see `docker context ls`)"
            )
        return Endpoint(context.Host, f"Docker context {name!r}", name, context.TLSConfig or False)
    return Endpoint(DEFAULT_HOST, "the default socket")


def connect(endpoint: Endpoint, timeout: int = 60) -> docker.DockerClient:
    """An SDK client for ``endpoint``, or :class:`EngineUnreachable` with one clear line."""
    socket = endpoint.host.removeprefix("unix://")
    if endpoint.host.startswith("unix://") and not os.path.exists(socket):
        raise EngineUnreachable(
            f"no Docker engine at {endpoint.host} ({endpoint.source}): the socket does not "
            "exist; is Docker running?"
        )
    if endpoint.host.startswith("unix://") and not os.access(socket, os.R_OK | os.W_OK):
        raise EngineUnreachable(
            f"no permission to use {socket} ({endpoint.source}): add yourself to its group "
            f"({_group(socket)}) and log in again, or run as root"
        )
    try:
        client = docker.DockerClient(
            base_url=endpoint.host,
            tls=endpoint.tls,
            timeout=timeout,
            use_ssh_client=endpoint.host.startswith("ssh://"),
        )
        client.ping()
    except Exception as error:  # the SDK raises requests' and the OS's errors as they come
        raise EngineUnreachable(
            f"cannot reach the Docker engine at {endpoint.host} ({endpoint.source}): "
            + _short(error)
        ) from error
    return client


def _short(error: Exception) -> str:
    """The OS's reason buried in the SDK's message ("Connection refused"), else all of it."""
    found = OS_REASON.search(str(error))
    return found.group(1).strip() if found else str(error)


def _group(path: str) -> str:
    import grp

    gid = Path(path).stat().st_gid
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"gid {gid}"
