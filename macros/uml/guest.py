"""Boot a user-mode Linux guest for one job, wait for its result, and leave nothing behind.

    result = Guest({"kind": "page", "page": "docs/networks/ipvlan.md", ...}).run(timeout=900)

Each guest is named like a lab (``cnv-3fa9c1``) and has a state file owned by this process,
so the lab's stale cleanup ends a dead run's guest (its processes carry the scratch path in
their arguments) and removes its scratch folder ``/var/lib/cnv-lab/<name>.uml``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from ..lab import images as image_cache
from ..lab import proc, state
from ..lab.cleanup import cleanup_stale, remove_lab
from ..lab.names import DATA_ROOT, LabNames, check_prefix, new_labid
from ..paths import ROOT

LINUX_UML = "linux.uml"
MODULE_ROOT = Path("/usr/lib/uml/modules")
"""Debian's user-mode-linux ships its modules, with their depmod index, one folder per release."""
INIT = Path(__file__).with_name("guest-init.sh")
MEMORY = "3000M"
MODULES = (
    "ip_vs", "ip_vs_rr", "8021q", "ipvlan", "dummy", "macvlan", "vxlan", "veth", "bridge",
    "br_netfilter", "overlay", "iptable_nat", "iptable_filter", "iptable_raw", "iptable_mangle",
    "xt_conntrack", "xt_MASQUERADE", "xt_addrtype", "xt_nat", "xt_mark", "xt_set", "ip_set",
    "ip_set_hash_net", "nf_conntrack_netlink", "esp4", "xfrm_user", "authenc", "echainiv",
    "gcm", "ghash-generic", "ctr", "seqiv", "cryptd", "crypto_user",
)  # fmt: skip
"""Loaded at boot; the kernel asks for anything else through the guest's modprobe helper."""
PR_SET_PDEATHSIG = 1
KILL_WAIT = 5.0


class GuestError(RuntimeError):
    """The guest could not start, timed out, or its agent failed; the message shows why."""


def missing() -> str:
    """Why this machine cannot boot a guest ("" when it can)."""
    if not shutil.which(LINUX_UML, path=proc.PATH):
        return f"no {LINUX_UML} (Debian package user-mode-linux; run scripts/provision.sh)"
    if not shutil.which("modprobe", path=proc.PATH):
        return "no modprobe (Debian package kmod; run scripts/provision.sh)"
    if not module_dir():
        return f"no modules under {MODULE_ROOT} (reinstall user-mode-linux)"
    return ""


def module_dir() -> Path | None:
    """The folder of the installed user-mode kernel's modules (with its ``modules.dep``)."""
    found = sorted(MODULE_ROOT.glob("*/modules.dep"))
    return found[-1].parent if found else None


def _die_with_parent() -> None:
    """In the child, before exec: SIGKILL the guest when the process that started it dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Guest:
    """One user-mode Linux guest running one agent job."""

    def __init__(
        self,
        job: dict[str, Any],
        prefix: str = "cnv",
        consoles: int = 0,
        labid: str | None = None,
    ) -> None:
        self.job = job
        self.consoles = consoles
        """Consoles ``tty1``.. that become host ptys (``lab shell`` in a guest's lab)."""
        self.names = LabNames(check_prefix(prefix), labid or new_labid())
        self.process: subprocess.Popen | None = None
        self._stopped = False
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.names.name

    @property
    def scratch(self) -> Path:
        """The only host folder the guest can write (mounted read-write over hostfs)."""
        return DATA_ROOT / f"{self.name}.uml"

    def argv(self) -> list[str]:
        """The kernel command line: hostfs root read-only, our init, consoles to files only.

        Words of the form ``cnv_x=y`` are not kernel options: the kernel hands them to init
        as environment variables. There is no ``eth`` option: the guest has no network
        device to the outside.
        """
        modules = module_dir()
        assert modules is not None
        return [
            LINUX_UML, f"mem={MEMORY}", "rootfstype=hostfs", "rootflags=/", "ro",
            f"init={INIT}", "con0=null,fd:1", "con=null", "ssl=null", "quiet",
            f"uml_dir={self.scratch}", f"umid={self.name}",
            *(f"con{n}=pts" for n in range(1, self.consoles + 1)),
            f"cnv_scratch={self.scratch}", f"cnv_root={ROOT}", f"cnv_python={sys.executable}",
            f"cnv_modules={modules}", f"cnv_load={' '.join(MODULES)}",
        ]  # fmt: skip

    def start(self) -> None:
        """Claim the name, prepare the scratch folder and boot (returns at once)."""
        reason = missing()
        if reason:
            raise GuestError(reason)
        cleanup_stale(self.names.prefix)
        with state.locked():
            state.write(
                self.names.state_file,
                {
                    "name": self.name,
                    "prefix": self.names.prefix,
                    "labid": self.names.labid,
                    "owner": state.owner(),
                    "kind": "uml",
                    "hosts": {},
                    "dirs": [str(self.scratch)],
                    "phase": "booting",
                },
            )
            self.scratch.mkdir(parents=True)
        images = self.scratch / "images"
        images.mkdir()
        for image in image_cache.IMAGES:
            tar = image_cache.cached_tar(image)
            with contextlib.suppress(OSError):
                os.link(tar, images / tar.name)
            if not (images / tar.name).exists():
                shutil.copyfile(tar, images / tar.name)
        (self.scratch / "job.json").write_text(json.dumps(self.job) + "\n")
        with open(self.scratch / "kernel.log", "wb") as log, self._lock:
            if self._stopped:
                raise GuestError(f"guest {self.name} was stopped before it booted")
            self.process = subprocess.Popen(
                self.argv(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.scratch,
                env={"PATH": proc.PATH, "TMPDIR": "/dev/shm", "HOME": str(self.scratch)},
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        self.annotate(phase="running", pids={"uml": self.process.pid})

    def annotate(self, **fields: Any) -> None:
        """Add ``fields`` to the guest's state file."""
        saved = state.read(self.names.state_file)
        if saved:
            state.write(self.names.state_file, saved | fields)

    def wait(self, timeout: float) -> dict[str, Any]:
        """Wait (bounded) for the guest to power off; return the agent's result."""
        assert self.process is not None
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired as error:
            raise GuestError(
                f"guest {self.name} still running after {timeout:g}s\n{self.console_tail()}"
            ) from error
        result = state.read(self.scratch / "result.json")
        if result is None:
            raise GuestError(
                f"guest {self.name} stopped (status {self.process.returncode}) without a "
                f"result\n{self.console_tail()}"
            )
        if not result.get("ok"):
            raise GuestError(f"guest {self.name}: the agent failed:\n{result.get('error')}")
        return result

    def console_tail(self, lines: int = 30) -> str:
        """The end of what init and the agent printed (and the kernel's log)."""
        parts = []
        for name in ("console.log", "kernel.log"):
            path = self.scratch / name
            with contextlib.suppress(OSError):
                text = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path}\n" + "\n".join(text))
        return "\n".join(parts)

    def stop(self) -> list[str]:
        """End the guest's process tree by PID, then remove its scratch folder and state
        (from any thread: a guest not booted yet will not boot)."""
        with self._lock:
            self._stopped = True
        if self.process and self.process.poll() is None:
            tree = [self.process.pid, *descendants(self.process.pid)]
            proc.kill_all(tree, KILL_WAIT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(KILL_WAIT)
        return remove_lab(self.name)

    def run(self, timeout: float) -> dict[str, Any]:
        """Start, wait for the result, and always stop."""
        try:
            self.start()
            return self.wait(timeout)
        finally:
            problems = self.stop()
            if problems:
                print(f"guest {self.name}: cleanup left: {'; '.join(problems)}", file=sys.stderr)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (UML runs each guest address space as a host process)."""
    found, todo = [], [pid]
    while todo:
        children = proc.children(todo.pop())
        found += children
        todo += children
    return found
