"""Cheap functional probes of what this kernel and engine can do (all together < 0.5 s).

Each probe *does* the thing Docker would do, in a throw-away network namespace
(``unshare -n``), so nothing on the host changes and a modular kernel autoloads what it needs.
Kernel config files are not read: many kernels do not ship them, and they say nothing about
what is loadable.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import socket
import struct
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .proc import PATH, CommandError, run

NEEDED_FOR = {
    "ipvs": "swarm VIP load balancing and the ingress routing mesh need IPVS",
    "esp": "encrypted overlay traffic between hosts needs ESP with AES-GCM",
    "vlan": "macvlan/ipvlan trunk mode (parent eth0.50) needs 802.1Q VLAN links",
    "ipvlan": "the ipvlan network driver needs ipvlan links",
    "dummy": "macvlan/ipvlan networks without a parent need dummy links",
    "vxlan": "overlay networks need VXLAN",
    "macvlan": "the macvlan network driver needs macvlan links",
    "swarm": "swarm mode needs dockerd",
    "compose": "compose steps need the docker compose plugin",
    "rootless": "the rootless host needs RootlessKit, slirp4netns, uidmap and user namespaces",
}

NETLINK_GENERIC = 16
VETH = "ip link add p0 type veth peer name p1"
XFRM_ESP = (
    "ip xfrm state add src 127.0.0.1 dst 127.0.0.2 proto esp spi 0x100 reqid 1 mode transport "
    "aead 'rfc4106(gcm(aes))' 0x" + "11" * 20 + " 64"
)
LINK_PROBES = {
    "esp": XFRM_ESP,
    "vlan": f"{VETH} && ip link add link p0 name p0.50 type vlan id 50",
    "ipvlan": f"{VETH} && ip link add link p0 name iv0 type ipvlan mode l2",
    "dummy": "ip link add d0 type dummy",
    "vxlan": "ip link add vx0 type vxlan id 42 dstport 4789",
    "macvlan": f"{VETH} && ip link add link p0 name mv0 type macvlan mode bridge",
}


@dataclass(frozen=True)
class Probe:
    """Whether a capability works here; ``detail`` says why not (or how it was checked)."""

    name: str
    ok: bool
    detail: str


def _result(name: str, ok: bool, detail: str) -> Probe:
    if ok:
        return Probe(name, True, detail)
    return Probe(name, False, f"{detail} ({NEEDED_FOR[name]})")


TIMEOUT = 5.0


def in_throwaway_netns(name: str, script: str, timeout: float = TIMEOUT) -> Probe:
    """Run ``script`` with ``sh`` inside ``unshare -n`` (a namespace that vanishes after)."""
    try:
        done = run(["unshare", "-n", "sh", "-c", script], timeout=timeout, check=False)
    except CommandError as error:
        return _result(name, False, str(error))
    message = (done.stderr or done.stdout).strip().splitlines()
    if done.returncode == 0:
        return _result(name, True, "created in a throw-away netns")
    return _result(name, False, message[-1] if message else f"exit {done.returncode}")


def genl_family(family: str) -> str:
    """Ask the kernel for generic netlink family ``family``; "" if known, else the error."""
    nlmsg_hdr, genl_hdr = "=IHHII", "=BBH"
    ctrl_id, ctrl_cmd_getfamily, attr_family_name = 0x10, 3, 2
    name = family.encode() + b"\0"
    attr = struct.pack("=HH", 4 + len(name), attr_family_name) + name
    attr += b"\0" * (-len(attr) % 4)
    payload = struct.pack(genl_hdr, ctrl_cmd_getfamily, 1, 0) + attr
    message = struct.pack(nlmsg_hdr, 16 + len(payload), ctrl_id, 1, 1, 0) + payload
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC) as sock:
        sock.settimeout(2)
        sock.bind((0, 0))
        sock.send(message)
        reply = sock.recv(65536)
    _, kind, _, _, _ = struct.unpack_from(nlmsg_hdr, reply)
    if kind == 2:  # NLMSG_ERROR
        code = -struct.unpack_from("=i", reply, 16)[0]
        return f"no generic netlink family {family}: {os.strerror(code)}" if code else ""
    return ""


def probe_ipvs() -> Probe:
    if os.path.exists("/proc/net/ip_vs"):
        return _result("ipvs", True, "/proc/net/ip_vs exists")
    try:
        error = genl_family("IPVS")
    except OSError as failure:
        error = f"netlink: {failure}"
    if not error:
        return _result("ipvs", True, "generic netlink family IPVS found")
    return _result("ipvs", False, f"Error talking to the kernel: {error}")


def probe_swarm() -> Probe:
    found = shutil.which("dockerd", path=f"{os.environ.get('PATH', '')}:{PATH}")
    return _result("swarm", bool(found), found or "no dockerd binary")


def probe_compose(timeout: float = TIMEOUT) -> Probe:
    try:
        done = run(["docker", "compose", "version", "--short"], timeout=timeout, check=False)
    except (CommandError, FileNotFoundError) as error:
        return _result("compose", False, str(error))
    text = (done.stdout or done.stderr).strip()
    return _result("compose", done.returncode == 0, text.splitlines()[-1] if text else "no output")


def probe_rootless() -> Probe:
    """The tools, ``/etc/subuid`` and ``/etc/subgid``, ``/dev/net/tun`` and unprivileged user
    namespaces that ``dockerd-rootless.sh`` needs (nothing is started)."""
    from .rootless import SUBID_FILES, missing_tools

    missing = missing_tools()
    if missing:
        return _result("rootless", False, f"missing {', '.join(missing)}")
    absent = [str(f) for f in (*SUBID_FILES, Path("/dev/net/tun")) if not f.exists()]
    if absent:
        return _result("rootless", False, f"no {', '.join(absent)}")
    for sysctl, refusing in (
        ("user/max_user_namespaces", "0"),
        ("kernel/unprivileged_userns_clone", "0"),
        ("kernel/apparmor_restrict_unprivileged_userns", "1"),
    ):
        with contextlib.suppress(OSError):
            if Path(f"/proc/sys/{sysctl}").read_text().strip() == refusing:
                return _result("rootless", False, f"{sysctl.replace('/', '.')} = {refusing}")
    return _result("rootless", True, "rootlesskit, slirp4netns, uidmap and user namespaces")


def _probes(timeout: float) -> dict[str, Callable[[], Probe]]:
    probes: dict[str, Callable[[], Probe]] = {"ipvs": probe_ipvs}
    for name, script in LINK_PROBES.items():
        probes[name] = functools.partial(in_throwaway_netns, name, script, timeout)
    probes["swarm"] = probe_swarm
    probes["compose"] = functools.partial(probe_compose, timeout)
    probes["rootless"] = probe_rootless
    return probes


@functools.cache
def probe_all(timeout: float = TIMEOUT) -> dict[str, Probe]:
    """Every probe, run in parallel, once per process; ``timeout`` bounds each command (a
    user-mode guest, one slow CPU, passes a longer one)."""
    probes = _probes(timeout)
    with ThreadPoolExecutor(max_workers=len(probes)) as pool:
        futures = {name: pool.submit(probe) for name, probe in probes.items()}
    return {name: future.result() for name, future in futures.items()}


def format_table(probes: dict[str, Probe]) -> str:
    """One line per probe: ``ipvs     no   Error talking to the kernel (...)``."""
    width = max(len(name) for name in probes)
    return "\n".join(
        f"{name:<{width}}  {'yes' if p.ok else 'no ':<3}  {p.detail}" for name, p in probes.items()
    )
