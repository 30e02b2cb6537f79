"""``Lab``: N disposable Docker engines in network namespaces on one switch, plus a client.

    with Lab(nodes=3, swarm=True) as lab:
        lab.hosts["node1"].shell_argv()   # a bash on node1 with DOCKER_HOST set
        lab.hosts["client"].address       # the outside client, also the DNS sink

The lab LAN is ``10.99.0.0/24`` (nodes ``.1``.., client ``.100``) and the private (ULA) IPv6
prefix ``fd00:99::/64`` (nodes ``fd00:99::1``.., client ``fd00:99::100``) on a bridge in its own
"switch" namespace. The host's namespace is not connected and no namespace has a default route,
so nothing in the lab can reach anything outside it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import dns_sink, netns, proc, state, swarm
from . import images as image_cache
from . import rootless as rootless_host
from .cleanup import cleanup_stale, remove_lab
from .daemon import READY_TIMEOUT, Engine
from .names import MAX_NODES, LabNames, check_prefix, new_labid
from .wrapper import host_namespace

if TYPE_CHECKING:
    import docker

CLIENT = "client"
CLIENT_HOST = 100
DNS_ZONE = "lab.internal"
"""The lab's DNS sink answers ``<host>.lab.internal`` and ``whoami.lab.internal``; every other
name is NXDOMAIN."""
LAN = 0
LAN6 = "fd00:99::"
"""The lab LAN's IPv6 prefix (/64): a unique local address (fd00::/8), never routed out."""
"""Every lab uses 10.99.0.0/24: each LAN lives in its own switch namespace, so labs never
see each other, and pages show the same addresses however many labs run at once."""
SET_HOSTNAME = (
    'u=$(readlink /proc/self/ns/uts) && [ -n "$u" ] && [ "$u" != "$2" ] && hostname "$1" '
    '|| { echo "refusing to set the hostname in the host UTS namespace" >&2; exit 97; }; '
    'm=$(readlink /proc/self/ns/mnt); if [ -n "$4" ] && [ -d /etc/docker ]; then '
    '[ -n "$m" ] && [ "$m" != "$3" ] && mount --bind "$4" /etc/docker '
    '|| { echo "refusing to mount in the host mount namespace" >&2; exit 97; }; fi; '
    'shift 4; exec "$@"'
)
"""Sets the hostname of a lab shell (``$1``) unless in the caller's UTS namespace (``$2``),
and shows the node's own ``/etc/docker`` (``$4``) unless in the caller's mount namespace
(``$3``)."""


PHASES = {
    "network": "the switch and namespaces",
    "engines": "the engines to start",
    "images": "the images to load",
    "swarm": "the swarm to form",
}
"""What ``up()`` waits for in each phase, for progress output."""


class LabError(RuntimeError):
    """The lab cannot run on this machine, or did not come up; the message says why."""


def preflight() -> None:
    """Refuse clearly when not on Linux, not root, or a needed program is missing."""
    if not sys.platform.startswith("linux"):
        raise LabError(f"the lab needs Linux network namespaces (this is {sys.platform})")
    if os.geteuid() != 0:
        raise LabError("the lab needs root (network namespaces, mounts, cgroups); run with sudo")
    path = f"{os.environ.get('PATH', '')}:{proc.PATH}"
    missing = [tool for tool in ("dockerd", "ip", "unshare") if not shutil.which(tool, path=path)]
    if missing:
        raise LabError(f"missing {', '.join(missing)}: run scripts/provision.sh (as root)")


@dataclass(frozen=True)
class LabHost:
    """One host of the lab: a node with its own engine, or the client (no engine)."""

    name: str
    netns: str
    address: str
    docker_host: str | None
    address6: str = ""
    etc_docker: str = ""
    user: str = ""
    """The rootless host's shell runs as this user, with ``user_env`` set."""
    user_env: tuple[str, ...] = ()

    def shell_argv(self) -> list[str]:
        """argv of ``bash --noprofile --norc`` in this host's namespaces, hostname set to its
        name, ``DOCKER_HOST`` pointing at its engine (unset on the client), and the engine's
        own ``/etc/docker`` (with its ``daemon.json``) in place of the machine's. The rootless
        host's shell runs as its user, in its cgroup, with a tun device it may open."""
        docker_env = (
            [f"DOCKER_HOST={self.docker_host}"] if self.docker_host else ["-u", "DOCKER_HOST"]
        )
        if self.user:
            shell = ["env", *self.user_env, *docker_env, "bash", "--noprofile", "--norc"]
            return rootless_host.user_argv(rootless_host.lab_of(self.netns), shell)
        return netns.exec_argv(
            self.netns,
            "unshare", "--uts", "--mount", "--propagation", "slave",
            "sh", "-c", SET_HOSTNAME, "sh", self.name, host_namespace("uts"),
            host_namespace("mnt"), self.etc_docker,
            "env", *docker_env, "bash", "--noprofile", "--norc",
        )  # fmt: skip

    def client(self) -> docker.DockerClient:
        """An SDK client for this host's engine."""
        import docker

        if not self.docker_host:
            raise ValueError(f"{self.name} has no Docker engine")
        return docker.DockerClient(base_url=self.docker_host, timeout=60)


def hosts_from_state(saved: dict[str, Any]) -> dict[str, LabHost]:
    """The hosts of a lab described by its state file: ``node1..nodeN``, then ``client``."""
    order = sorted(saved["hosts"], key=lambda n: (n == CLIENT, n == rootless_host.HOST, len(n), n))
    known = {field.name for field in fields(LabHost)}  # labs of other versions may add some
    return {
        name: LabHost(**{k: v for k, v in saved["hosts"][name].items() if k in known})
        for name in order
    }


class Lab:
    """A disposable lab; ``up()``/``down()`` or use it as a context manager."""

    def __init__(
        self,
        nodes: int = 1,
        swarm: bool = False,
        managers: int = 1,
        prefix: str = "cnv",
        labid: str | None = None,
        images: tuple[str, ...] = image_cache.IMAGES,
        progress: Callable[[str], None] | None = None,
        dockerd_flags: tuple[str, ...] = (),
        image_tars: tuple[Path, ...] = (),
        patience: float = 1.0,
        daemon_configs: Mapping[str, dict[str, Any]] | None = None,
        rootless: bool = False,
    ) -> None:
        """``progress`` hears each phase of ``up()`` as it starts and ends;
        ``daemon_configs`` holds a ``daemon.json`` object per node that needs one;
        ``rootless`` adds the host ``rootless`` (see ``macros.lab.rootless``)."""
        if not 1 <= nodes <= MAX_NODES:
            raise ValueError(f"nodes must be 1..{MAX_NODES}, got {nodes}")
        if not 1 <= managers <= nodes:
            raise ValueError(f"managers must be 1..nodes ({nodes}), got {managers}")
        self.nodes, self.swarm, self.managers = nodes, swarm, managers
        self.names = LabNames(check_prefix(prefix), labid or new_labid())
        self.images = images
        self.progress = progress
        self.dockerd_flags = dockerd_flags
        self.image_tars = image_tars
        """``docker save`` tars to load instead of saving ``images`` from the host engine
        (a user-mode guest has no host engine to ask)."""
        self.patience = patience
        """Factor on the engines' and the swarm's ready timeouts (a user-mode guest is slower)."""
        self.daemon_configs = dict(daemon_configs or {})
        unknown = sorted(set(self.daemon_configs) - set(self._node_names()))
        if unknown:
            raise ValueError(f"daemon configuration for {', '.join(unknown)}: no such node")
        self.rootless = rootless
        self.hosts: dict[str, LabHost] = {}
        self.timings: dict[str, float] = {}
        self._engines: dict[str, Engine] = {}
        self._rootless: rootless_host.RootlessEngine | None = None
        self._sink: subprocess.Popen | None = None
        self._state: dict[str, Any] = {}
        self._guard = threading.Lock()
        self._active = False

    @property
    def name(self) -> str:
        return self.names.name

    def __enter__(self) -> Lab:
        return self.up()

    def __exit__(self, *exc: object) -> None:
        self.down()

    # --- up ------------------------------------------------------------------------------------

    def up(self) -> Lab:
        """Create everything; on any failure remove what was created and re-raise."""
        if self._active:
            return self
        preflight()
        missing = rootless_host.missing_tools() if self.rootless else []
        if missing:
            raise LabError(
                f"the rootless host needs {', '.join(missing)}: run scripts/provision.sh"
            )
        self._engines, self._sink, self.timings, self._rootless = {}, None, {}, None
        start = time.monotonic()
        cleanup_stale(self.names.prefix)
        self._claim()
        self._active = True
        atexit.register(self.down)
        try:
            self._phase("network", self._build_network)
            tars = self._phase("engines", self._start_engines)
            with ThreadPoolExecutor(max_workers=1) as pool:  # images load while swarm forms
                loading = pool.submit(self._phase, "images", self._load_images, tars)
                if self.swarm:
                    self._phase("swarm", self._form_swarm)
                loading.result()
        except BaseException:
            self.down()
            raise
        self.timings["up"] = time.monotonic() - start
        self._save(phase="up")
        return self

    def _phase(self, name: str, step: Callable[..., Any], *args: Any) -> Any:
        """Run ``step(*args)``, say so to ``progress``, and record its duration."""
        if self.progress:
            self.progress(f"lab {self.name}: waiting for {PHASES[name]}")
        began = time.monotonic()
        result = step(*args)
        self.timings[name] = time.monotonic() - began
        if self.progress:
            self.progress(f"lab {self.name}: {name} ready in {self.timings[name]:.1f}s")
        return result

    def _claim(self) -> None:
        """Under the lock: pick a free lab id, and write the state file first."""
        with state.locked():
            taken = {s["name"] for s in state.all_states()}
            while self.name in taken or self.names.state_dir.exists():
                self.names = LabNames(self.names.prefix, new_labid())
            lan = LAN
            self.hosts = self._plan(lan)
            self._state = {
                "name": self.name,
                "prefix": self.names.prefix,
                "labid": self.names.labid,
                "owner": state.owner(),
                "lan": lan,
                "subnet": f"10.99.{lan}.0/24",
                "subnet6": f"{LAN6}/64",
                "swarm": self.swarm,
                "managers": self.managers,
                "hosts": {name: asdict(host) for name, host in self.hosts.items()},
                "netns": [self.names.switch_netns, *(h.netns for h in self.hosts.values())],
                "cgroup_parents": [self.names.cgroup_parent(n) for n in self._node_names()],
                "dirs": [str(self.names.state_dir), str(self.names.data_dir)],
                "phase": "starting",
            }
            state.write(self.names.state_file, self._state)

    def engine_pid(self, node: str) -> int:
        """PID of ``node``'s dockerd (0 before ``up()``)."""
        engine = self._engines.get(node)
        return engine.pid if engine else 0

    def vxlan_bytes(self, node: str) -> tuple[int, int]:
        """Received and sent bytes of all VXLAN links of ``node``'s overlay networks."""
        from .counters import vxlan_bytes

        return vxlan_bytes(self.engine_pid(node), self.names.node_state(node) / "exec")

    def annotate(self, **fields: Any) -> None:
        """Add ``fields`` to the lab's state file (e.g. who keeps it running)."""
        self._save(**fields)

    def _save(self, **changes: Any) -> None:
        self._state.update(changes)
        state.write(self.names.state_file, self._state)

    def _node_names(self) -> list[str]:
        return [f"node{i}" for i in range(1, self.nodes + 1)]

    def _plan(self, lan: int) -> dict[str, LabHost]:
        hosts = {
            node: LabHost(
                node,
                self.names.netns(node),
                f"10.99.{lan}.{i}",
                f"unix://{self.names.socket(node)}",
                address6=f"{LAN6}{i}",
                etc_docker=str(self.names.etc_docker(node)),
            )
            for i, node in enumerate(self._node_names(), start=1)
        }
        if self.rootless:  # made here: its host's shell runs as the engine's user
            engine = rootless_host.RootlessEngine(self.names, dns=f"10.99.{lan}.{CLIENT_HOST}")
            self._rootless = engine
            hosts[rootless_host.HOST] = LabHost(
                rootless_host.HOST,
                self.names.netns(rootless_host.HOST),
                f"10.99.{lan}.{rootless_host.HOST_NUMBER}",
                engine.docker_host,
                f"{LAN6}{rootless_host.HOST_NUMBER}",
                user=engine.user,
                user_env=engine.environment(),
            )
        hosts[CLIENT] = LabHost(
            CLIENT,
            self.names.netns(CLIENT),
            f"10.99.{lan}.{CLIENT_HOST}",
            None,
            f"{LAN6}{CLIENT_HOST}",
        )
        return hosts

    def _build_network(self) -> None:
        switch, bridge = self.names.switch_netns, self.names.bridge
        netns.make_switch(switch, bridge)
        for host in self.hosts.values():
            netns.add(host.netns)
            port = self.names.switch_port(host.name)
            cidrs = [f"{host.address}/24"] + [f"{host.address6}/64"] * bool(host.address6)
            netns.plug(switch, bridge, port, host.netns, *cidrs)

    def _start_engines(self) -> list[Path]:
        """Boot every dockerd at once; meanwhile start the DNS sink and get the image tars."""
        client = self.hosts[CLIENT]
        for node in self._node_names():
            config = self.daemon_configs.get(node, {})
            engine = Engine(
                self.names, node, dns=client.address, flags=self.dockerd_flags, config=config
            )
            self._engines[node] = engine
            engine.start()
        if self._rootless:
            self._rootless.start()
        self._sink = dns_sink.spawn(
            client.netns,
            client.address,
            self.name,
            self.names.node_state(CLIENT) / "dns-sink.log",
            timeout=dns_sink.READY_TIMEOUT * self.patience,
            names=self._dns_names(),
        )
        tars = list(self.image_tars)
        if not tars:
            tars = [image_cache.cached_tar(image) for image in self.images]
            image_cache.prune(tars)
        for engine in self._engines.values():
            engine.wait_ready(READY_TIMEOUT * self.patience)
        pids = {n: e.pid for n, e in self._engines.items()} | {"dns-sink": self._sink.pid}
        if self._rootless:
            self._rootless.wait_ready(rootless_host.READY_TIMEOUT * self.patience)
            pids[rootless_host.HOST] = self._rootless.pid
        self._save(pids=pids)
        return tars

    def _dns_names(self) -> tuple[str, ...]:
        """The sink's private names: ``<host>.lab.internal`` for each host, and the name that
        answers with the asker's address."""
        records = [
            f"--record={host.name}.{DNS_ZONE}={address}"
            for host in self.hosts.values()
            for address in (host.address, host.address6)
            if address
        ]
        return (*records, f"--whoami=whoami.{DNS_ZONE}")

    def _load_images(self, tars: list[Path]) -> None:
        engines = [*self._engines.values(), *filter(None, [self._rootless])]
        image_cache.load([e.docker_host for e in engines], tars)

    def _form_swarm(self) -> None:
        swarm.form(
            {n: e.docker_host for n, e in self._engines.items()},
            {n: self.hosts[n].address for n in self._engines},
            self.managers,
            swarm.READY_TIMEOUT * self.patience,
        )

    # --- down ----------------------------------------------------------------------------------

    def down(self) -> None:
        """Stop and remove everything this lab created (idempotent; safe from atexit)."""
        with self._guard:
            if not self._active:
                return
            self._active = False
        atexit.unregister(self.down)
        start = time.monotonic()
        engines = list(self._engines.values())
        managers = [e for e in engines if int(e.node[4:]) <= self.managers]
        _each(Engine.remove_containers, engines)
        _each(Engine.leave_swarm, [e for e in engines if e not in managers])  # workers first
        _each(Engine.leave_swarm, managers[::-1])
        _each(Engine.terminate, engines)
        if self._rootless:
            try:
                self._rootless.terminate()
            except Exception as error:  # the forced cleanup below removes what is left
                print(f"lab: stopping the rootless engine: {error}", file=sys.stderr)
        if self._sink:
            proc.terminate(self._sink.pid, 2.0)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._sink.wait(1.0)
        problems = remove_lab(self.name)
        self.timings["down"] = time.monotonic() - start
        if problems:
            print(f"lab {self.name}: cleanup left: {'; '.join(problems)}", file=sys.stderr)


def _each(step: Callable[[Engine], None], engines: list[Engine], timeout: float = 60.0) -> None:
    """Run a graceful ``step`` on every engine at once; a failure is reported, not raised
    (the forced cleanup that follows removes whatever is left).

    Plain threads, not an executor: executors refuse work once the interpreter is shutting
    down, which is exactly when ``down()`` runs from atexit. Where a thread cannot start, the
    step runs in this one.
    """

    def quietly(engine: Engine) -> None:
        try:
            step(engine)
        except Exception as error:
            print(f"lab: {step.__name__} on {engine.node}: {error}", file=sys.stderr)

    threads = []
    for engine in engines:
        thread = threading.Thread(target=quietly, args=(engine,), daemon=True)
        try:
            thread.start()
            threads.append(thread)
        except RuntimeError:
            quietly(engine)
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
